"""Each chapter's run time against a bare kernel that only imports the stack (goal <= 4x)."""
import time
from pathlib import Path

from landscape.execute import execute

ROOT = Path(__file__).resolve().parents[1]


def run_time(path):
    t = time.perf_counter()
    execute(path, timeout=600)
    return time.perf_counter() - t


def benchmarks(repeat=2):
    """Best of ``repeat`` runs for the baseline and for every chapter alike."""
    bare = min(run_time(ROOT / "bench" / "bare.ipynb") for _ in range(repeat))
    for ch in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        best = min(run_time(ch) for _ in range(repeat))
        yield f"chapter {ch.stem} (best of {repeat})", best, "bare kernel (imports only)", bare, "<= 4x"
