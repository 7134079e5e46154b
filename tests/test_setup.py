"""The two-command setup keeps its promises: lock, environment.yml, Makefile, README, CI."""
import re

from conftest import ROOT

# conda-forge package name -> PyPI name, where they differ
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def lock():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.lock line is not pinned: {line!r}"
            pins[norm(name)] = version
    return pins


def conda_deps():
    deps = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.-]+)=([^=\s]+)\s*$", line)
        if m and m.group(1) != "python":
            deps[norm(CONDA_TO_PYPI.get(m.group(1), m.group(1)))] = m.group(2)
    return deps


def test_every_dependency_is_pinned_in_the_lock():
    pins = lock()
    wanted = [norm(l.split("#")[0].strip()) for l in (ROOT / "requirements.in").read_text().splitlines()
              if l.split("#")[0].strip()]
    missing = [w for w in wanted if w not in pins]
    assert not missing, f"in requirements.in but not in requirements.lock (run `make lock`): {missing}"


def test_environment_yml_agrees_with_the_lock():
    pins, deps = lock(), conda_deps()
    wanted = {norm(l.split("#")[0].strip()) for l in (ROOT / "requirements.in").read_text().splitlines()
              if l.split("#")[0].strip()}
    assert wanted <= set(deps), f"environment.yml lacks {sorted(wanted - set(deps))}"
    wrong = {k: (v, pins.get(k)) for k, v in deps.items() if pins.get(k) != v}
    assert not wrong, f"environment.yml version != lock version: {wrong}"


def test_readme_quick_start_is_the_two_commands_and_ci_runs_make_test():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+", quick, re.M) == ["make lab", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    make = (ROOT / "Makefile").read_text()
    for target in ("lab:", "test:", "bench:"):
        assert re.search(rf"^{target}", make, re.M)


def test_gitignore_keeps_environments_builds_and_student_work_out():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in (".venv/", "build/", "gradebook.db", "submitted/", "autograded/", "feedback/", "my-work/"):
        assert entry in ignored
