"""Knowledge distillation on a small problem: a teacher's soft targets vs hard labels."""
import functools

import numpy as np

from . import nets, optim


@functools.lru_cache(maxsize=None)
def setup(n=200, noise=0.35, seed=0, teacher_width=3, student_width=16, steps=2000, lr=0.02):
    """Noisy two-moons data, a small (smooth) teacher trained on it, and the student network.

    Returns
    -------
    dict
        ``X``, ``labels``, ``teacher_logits``, ``student`` (an MLP), ``steps``, ``lr``.
    """
    X, labels = nets.classification(n=n, kind="moons", noise=noise, seed=seed)
    teacher = nets.MLP((2, teacher_width, 2), "tanh", loss="cross_entropy")
    theta_t = optim.run("adam", teacher.bind(X, labels), teacher.init(seed), steps=800, lr=lr)[-1]
    return dict(X=X, labels=labels, teacher_logits=teacher.forward(theta_t, X),
                student=nets.MLP((2, student_width, 2), "tanh", loss="cross_entropy"),
                steps=steps, lr=lr, seed=seed)


def targets(d, T=None):
    """Hard one-hot labels (``T=None``) or the teacher's soft targets at temperature ``T``."""
    return np.eye(2)[d["labels"]] if T is None else nets.softmax(d["teacher_logits"], T)


@functools.lru_cache(maxsize=None)
def train_student(T=None, **setup_kw):
    """Train the student on hard labels or soft targets; returns ``(objective, theta)``."""
    d = setup(**setup_kw)
    obj = d["student"].bind(d["X"], targets(d, T))
    theta = optim.run("adam", obj, d["student"].init(d["seed"] + 1), steps=d["steps"], lr=d["lr"])[-1]
    return obj, theta


def hessian_fd(obj, theta, eps=1e-5):
    """Hessian by central differences of the exact (backprop) gradient."""
    P = len(theta)
    H = np.empty((P, P))
    for i in range(P):
        e = np.zeros(P)
        e[i] = eps
        H[i] = (obj.grad(theta + e) - obj.grad(theta - e)) / (2 * eps)
    return (H + H.T) / 2


def sharpness(obj, theta):
    """Largest Hessian eigenvalue at ``theta``: how sharp the minimum is."""
    return float(np.linalg.eigvalsh(hessian_fd(obj, theta))[-1])


def accuracy(obj, theta, labels):
    """Fraction of training points the network classifies as ``labels``."""
    return float(np.mean(obj.net.forward(theta, obj.X).argmax(axis=1) == labels))
