"""The nbgrader course end to end: lint, release in sync, round trip of every practice set,
self-study copies, and nbgrader's JupyterLab extensions.

Generic over every assignment in solutions/, so later practice sets are covered automatically.
"""
import copy
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from landscape import course

ASSIGNMENTS = course.assignments(ROOT)
LOOP_TIMEOUT = 10  # per-cell timeout in the round trip (the course's own is 60 s)


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def make_course(tmp_path, names):
    """A throwaway course: config + the given assignments' solutions, released."""
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    for a in names:
        shutil.copytree(ROOT / "solutions" / a, root / "solutions" / a)
    course.release(root, names)
    return root


# --- lint -----------------------------------------------------------------------------------
def test_there_is_a_practice_set_for_every_chapter_from_01():
    chapters = {p.name[:2] for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")} - {"00"}
    sets = {a[2:4] for a in ASSIGNMENTS}
    assert chapters and chapters <= sets, f"chapters without a practice set: {sorted(chapters - sets)}"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_lint_solution_notebooks(a):
    problems = []
    for p in sorted((ROOT / "solutions" / a).glob("*.ipynb")):
        problems += course.lint(load(p), name=p.name)
    assert not problems, "\n".join(problems)


def _cell(src, cell_type="code", **nbg):
    meta = {"nbgrader": dict(nbg, schema_version=3)} if nbg else {}
    return {"cell_type": cell_type, "source": src, "metadata": meta}


def _good():
    cells = [_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", grade=False, solution=True, grade_id="answer")]
    cells += [_cell(f"assert x == 1\n### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS", grade=True,
                    solution=False, grade_id=f"test_{i}", points=1) for i in range(4)]
    cells += [_cell("### BEGIN SOLUTION\nwords\n### END SOLUTION", "markdown", grade=True, solution=True,
                    grade_id="written", points=2)]
    return {"cells": cells}


@pytest.mark.parametrize("break_it, message", [
    (lambda nb: nb["cells"][0].update(source="x = 1\n### END SOLUTION"), "END SOLUTION without BEGIN"),
    (lambda nb: nb["cells"][0].update(source="### BEGIN SOLUTION\nx = 1"), "BEGIN SOLUTION without END"),
    (lambda nb: nb["cells"][0].update(source="x = 1"), "solution cell without ### BEGIN SOLUTION"),
    (lambda nb: nb["cells"][3]["metadata"]["nbgrader"].update(grade_id="test_1"), "duplicate grade_id 'test_1'"),
    (lambda nb: nb["cells"][2]["metadata"]["nbgrader"].pop("points"), "graded cell without positive points"),
    (lambda nb: nb["cells"][5]["metadata"]["nbgrader"].update(points=0), "graded cell without positive points"),
    (lambda nb: nb["cells"][1].update(source="### BEGIN HIDDEN TESTS\nassert x"), "BEGIN HIDDEN TESTS without END"),
    (lambda nb: nb["cells"].append(_cell("### BEGIN SOLUTION\n### END SOLUTION")), "markers but no nbgrader metadata"),
    (lambda nb: nb["cells"].pop(), "no manually graded written answer"),
    (lambda nb: nb["cells"].pop(1), "3 autograded test cells"),
])
def test_lint_catches(break_it, message):
    nb = _good()
    assert course.lint(copy.deepcopy(nb)) == []
    break_it(nb)
    problems = course.lint(nb)
    assert any(message in p for p in problems), problems


# --- release in sync ----------------------------------------------------------------------
def test_exercises_are_what_generate_assignment_makes(tmp_path):
    """exercises/ is committed; it must be exactly nbgrader's output for solutions/."""
    root = make_course(tmp_path, ASSIGNMENTS)
    fresh = sorted(p.relative_to(root / "exercises") for p in (root / "exercises").rglob("*") if p.is_file())
    committed = sorted(p.relative_to(ROOT / "exercises") for p in (ROOT / "exercises").rglob("*")
                       if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    assert fresh == committed, "exercises/ has other files than a fresh release: run `make release`"
    drift = [str(rel) for rel in fresh if load(root / "exercises" / rel) != load(ROOT / "exercises" / rel)]
    assert not drift, f"exercises/ is out of date with solutions/ (run `make release`): {drift}"


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_release_hides_solutions_and_hidden_tests(a):
    for p in (ROOT / "exercises" / a).glob("*.ipynb"):
        nb = load(p)
        text = "".join("".join(c["source"]) for c in nb["cells"])
        assert "### BEGIN" not in text and "### END" not in text
        stubs = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"]
        assert stubs and all("raise NotImplementedError()" in "".join(c["source"]) for c in stubs)


# --- the round trip -------------------------------------------------------------------------
def _src(cell):
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _submissions(solution_nb, release_nb):
    """Student notebooks built from the release, as a student would edit it."""
    sol = {c["metadata"]["nbgrader"]["grade_id"]: _src(c) for c in solution_nb["cells"]
           if c["metadata"].get("nbgrader", {}).get("solution")}
    answers = [c["metadata"]["nbgrader"]["grade_id"] for c in release_nb["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"]
    tests = [c["metadata"]["nbgrader"]["grade_id"] for c in release_nb["cells"]
             if c["metadata"].get("nbgrader", {}).get("grade") and not c["metadata"]["nbgrader"].get("solution")]

    def build(filled, edit_tests=False, loop_in=None):
        nb = copy.deepcopy(release_nb)
        for c in nb["cells"]:
            gid = c["metadata"].get("nbgrader", {}).get("grade_id")
            if gid in filled:
                c["source"] = sol[gid]
            if loop_in is not None and gid == loop_in:
                c["source"] = "while True:\n    pass\n" + sol[gid]
            if edit_tests and gid in tests:
                c["source"] = "pass  # tests removed by the student"
        return nb

    everything = set(sol)
    half = set(answers[: len(answers) // 2])
    subs = {
        "solution": build(everything),
        "release": build(set()),
        "half": build(half),
        "half-edited-tests": build(half, edit_tests=True),
        "loop": build(everything - {answers[-1]}, loop_in=answers[-1]),
    }
    for gid in answers:
        subs[f"revert-{gid.replace('_', '-')}"] = build(everything - {gid})
    return subs, answers


@pytest.mark.notebook
@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_round_trip(a, tmp_path):
    root = make_course(tmp_path, [a])
    (nb_path,) = sorted((root / "solutions" / a).glob("*.ipynb"))
    subs, answers = _submissions(load(nb_path), load(root / "exercises" / a / nb_path.name))
    for student, nb in subs.items():
        d = root / "submitted" / student / a
        d.mkdir(parents=True)
        (d / nb_path.name).write_text(json.dumps(nb), encoding="utf-8")

    t = time.perf_counter()
    course.grade(root, [a], csv="grades.csv", timeout=900, feedback=True,
                 extra=[f"--Execute.timeout={LOOP_TIMEOUT}"])
    elapsed = time.perf_counter() - t
    full = course.max_scores(root, a)
    got = {s: sum(v.values()) for s, v in course.scores(root, a).items()}
    total = sum(full.values())

    assert set(got) == set(subs), f"not every submission was graded: {sorted(set(subs) - set(got))}"
    assert got["solution"] == total, f"the solution scores {got['solution']} of {total}"
    assert got["release"] == 0, f"the untouched release scores {got['release']}, not 0"
    for gid in answers:
        s = got[f"revert-{gid.replace('_', '-')}"]
        assert s < total, f"leaving {gid} as the stub still scores full marks ({s}/{total}): no test needs it"
    assert 0 < got["half"] < total, "half the answers should earn partial credit"
    # nbgrader restores the test cells (with the hidden tests) from the gradebook: a student who
    # replaced every test by `pass` gets what the answers earn, not full marks
    assert got["half-edited-tests"] == got["half"], "editing the visible tests changed the score"
    # the infinite loop costs its own part(s), nothing else, and grading went on
    assert 0 < got["loop"] < total, f"infinite-loop submission scored {got['loop']} of {total}"
    assert got["loop"] == got[f"revert-{answers[-1].replace('_', '-')}"]
    # feedback and grades exported
    assert (root / "feedback" / "solution" / a / nb_path.with_suffix(".html").name).exists()
    csv = (root / "grades.csv").read_text()
    assert csv.count(a) == len(subs)
    # one loop costs about one timeout, not the batch (reported, not a speed assertion)
    print(f"{a}: graded {len(subs)} submissions in {elapsed:.1f} s (timeout {LOOP_TIMEOUT} s per cell)")


# --- self-study copies ----------------------------------------------------------------------
def test_make_practice_twice_keeps_a_learners_edits(tmp_path):
    dest = tmp_path / "my-work"
    run = lambda: subprocess.run(["make", "-s", "practice", f"PRACTICE_DIR={dest}"], cwd=ROOT,  # noqa: E731
                                 capture_output=True, text=True, timeout=300)
    first = run()
    assert first.returncode == 0, first.stderr
    nb = dest / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    assert nb.read_bytes() == (ROOT / "exercises" / ASSIGNMENTS[0] / nb.name).read_bytes()
    nb.write_text(nb.read_text().replace("raise NotImplementedError()", "return 42  # mine"))
    mine = nb.read_bytes()
    second = run()
    assert second.returncode == 0, second.stderr
    assert nb.read_bytes() == mine, "make practice overwrote the learner's notebook"
    assert not list(dest.rglob("*.release-*")), "an unchanged release must not be copied beside"


def test_a_new_release_goes_beside_the_learners_copy(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "exercises", root / "exercises")
    dest = tmp_path / "my-work"
    course.practice(root, dest, log=lambda s: None)
    a = ASSIGNMENTS[0]
    mine = dest / a / f"{a}.ipynb"
    mine.write_text(mine.read_text().replace("raise NotImplementedError()", "return 42  # mine"))
    before = mine.read_bytes()
    rel = root / "exercises" / a / f"{a}.ipynb"
    rel.write_text(rel.read_text().replace("Practice 01", "Practice 01 (revised)").replace("Practice 02", "Practice 02 (revised)"))
    said = []
    course.practice(root, dest, log=said.append)
    assert mine.read_bytes() == before
    (beside,) = list((dest / a).glob(f"{a}.release-*.ipynb"))
    assert beside.read_bytes() == rel.read_bytes()
    assert any("NEW RELEASE" in s and beside.name in s for s in said), said
    course.practice(root, dest, log=said.append)   # a third run adds nothing
    assert len(list((dest / a).glob("*.ipynb"))) == 2


# --- JupyterLab extensions ------------------------------------------------------------------
def _jupyter(*args):
    jupyter = Path(sys.executable).parent / "jupyter"
    out = subprocess.run([str(jupyter), *args], capture_output=True, text=True, timeout=120)
    return re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr)


def test_nbgrader_extensions_are_enabled_in_the_lab():
    lab = _jupyter("labextension", "list")
    assert re.search(r"@jupyter/nbgrader v\S+ enabled OK", lab), lab
    disabled = lab.split("Disabled extensions:")[1] if "Disabled extensions:" in lab else ""
    assert "nbgrader" not in disabled, f"nbgrader lab plugins are disabled:\n{disabled}"
    server = _jupyter("server", "extension", "list")
    for ext in ("formgrader", "validate_assignment", "assignment_list"):
        assert re.search(rf"nbgrader\.server_extensions\.{ext} enabled", server), f"{ext} is not enabled:\n{server}"


# --- self-check with nbgrader validate (what the Validate button runs) -----------------------
@pytest.mark.notebook
def test_validate_tells_a_learner_what_is_missing():
    a = ASSIGNMENTS[0]
    done = course.nbgrader("validate", f"solutions/{a}/{a}.ipynb", check=False, timeout=600)
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    todo = course.nbgrader("validate", f"exercises/{a}/{a}.ipynb", check=False, timeout=600)
    assert "VALIDATION FAILED" in todo.stdout, todo.stdout[-3000:]
    assert "is not written yet: replace `raise NotImplementedError`" in todo.stdout, todo.stdout[-3000:]


@pytest.mark.slow
def test_formgrader_in_the_lab_sees_the_course(tmp_path):
    """JupyterLab started in a course root serves nbgrader's formgrader, which reads nbgrader_config.py."""
    import socket
    import urllib.request

    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    for a in ASSIGNMENTS:
        shutil.copytree(ROOT / "solutions" / a, root / "solutions" / a)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "lab.log"
    env = dict(__import__("os").environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               PATH=f"{Path(sys.executable).parent}:{__import__('os').environ.get('PATH', '')}")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
                             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                             "--IdentityProvider.token=", f"--ServerApp.root_dir={root}", "--allow-root"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        body, deadline = None, time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/assignments", timeout=90) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(1)
        assert body is not None, f"the formgrader did not answer (exit code {proc.poll()}):\n{log.read_text()[-3000:]}"
        names = {a["name"] for a in body["value"]} if isinstance(body, dict) else {a["name"] for a in body}
        assert set(ASSIGNMENTS) <= names, body
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
