"""Build the book's offline lecture decks (``make slides``) and static site (``make html``).

Both start from executed chapters (run through `landscape.execute`, widget state stored) and use
nbconvert's templates with every script, style and font served from a ``vendor/`` folder copied
from ``node_modules/`` (``npm ci``; see ``package.json``): nothing is fetched from a network.

Command line: ``python -m landscape.publish {slides,html,all} [--out DIR]``
"""
import argparse
import hashlib
import html
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "templates"
SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
# a deck is 1280 x 800 CSS pixels, scaled by reveal.js to the screen (16:10 projectors)
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 800
BINDER_REPO = os.environ.get("BINDER_REPO", "loss-landscapes/loss-landscapes")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"

# (source under node_modules, destination under vendor/) -- what the decks and pages load
VENDOR = [
    ("reveal.js/dist", "reveal.js/dist"),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
    ("requirejs/require.js", "require.js"),
    ("jquery/dist/jquery.min.js", "jquery.min.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
    ("mathjax/MathJax.js", "mathjax/MathJax.js"),
    ("mathjax/config", "mathjax/config"),
    ("mathjax/extensions", "mathjax/extensions"),
    ("mathjax/localization/en", "mathjax/localization/en"),
    ("mathjax/jax/element", "mathjax/jax/element"),
    ("mathjax/jax/input/TeX", "mathjax/jax/input/TeX"),
    ("mathjax/jax/output/CommonHTML", "mathjax/jax/output/CommonHTML"),
    ("mathjax/fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff"),
]


def chapters(root=ROOT):
    """The chapter notebooks ``chapters/NN_*.ipynb``, in order."""
    return sorted((Path(root) / "chapters").glob("[0-9][0-9]_*.ipynb"))


def practice_sets(root=ROOT):
    """The student notebooks ``exercises/*/*.ipynb`` (solutions already withheld), in order."""
    return sorted(p for p in (Path(root) / "exercises").glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def title(nb, fallback):
    """The first markdown heading of a notebook, without ``#``s (or ``fallback``)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#{1,3}\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return fallback


def count_slides(nb):
    """Number of slides (reveal.js sections, vertical ones included) a notebook's deck has.

    Raises
    ------
    ValueError
        If a cell's ``metadata.slideshow.slide_type`` is not one of `SLIDE_TYPES`.
    """
    n, started = 0, False
    for i, cell in enumerate(nb.cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind not in SLIDE_TYPES:
            raise ValueError(f"cell {i} has slide_type {kind!r}; expected one of {SLIDE_TYPES}")
        if kind in ("slide", "subslide"):
            n, started = n + 1, True
        elif kind not in ("skip", "notes") and not started:
            n, started = n + 1, True
    return n


# --------------------------------------------------------------------------- assets

def node_modules(root=ROOT):
    """The ``node_modules`` folder with the decks' JavaScript, or a RuntimeError saying how to get it."""
    nm = Path(root) / "node_modules"
    missing = [src for src, _ in VENDOR if not (nm / src).exists()]
    if not nm.exists():
        missing = ["everything"]
    if missing:
        raise RuntimeError(f"{nm} lacks {missing}: run `npm ci --ignore-scripts` in {root} "
                           "(the Makefile's slides/html targets do)")
    return nm


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def vendor(dest, root=ROOT):
    """Copy (hard-link where possible) the JavaScript, CSS and fonts into ``dest``; return it."""
    nm, dest = node_modules(root), Path(dest)
    for src, dst in VENDOR:
        s, d = nm / src, dest / dst
        if d.exists():
            continue
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, copy_function=_link_or_copy,
                            ignore=shutil.ignore_patterns("*.map", "*.LICENSE.txt"))
        else:
            _link_or_copy(s, d)
    return dest


def asset_urls(prefix):
    """nbconvert settings pointing every script at ``prefix`` (a relative URL ending in ``vendor``)."""
    return dict(
        require_js_url=f"{prefix}/require.js",
        jquery_url=f"{prefix}/jquery.min.js",
        mathjax_url=f"{prefix}/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        widget_renderer_url=f"{prefix}/html-manager/embed-amd.js",
        jupyter_widgets_base_url=f"{prefix}/",
    )


# --------------------------------------------------------------------------- execution

def _source_hash(path, root=ROOT):
    h = hashlib.sha256(Path(path).read_bytes())
    for p in sorted((Path(root) / "landscape").rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()


def executed(path, cache, root=ROOT, timeout=600):
    """The executed notebook (widget state stored), from ``cache`` when its source is unchanged."""
    import nbformat

    from landscape.execute import execute

    path, cache = Path(path), Path(cache)
    out = cache / path.name
    key = _source_hash(path, root)
    if out.exists():
        nb = nbformat.read(out, as_version=4)
        if nb.metadata.get("book_build", {}).get("source_hash") == key:
            return nb
    # the kernel draws figures inline even where the caller's environment says MPLBACKEND=Agg
    # (the Makefile exports it for tests); without this, decks and pages would have no figures
    saved = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        nb = execute(path, timeout=timeout)
    finally:
        if saved is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = saved
    nb.metadata["book_build"] = {"source_hash": key}
    cache.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return nb


# --------------------------------------------------------------------------- slides

def slides_exporter():
    """nbconvert's SlidesExporter with the book's offline template and asset URLs."""
    from nbconvert import SlidesExporter

    ex = SlidesExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="book_reveal",
                        reveal_url_prefix="vendor/reveal.js", reveal_theme="white",
                        reveal_transition="none", reveal_number="c/t",
                        reveal_width=str(SLIDE_WIDTH), reveal_height=str(SLIDE_HEIGHT),
                        **asset_urls("vendor"))
    return ex


def deck(nb, name):
    """The HTML of one notebook's deck (assets under ``vendor/`` beside it)."""
    body, _ = slides_exporter().from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


def build_slides(notebooks=None, out=None, root=ROOT, cache=None, log=print):
    """Execute ``notebooks`` (default: every chapter) and write ``out/<name>.html`` decks.

    Returns
    -------
    list of Path
        The decks written.
    """
    root = Path(root)
    notebooks = chapters(root) if notebooks is None else [Path(p) for p in notebooks]
    out = Path(out or root / "build" / "slides")
    cache = Path(cache or root / "build" / "executed")
    out.mkdir(parents=True, exist_ok=True)
    vendor(out / "vendor", root)
    written = []
    for path in notebooks:
        t = time.perf_counter()
        nb = executed(path, cache / path.parent.name, root)
        target = out / f"{path.stem}.html"
        target.write_text(deck(nb, path.stem), encoding="utf-8")
        written.append(target)
        log(f"deck  {time.perf_counter() - t:6.1f} s  {target}  ({count_slides(nb)} slides)")
    _write_slides_index(out, notebooks, written)
    return written


def _write_slides_index(out, notebooks, decks):
    import nbformat

    rows = "\n".join(
        f'<li><a href="{d.name}">{html.escape(title(nbformat.read(p, as_version=4), p.stem))}</a></li>'
        for p, d in zip(notebooks, decks))
    (out / "index.html").write_text(_page("Loss Landscapes — lecture decks", f"""
<h1>Loss Landscapes — lecture decks</h1>
<p>Open a deck; arrows move, <kbd>S</kbd> opens the speaker view with notes, <kbd>F</kbd> is full screen.
Everything loads from this folder: no network is needed.</p>
<ul>
{rows}
</ul>"""), encoding="utf-8")


# --------------------------------------------------------------------------- site

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "BEGIN SOLUTION")


def withheld(nb, name="notebook"):
    """Raise ValueError if a practice notebook still carries solutions or hidden tests."""
    for i, cell in enumerate(nb.cells):
        for marker in SOLUTION_MARKERS:
            if marker in cell.source:
                raise ValueError(f"{name}: cell {i} contains {marker!r}; publish exercises/ "
                                 "(nbgrader generate_assignment output), never solutions/")
    return nb


def binder_url(repo=None, path="chapters/index.ipynb"):
    """Launch-on-Binder URL for ``repo`` (GitHub owner/name), built from its environment.yml."""
    from urllib.parse import quote

    return f"https://mybinder.org/v2/gh/{repo or BINDER_REPO}/HEAD?labpath={quote(path, safe='')}"


def _page(title_text, body, up=""):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title_text)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
td, th {{ padding: 0.3em 0.8em; text-align: left; vertical-align: top; }}
code, pre {{ background: #f4f4f4; }}
</style></head>
<body>
{body}
</body></html>
"""


def _nav(up, prev=None, nxt=None):
    parts = [f'<a href="{up}index.html">&#8962; Contents</a>']
    if prev:
        parts.append(f'<a href="{prev[0]}">&larr; {html.escape(prev[1])}</a>')
    if nxt:
        parts.append(f'<a href="{nxt[0]}">{html.escape(nxt[1])} &rarr;</a>')
    parts.append(f'<a href="{binder_url()}">Launch on Binder</a>')
    return '<nav class="book-nav">' + " · ".join(parts) + "</nav>"


_HREF = re.compile(r'(<a\s[^>]*?href=")([^"#:?]+\.(?:ipynb|md))((?:#[^"]*)?")')


def _rewrite_links(text, source, site_root, root, extra):
    """Point relative links to notebooks at their pages, and render linked markdown files."""
    def sub(m):
        target = (source.parent / html.unescape(m.group(2))).resolve()
        try:
            rel = target.relative_to(root)
        except ValueError:
            return m.group(0)
        if target.suffix == ".md" and target.exists():
            extra.add(rel)
        return m.group(1) + m.group(2).rsplit(".", 1)[0] + ".html" + m.group(3)
    return _HREF.sub(sub, text)


def html_exporter(prefix):
    from nbconvert import HTMLExporter

    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="book_lab",
                        **asset_urls(prefix))


def build_site(notebooks=None, out=None, root=ROOT, cache=None, exercises=None, log=print):
    """Write the static site: contents page, every chapter executed, practice sets read-only.

    Returns
    -------
    list of Path
        The pages written.
    """
    import nbformat

    root = Path(root).resolve()
    notebooks = chapters(root) if notebooks is None else [Path(p).resolve() for p in notebooks]
    exercises = practice_sets(root) if exercises is None else [Path(p).resolve() for p in exercises]
    out = Path(out or root / "build" / "html")
    cache = Path(cache or root / "build" / "executed")
    out.mkdir(parents=True, exist_ok=True)
    vendor(out / "vendor", root)

    def page_of(path):
        try:
            rel = path.relative_to(root)
        except ValueError:  # a notebook from elsewhere (a test fixture): put it with the chapters
            rel = Path("chapters") / path.name
        return rel.with_suffix(".html")

    entries = []  # (source, executed nb or None, page)
    for path in notebooks:
        t = time.perf_counter()
        nb = executed(path, cache / path.parent.name, root)
        # speaker notes belong to the decks, not to the book's pages
        nb.cells = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") != "notes"]
        entries.append((path, nb, page_of(path)))
        log(f"run   {time.perf_counter() - t:6.1f} s  {path.name}")
    index_nb = root / "chapters" / "index.ipynb"
    extra_pages = []
    if index_nb.exists():
        extra_pages.append((index_nb, nbformat.read(index_nb, as_version=4), page_of(index_nb)))
    for path in exercises:
        nb = withheld(nbformat.read(path, as_version=4), str(path))
        extra_pages.append((path, nb, page_of(path)))

    titles = {p: title(nb, p.stem) for p, nb, _ in entries + extra_pages}
    written, linked_md = [], set()
    for k, (path, nb, page) in enumerate(entries + extra_pages):
        up = "../" * (len(page.parts) - 1)
        seq = entries if k < len(entries) else []
        prev = nxt = None
        if seq:
            if k > 0:
                prev = (os.path.relpath(entries[k - 1][2], page.parent), titles[entries[k - 1][0]])
            if k + 1 < len(entries):
                nxt = (os.path.relpath(entries[k + 1][2], page.parent), titles[entries[k + 1][0]])
        nav = _nav(up, prev, nxt)
        if path in exercises:
            nav += ('<div class="book-banner">Practice set, read only: the solutions are withheld. '
                    'To work on it, run <code>make practice</code> and open your copy in JupyterLab '
                    'from <code>my-work/</code>, or launch the book on Binder.</div>')
        body, _ = html_exporter(up + "vendor").from_notebook_node(
            nb, resources={"metadata": {"name": titles[path]}, "book_nav": nav})
        body = _rewrite_links(body, path, out, root, linked_md)
        target = out / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        written.append(target)
    written += _markdown_pages(linked_md | {Path("README.md")}, out, root)
    written.append(_site_index(out, entries, extra_pages, exercises, titles))
    log(f"site  {len(written)} pages in {out}")
    return written


def _markdown_pages(paths, out, root):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    written = []
    for rel in sorted(paths):
        src = root / rel
        if not src.exists():
            continue
        up = "../" * (len(rel.parts) - 1)
        body = markdown2html_mistune(src.read_text(encoding="utf-8"))
        body = _rewrite_links(body, src, out, root, set())
        target = (out / rel).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_page(rel.name, f'<p><a href="{up}index.html">&#8962; Contents</a></p>\n{body}'),
                          encoding="utf-8")
        written.append(target)
    return written


def _site_index(out, entries, extra_pages, exercises, titles):
    rows = "\n".join(f'<tr><td><a href="{page.as_posix()}">{html.escape(titles[p])}</a></td>'
                     f'<td><code>{p.name}</code></td></tr>' for p, _, page in entries)
    practice = "\n".join(f'<li><a href="{page.as_posix()}">{html.escape(p.parent.name)}: '
                         f'{html.escape(titles[p])}</a></li>'
                         for p, _, page in extra_pages if p in exercises)
    intro = [page for p, _, page in extra_pages if p.name == "index.ipynb"]
    body = f"""
<h1>Loss Landscapes — an interactive textbook</h1>
<p>The geometry of deep-learning loss landscapes (损失地貌), executed and rendered as a static site.
Sliders show the state they were saved in; to move them, run the book in JupyterLab
(<code>make lab</code>) or <a href="{binder_url()}">launch it on Binder</a>.</p>
{f'<p><a href="{intro[0].as_posix()}">About this book</a> · <a href="README.html">README</a></p>' if intro else '<p><a href="README.html">README</a></p>'}
<h2>Chapters</h2>
{f'<table><tr><th>chapter</th><th>notebook</th></tr>{rows}</table>' if rows else '<p>No chapters yet.</p>'}
<h2>Practice sets</h2>
{f'<ul>{practice}</ul>' if practice else '<p>No practice sets yet.</p>'}
"""
    target = out / "index.html"
    target.write_text(_page("Loss Landscapes", body), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- checks

_ASSET = re.compile(r"<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(src|href)\s*=\s*[\"']([^\"']+)[\"']",
                    re.I)
_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(https?:)?//""", re.I)


def external_assets(text):
    """Every script/style/image/frame URL in an HTML text that points off this machine."""
    found = [url for _, _, url in _ASSET.findall(text) if re.match(r"^(https?:)?//", url.strip(), re.I)]
    found += [m.group(0) for m in _IMPORT.finditer(text)]
    return found


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["slides", "html", "all"])
    ap.add_argument("--out", help="output folder (default build/slides or build/html)")
    args = ap.parse_args(argv)
    from landscape.execute import patch_zmq_polling

    patch_zmq_polling()
    t = time.perf_counter()
    pages = []
    if args.what in ("slides", "all"):
        pages += build_slides(out=args.out if args.what == "slides" else None)
    if args.what in ("html", "all"):
        pages += build_site(out=args.out if args.what == "html" else None)
    bad = {str(p): external_assets(p.read_text(encoding="utf-8")) for p in pages}
    bad = {k: v for k, v in bad.items() if v}
    if bad:
        print(f"external assets (would need a network): {bad}", file=sys.stderr)
        return 1
    print(f"done in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
