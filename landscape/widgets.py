"""Widget plumbing: sliders wired to a plain ``params -> figure`` callback.

The callback is an ordinary function, so tests call it directly at the defaults and at every
slider's extremes; `interact` only adds the sliders and redraws.
"""
import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import display


def slider(value, low, high, step=None, description=None, log=False, integer=False):
    """A slider that updates on release (so a slow figure does not queue redraws).

    Parameters
    ----------
    value : number
        Default: the value the text quotes.
    low, high : number
        Range (for ``log=True`` the exponents' range is taken from these values).
    """
    if not low <= value <= high:
        raise ValueError(f"slider default {value} lies outside [{low}, {high}]")
    common = dict(description=description or "", continuous_update=False,
                  style={"description_width": "initial"}, layout=W.Layout(width="340px"))
    if integer:
        return W.IntSlider(value=int(value), min=int(low), max=int(high), step=int(step or 1), **common)
    if log:
        import math
        return W.FloatLogSlider(value=value, base=10, min=math.log10(low), max=math.log10(high),
                                step=step or 0.05, readout_format=".3g", **common)
    return W.FloatSlider(value=value, min=low, max=high, step=step or (high - low) / 100,
                         readout_format=".3g", **common)


def _as_widget(name, spec):
    if isinstance(spec, W.ValueWidget):
        if not spec.description:
            spec.description = name
        return spec
    if isinstance(spec, (list, tuple)) and spec and all(isinstance(s, str) for s in spec):
        return W.Dropdown(options=list(spec), value=spec[0], description=name)
    if isinstance(spec, dict):
        return slider(description=spec.pop("description", name), **spec)
    raise TypeError(f"control {name!r} must be a widget, a dict of slider arguments or a list of "
                    f"choices; got {spec!r}")


def interact(callback, **controls):
    """Show ``callback(**values)``'s figure under one control per keyword.

    Parameters
    ----------
    callback : callable
        ``params -> matplotlib Figure``; it is called once at the defaults.
    **controls
        A widget (e.g. from `slider`), a dict of `slider` arguments, or a list of choices.

    Returns
    -------
    ipywidgets.VBox
        With ``.controls`` (name -> widget) and ``.update()`` (redraw now).
    """
    ctrl = {name: _as_widget(name, spec) for name, spec in controls.items()}
    out = W.Output()

    def update(*_):
        with out:
            out.clear_output(wait=True)
            fig = callback(**{k: w.value for k, w in ctrl.items()})
            display(fig)
            plt.close(fig)

    for w in ctrl.values():
        w.observe(update, names="value")
    box = W.VBox([W.HBox(list(ctrl.values()), layout=W.Layout(flex_flow="row wrap")), out])
    box.controls, box.update, box.callback = ctrl, update, callback
    update()
    return box
