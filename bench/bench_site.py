"""Time to build every lecture deck and the static site, against executing the same notebooks.

The decks and the site re-use the executed notebooks (build/executed), so the build's own cost is
the nbconvert export and asset copy; the ratio says what `make slides` + `make html` add on top of
running the chapters once (goal <= 2x: building must not cost more than executing again).
"""
import shutil
import tempfile
import time
from pathlib import Path

from landscape import publish
from landscape.execute import execute, patch_zmq_polling

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "fixture_chapter.ipynb"


def benchmarks():
    patch_zmq_polling()
    notebooks = publish.chapters(ROOT) or [FIXTURE]  # the fixture stands in until chapters land
    label = f"{len(notebooks)} chapter(s)" if publish.chapters(ROOT) else "the fixture chapter"
    try:
        publish.node_modules(ROOT)
    except RuntimeError as exc:
        print(f"skipped: {exc}")
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench_site_"))
    try:
        quiet = lambda *a: None  # noqa: E731
        t = time.perf_counter()
        for nb in notebooks:
            execute(nb, timeout=600)
        run = time.perf_counter() - t

        t = time.perf_counter()  # cold: executes (cache empty), then exports
        publish.build_slides(notebooks, out=tmp / "slides", cache=tmp / "cache", log=quiet)
        publish.build_site(notebooks, out=tmp / "html", cache=tmp / "cache", log=quiet)
        cold = time.perf_counter() - t
        yield f"decks + site, cold ({label})", cold, "executing the notebooks", run, "<= 2x"

        shutil.rmtree(tmp / "slides"), shutil.rmtree(tmp / "html")
        t = time.perf_counter()  # warm: executed notebooks cached, export only
        publish.build_slides(notebooks, out=tmp / "slides", cache=tmp / "cache", log=quiet)
        publish.build_site(notebooks, out=tmp / "html", cache=tmp / "cache", log=quiet)
        warm = time.perf_counter() - t
        yield f"decks + site, cached execution ({label})", warm, "executing the notebooks", run, "<= 1x"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
