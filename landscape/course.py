"""The nbgrader course: release, grade, self-study copies, and a lint of the practice notebooks.

Command line (what the Makefile runs)::

    python -m landscape.course release            # solutions/ -> exercises/ (nbgrader generate_assignment)
    python -m landscape.course grade              # autograde submitted/, feedback, grades.csv
    python -m landscape.course practice [--dest my-work]
    python -m landscape.course lint               # markers, grade ids, points

nbgrader runs in a subprocess in the course root, so it reads ``nbgrader_config.py`` (which
patches jupyter_client's polling and sets the per-cell timeout).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS_OF_MARKER = ("SOLUTION", "HIDDEN TESTS")


def assignments(root=ROOT):
    """Names of the assignments: the folders of ``solutions/`` that hold a notebook."""
    src = Path(root) / "solutions"
    return sorted(p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))) if src.is_dir() else []


def nbgrader(*args, root=ROOT, timeout=None, check=True):
    """Run ``nbgrader ARGS`` in the course ``root`` with this Python's environment.

    nbgrader calls the ``alembic`` script on its database, so this interpreter's ``bin`` folder
    goes first on ``PATH``.
    """
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("OMP_NUM_THREADS", "1")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *map(str, args)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return proc


def release(root=ROOT, names=None):
    """Regenerate ``exercises/<assignment>/`` from ``solutions/`` for every (or the given) assignment."""
    for name in names or assignments(root):
        nbgrader("generate_assignment", name, "--force", root=root)


def _in_gradebook(root, name):
    from nbgrader.api import Gradebook, MissingEntry

    db = Path(root) / "gradebook.db"
    if not db.exists():
        return False
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            gb.find_assignment(name)
            return True
        except MissingEntry:
            return False


def grade(root=ROOT, names=None, csv="grades.csv", timeout=None, feedback=True, extra=()):
    """Autograde every submission in ``submitted/``, generate feedback, export ``grades.csv``.

    An assignment not yet in the gradebook is first generated (that stores its test cells, which
    autograding restores in every submission). Returns the assignments graded.
    """
    root = Path(root)
    done = []
    for name in names or assignments(root):
        if not any((root / "submitted").glob(f"*/{name}/*.ipynb")):
            continue
        if not _in_gradebook(root, name):
            nbgrader("generate_assignment", name, "--force", root=root)
        nbgrader("autograde", name, *extra, root=root, timeout=timeout)
        if feedback:
            nbgrader("generate_feedback", name, "--force", root=root)
        done.append(name)
    if done and csv:
        nbgrader("export", "--to", csv, root=root)
    return done


def scores(root, name):
    """Autograded points per student and grade cell: ``{student: {grade_id: points}}``."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(name):
            per = out.setdefault(sub.student_id, {})
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.cell_type == "code":
                        per[g.name] = float(g.auto_score or 0.0)
    return out


def max_scores(root, name):
    """Points of each autograded test cell: ``{grade_id: points}``."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gb:
        a = gb.find_assignment(name)
        return {c.name: float(c.max_score) for nb in a.notebooks for c in nb.grade_cells if c.cell_type == "code"}


# --- self-study ---------------------------------------------------------------------------
def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def practice(root=ROOT, dest=None, log=print):
    """Copy each released notebook to ``dest`` (default ``my-work/``), never overwriting.

    A notebook already in ``dest`` is the learner's: it stays. If the release changed since it
    was copied, the new release goes beside it as ``<name>.release-<hash>.ipynb`` and a message
    says so. Returns the list of files written.
    """
    root = Path(root)
    dest = Path(dest) if dest is not None else root / "my-work"
    record_path = dest / ".released.json"
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    written = []
    for src in sorted((root / "exercises").glob("*/*")):
        if not src.is_file() or ".ipynb_checkpoints" in src.parts:
            continue
        rel = src.relative_to(root / "exercises")
        target = dest / rel
        digest = _digest(src)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            target.chmod(0o644)
            record[str(rel)] = digest
            written.append(target)
            log(f"copied   {rel} -> {target}")
            continue
        if record.get(str(rel)) == digest or _digest(target) == digest:
            record[str(rel)] = digest
            continue
        beside = target.with_name(f"{target.stem}.release-{digest}{target.suffix}")
        if not beside.exists():
            shutil.copy2(src, beside)
            beside.chmod(0o644)
            written.append(beside)
            log(f"NEW RELEASE of {rel}: your {target.name} is kept as it is; the new version is "
                f"{beside}. Compare them and copy over what you want.")
    dest.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return written


# --- lint ----------------------------------------------------------------------------------
def _markers(src, kind):
    """Problems with ``### BEGIN kind`` / ``### END kind`` pairing in ``src``."""
    depth, problems = 0, []
    for line in src.splitlines():
        s = line.strip()
        if s == f"### BEGIN {kind}":
            if depth:
                problems.append(f"nested ### BEGIN {kind}")
            depth += 1
        elif s == f"### END {kind}":
            if not depth:
                problems.append(f"### END {kind} without BEGIN")
            depth = max(0, depth - 1)
    if depth:
        problems.append(f"### BEGIN {kind} without END")
    return problems


def lint(nb, name="notebook"):
    """Problems in an nbgrader source notebook (empty list: fine).

    Checks: every marker pair matched; solution cells have solution markers and nothing else does;
    hidden tests only in test cells; grade ids present, unique and stable-looking; every graded
    cell has positive points; at least one manually graded answer and 4-8 autograded test cells.
    """
    problems, ids = [], {}
    n_auto = n_manual = 0
    for i, cell in enumerate(nb["cells"]):
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        meta = cell.get("metadata", {}).get("nbgrader")
        where = f"{name} cell {i}"
        for kind in KINDS_OF_MARKER:
            problems += [f"{where}: {p}" for p in _markers(src, kind)]
        has_sol = "### BEGIN SOLUTION" in src
        if not meta:
            if has_sol or "### BEGIN HIDDEN TESTS" in src:
                problems.append(f"{where}: has nbgrader markers but no nbgrader metadata")
            continue
        gid = meta.get("grade_id")
        if not gid or not re.fullmatch(r"[a-z][a-z0-9_]*", gid):
            problems.append(f"{where}: grade_id {gid!r} missing or not lower_snake_case")
        elif gid in ids:
            problems.append(f"{where}: duplicate grade_id {gid!r} (also cell {ids[gid]})")
        else:
            ids[gid] = i
        if meta.get("solution") and not has_sol:
            problems.append(f"{where} ({gid}): solution cell without ### BEGIN SOLUTION / ### END SOLUTION")
        if has_sol and not meta.get("solution"):
            problems.append(f"{where} ({gid}): solution markers in a cell not marked as a solution")
        if "### BEGIN HIDDEN TESTS" in src and not (meta.get("grade") and not meta.get("solution")):
            problems.append(f"{where} ({gid}): hidden tests outside an autograder test cell")
        if meta.get("grade"):
            pts = meta.get("points")
            if not isinstance(pts, (int, float)) or pts <= 0:
                problems.append(f"{where} ({gid}): graded cell without positive points")
            if meta.get("solution"):
                n_manual += 1
            elif cell["cell_type"] == "code":
                n_auto += 1
    if not n_manual:
        problems.append(f"{name}: no manually graded written answer")
    if not 4 <= n_auto <= 8:
        problems.append(f"{name}: {n_auto} autograded test cells; a practice set has 4 to 8")
    return problems


def lint_all(root=ROOT):
    """Lint every notebook in ``solutions/``."""
    problems = []
    for a in assignments(root):
        for p in sorted((Path(root) / "solutions" / a).glob("*.ipynb")):
            problems += lint(json.loads(p.read_text(encoding="utf-8")), name=str(p.relative_to(root)))
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description="The nbgrader course of Loss Landscapes.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("release", help="regenerate exercises/ from solutions/")
    g = sub.add_parser("grade", help="autograde submitted/, generate feedback, export grades.csv")
    g.add_argument("--csv", default="grades.csv")
    p = sub.add_parser("practice", help="copy released notebooks into my-work/ (never overwrites)")
    p.add_argument("--dest", default=None)
    sub.add_parser("lint", help="check markers, grade ids and points in solutions/")
    args = ap.parse_args(argv)
    if args.cmd == "release":
        release()
        problems = lint_all()
    elif args.cmd == "grade":
        done = grade(csv=args.csv)
        print(f"graded: {', '.join(done) or 'nothing in submitted/'}"
              + (f"; grades in {args.csv}, feedback in feedback/" if done else ""))
        return 0
    elif args.cmd == "practice":
        practice(dest=args.dest)
        print("Open my-work/ in JupyterLab; the Validate button (or `nbgrader validate FILE`) runs the tests.")
        return 0
    else:
        problems = lint_all()
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
