"""The optimizer race: one slider move (re-run one optimizer for 200 steps, redraw) with the kept
figure of `landscape.race.Race` (contour once per landscape, ``set_data`` + blitting, PNG for the
widget) against a naive ``widgets.interact`` of the same figure, which on every move rebuilds the
figure with `race.race_figure` and renders it as the inline backend does (``print_figure`` PNG)."""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from run import best_of  # noqa: E402
from landscape import plots, race  # noqa: E402

RACERS = ("gd", "momentum", "adam")


def benchmarks():
    plots.use_style()
    for landscape in ("himmelblau", "rosenbrock"):
        d = race.default_hyper(landscape, "adam")["lr"]
        lrs = itertools.cycle([d * f for f in (0.5, 0.7, 1.0, 1.4, 2.0)])
        R = race.Race(landscape, optimizers=RACERS)
        R.png()

        def fast():
            R.update("adam", lr=next(lrs))
            R.png()

        def naive():
            fig = race.race_figure(landscape, optimizers=RACERS, adam_lr=next(lrs))
            print_figure(fig, "png", bbox_inches="tight")
            plt.close(fig)

        t_fast = best_of(fast, repeat=7)
        t_naive = best_of(naive, repeat=3)
        R.close()
        name = f"race update, adam 200 steps ({landscape})"
        yield name, t_fast, "goal 50 ms", 0.05, "<= 1x"
        yield name, t_fast, "naive full-redraw interact", t_naive, ">= 3x"
