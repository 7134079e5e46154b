"""Exact Hessian-vector products for `nets.MLP` losses (Pearlmutter's R-operator).

The R-operator ``R_v{.} = d/dr (.)(theta + r v) |_{r=0}`` is pushed through the forward pass and
then through backpropagation; the result is ``H v`` exactly (to rounding), at the cost of about two
gradients -- no finite differences, no P x P matrix. Many vectors go through at once (a batch axis),
which is how the full Hessian of a small network is built from P unit vectors.

>>> from landscape import nets
>>> X, y, _ = nets.teacher_student(n=50, sizes=(2, 3, 1))
>>> obj = nets.MLP((2, 4, 1)).bind(X, y)
>>> theta = obj.net.init(seed=0)
>>> Hv = obj.hvp(theta, np.ones(obj.n)); H = obj.hessian(theta)

References: Pearlmutter (1994), "Fast exact multiplication by the Hessian", Neural Computation 6.
"""
import numpy as np

from ._checks import as_point

# numbers of floats a batched product may hold at once (a few tens of MB)
_CHUNK_FLOATS = 4_000_000


def _act2(name, z, slope):
    """Activation, first and second derivative (ReLU kinks: second derivative 0 almost everywhere)."""
    if name == "linear":
        return z, np.ones_like(z), np.zeros_like(z)
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float), np.zeros_like(z)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope), np.zeros_like(z)
    t = np.tanh(z)
    d = 1.0 - t**2
    return t, d, -2.0 * t * d


def _split(net, V):
    """``V`` of shape ``(m, P)`` -> list of ``(VW (m, out, in), Vb (m, out) or None)``."""
    out, i = [], 0
    m = V.shape[0]
    for shape in net.shapes:
        size = int(np.prod(shape))
        out.append(V[:, i:i + size].reshape((m,) + shape))
        i += size
    if net.bias:
        return list(zip(out[0::2], out[1::2]))
    return [(W, None) for W in out]


def _hvp_batch(net, theta, X, y, V):
    """``H @ V[j]`` for every row of ``V`` (shape ``(m, P)``); returns ``(m, P)``."""
    layers = net.unflatten(theta)
    Vl = _split(net, V)
    n_layers = len(layers)
    N = X.shape[0]
    # forward pass and its R-derivative (directional derivative along each v)
    h, Rh = X, None
    cache = []
    for k, ((W, b), (VW, Vb)) in enumerate(zip(layers, Vl)):
        z = h @ W.T + (b if b is not None else 0.0)
        m, o, i = VW.shape
        Rz = (VW.reshape(m * o, i) @ h.T).reshape(m, o, N).transpose(0, 2, 1)
        if Rh is not None:
            Rz = Rz + (Rh.reshape(m * N, i) @ W.T).reshape(m, N, o)
        if Vb is not None:
            Rz = Rz + Vb[:, None, :]
        if k == n_layers - 1:
            a, d1, d2 = z, np.ones_like(z), np.zeros_like(z)
        else:
            a, d1, d2 = _act2(net.activation, z, net.slope)
        cache.append((h, Rh, z, Rz, d1, d2))
        h, Rh = a, d1 * Rz
    out, Rout = h, Rh
    y = net._targets(y, out)
    if net.loss_name == "mse":
        delta = (out - y) / N
        Rdelta = Rout / N
    else:
        zz = out - out.max(axis=1, keepdims=True)
        p = np.exp(zz)
        p /= p.sum(axis=1, keepdims=True)
        if y.ndim == 1:             # integer labels
            delta = p.copy()
            delta[np.arange(N), y] -= 1.0
        else:                       # soft targets (distillation)
            delta = p - y
        delta /= N
        Rdelta = (p * Rout - p * np.sum(p * Rout, axis=-1, keepdims=True)) / N
    # backward pass and its R-derivative
    grads = [None] * n_layers
    g, Rg = delta, Rdelta           # dL/d(output of layer k) and its R-derivative
    for k in range(n_layers - 1, -1, -1):
        h, Rh, z, Rz, d1, d2 = cache[k]
        if k < n_layers - 1:
            delta = g * d1
            Rdelta = Rg * d1 + g * d2 * Rz
        else:
            delta, Rdelta = g, Rg
        m, _, o = Rdelta.shape
        i = h.shape[1]
        RgW = (Rdelta.transpose(0, 2, 1).reshape(m * o, N) @ h).reshape(m, o, i)
        if Rh is not None:
            RgW = RgW + (delta.T @ Rh.transpose(1, 0, 2).reshape(N, m * i)).reshape(o, m, i).transpose(1, 0, 2)
        Rgb = Rdelta.sum(axis=1) if net.bias else None
        grads[k] = (RgW, Rgb)
        W = layers[k][0]
        VW = Vl[k][0]
        Rg = ((Rdelta.reshape(m * N, o) @ W).reshape(m, N, i)
              + (delta @ VW.transpose(1, 0, 2).reshape(o, m * i)).reshape(N, m, i).transpose(1, 0, 2))
        g = delta @ W
    parts = []
    for RgW, Rgb in grads:
        parts.append(RgW.reshape(V.shape[0], -1))
        if Rgb is not None:
            parts.append(Rgb)
    return np.concatenate(parts, axis=1)


def _check_net(net, X, y):
    from .nets import MLP
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a landscape.nets.MLP; got {type(net).__name__}")
    X = net._inputs(X)
    net._targets(y, np.zeros((X.shape[0], net.sizes[-1])))
    return X


def _chunk(net, N):
    per_vector = N * max(net.sizes) * 6 + net.n
    return max(1, int(_CHUNK_FLOATS // per_vector))


def hvp(net, theta, X, y, v):
    """Exact Hessian-vector product ``H(theta) v`` of ``net``'s loss on ``(X, y)``.

    Parameters
    ----------
    net : nets.MLP
    theta : array_like, shape (P,)
    X, y : arrays
        The data, as for `nets.MLP.loss`.
    v : array_like, shape (P,) or (m, P)
        One direction, or ``m`` directions (rows) multiplied at once.

    Returns
    -------
    ndarray, same shape as ``v``
    """
    X = _check_net(net, X, y)
    theta = as_point(theta, net.n, name="theta")
    V = as_point(v, net.n, name="v", batch=True)
    if V.ndim > 2:
        raise ValueError(f"v must have shape (P,) or (m, P); got {V.shape}")
    single = V.ndim == 1
    V = V.reshape(-1, net.n)
    if len(V) == 0:
        raise ValueError("v must hold at least one direction; got shape (0, P)")
    step = _chunk(net, X.shape[0])
    out = np.concatenate([_hvp_batch(net, theta, X, y, V[i:i + step]) for i in range(0, len(V), step)])
    return out[0] if single else out


def hessian(net, theta, X, y):
    """The full ``P x P`` Hessian, as ``P`` exact Hessian-vector products with unit vectors
    (symmetrised to remove rounding asymmetry). For small ``P`` only: memory ``P^2``."""
    X = _check_net(net, X, y)
    if net.n > 5_000:
        raise ValueError(f"hessian() would store a {net.n} x {net.n} matrix; use landscape.lanczos for P > 5,000")
    theta = as_point(theta, net.n, name="theta")
    P, step = net.n, _chunk(net, X.shape[0])
    H = np.empty((P, P))
    for i in range(0, P, step):
        E = np.zeros((min(step, P - i), P))
        E[np.arange(len(E)), i + np.arange(len(E))] = 1.0
        H[i:i + len(E)] = _hvp_batch(net, theta, X, y, E)
    return 0.5 * (H + H.T)


def operator(obj, theta):
    """``v -> H(theta) v`` for an objective from `nets.MLP.bind` (what `landscape.lanczos` needs)."""
    theta = as_point(theta, obj.n, name="theta")
    return lambda v: obj.hvp(theta, v)
