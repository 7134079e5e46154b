"""The book in a real browser (headless Debian chromium driven by Playwright): JupyterLab runs a
chapter and its slider redraws the figure; nbgrader's panels open; every lecture deck works with
the network blocked; every site page loads offline with no broken link. Screenshots of each go to
build/screenshots/ for a person to look at.

Where /usr/bin/chromium is missing these tests skip, except under CI=true, where they must run.
"""
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from conftest import ROOT
from landscape import publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
FIXTURE = ROOT / "tests" / "fixtures" / "fixture_chapter.ipynb"
SHOTS = ROOT / "build" / "screenshots"
CHAPTERS = publish.chapters(ROOT)
DECKS = CHAPTERS + [FIXTURE]
MIN_SLIDES, MAX_SLIDES = 15, 40
OVERFLOW_TOLERANCE_PX = 4
LAB_RUN_TIMEOUT_MS = int(os.environ.get("LAB_RUN_TIMEOUT_MS", 240000))

# ------------------------------------------------------------------ checks without a browser


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_every_chapter_deck_has_15_to_40_slides(path):
    n = publish.count_slides(nbformat.read(path, as_version=4))
    assert MIN_SLIDES <= n <= MAX_SLIDES, f"{path.name}: {n} slides; a deck has {MIN_SLIDES}-{MAX_SLIDES}"


def test_count_slides_counts_slides_and_subslides_and_rejects_unknown_types():
    nb = nbformat.read(FIXTURE, as_version=4)
    assert publish.count_slides(nb) == 4
    nb.cells[3].metadata.slideshow.slide_type = "-"  # "## A figure" joins the first slide
    assert publish.count_slides(nb) == 3
    nb.cells[0].metadata.slideshow.slide_type = "sldie"
    with pytest.raises(ValueError, match="sldie"):
        publish.count_slides(nb)


def test_external_assets_finds_scripts_styles_and_imports_but_not_links():
    page = ('<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn/x.css">'
            '<img src="http://a/b.png"><style>@import url("https://fonts/x.css");</style>'
            '<a href="https://arxiv.org/abs/1406.2572">paper</a><script src="vendor/require.js"></script>')
    found = publish.external_assets(page)
    assert len(found) == 4 and not any("arxiv" in f or "vendor" in f for f in found)


def test_practice_pages_refuse_notebooks_with_solutions():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")])
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        publish.withheld(nb, "set.ipynb")
    publish.withheld(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise NotImplementedError")]))


def test_binder_link_launches_the_book_from_environment_yml():
    url = publish.binder_url("someone/book")
    assert url.startswith("https://mybinder.org/v2/gh/someone/book/HEAD?labpath=chapters%2Findex.ipynb")
    assert publish.binder_url() in (ROOT / "README.md").read_text()
    assert (ROOT / "environment.yml").exists()


def test_package_json_pins_the_offline_assets_and_is_locked():
    pkg = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert pkg["dependencies"]["reveal.js"] == "4.0.2"  # what nbconvert's reveal template expects
    assert pkg["dependencies"]["mathjax"].startswith("2.7")
    for name, version in pkg["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


# ------------------------------------------------------------------ browser plumbing

def _need_browser():
    if CHROMIUM.exists():
        return
    msg = f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " (CI=true: they must run; .ci/run installs it)")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _is_local(url):
    u = urlparse(url)
    return u.scheme in ("file", "data", "blob", "about") or (u.hostname or "") in LOCAL_HOSTS


class Watched:
    """A page whose requests to other hosts are blocked and recorded, and whose console errors are kept."""

    def __init__(self, browser, viewport=(1280, 800)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.page = self.context.new_page()
        self.external, self.errors = [], []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _route(self, route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, request):
    w = Watched(browser)
    yield w
    try:  # the last state of every browser test, for a person to look at (and to debug a failure)
        (SHOTS / "last").mkdir(parents=True, exist_ok=True)
        w.page.screenshot(path=str(SHOTS / "last" / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png")))
    finally:
        w.close()


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """Decks and site of every chapter plus the fixture, built once (executed notebooks cached)."""
    _need_browser()
    try:
        publish.node_modules(ROOT)
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc} (CI=true: .ci/run runs `make web-assets`)")
        pytest.skip(str(exc))
    from landscape.execute import patch_zmq_polling

    patch_zmq_polling()
    out = tmp_path_factory.mktemp("book")
    cache = ROOT / "build" / "executed"
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:  # the two xdist workers share the executed cache
        fcntl.flock(lock, fcntl.LOCK_EX)
        decks = publish.build_slides(DECKS, out=out / "slides", cache=cache, log=lambda *a: None)
        pages = publish.build_site(DECKS, out=out / "html", cache=cache, log=lambda *a: None)
    return {"decks": dict(zip(DECKS, decks)), "pages": pages, "site": out / "html"}


MATHJAX_IDLE = """() => !window.MathJax || MathJax.Hub && MathJax.Hub.queue &&
    MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running &&
    document.querySelectorAll('.MathJax_Processing').length === 0"""
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[|\\begin\{")


def wait_for_maths(page, expect=False):
    """Wait until MathJax has typeset the page; no TeX may be left as text, no TeX error shown.

    Returns the number of typeset formulas (``expect=True``: at least one).
    """
    page.wait_for_timeout(200)
    page.wait_for_function(MATHJAX_IDLE, timeout=60000)
    n = page.evaluate("document.querySelectorAll('.MathJax_CHTML, mjx-container').length")
    assert not page.query_selector_all(".MathJax_Error, merror"), "MathJax reported a TeX error"
    text = "\n".join(page.eval_on_selector_all(".jp-RenderedMarkdown", """e => e.map(x => {
        const c = x.cloneNode(true);  // what a reader sees as text: typeset maths and its sources removed
        c.querySelectorAll('script, .MathJax_CHTML, .MathJax_Display, .MJX_Assistive_MathML, .MathJax_Preview, code, pre')
         .forEach(m => m.remove());
        return c.textContent; })"""))
    left = RAW_TEX.findall(text)
    assert not left, f"TeX left unrendered: {left[:5]}"
    assert n or not expect, "no formula was typeset"
    return n


# ------------------------------------------------------------------ slides

DECK_STATE = """() => {
  const s = Reveal.getCurrentSlide(), scale = Reveal.getScale(), h = Reveal.getConfig().height;
  return {indices: Reveal.getIndices(), height: h, content: s.scrollHeight,
          notes: Reveal.getSlideNotes ? (Reveal.getSlideNotes(s) || '') : ''};
}"""


@pytest.mark.parametrize("path", DECKS, ids=[p.stem for p in DECKS])
def test_deck_works_offline_with_maths_widgets_notes_and_no_overflow(path, book, watched):
    nb = nbformat.read(path, as_version=4)
    page, deck = watched.page, book["decks"][path]
    assert not publish.external_assets(deck.read_text(encoding="utf-8"))
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30000)
    total = page.evaluate("Reveal.getTotalSlides()")
    assert total == publish.count_slides(nb)

    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if "$" in markdown:
        wait_for_maths(page, expect=True)
    if "widgets" in nb.metadata:
        page.wait_for_selector(".widget-slider, .widget-hslider, .jupyter-widgets", state="attached", timeout=30000)
    shots = SHOTS / "slides" / path.stem
    shots.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)

    seen, overflow, notes = [], [], []
    for k in range(total):
        state = page.evaluate(DECK_STATE)
        seen.append((state["indices"]["h"], state["indices"]["v"]))
        if state["content"] > state["height"] + OVERFLOW_TOLERANCE_PX:
            overflow.append(f"slide {k + 1} {seen[-1]}: {state['content']} px > {state['height']} px")
        notes.append(state["notes"].strip())
        page.screenshot(path=str(shots / f"{k + 1:02d}.png"))
        if k + 1 < total:  # arrow keys: down through a vertical stack, else right (fragments first)
            key = "ArrowDown" if page.evaluate("Reveal.availableRoutes().down") else "ArrowRight"
            for _ in range(30):
                page.keyboard.press(key)
                ix = page.evaluate("Reveal.getIndices()")
                if (ix["h"], ix["v"]) != seen[-1]:
                    break
            else:
                pytest.fail(f"{path.name}: {key} does not leave slide {k + 1} {seen[-1]}")
    assert len(set(seen)) == total, f"arrow keys visited {len(set(seen))} of {total} slides"
    assert not overflow, f"{path.name}: content taller than the slide (see {shots}): {overflow}"
    n_notes = sum(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in nb.cells)
    if n_notes:
        assert sum(bool(n) for n in notes) >= 1, "speaker notes cells did not reach the deck"
    assert not watched.external, f"requests to other hosts: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"


def test_fixture_deck_shows_the_saved_figure_and_slider(book, watched):
    page = watched.page
    page.goto(book["decks"][FIXTURE].as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30000)
    page.wait_for_selector(".widget-slider", state="attached", timeout=30000)
    # the slider's figure is the widget's saved output: a PNG, not a "<Figure ...>" text
    imgs = page.eval_on_selector_all(".widget-output img, .jupyter-widgets-output-area img", "e => e.map(i => i.src)")
    assert imgs and all(s.startswith("data:image/png") for s in imgs)
    assert "Speaker note" in page.evaluate("Reveal.getSlideNotes(Reveal.getSlide(0))")
    # S opens the speaker view (a pop-up built by the notes plugin) with the current slide's notes
    with watched.context.expect_page(timeout=30000) as popup:
        page.keyboard.press("s")
    view = popup.value
    view.wait_for_function("document.body && document.body.innerText.includes('Speaker note')", timeout=30000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.screenshot(path=str(SHOTS / "slides_speaker_view.png"))
    assert not watched.external, f"requests to other hosts: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"


# ------------------------------------------------------------------ site

def test_site_pages_load_offline_with_no_broken_internal_link(book, watched):
    site, page = book["site"], watched.page
    shots = SHOTS / "site"
    shots.mkdir(parents=True, exist_ok=True)
    todo, done, broken = [site / "index.html"], set(), []
    while todo:
        current = todo.pop()
        if current in done:
            continue
        done.add(current)
        assert not publish.external_assets(current.read_text(encoding="utf-8")), current
        page.goto(current.as_uri())
        page.wait_for_load_state("load")
        wait_for_maths(page)
        page.screenshot(path=str(shots / (str(current.relative_to(site)).replace("/", "__") + ".png")))
        for href in page.eval_on_selector_all("a[href]", "e => e.map(a => a.getAttribute('href'))"):
            if re.match(r"^[a-z]+:", href) or href.startswith(("//", "#")):
                continue
            target = (current.parent / unquote(href.split("#")[0].split("?")[0])).resolve()
            if not target.exists():
                broken.append(f"{current.relative_to(site)} -> {href}")
            elif target.suffix == ".html" and target not in done:
                todo.append(target)
    assert not broken, f"broken internal links: {broken}"
    unreached = [str(p.relative_to(site)) for p in book["pages"] if p.resolve() not in done]
    assert not unreached, f"pages no link leads to: {unreached}"
    assert not watched.external, f"requests to other hosts: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"


# ------------------------------------------------------------------ JupyterLab

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab`'s server on a free loopback port with no token; stopped by its PID afterwards."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("lab")
    settings = tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    # never write outputs back into the committed notebooks
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    env.pop("MPLBACKEND", None)
    # `make lab` serves the repository root (the fixture lives in tests/) and adds --allow-root for root
    args = (f"--port={port} --no-browser --IdentityProvider.token='' --ServerApp.port_retries=0 "
            f"--ServerApp.password=''")
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {(tmp / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group of the make we started
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _lab_notebook():
    """The chapter the Lab test drives: chapter 01 once it exists and has a slider, else the fixture."""
    for path in sorted((ROOT / "chapters").glob("01_*.ipynb")):
        if "interact(" in path.read_text(encoding="utf-8"):
            return path
    return FIXTURE


def _api(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as r:
        return json.load(r)


KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /\\| Idle/.test(e.textContent))"""
PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim())"
RUN_STARTED = f"() => {PROMPTS}.some(t => /\\[(\\*|\\d+)\\]/.test(t))"
RUN_FINISHED = f"""() => {{ const p = {PROMPTS};
    return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t)) && {KERNEL_IDLE[6:]}; }}"""


def _menu(page, top, item):
    page.click(f".lm-MenuBar-itemLabel:text-is('{top}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


def test_lab_runs_a_chapter_and_the_slider_redraws_the_figure(lab, watched):
    nb_path = _lab_notebook()
    rel = nb_path.relative_to(ROOT).as_posix()
    page = watched.page
    page.set_default_timeout(60000)
    page.goto(f"{lab}/lab/tree/{rel}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90000)
    except Exception:
        page.screenshot(path=str(SHOTS / "lab_failed_open.png"))
        raise
    page.wait_for_function(KERNEL_IDLE, timeout=90000)
    page.wait_for_timeout(1000)  # a kernel just connected can drop a Run All sent at once
    for attempt in range(2):
        _menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(RUN_STARTED, timeout=20000)
            break
        except Exception:
            if attempt:
                raise
    page.wait_for_function(RUN_FINISHED, timeout=LAB_RUN_TIMEOUT_MS)
    box = page.locator(".widget-vbox:has(.widget-slider)").first
    box.scroll_into_view_if_needed()
    box.locator("img").first.wait_for(timeout=60000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lab_before_slider.png"))
    before = box.locator("img").first.get_attribute("src")
    handle = box.locator(".widget-slider .noUi-handle, .widget-slider [role=slider]").first
    handle.focus()
    handle.press("ArrowRight")  # one step: one redraw (sliders update on release / key press)
    page.wait_for_function("(b) => { const i = document.querySelector('.widget-vbox .widget-output img, "
                           ".widget-vbox .jupyter-widgets-output-area img'); return i && i.src !== b; }",
                           arg=before, timeout=60000)
    page.wait_for_function(KERNEL_IDLE, timeout=60000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "lab_after_slider.png"))
    assert box.locator("img").first.get_attribute("src") != before

    # the kernel is the project's: the notebook's session runs the .venv kernelspec
    sessions = [s for s in _api(lab, "/api/sessions") if s["path"].endswith(nb_path.name)]
    assert sessions and sessions[0]["kernel"]["name"] == "python3"
    spec = _api(lab, "/api/kernelspecs")["kernelspecs"]["python3"]["spec"]
    assert Path(spec["argv"][0]).resolve().is_relative_to((ROOT / ".venv").resolve()) or \
        Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve(), spec["argv"]
    assert not watched.external, f"requests to other hosts: {watched.external}"
    assert not watched.errors, f"console errors: {watched.errors}"


def _course_assignments():
    """The assignment folders of the course's source directory, as nbgrader_config.py sets it."""
    from traitlets.config import Config

    c = Config()
    exec(compile((ROOT / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"),
         {"c": c, "get_config": lambda: c})
    root = Path(c.CourseDirectory.get("root", ROOT))
    source = root / c.CourseDirectory.get("source_directory", "source")
    return sorted(p.name for p in source.glob("*") if p.is_dir() and not p.name.startswith("."))


def test_lab_nbgrader_assignment_list_and_formgrader_open(lab, watched):
    page = watched.page
    page.set_default_timeout(60000)
    page.goto(f"{lab}/lab")
    page.wait_for_selector(".lm-MenuBar-itemLabel:text-is('Nbgrader')", timeout=90000)
    _menu(page, "Nbgrader", "Assignment List")
    page.wait_for_selector(".lm-TabBar-tabLabel:text-is('Assignments')")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lab_nbgrader_assignment_list.png"))
    _menu(page, "Nbgrader", "Formgrader")
    page.wait_for_selector(".lm-TabBar-tabLabel:text-is('Formgrader')")
    frame = page.frame_locator("iframe").last
    frame.locator("body").wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "lab_nbgrader_formgrader.png"))
    # once the course is configured, formgrader lists its assignments (the source folder's folders)
    if (ROOT / "nbgrader_config.py").exists():
        names = _course_assignments()
        for name in names:
            frame.locator(f"text={name}").first.wait_for(timeout=30000)
        page.screenshot(path=str(SHOTS / "lab_nbgrader_formgrader.png"))
    assert not watched.external, f"requests to other hosts: {watched.external}"


def test_lab_live_slides_with_rise(lab, watched):
    """jupyterlab-rise renders the open notebook as a reveal.js slideshow inside Lab (sliders stay live).

    Only the slides are checked here: RISE's own frame re-loads Lab's extensions and logs upstream
    errors, and its default theme asks for web fonts (they fall back to local ones offline).
    """
    # RISE saves the notebook before rendering it: give it a copy in the git-ignored build/
    copy = ROOT / "build" / "lab-test" / FIXTURE.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, copy)
    page = watched.page
    page.set_default_timeout(60000)
    page.goto(f"{lab}/lab/tree/{copy.relative_to(ROOT).as_posix()}")
    page.wait_for_function(KERNEL_IDLE, timeout=90000)
    _menu(page, "View", "Render as Reveal Slideshow")
    deadline = time.monotonic() + 60
    while not [f for f in page.frames if "/rise/" in f.url]:
        assert time.monotonic() < deadline, "RISE opened no slideshow"
        page.wait_for_timeout(500)
    rise = [f for f in page.frames if "/rise/" in f.url][0]
    rise.wait_for_function("""() => { const s = document.querySelector('.reveal .slides');
        return s && s.querySelectorAll('section').length > 0 && s.innerText.includes('Fixture chapter'); }""",
                           timeout=60000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lab_rise_slides.png"))
