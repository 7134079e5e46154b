"""Small numpy networks on a flat parameter vector, with exact backprop, and data to train them.

>>> from landscape import nets, optim
>>> X, y, _ = nets.teacher_student(n=100, sizes=(2, 3, 1), seed=0)
>>> net = nets.MLP((2, 8, 1), activation="tanh")
>>> obj = net.bind(X, y)                      # has .n, .f(theta), .grad(theta)
>>> traj = optim.run("adam", obj, net.init(seed=1), steps=100, lr=0.01)
"""
import numpy as np

from ._checks import as_point

ACTIVATIONS = ("linear", "relu", "leaky_relu", "tanh")
LOSSES = ("mse", "cross_entropy")


def _act(name, z, slope):
    if name == "linear":
        return z, np.ones_like(z)
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)
    return np.tanh(z), 1.0 - np.tanh(z) ** 2


class MLP:
    """A fully connected network ``sizes[0] -> ... -> sizes[-1]``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first.
    activation : {'linear', 'relu', 'leaky_relu', 'tanh'}
        Hidden-layer nonlinearity (the output layer is linear).
    loss : {'mse', 'cross_entropy'}
        ``0.5 * mean |out - y|^2``, or softmax cross-entropy with integer labels or, for
        distillation, soft targets (rows of probabilities).
    bias : bool
        Whether layers have biases.
    slope : float
        Negative-side slope of the leaky ReLU.
    """

    def __init__(self, sizes, activation="tanh", loss="mse", bias=True, slope=0.01):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least an input and an output width, all >= 1; got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
        self.sizes, self.activation, self.loss_name, self.bias, self.slope = sizes, activation, loss, bias, slope
        self.shapes = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            self.shapes.append((b, a))
            if bias:
                self.shapes.append((b,))
        self.n = int(sum(np.prod(s) for s in self.shapes))

    def __repr__(self):
        return f"MLP({self.sizes}, activation={self.activation!r}, loss={self.loss_name!r}, P={self.n})"

    # --- parameters ---------------------------------------------------------
    def unflatten(self, theta):
        """Split a flat vector into ``[(W, b), ...]`` (``b`` is None without biases)."""
        theta = as_point(theta, self.n, name="theta")
        arrays, i = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            arrays.append(theta[i:i + size].reshape(shape))
            i += size
        if self.bias:
            return list(zip(arrays[0::2], arrays[1::2]))
        return [(W, None) for W in arrays]

    def flatten(self, layers):
        """Inverse of `unflatten`."""
        parts = []
        for W, b in layers:
            parts.append(np.ravel(W))
            if self.bias:
                parts.append(np.ravel(b))
        return np.concatenate(parts)

    def init(self, seed=0, scheme="he", gain=1.0):
        """Random parameters: ``'he'`` (var 2/fan_in), ``'glorot'`` (var 2/(fan_in+fan_out)),
        or ``'lecun'`` (var 1/fan_in); biases zero."""
        rng = np.random.default_rng(seed)
        layers = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            var = {"he": 2.0 / a, "glorot": 2.0 / (a + b), "lecun": 1.0 / a}.get(scheme)
            if var is None:
                raise ValueError(f"unknown init scheme {scheme!r}; choose 'he', 'glorot' or 'lecun'")
            layers.append((gain * rng.normal(0.0, np.sqrt(var), size=(b, a)), np.zeros(b)))
        return self.flatten(layers)

    # --- forward and backward -------------------------------------------------
    def forward(self, theta, X, return_cache=False):
        """Network output for inputs ``X`` of shape ``(N, sizes[0])``."""
        X = self._inputs(X)
        layers = self.unflatten(theta)
        h, cache = X, []
        for k, (W, b) in enumerate(layers):
            z = h @ W.T + (b if b is not None else 0.0)
            last = k == len(layers) - 1
            a, da = (z, np.ones_like(z)) if last else _act(self.activation, z, self.slope)
            cache.append((h, z, da))
            h = a
        return (h, cache) if return_cache else h

    def hidden(self, theta, X):
        """Pre-activations of every hidden layer, a list of ``(N, width)`` arrays."""
        _, cache = self.forward(theta, X, return_cache=True)
        return [z for (_, z, _) in cache[:-1]]

    def loss(self, theta, X, y):
        """The training loss."""
        return self.loss_grad(theta, X, y, need_grad=False)

    def loss_grad(self, theta, X, y, need_grad=True):
        """Loss and its exact gradient (backpropagation)."""
        out, cache = self.forward(theta, X, return_cache=True)
        y = self._targets(y, out)
        N = out.shape[0]
        if self.loss_name == "mse":
            r = out - y
            loss = 0.5 * float(np.sum(r**2)) / N
            delta = r / N
        else:
            z = out - out.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            if y.ndim == 1:   # integer labels
                loss = -float(np.mean(logp[np.arange(N), y]))
                delta = np.exp(logp)
                delta[np.arange(N), y] -= 1.0
            else:             # soft targets: rows of probabilities (knowledge distillation)
                loss = -float(np.sum(y * logp)) / N
                delta = np.exp(logp) - y
            delta /= N
        if not need_grad:
            return loss
        layers = self.unflatten(theta)
        grads = [None] * len(layers)
        for k in range(len(layers) - 1, -1, -1):
            h, z, da = cache[k]
            if k < len(layers) - 1:
                delta = delta * da
            gW = delta.T @ h
            gb = delta.sum(axis=0) if self.bias else None
            grads[k] = (gW, gb)
            delta = delta @ layers[k][0]
        return loss, self.flatten(grads)

    def bind(self, X, y):
        """The loss on a fixed data set as an object with ``n``, ``f`` and ``grad`` (for `optim.run`)."""
        return Objective(self, X, y)

    # --- helpers ------------------------------------------------------------
    def _inputs(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (N, {self.sizes[0]}); got {X.shape}")
        return X

    def _targets(self, y, out):
        y = np.asarray(y)
        if self.loss_name == "cross_entropy" and y.ndim == 2:
            if y.shape != out.shape or np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0):
                raise ValueError(f"soft targets must be {out.shape} rows of probabilities summing to 1; "
                                 f"got shape {y.shape}")
            return y.astype(float)
        if self.loss_name == "cross_entropy":
            if y.shape != (out.shape[0],) or not np.issubdtype(y.dtype, np.integer):
                raise ValueError(f"labels must be {out.shape[0]} integers; got shape {y.shape}, dtype {y.dtype}")
            if y.min() < 0 or y.max() >= out.shape[1]:
                raise ValueError(f"labels must lie in 0..{out.shape[1] - 1}")
            return y
        if y.ndim == 1 and y.shape[0] == out.shape[0]:
            y = y.reshape(out.shape[0], 1)
        if y.shape != out.shape:
            raise ValueError(f"targets must have shape {out.shape}; got {y.shape}")
        return y.astype(float)


class Objective:
    """A network's loss on fixed data: ``f(theta)``, ``grad(theta)``, ``n`` -- what `optim` needs."""

    def __init__(self, net, X, y):
        self.net, self.X, self.y = net, net._inputs(X), y
        net._targets(y, np.zeros((self.X.shape[0], net.sizes[-1])))
        self.n = net.n
        self.name = repr(net)

    def f(self, theta):
        return self.net.loss(theta, self.X, self.y)

    def grad(self, theta):
        return self.net.loss_grad(theta, self.X, self.y)[1]

    def value_and_grad(self, theta):
        return self.net.loss_grad(theta, self.X, self.y)


def softmax(z, T=1.0):
    """Softmax of logits ``z`` (rows) at temperature ``T``: the soft targets of distillation."""
    if T <= 0:
        raise ValueError(f"temperature must be positive; got {T}")
    z = np.asarray(z, dtype=float) / T
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def random_direction(net, theta, seed=0, normalize="filter"):
    """A random direction in parameter space for 1-D/2-D loss slices.

    With ``normalize='filter'`` (Li et al. 2018) every row (a unit's incoming weights) of the
    direction is rescaled to the norm of the same row of ``theta``, so that slices of networks
    with different weight scales are comparable; biases are zeroed.
    """
    rng = np.random.default_rng(seed)
    d = rng.normal(size=net.n)
    if normalize is None:
        return d / np.linalg.norm(d)
    if normalize != "filter":
        raise ValueError("normalize must be 'filter' or None")
    layers_d, layers_t = net.unflatten(d), net.unflatten(theta)
    out = []
    for (Wd, bd), (Wt, _) in zip(layers_d, layers_t):
        scale = np.linalg.norm(Wt, axis=1, keepdims=True) / np.maximum(np.linalg.norm(Wd, axis=1, keepdims=True), 1e-12)
        out.append((Wd * scale, None if bd is None else np.zeros_like(bd)))
    return net.flatten(out)


# --- synthetic data ----------------------------------------------------------
def teacher_student(n=200, sizes=(2, 4, 1), activation="tanh", noise=0.0, seed=0):
    """Regression data labelled by a random 'teacher' network.

    Returns
    -------
    X : ndarray (n, sizes[0])
    y : ndarray (n, sizes[-1])
    teacher_theta : ndarray
        The teacher's parameters (the student can reach zero loss if it is at least as wide).
    """
    rng = np.random.default_rng(seed)
    teacher = MLP(sizes, activation=activation)
    theta = teacher.init(seed=seed + 1, scheme="glorot", gain=2.0)
    X = rng.normal(size=(n, sizes[0]))
    y = teacher.forward(theta, X) + noise * rng.normal(size=(n, sizes[-1]))
    return X, y, theta


def classification(n=200, kind="moons", noise=0.1, seed=0):
    """A small two-class data set in the plane: ``'moons'`` or ``'spirals'``; labels 0/1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    if kind == "moons":
        t = rng.uniform(0, np.pi, size=n)
        X = np.where(np.arange(n)[:, None] < half,
                     np.stack([np.cos(t), np.sin(t)], 1),
                     np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    elif kind == "spirals":
        t = np.sqrt(rng.uniform(0, 1, size=n)) * 3 * np.pi
        sign = np.where(np.arange(n) < half, 1.0, -1.0)[:, None]
        X = sign * np.stack([t * np.cos(t), t * np.sin(t)], 1) / (3 * np.pi)
    else:
        raise ValueError(f"unknown kind {kind!r}; choose 'moons' or 'spirals'")
    labels = (np.arange(n) >= half).astype(int)
    return X + noise * rng.normal(size=X.shape), labels
