"""Remove outputs and execution counts from notebooks, in place: `python tools/strip_outputs.py DIR...`."""
import sys
from pathlib import Path

import nbformat


def strip(path):
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count, changed = [], None, True
    nb.metadata.pop("widgets", None)
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for root in sys.argv[1:] or ["."]:
        for p in sorted(Path(root).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in p.parts and strip(p):
                print("stripped", p)
