"""Autograding 30 submissions of a practice set vs executing that notebook 30 times (goal <= 1.5x).

nbgrader's overhead over plain execution (sanitising, restoring test cells, the gradebook)
should stay small next to running the students' code.
"""
import json
import shutil
import tempfile
import time
from pathlib import Path

from landscape import course
from landscape.execute import execute

ROOT = Path(__file__).resolve().parents[1]
N = 30
ASSIGNMENT = "ps01_taylor"


def benchmarks():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        (root / "solutions").mkdir(parents=True)
        shutil.copy2(ROOT / "nbgrader_config.py", root)
        shutil.copytree(ROOT / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
        course.release(root, [ASSIGNMENT])
        (nb,) = sorted((root / "solutions" / ASSIGNMENT).glob("*.ipynb"))
        for i in range(N):
            d = root / "submitted" / f"student{i:02d}" / ASSIGNMENT
            d.mkdir(parents=True)
            shutil.copy2(nb, d / nb.name)

        t = time.perf_counter()
        for _ in range(N):
            execute(nb, timeout=600)
        t_exec = time.perf_counter() - t

        t = time.perf_counter()
        course.grade(root, [ASSIGNMENT], csv=None, feedback=False)
        t_grade = time.perf_counter() - t
        full = sum(course.max_scores(root, ASSIGNMENT).values())
        graded = course.scores(root, ASSIGNMENT)
        assert len(graded) == N and all(sum(s.values()) == full for s in graded.values()), json.dumps(graded)
    yield f"autograde {N} x {ASSIGNMENT}", t_grade, f"execute it {N} times", t_exec, "<= 1.5x"
