"""A progress bar for cells that take more than a few seconds (no extra dependency)."""
import sys
import time


def progress(iterable, desc="", total=None, every=0.5):
    """Iterate and show progress: a widget bar in a notebook, a text line elsewhere.

    Parameters
    ----------
    iterable : iterable
        What to loop over.
    desc : str
        Label.
    total : int, optional
        Length, if ``iterable`` has none.
    every : float
        Seconds between text updates.
    """
    items = list(iterable) if total is None and not hasattr(iterable, "__len__") else iterable
    total = total if total is not None else len(items)
    bar = None
    try:
        from IPython import get_ipython
        if get_ipython() is not None and "IPKernelApp" in get_ipython().config:
            import ipywidgets as W
            from IPython.display import display
            bar = W.IntProgress(min=0, max=max(total, 1), description=desc,
                                style={"description_width": "initial"})
            display(bar)
    except ImportError:
        bar = None
    last = 0.0
    for i, item in enumerate(items, 1):
        yield item
        if bar is not None:
            bar.value = i
        elif time.monotonic() - last > every or i == total:
            last = time.monotonic()
            sys.stderr.write(f"\r{desc} {i}/{total}")
            sys.stderr.flush()
    if bar is not None:
        bar.bar_style = "success"
    else:
        sys.stderr.write("\n")
