"""The optimizer race: several optimizers from one start on a zoo landscape, paths and loss curves.

Two ways to draw the same figure:

* `race_figure` -- a plain callback ``params -> Figure`` that builds everything from scratch
  (what a naive ``widgets.interact`` redraws on every slider move);
* `Race` -- keeps one figure; the contour is computed and rasterised once per landscape, and a
  slider move re-runs only the optimizer it belongs to and updates its lines (``set_data``),
  redrawing just the moving parts over the cached background (blitting).
"""
import io
import math
import warnings

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
import numpy as np

from . import optim, plots, zoo

# name -> how to draw it; fmin is the global minimum value (checked against critical_points in tests)
LANDSCAPES = {
    "himmelblau": dict(make=zoo.himmelblau, bounds=((-5.0, 5.0), (-5.0, 5.0)), start=(-0.3, -0.8),
                       log=True, fmin=0.0, gd_lr=0.01, adaptive_lr=0.1),
    "rosenbrock": dict(make=zoo.rosenbrock, bounds=((-2.0, 2.0), (-1.0, 3.0)), start=(-1.5, 2.0),
                       log=True, fmin=0.0, gd_lr=0.001, adaptive_lr=0.05),
    "muller_brown": dict(make=zoo.muller_brown, bounds=zoo.MULLER_BROWN_BOUNDS, start=(-0.25, 0.6),
                         log=False, fmin=-146.69951720995, gd_lr=1e-4, adaptive_lr=0.02,
                         levels=np.linspace(-150, 100, 26)),
    "strict_saddle": dict(make=zoo.strict_saddle, bounds=((-1.5, 1.5), (-1.5, 1.5)), start=(1.2, 0.01),
                          log=False, fmin=-0.25, gd_lr=0.1, adaptive_lr=0.05),
    "ill_conditioned_bowl": dict(make=lambda: zoo.quadratic((1, 20)), bounds=((-2.0, 2.0), (-2.0, 2.0)),
                                 start=(-1.8, 1.2), log=True, fmin=0.0, gd_lr=0.09, adaptive_lr=0.1),
}
RACERS = ("gd", "momentum", "nesterov", "rmsprop", "adam", "newton", "saddle_free_newton", "perturbed_gd")
# slider ranges for the step size of each optimizer, as multiples of its default
LR_RANGE = (0.01, 10.0)


def default_hyper(landscape, name):
    """Default hyperparameters of optimizer ``name`` on race landscape ``landscape``."""
    spec = _spec(landscape)
    if name not in RACERS:
        raise ValueError(f"unknown racer {name!r}; choose from {RACERS}")
    lr = {"gd": spec["gd_lr"], "perturbed_gd": spec["gd_lr"],
          "momentum": spec["gd_lr"] / 10, "nesterov": spec["gd_lr"] / 10,
          "rmsprop": spec["adaptive_lr"], "adam": spec["adaptive_lr"],
          "newton": 1.0, "saddle_free_newton": 1.0}[name]
    hyper = {"lr": lr}
    if name in ("momentum", "nesterov"):
        hyper["beta"] = 0.9
    return hyper


def _spec(landscape):
    if landscape not in LANDSCAPES:
        raise ValueError(f"unknown race landscape {landscape!r}; choose from {sorted(LANDSCAPES)}")
    return LANDSCAPES[landscape]


_MADE = {}


def _landscape(name):
    if name not in _MADE:
        _MADE[name] = _spec(name)["make"]()
    return _MADE[name]


def run_racer(landscape, name, start, steps=200, **hyper):
    """One optimizer's trajectory and loss curve; a divergent run is cut where it left (no warning).

    Returns
    -------
    traj : optim.Trajectory
    losses : ndarray
        ``L(x_k)`` (NaN after divergence).
    """
    L = _landscape(landscape)
    hyper = {**default_hyper(landscape, name), **hyper}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.DivergenceWarning)
        traj = optim.run(name, L, start, steps=steps, bound=1e3, **hyper)
    with np.errstate(all="ignore"):
        losses = L.f(np.nan_to_num(traj, nan=0.0))
    losses[np.isnan(traj).any(axis=1)] = np.nan
    return traj, losses


def _label(name, traj):
    return f"{name} (diverged at step {traj.diverged_at})" if traj.diverged else name


def _gap(losses, fmin):
    """Loss above the global minimum, floored for a log axis."""
    return np.maximum(losses - fmin, 1e-12)


def _loss_limits(landscape):
    """Fixed y-range of the loss panel: from 1e-10 to the largest gap in the box."""
    spec = _spec(landscape)
    from .core import grid
    _, _, P = grid(spec["bounds"], 60)
    top = float(np.nanmax(_landscape(landscape).f(P))) - spec["fmin"]
    return 1e-10, 10 ** np.ceil(np.log10(max(top, 1e-9)))


def _axes(figsize):
    fig, (ax_map, ax_loss) = plt.subplots(1, 2, figsize=figsize, gridspec_kw=dict(width_ratios=(1.25, 1)))
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("L − L_min (log scale)")
    ax_loss.set_title("loss curves")
    return fig, ax_map, ax_loss


def _contour(ax, landscape):
    spec = _spec(landscape)
    L = _landscape(landscape)
    plots.contour(L, spec["bounds"], ax=ax, levels=spec.get("levels", 30), n=150, log=spec["log"],
                  title=f"optimizer race on {L.name}")


def race_figure(landscape="himmelblau", x0=None, y0=None, optimizers=("gd", "momentum", "adam"),
                steps=200, figsize=(11, 4.5), **hyper):
    """The race drawn from scratch: a plain ``params -> Figure`` callback.

    Parameters
    ----------
    landscape : str
        A key of `LANDSCAPES`.
    x0, y0 : float, optional
        Start (default: the landscape's).
    optimizers : sequence of str
        Racers (from `RACERS`).
    steps : int
        Steps per racer.
    **hyper
        ``<optimizer>_<hyperparameter>=value``, e.g. ``adam_lr=0.05``, ``momentum_beta=0.8``.
    """
    spec = _spec(landscape)
    start = _start(spec, x0, y0)
    per = _split_hyper(optimizers, hyper)
    fig, ax_map, ax_loss = _axes(figsize)
    _contour(ax_map, landscape)
    for i, name in enumerate(optimizers):
        traj, losses = run_racer(landscape, name, start, steps, **per[name])
        color = plots.COLORS[RACERS.index(name) % len(plots.COLORS)]
        plots.trajectory(ax_map, traj, label=_label(name, traj), color=color)
        ax_loss.plot(np.arange(steps + 1), _gap(losses, spec["fmin"]), color=color, label=name)
    if optimizers:
        ax_map.legend(loc="upper left", fontsize=8)
    return fig


def _start(spec, x0, y0):
    sx, sy = spec["start"]
    return np.array([sx if x0 is None else x0, sy if y0 is None else y0], dtype=float)


def _split_hyper(optimizers, hyper):
    for name in optimizers:
        if name not in RACERS:
            raise ValueError(f"unknown racer {name!r}; choose from {RACERS}")
    per = {name: {} for name in optimizers}
    for key, val in hyper.items():
        name = next((n for n in sorted(RACERS, key=len, reverse=True) if key.startswith(n + "_")), None)
        if name is None:
            raise TypeError(f"hyperparameter {key!r} must be named <optimizer>_<name>, e.g. adam_lr")
        if name in per:
            per[name][key[len(name) + 1:]] = val
    return per


class Race:
    """A live race figure: contour once per landscape, only line data changes afterwards.

    Parameters
    ----------
    landscape : str
        A key of `LANDSCAPES`.
    optimizers : sequence of str
        Which racers are shown (each can be toggled later with `show`).
    steps : int
        Steps per racer.
    """

    def __init__(self, landscape="himmelblau", optimizers=("gd", "momentum", "adam"), steps=200,
                 figsize=(11, 4.5), dpi=80):
        self.steps = int(steps)
        self.fig, self.ax_map, self.ax_loss = _axes(figsize)
        self.fig.set_dpi(dpi)
        self.shown = set()
        self.hyper = {}
        self.lines, self.ends, self.curves = {}, {}, {}
        for name in RACERS:
            color = plots.COLORS[RACERS.index(name) % len(plots.COLORS)]
            (self.lines[name],) = self.ax_map.plot([], [], "-", lw=1.8, color=color, label=name, animated=True)
            (self.ends[name],) = self.ax_map.plot([], [], "*", ms=11, color=color, animated=True)
            (self.curves[name],) = self.ax_loss.plot([], [], "-", color=color, label=name, animated=True)
        (self.start_marker,) = self.ax_map.plot([], [], "o", ms=8, mfc="white", mec="k", animated=True)
        self.ax_loss.set_xlim(0, self.steps)
        self._legend, self._legend_key = None, None
        self.trajs = {}
        self._background = None
        self.set_landscape(landscape, optimizers)

    # --- state changes ---------------------------------------------------------
    def set_landscape(self, landscape, optimizers=None):
        """Switch landscape (recomputes the contour: the one slow step) and reset start and hypers."""
        self.spec = _spec(landscape)
        self.landscape = landscape
        self.start = np.array(self.spec["start"], dtype=float)
        self.hyper = {name: default_hyper(landscape, name) for name in RACERS}
        if optimizers is not None:
            for name in optimizers:
                if name not in RACERS:
                    raise ValueError(f"unknown racer {name!r}; choose from {RACERS}")
            self.shown = set(optimizers)
        for cb in getattr(self, "_colorbars", []):   # the colorbar first: it refers to the contour
            cb.remove()
        for artist in list(self.ax_map.collections) + list(self.ax_map.images):
            artist.remove()
        n_axes = len(self.fig.axes)
        self.fig.set_layout_engine("constrained")
        _contour(self.ax_map, landscape)
        self._colorbars = [ax for ax in self.fig.axes[n_axes:]]
        self.ax_loss.set_ylim(*_loss_limits(landscape))
        self.ax_loss.set_title(f"loss curves ({self.steps} steps)")
        self.trajs = {}
        for name in self.shown:
            self._run(name)
        self._background = None
        return self

    def set_start(self, x0, y0):
        """Move the start and re-run every shown racer."""
        self.start = np.array([x0, y0], dtype=float)
        for name in self.shown:
            self._run(name)
        return self

    def show(self, name, visible=True):
        """Add or remove a racer."""
        if name not in RACERS:
            raise ValueError(f"unknown racer {name!r}; choose from {RACERS}")
        if visible:
            self.shown.add(name)
            self._run(name)
        else:
            self.shown.discard(name)
            self._clear(name)
        return self

    def update(self, name, **hyper):
        """Set hyperparameters of one racer (e.g. ``lr=0.05``) and re-run only that racer."""
        if name not in RACERS:
            raise ValueError(f"unknown racer {name!r}; choose from {RACERS}")
        allowed = set(optim.defaults(name))
        unknown = set(hyper) - allowed
        if unknown:
            raise TypeError(f"{name} has no hyperparameter(s) {sorted(unknown)}; it takes {sorted(allowed)}")
        self.hyper[name] = {**self.hyper[name], **hyper}
        self.shown.add(name)
        self._run(name)
        return self

    def _run(self, name):
        traj, losses = run_racer(self.landscape, name, self.start, self.steps, **self.hyper[name])
        self.trajs[name] = traj
        ok = ~np.isnan(losses)
        self.lines[name].set_data(traj[ok, 0], traj[ok, 1])
        self.lines[name].set_label(_label(name, traj))
        last = traj[ok][-1]
        self.ends[name].set_data([last[0]], [last[1]])
        self.ends[name].set_marker("X" if traj.diverged else "*")
        k = np.arange(len(losses))
        self.curves[name].set_data(k[ok], _gap(losses[ok], self.spec["fmin"]))

    def _clear(self, name):
        for artist in (self.lines[name], self.ends[name], self.curves[name]):
            artist.set_data([], [])
        self.trajs.pop(name, None)

    # --- drawing -----------------------------------------------------------------
    def _refresh_background(self):
        self.fig.set_layout_engine("constrained")
        self.fig.canvas.draw()
        self.fig.set_layout_engine("none")    # freeze the layout: later draws only blit
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def draw(self):
        """Redraw the moving parts over the cached contour; returns the canvas."""
        canvas = self.fig.canvas
        if self._background is None:
            self._refresh_background()
        canvas.restore_region(self._background)
        self.start_marker.set_data([self.start[0]], [self.start[1]])
        shown = [n for n in RACERS if n in self.shown]
        for name in shown:
            self.ax_map.draw_artist(self.lines[name])
            self.ax_map.draw_artist(self.ends[name])
        self.ax_map.draw_artist(self.start_marker)
        for name in shown:
            self.ax_loss.draw_artist(self.curves[name])
        key = tuple(self.lines[n].get_label() for n in shown)
        if key != self._legend_key:     # rebuild the legend only when its entries change
            if self._legend is not None:
                self._legend.remove()
            self._legend = self.ax_map.legend([self.lines[n] for n in shown], key, loc="upper left",
                                              fontsize=8) if shown else None
            if self._legend is not None:
                self._legend.set_animated(True)
            self._legend_key = key
        if self._legend is not None:
            self.ax_map.draw_artist(self._legend)
        return canvas

    def png(self):
        """The current figure as PNG bytes (what the widget shows)."""
        from PIL import Image

        canvas = self.draw()
        buf = io.BytesIO()
        # RGB (the figure is opaque): a quarter less data for zlib than RGBA
        Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def close(self):
        plt.close(self.fig)

    # --- the widget ------------------------------------------------------------------
    def widget(self):
        """Controls (landscape, start, racers with step-size sliders, momentum) and the live image."""
        import ipywidgets as W

        from .widgets import slider

        # the widget shows its own image: take the figure out of pyplot so that the inline
        # backend does not draw a second, frozen copy under it when the cell ends
        plt.close(self.fig)
        FigureCanvasAgg(self.fig)   # a canvas of its own again, for the blitting in draw()
        image = W.Image(format="png", value=self.png())
        hold = {"on": False}

        def redraw():
            if not hold["on"]:
                image.value = self.png()

        land = W.Dropdown(options=sorted(LANDSCAPES), value=self.landscape, description="landscape")
        x0 = W.FloatSlider(description="start x", continuous_update=False)
        y0 = W.FloatSlider(description="start y", continuous_update=False)
        checks, lrs = {}, {}
        for name in RACERS:
            checks[name] = W.Checkbox(value=name in self.shown, description=name, indent=False,
                                      layout=W.Layout(width="170px"))
            d = self.hyper[name]["lr"]
            lrs[name] = slider(d, d * LR_RANGE[0], d * LR_RANGE[1], log=True, description="lr")
        beta = slider(0.9, 0.0, 0.99, description="momentum β")

        def set_ranges():
            (a, b), (c, e) = self.spec["bounds"]
            x0.min, x0.max, x0.step = min(a, x0.min), max(b, x0.max), (b - a) / 200
            x0.min, x0.max = a, b
            y0.min, y0.max, y0.step = min(c, y0.min), max(e, y0.max), (e - c) / 200
            y0.min, y0.max = c, e
            x0.value, y0.value = self.start
            for name in RACERS:
                d = self.hyper[name]["lr"]
                s = lrs[name]
                s.min, s.max = math.log10(d * LR_RANGE[0]), math.log10(d * LR_RANGE[1])
                s.value = d
            beta.value = 0.9

        def on_land(change):
            hold["on"] = True
            self.set_landscape(change["new"])
            set_ranges()
            hold["on"] = False
            redraw()

        def on_start(_):
            if not hold["on"]:
                self.set_start(x0.value, y0.value)
                redraw()

        def on_check(name):
            def cb(change):
                self.show(name, change["new"])
                redraw()
            return cb

        def on_lr(name):
            def cb(change):
                if not hold["on"]:
                    self.update(name, lr=change["new"])
                    redraw()
            return cb

        def on_beta(change):
            if not hold["on"]:
                for name in ("momentum", "nesterov"):
                    self.hyper[name]["beta"] = change["new"]
                    if name in self.shown:
                        self._run(name)
                redraw()

        hold["on"] = True
        set_ranges()
        hold["on"] = False
        land.observe(on_land, names="value")
        x0.observe(on_start, names="value")
        y0.observe(on_start, names="value")
        beta.observe(on_beta, names="value")
        rows = []
        for name in RACERS:
            checks[name].observe(on_check(name), names="value")
            lrs[name].observe(on_lr(name), names="value")
            rows.append(W.HBox([checks[name], lrs[name]]))
        box = W.VBox([W.HBox([land, x0, y0, beta], layout=W.Layout(flex_flow="row wrap")),
                      W.GridBox(rows, layout=W.Layout(grid_template_columns="repeat(2, 520px)")), image])
        box.controls = dict(landscape=land, x0=x0, y0=y0, beta=beta, **{f"{n}_on": c for n, c in checks.items()},
                            **{f"{n}_lr": s for n, s in lrs.items()})
        box.image, box.race = image, self
        return box
