"""`make bench`: every benchmark is a ratio against a baseline measured in the same run.

Each ``bench/bench_*.py`` defines ``benchmarks()``, yielding rows
``(name, seconds, baseline_name, baseline_seconds, goal)`` where ``goal`` is a text such as
``">= 100x"`` or ``"<= 4x"`` (ratio = seconds / baseline_seconds, or its inverse for speed-ups),
or ``None``. Nothing here asserts: the table is for people.
"""
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def best_of(fn, repeat=5, number=1):
    """Best wall time of ``repeat`` runs of ``number`` calls (seconds per call)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t) / number)
    return best


def _fmt(s):
    return f"{s * 1e3:9.2f} ms" if s < 1 else f"{s:9.2f} s "


def _verdict(goal, ratio):
    if not goal:
        return ""
    op, num = goal.split()[0], float(goal.split()[1].rstrip("x"))
    ok = ratio >= num if op == ">=" else ratio <= num
    return "meets goal" if ok else "MISSES goal"


def main(only=None):
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and only not in path.stem:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        print(f"# {path.name}", flush=True)
        for name, secs, base_name, base_secs, goal in mod.benchmarks():
            speedup = goal is not None and goal.startswith(">=")
            ratio = base_secs / secs if speedup else secs / base_secs
            row = (f"{name:<44} {_fmt(secs)}   vs {base_name:<30} {_fmt(base_secs)}   "
                   f"{'speed-up' if speedup else 'ratio'} {ratio:8.2f}x   {goal or '':>8}  {_verdict(goal, ratio)}")
            print(row, flush=True)
            rows.append(row)
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
