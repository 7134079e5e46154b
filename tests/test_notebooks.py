"""The notebook harness: every notebook runs top to bottom, headless, on every change;
committed notebooks carry no outputs; chapters carry slide metadata."""
import json
import re
import subprocess

import nbformat
import pytest

from conftest import ROOT, notebooks
from landscape.execute import execute

RUN = notebooks("chapters", "solutions")
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


@pytest.mark.notebook
@pytest.mark.parametrize("path", RUN, ids=[str(p.relative_to(ROOT)) for p in RUN])
def test_notebook_executes(path):
    nb = execute(path, timeout=600)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


def tracked_notebooks():
    try:
        out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True)
        files = [ROOT / f for f in out.stdout.split()]
    except (OSError, subprocess.CalledProcessError):
        files = []
    return sorted(set(files) | set(notebooks("chapters", "solutions", "exercises", "bench")))


def test_committed_notebooks_carry_no_outputs():
    dirty = []
    for p in tracked_notebooks():
        if not p.exists():
            continue
        nb = json.loads(p.read_text(encoding="utf-8"))
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"):
            dirty.append(str(p.relative_to(ROOT)))
    assert not dirty, f"notebooks with outputs (run `make strip`): {dirty}"


CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_every_chapter_cell_has_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    missing = [i for i, c in enumerate(nb.cells) if c.metadata.get("slideshow", {}).get("slide_type") not in SLIDE_TYPES]
    assert not missing, f"{path.name}: cells {missing} have no slideshow.slide_type"


def test_table_of_contents_links_resolve_and_list_every_chapter():
    index = nbformat.read(ROOT / "chapters" / "index.ipynb", as_version=4)
    text = "\n".join(c.source for c in index.cells if c.cell_type == "markdown")
    targets = re.findall(r"\]\(([^)#\s]+)", text)
    local = [t for t in targets if "://" not in t]
    broken = [t for t in local if not (ROOT / "chapters" / t).exists()]
    assert local and not broken, f"broken links in chapters/index.ipynb: {broken}"
    for ch in CHAPTERS:
        assert ch.name in text, f"{ch.name} is not in the table of contents"
