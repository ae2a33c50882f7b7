#!/usr/bin/python3
"""Generate independent reference gradients for chainproof's *layered* network specs with PyTorch.

What
----
This script writes, into ``src/test/resources/reference/layered/`` (and nowhere else):

* ``<name>.spec.json``     -- a layered spec exactly as chainproof reads it (explicit parameters, data);
* ``<name>.expected.json`` -- ``{"loss": L, "gradients": {name: ...}, "producer": ...}``: the gradients
                              of the sample-averaged loss, each in its parameter's PyTorch shape, in
                              the order of ``parameters``;
* ``README.md``            -- the format, the specs, the checks with their measured numbers, the coverage.

Stale ``*.spec.json`` / ``*.expected.json`` files in that directory are removed.

Spec format (the contract)
--------------------------
``{"name", "inputs", "layers", "loss", "parameters", "data": {"x", "y"}}``.  ``inputs`` is the shape of
ONE sample: an int (a vector), ``[C, L]`` (conv1d / a ``[T, F]`` sequence), ``[C, H, W]`` (conv2d) or
``[T]`` (token ids, first layer ``embedding``).  Layers (PyTorch modules, float64, PyTorch layouts; the
optional ``activation``, default ``identity``, is applied elementwise after the layer; ``softmax`` is
over the last axis and only on the last layer):

* ``dense {units}``: nn.Linear on the last axis; W{p} [units][in], b{p} [units];
* ``conv1d {channels, kernel, stride=1, padding=0, dilation=1}``: nn.Conv1d; W{p} [out][in][k], b{p};
* ``conv2d {...}``: nn.Conv2d, kernel/stride/padding/dilation each an int or [h, w]; W{p} [out][in][kh][kw];
* ``max_pool1d | avg_pool1d | max_pool2d | avg_pool2d {kernel, stride=kernel}``: no padding, floor mode;
* ``flatten``: row-major flatten of the per-sample shape;
* ``layer_norm {eps=1e-5}``: nn.LayerNorm over the last axis, affine; gamma{p}, beta{p} [last];
* ``batch_norm {eps=1e-5}``: BatchNorm1d / 2d in TRAINING mode (batch statistics, biased variance),
  channel axis = first per-sample axis; gamma{p}, beta{p} [C];
* ``residual {layers}``: y = act(x + block(x)); the k-th block layer of the residual at position p owns
  W{p}.{k} etc. (nested: W{p}.{k}.{j});
* ``embedding {vocabulary, dim}``: nn.Embedding; ids are whole numbers in data.x; E{p} [vocabulary][dim].

Losses on the final output, per sample over ALL its entries, then the mean over samples: mse, sse,
half_sse, bce (sigmoid last, via logsigmoid of the last pre-activation), cross_entropy (softmax last,
-sum y log_softmax(z) over the last axis, summed over all rows).  Activations: identity, sigmoid, tanh,
relu, leaky_relu (0.01), softplus (exact log(1+e^z), no threshold), silu, gelu (exact erf), elu (alpha
1), softsign, softmax.

Specs
-----
36 hand-designed architectures (families conv1d-*, conv2d-*, pool-*, layernorm-*, batchnorm-*,
residual-*, resmlp-*, embedding-*) and 12 random ``mixed-*`` architectures.  Values come from
``random.Random(seed)`` (one seed per spec, never torch's RNG): weights and biases U(-1, 1)/sqrt(fan_in)
(fan_in = inputs of a dense unit, in_channels * kernel size of a conv), gamma U(0.5, 1.5), beta
U(-0.5, 0.5), embedding rows U(-1, 1), x U(-2, 2), y U(-1, 1) (mse / sse / half_sse), U(0, 1) (bce),
one-hot rows over the last axis (cross_entropy); everything rounded to 4 decimals before use.  A draw is
rejected and redrawn when a relu / leaky_relu pre-activation lies within 1e-4 of 0, when a max-pool
window's two largest values are within 1e-4 of each other (stricter than a 1e-9 tie, so that no finite
difference step can switch the arg max), when a gradient entry is non-finite, or when some parameter's
whole gradient is exactly 0 (dead path); embedding data is redrawn until a sequence repeats an id and
ids 0 and vocabulary-1 both occur.

Checks (AssertionError on failure)
----------------------------------
1. central finite differences of the torch loss (step 1e-6 * max(1, |p|), forward passes without
   autograd) agree with autograd to 1e-6, denominator max(1, |g|), for every parameter entry;
2. an independent forward pass in plain numpy / math float64 written from the contract (explicit loops
   for convolutions and pools, own norms, residual, embedding, stable losses; no torch) gives the loss
   to 1e-12 relative and every final output entry to 1e-12 (denominator max(1, |a|));
3. structure: every spec is validated against the contract (keys, shapes, parameter names / order /
   shapes, data shapes, loss requirements, sizes <= 400 parameters, <= 8 per input axis, 2-4 samples);
   coverage is asserted: every layer type in >= 3 specs, every loss in >= 3 specs, sigmoid+bce >= 2,
   softmax+cross_entropy on a [T, C] output, conv stride / padding / dilation variants, int and pair
   conv2d hyper-parameters, pools with stride != kernel, layer_norm on vectors and sequences,
   batch_norm on [N, F], [N, C, L], [N, C, H, W], nested residuals, repeated embedding ids;
4. the JSON text round-trips (json.loads(text) == the object), and every check runs on the parsed text.

How to run
----------
From the repository root::

    /usr/bin/python3 src/test/python/make_layered_reference.py

(requires torch and numpy; Debian python3-torch, python3-numpy).  Re-running gives byte-identical files
on the same torch build (single-threaded torch; floats written with repr, round-trip exact).
"""

import itertools
import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)   # reduction order independent of the machine's core count
DT = torch.float64

REPO = Path(__file__).resolve().parents[3]
OUT_DIR = REPO / "src" / "test" / "resources" / "reference" / "layered"

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "silu", "gelu", "elu",
               "softsign"]
ACTIVATIONS = ELEMENTWISE + ["softmax"]
LOSSES = ["mse", "sse", "half_sse", "bce", "cross_entropy"]
LAYER_TYPES = ["dense", "conv1d", "conv2d", "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d",
               "flatten", "layer_norm", "batch_norm", "residual", "embedding"]
KINKED = ("relu", "leaky_relu")
LEAKY_SLOPE = 0.01
KINK_MARGIN = 1e-4      # |relu / leaky_relu pre-activation| must be at least this
POOL_MARGIN = 1e-4      # max-pool: largest minus second largest in every window at least this
DEFAULT_EPS = 1e-5

FD_STEP = 1e-6
FD_TOL = 1e-6
NUMPY_TOL = 1e-12

MAX_PARAMS = 400
MAX_AXIS = 8
MIN_SAMPLES, MAX_SAMPLES = 2, 4

PRODUCER = "torch %s autograd float64" % torch.__version__

ALLOWED_KEYS = {
    "dense": {"type", "units", "activation"},
    "conv1d": {"type", "channels", "kernel", "stride", "padding", "dilation", "activation"},
    "conv2d": {"type", "channels", "kernel", "stride", "padding", "dilation", "activation"},
    "max_pool1d": {"type", "kernel", "stride", "activation"},
    "avg_pool1d": {"type", "kernel", "stride", "activation"},
    "max_pool2d": {"type", "kernel", "stride", "activation"},
    "avg_pool2d": {"type", "kernel", "stride", "activation"},
    "flatten": {"type", "activation"},
    "layer_norm": {"type", "eps", "activation"},
    "batch_norm": {"type", "eps", "activation"},
    "residual": {"type", "layers", "activation"},
    "embedding": {"type", "vocabulary", "dim", "activation"},
}


# --------------------------------------------------------------------------
# JSON output (repr-exact floats, 2-space indentation, short arrays and layer objects inline);
# the layout of make_reference.py, plus: an object whose values are scalars or flat arrays (a conv2d
# layer with [h, w] pairs) may stay on one line.
# --------------------------------------------------------------------------

def _compact(v):
    return json.dumps(v, separators=(", ", ": "), allow_nan=False)


def _is_scalar(v):
    return not isinstance(v, (list, dict))


def _is_flat(v):
    return _is_scalar(v) or (isinstance(v, list) and all(_is_scalar(e) for e in v))


def _inline_ok(v):
    if _is_scalar(v):
        return True
    if isinstance(v, list) and all(_is_scalar(e) for e in v):
        return True  # flat arrays always on one line
    if isinstance(v, dict) and not all(_is_flat(e) for e in v.values()):
        return False
    if isinstance(v, list) and any(isinstance(e, dict) for e in v):
        return False
    return len(_compact(v)) <= 100


def _fmt(v, ind):
    if _inline_ok(v):
        return _compact(v)
    pad = " " * ind
    if isinstance(v, dict):
        items = [pad + "  " + json.dumps(k) + ": " + _fmt(e, ind + 2) for k, e in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [pad + "  " + _fmt(e, ind + 2) for e in v]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def dumps(obj):
    text = _fmt(obj, 0) + "\n"
    assert json.loads(text) == obj, "JSON round trip failed"
    return text


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def r4(v):
    return round(v, 4) + 0.0  # + 0.0 turns -0.0 into 0.0


def flatten(p):
    if isinstance(p, list):
        out = []
        for e in p:
            out += flatten(e)
        return out
    return [p]


def nested_shape(v):
    shape = []
    while isinstance(v, list):
        shape.append(len(v))
        v = v[0] if v else None
    return tuple(shape)


def is_regular(v, shape):
    """v is a nested list of exactly this shape with numbers at the leaves."""
    if not shape:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, list) and len(v) == shape[0] and all(is_regular(e, shape[1:]) for e in v)


# --------------------------------------------------------------------------
# Layer geometry and spec validation (shape inference, parameter names)
# --------------------------------------------------------------------------

def as_tuple(v, n):
    """An int hyper-parameter or an n-element list -> n-tuple of ints."""
    if isinstance(v, int) and not isinstance(v, bool):
        return (v,) * n
    assert isinstance(v, list) and len(v) == n and all(isinstance(e, int) and not isinstance(e, bool)
                                                        for e in v), v
    return tuple(v)


def conv_geometry(layer, n):
    k = as_tuple(layer["kernel"], n)
    s = as_tuple(layer.get("stride", 1), n)
    p = as_tuple(layer.get("padding", 0), n)
    d = as_tuple(layer.get("dilation", 1), n)
    assert all(v >= 1 for v in k + s + d) and all(v >= 0 for v in p), layer
    return k, s, p, d


def pool_geometry(layer, n):
    k = as_tuple(layer["kernel"], n)
    s = as_tuple(layer.get("stride", layer["kernel"]), n)
    assert all(v >= 1 for v in k + s), layer
    return k, s


def conv_out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def pool_out(n, k, s):
    return (n - k) // s + 1


def suffix_of(parent, k):
    return str(k) if parent is None else "%s.%d" % (parent, k)


class Info:
    """What validation learns about a spec: parameters (name, shape, kind, fan_in) in order, the
    output shape, and facts for the coverage table."""

    def __init__(self):
        self.params = []
        self.types = {}           # layer type -> count (nested included)
        self.acts = set()
        self.features = set()
        self.out_shape = None
        self.bn_on_vectors = False


def walk(layers, shape, parent, info, top_count):
    for k, layer in enumerate(layers, 1):
        sfx = suffix_of(parent, k)
        assert isinstance(layer, dict) and layer.get("type") in ALLOWED_KEYS, layer
        t = layer["type"]
        assert set(layer) <= ALLOWED_KEYS[t], ("unknown keys", layer)
        act = layer.get("activation", "identity")
        assert act in ACTIVATIONS, layer
        if act == "softmax":
            assert parent is None and k == top_count, "softmax only on the last layer"
        info.types[t] = info.types.get(t, 0) + 1
        info.acts.add(act)
        if act != "identity" and (t == "flatten" or "pool" in t):
            info.features.add("activation on a pool / flatten")
        rank = len(shape)
        if t == "dense":
            u = layer["units"]
            assert isinstance(u, int) and u >= 1
            info.params += [("W" + sfx, (u, shape[-1]), "weight", shape[-1]), ("b" + sfx, (u,), "bias", shape[-1])]
            info.features.add("dense on rank %d" % rank)
            shape = shape[:-1] + (u,)
        elif t in ("conv1d", "conv2d"):
            n = 1 if t == "conv1d" else 2
            assert rank == n + 1, (t, shape)
            c = layer["channels"]
            assert isinstance(c, int) and c >= 1
            kk, s, p, d = conv_geometry(layer, n)
            out = tuple(conv_out(shape[1 + i], kk[i], s[i], p[i], d[i]) for i in range(n))
            assert all(o >= 1 for o in out), (layer, shape)
            fan_in = shape[0] * math.prod(kk)
            info.params += [("W" + sfx, (c, shape[0]) + kk, "weight", fan_in), ("b" + sfx, (c,), "bias", fan_in)]
            if t == "conv1d":
                info.features.update(f for f, ok in (("conv1d stride 2", s[0] == 2), ("conv1d padding", p[0] > 0),
                                                     ("conv1d dilation 2", d[0] == 2)) if ok)
            else:
                for key in ("kernel", "stride", "padding", "dilation"):
                    if key in layer:
                        info.features.add("conv2d %s %s" % (key, "pair" if isinstance(layer[key], list) else "int"))
            shape = (c,) + out
        elif t in ("max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"):
            n = int(t[-2])
            assert rank == n + 1, (t, shape)
            kk, s = pool_geometry(layer, n)
            assert all(shape[1 + i] >= kk[i] for i in range(n)), (layer, shape)
            if kk != s:
                info.features.add("%s stride != kernel" % t)
            shape = (shape[0],) + tuple(pool_out(shape[1 + i], kk[i], s[i]) for i in range(n))
        elif t == "flatten":
            shape = (math.prod(shape),)
        elif t in ("layer_norm", "batch_norm"):
            eps = layer.get("eps", DEFAULT_EPS)
            assert isinstance(eps, float) and eps > 0
            if t == "layer_norm":
                c = shape[-1]
                info.features.add("layer_norm on rank %d" % rank)
            else:
                c = shape[0]
                info.features.add("batch_norm on rank %d" % rank)
                info.bn_on_vectors |= rank == 1
            info.params += [("gamma" + sfx, (c,), "gamma", None), ("beta" + sfx, (c,), "beta", None)]
        elif t == "residual":
            block = layer["layers"]
            assert isinstance(block, list) and block
            if parent is not None:
                info.features.add("nested residual")
            if any(b.get("type") == "layer_norm" for b in block):
                info.features.add("layer_norm inside residual")
            out = walk(block, shape, sfx, info, len(block))
            assert out == shape, ("residual block changes the shape", shape, out)
        elif t == "embedding":
            assert parent is None and k == 1 and rank == 1, "embedding only as the first layer on [T] ids"
            v, dim = layer["vocabulary"], layer["dim"]
            assert isinstance(v, int) and isinstance(dim, int) and v >= 1 and dim >= 1
            info.params.append(("E" + sfx, (v, dim), "embedding", None))
            shape = (shape[0], dim)
        assert all(n >= 1 for n in shape), (layer, shape)
    return shape


def validate(spec):
    """Checks the spec against the contract; returns its Info."""
    assert list(spec) == ["name", "inputs", "layers", "loss", "parameters", "data"], list(spec)
    inputs = spec["inputs"]
    shape = (inputs,) if isinstance(inputs, int) else tuple(inputs)
    assert 1 <= len(shape) <= 3 and all(isinstance(n, int) and 1 <= n <= MAX_AXIS for n in shape), inputs
    layers = spec["layers"]
    embedding = layers[0]["type"] == "embedding"
    if embedding:
        assert isinstance(inputs, list) and len(inputs) == 1, "embedding needs inputs [T]"
    else:
        assert isinstance(inputs, int) == (len(shape) == 1), "a vector input is an int, others a list"
    info = Info()
    info.out_shape = walk(layers, shape, None, info, len(layers))
    # parameters: exactly these names, in this order, with these shapes
    params = spec["parameters"]
    assert list(params) == [n for n, _, _, _ in info.params], (list(params), info.params)
    for name, shp, _, _ in info.params:
        assert is_regular(params[name], shp), (name, shp, nested_shape(params[name]))
        assert all(isinstance(v, float) and math.isfinite(v) for v in flatten(params[name])), name
    n_params = sum(math.prod(s) for _, s, _, _ in info.params)
    assert n_params <= MAX_PARAMS, (spec["name"], n_params)
    # data
    x, y = spec["data"]["x"], spec["data"]["y"]
    assert list(spec["data"]) == ["x", "y"]
    assert MIN_SAMPLES <= len(x) == len(y) <= MAX_SAMPLES, len(x)
    assert all(is_regular(s, shape) for s in x) and all(is_regular(s, info.out_shape) for s in y)
    if embedding:
        vocab = layers[0]["vocabulary"]
        assert all(isinstance(v, int) and 0 <= v < vocab for v in flatten(x)), "ids"
    else:
        assert all(isinstance(v, float) and math.isfinite(v) for v in flatten(x))
    assert all(isinstance(v, float) and math.isfinite(v) for v in flatten(y))
    if info.bn_on_vectors:
        assert len(x) >= 3, "batch_norm on [N, F] with 2 samples normalises to +-1 (degenerate)"
    last = layers[-1].get("activation", "identity")
    if spec["loss"] == "bce":
        assert last == "sigmoid" and all(0.0 <= v <= 1.0 for v in flatten(y))
    elif spec["loss"] == "cross_entropy":
        assert last == "softmax"
        assert all(v in (0.0, 1.0) for v in flatten(y))
        rows = np.array(y).reshape(-1, info.out_shape[-1])
        assert all(r.sum() == 1.0 for r in rows), "y rows must be one-hot"
    else:
        assert spec["loss"] in LOSSES and last != "softmax"
    info.n_params = n_params
    return info


# --------------------------------------------------------------------------
# Torch forward (functional forms of nn.Linear, nn.Conv1d/2d, pools, nn.LayerNorm, BatchNorm in
# training mode, nn.Embedding) and loss
# --------------------------------------------------------------------------

def t_act(name, z):
    if name == "identity":
        return z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, LEAKY_SLOPE)
    if name == "softplus":
        return torch.logaddexp(z, torch.zeros_like(z))  # exact, no threshold
    if name == "silu":
        return F.silu(z)
    if name == "gelu":
        return F.gelu(z)                                 # exact erf form (approximate="none")
    if name == "elu":
        return F.elu(z, alpha=1.0)
    if name == "softsign":
        return F.softsign(z)
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    raise ValueError(name)


def t_layer(layer, a, P, sfx):
    """(activation output, pre-activation) of one layer on a batch a ([N, per-sample shape])."""
    t = layer["type"]
    if t == "dense":
        z = F.linear(a, P["W" + sfx], P["b" + sfx])
    elif t in ("conv1d", "conv2d"):
        n = 1 if t == "conv1d" else 2
        k, s, p, d = conv_geometry(layer, n)
        conv = F.conv1d if n == 1 else F.conv2d
        z = conv(a, P["W" + sfx], P["b" + sfx], stride=s, padding=p, dilation=d)
    elif t in ("max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"):
        k, s = pool_geometry(layer, int(t[-2]))
        z = getattr(F, t)(a, kernel_size=k, stride=s)
    elif t == "flatten":
        z = a.reshape(a.shape[0], -1)
    elif t == "layer_norm":
        z = F.layer_norm(a, (a.shape[-1],), P["gamma" + sfx], P["beta" + sfx], layer.get("eps", DEFAULT_EPS))
    elif t == "batch_norm":
        z = F.batch_norm(a, None, None, P["gamma" + sfx], P["beta" + sfx], training=True, momentum=0.0,
                         eps=layer.get("eps", DEFAULT_EPS))
    elif t == "residual":
        h = a
        for k, sub in enumerate(layer["layers"], 1):
            h, _ = t_layer(sub, h, P, suffix_of(sfx, k))
        z = a + h
    elif t == "embedding":
        z = F.embedding(a, P["E" + sfx])
    else:
        raise ValueError(t)
    return t_act(layer.get("activation", "identity"), z), z


def t_batch(spec):
    x = spec["data"]["x"]
    if spec["layers"][0]["type"] == "embedding":
        xt = torch.tensor(x, dtype=torch.long)
    else:
        xt = torch.tensor(x, dtype=DT)
    return xt, torch.tensor(spec["data"]["y"], dtype=DT)


def t_output(spec, P, xt):
    a, z = xt, None
    for p, layer in enumerate(spec["layers"], 1):
        a, z = t_layer(layer, a, P, str(p))
    return a, z


def t_loss(spec, P, xt, yt):
    a, z = t_output(spec, P, xt)
    n = a.shape[0]
    loss = spec["loss"]
    if loss == "mse":
        per = ((a - yt) ** 2).reshape(n, -1).mean(dim=1)
    elif loss == "sse":
        per = ((a - yt) ** 2).reshape(n, -1).sum(dim=1)
    elif loss == "half_sse":
        per = 0.5 * ((a - yt) ** 2).reshape(n, -1).sum(dim=1)
    elif loss == "bce":
        per = -(yt * F.logsigmoid(z) + (1.0 - yt) * F.logsigmoid(-z)).reshape(n, -1).mean(dim=1)
    elif loss == "cross_entropy":
        per = -(yt * torch.log_softmax(z, dim=-1)).reshape(n, -1).sum(dim=1)
    else:
        raise ValueError(loss)
    return per.mean()


def torch_params(spec, requires_grad=False):
    return {k: torch.tensor(v, dtype=DT, requires_grad=requires_grad) for k, v in spec["parameters"].items()}


def torch_gradients(spec):
    P = torch_params(spec, requires_grad=True)
    xt, yt = t_batch(spec)
    L = t_loss(spec, P, xt, yt)
    L.backward()
    return L.item(), {k: P[k].grad.tolist() for k in spec["parameters"]}


def torch_output(spec):
    with torch.no_grad():
        xt, _ = t_batch(spec)
        a, _ = t_output(spec, torch_params(spec), xt)
    return a.numpy().copy()


def fd_check(spec, grads):
    """Central differences of the torch loss for every parameter entry; returns the worst
    |fd - g| / max(1, |g|) and where."""
    P = torch_params(spec)
    xt, yt = t_batch(spec)
    worst, where = 0.0, None
    with torch.no_grad():
        for name, T in P.items():
            flat = T.view(-1)
            g = flatten(grads[name])
            for i in range(flat.numel()):
                v = flat[i].item()
                h = FD_STEP * max(1.0, abs(v))
                flat[i] = v + h
                lp = t_loss(spec, P, xt, yt).item()
                flat[i] = v - h
                lm = t_loss(spec, P, xt, yt).item()
                flat[i] = v
                fd = (lp - lm) / ((v + h) - (v - h))
                err = abs(fd - g[i]) / max(1.0, abs(g[i]))
                if not err <= FD_TOL:
                    raise AssertionError("finite differences FAILED for %s %s[%d]: fd %r, autograd %r, err %.3e"
                                         % (spec["name"], name, i, fd, g[i], err))
                if err >= worst:
                    worst, where = err, "%s[%d]" % (name, i)
    return worst, where


# --------------------------------------------------------------------------
# Independent forward pass: plain numpy / math float64, written from the contract (no torch)
# --------------------------------------------------------------------------

def _sig(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _log_sig(z):
    return -(max(-z, 0.0) + math.log1p(math.exp(-abs(z))))


SCALAR_ACT = {
    "identity": lambda z: z,
    "sigmoid": _sig,
    "tanh": math.tanh,
    "relu": lambda z: z if z > 0 else 0.0,
    "leaky_relu": lambda z: z if z > 0 else LEAKY_SLOPE * z,
    "softplus": lambda z: max(z, 0.0) + math.log1p(math.exp(-abs(z))),
    "silu": lambda z: z * _sig(z),
    "gelu": lambda z: 0.5 * z * math.erfc(-z / math.sqrt(2.0)),
    "elu": lambda z: z if z > 0 else math.expm1(z),
    "softsign": lambda z: z / (1.0 + abs(z)),
}


def np_log_softmax_rows(z):
    out = np.empty_like(z)
    for idx in np.ndindex(*z.shape[:-1]):
        row = [float(v) for v in z[idx]]
        m = max(row)
        lse = m + math.log(math.fsum(math.exp(v - m) for v in row))
        out[idx] = [v - lse for v in row]
    return out


class NumpyNet:
    """Forward pass of a spec on its whole batch; records relu / leaky_relu pre-activations and the
    max-pool gaps (largest minus second largest value in each window)."""

    def __init__(self, spec):
        self.spec = spec
        self.P = {k: np.array(v, dtype=np.float64) for k, v in spec["parameters"].items()}
        self.kink = math.inf
        self.pool_gap = math.inf

    def act(self, name, z):
        if name in KINKED and z.size:
            self.kink = min(self.kink, float(np.min(np.abs(z))))
        if name == "softmax":
            return np.exp(np_log_softmax_rows(z))
        f = SCALAR_ACT[name]
        out = np.empty_like(z)
        for idx in np.ndindex(*z.shape):
            out[idx] = f(float(z[idx]))
        return out

    def dense(self, a, W, b):
        out = np.empty(a.shape[:-1] + (W.shape[0],))
        for idx in np.ndindex(*a.shape[:-1]):
            for j in range(W.shape[0]):
                out[idx + (j,)] = math.fsum([b[j]] + [W[j, i] * a[idx + (i,)] for i in range(a.shape[-1])])
        return out

    def conv(self, x, W, b, s, p, d):
        """z[n, o, q] = b[o] + sum_c sum_kappa W[o, c, kappa] x[n, c, q*s - p + kappa*d] (inside x only)."""
        N, C = x.shape[:2]
        space = x.shape[2:]
        O, kernel = W.shape[0], W.shape[2:]
        out_space = tuple(conv_out(space[i], kernel[i], s[i], p[i], d[i]) for i in range(len(space)))
        out = np.empty((N, O) + out_space)
        for n in range(N):
            for o in range(O):
                for q in itertools.product(*[range(m) for m in out_space]):
                    terms = [b[o]]
                    for c in range(C):
                        for kap in itertools.product(*[range(k) for k in kernel]):
                            pos = tuple(q[i] * s[i] - p[i] + kap[i] * d[i] for i in range(len(space)))
                            if all(0 <= pos[i] < space[i] for i in range(len(space))):
                                terms.append(W[(o, c) + kap] * x[(n, c) + pos])
                    out[(n, o) + q] = math.fsum(terms)
        return out

    def pool(self, x, kind, k, s):
        N, C = x.shape[:2]
        space = x.shape[2:]
        out_space = tuple(pool_out(space[i], k[i], s[i]) for i in range(len(space)))
        out = np.empty((N, C) + out_space)
        for n in range(N):
            for c in range(C):
                for q in itertools.product(*[range(m) for m in out_space]):
                    window = [float(x[(n, c) + tuple(q[i] * s[i] + kap[i] for i in range(len(space)))])
                              for kap in itertools.product(*[range(kk) for kk in k])]
                    if kind == "max":
                        top = sorted(window, reverse=True)
                        if len(top) > 1:
                            self.pool_gap = min(self.pool_gap, top[0] - top[1])
                        out[(n, c) + q] = top[0]
                    else:
                        out[(n, c) + q] = math.fsum(window) / len(window)
        return out

    @staticmethod
    def normalize(values, eps):
        """(v - mean) / sqrt(biased variance + eps) of a 1-d array."""
        m = math.fsum(values) / len(values)
        var = math.fsum((v - m) ** 2 for v in values) / len(values)
        return (values - m) / math.sqrt(var + eps)

    def layer(self, layer, a, sfx):
        t = layer["type"]
        P = self.P
        if t == "dense":
            z = self.dense(a, P["W" + sfx], P["b" + sfx])
        elif t in ("conv1d", "conv2d"):
            k, s, p, d = conv_geometry(layer, 1 if t == "conv1d" else 2)
            z = self.conv(a, P["W" + sfx], P["b" + sfx], s, p, d)
        elif t in ("max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d"):
            k, s = pool_geometry(layer, int(t[-2]))
            z = self.pool(a, t[:3], k, s)
        elif t == "flatten":
            z = np.array([a[n].flatten(order="C") for n in range(a.shape[0])])
        elif t == "layer_norm":
            g, b, eps = P["gamma" + sfx], P["beta" + sfx], layer.get("eps", DEFAULT_EPS)
            z = np.empty_like(a)
            for idx in np.ndindex(*a.shape[:-1]):
                z[idx] = self.normalize(a[idx].copy(), eps) * g + b
        elif t == "batch_norm":
            g, b, eps = P["gamma" + sfx], P["beta" + sfx], layer.get("eps", DEFAULT_EPS)
            z = np.empty_like(a)
            for c in range(a.shape[1]):
                vals = a[:, c, ...]                           # every sample, every position of channel c
                z[:, c, ...] = (self.normalize(vals.flatten(), eps) * g[c] + b[c]).reshape(vals.shape)
        elif t == "residual":
            h = a
            for k, sub in enumerate(layer["layers"], 1):
                h, _ = self.layer(sub, h, suffix_of(sfx, k))
            z = a + h
        elif t == "embedding":
            E = P["E" + sfx]
            z = np.empty(a.shape + (E.shape[1],))
            for idx in np.ndindex(*a.shape):
                z[idx] = E[int(a[idx])]
        else:
            raise ValueError(t)
        return self.act(layer.get("activation", "identity"), z), z

    def forward(self):
        x = self.spec["data"]["x"]
        a = np.array(x, dtype=np.int64 if self.spec["layers"][0]["type"] == "embedding" else np.float64)
        z = None
        for p, layer in enumerate(self.spec["layers"], 1):
            a, z = self.layer(layer, a, str(p))
        return a, z

    def loss(self):
        a, z = self.forward()
        y = np.array(self.spec["data"]["y"], dtype=np.float64)
        loss = self.spec["loss"]
        per = []
        for n in range(a.shape[0]):
            an, zn, yn = a[n].flatten(), z[n].flatten(), y[n].flatten()
            m = len(an)
            if loss in ("mse", "sse", "half_sse"):
                s = math.fsum((float(u) - float(v)) ** 2 for u, v in zip(an, yn))
                per.append(s / m if loss == "mse" else s if loss == "sse" else 0.5 * s)
            elif loss == "bce":
                per.append(-math.fsum(float(v) * _log_sig(float(u)) + (1.0 - float(v)) * _log_sig(-float(u))
                                      for u, v in zip(zn, yn)) / m)
            elif loss == "cross_entropy":
                la = np_log_softmax_rows(z[n]).flatten()
                per.append(-math.fsum(float(v) * float(u) for u, v in zip(la, yn)))
            else:
                raise ValueError(loss)
        return math.fsum(per) / len(per), a


# --------------------------------------------------------------------------
# Drawing values for an architecture
# --------------------------------------------------------------------------

def draw_tensor(rng, shape, lo, hi):
    if not shape:
        return r4(rng.uniform(lo, hi))
    return [draw_tensor(rng, shape[1:], lo, hi) for _ in range(shape[0])]


def draw_spec(rng, name, inputs, layers, loss, samples):
    """Parameters and data for a fixed architecture, drawn from rng (until accepted)."""
    skeleton = {"name": name, "inputs": inputs, "layers": layers, "loss": loss, "parameters": {},
                "data": {"x": [], "y": []}}
    info = Info()
    in_shape = (inputs,) if isinstance(inputs, int) else tuple(inputs)
    info.out_shape = walk(layers, in_shape, None, info, len(layers))
    embedding = layers[0]["type"] == "embedding"
    while True:
        params = {}
        for pname, shape, kind, fan_in in info.params:
            if kind in ("weight", "bias"):
                bound = 1.0 / math.sqrt(fan_in)
                params[pname] = draw_tensor(rng, shape, -bound, bound)
            elif kind == "gamma":
                params[pname] = draw_tensor(rng, shape, 0.5, 1.5)
            elif kind == "beta":
                params[pname] = draw_tensor(rng, shape, -0.5, 0.5)
            else:
                params[pname] = draw_tensor(rng, shape, -1.0, 1.0)
        if embedding:
            vocab = layers[0]["vocabulary"]
            x = [[rng.randrange(vocab) for _ in range(in_shape[0])] for _ in range(samples)]
            ids = set(flatten(x))
            if not (0 in ids and vocab - 1 in ids and any(len(set(s)) < len(s) for s in x)):
                continue  # want a repeated id within a sequence and both ends of the vocabulary
        else:
            x = [draw_tensor(rng, in_shape, -2.0, 2.0) for _ in range(samples)]
        out = info.out_shape
        if loss == "bce":
            y = [draw_tensor(rng, out, 0.0, 1.0) for _ in range(samples)]
        elif loss == "cross_entropy":
            y = []
            for _ in range(samples):
                rows = np.zeros(out)
                for idx in np.ndindex(*out[:-1]):
                    rows[idx + (rng.randrange(out[-1]),)] = 1.0
                y.append(rows.tolist())
        else:
            y = [draw_tensor(rng, out, -1.0, 1.0) for _ in range(samples)]
        spec = dict(skeleton, parameters=params, data={"x": x, "y": y})
        if acceptable(spec):
            return spec


def acceptable(spec):
    net = NumpyNet(spec)
    net.loss()
    if net.kink < KINK_MARGIN or net.pool_gap < POOL_MARGIN:
        return False
    loss, grads = torch_gradients(spec)
    if not math.isfinite(loss) or not all(math.isfinite(v) for g in grads.values() for v in flatten(g)):
        return False
    return all(any(v != 0.0 for v in flatten(g)) for g in grads.values())   # no dead parameter


# --------------------------------------------------------------------------
# The hand-designed architectures
# --------------------------------------------------------------------------

def L(type_, **kw):
    """A layer object with keys in the contract's order ("type" first, "activation" last)."""
    d = {"type": type_}
    act = kw.pop("activation", None)
    d.update(kw)
    if act is not None:
        d["activation"] = act
    return d


def dense(units, act=None):
    return L("dense", units=units, activation=act)


def conv1d(channels, kernel, stride=None, padding=None, dilation=None, act=None):
    kw = {k: v for k, v in (("stride", stride), ("padding", padding), ("dilation", dilation)) if v is not None}
    return L("conv1d", channels=channels, kernel=kernel, **kw, activation=act)


def conv2d(channels, kernel, stride=None, padding=None, dilation=None, act=None):
    kw = {k: v for k, v in (("stride", stride), ("padding", padding), ("dilation", dilation)) if v is not None}
    return L("conv2d", channels=channels, kernel=kernel, **kw, activation=act)


def pool(type_, kernel, stride=None, act=None):
    return L(type_, kernel=kernel, **({} if stride is None else {"stride": stride}), activation=act)


def norm(type_, eps=None, act=None):
    return L(type_, **({} if eps is None else {"eps": eps}), activation=act)


def residual(layers, act=None):
    return L("residual", layers=layers, activation=act)


FLAT = {"type": "flatten"}

# name, inputs, layers, loss, samples, description
FIXED = [
    ("conv1d-00", [2, 7], [conv1d(3, 3, 1, 1, 1, "tanh"), FLAT, dense(2, "identity")], "mse", 3,
     "conv1d k3 'same' padding, tanh, then flatten + dense (the contract's example)"),
    ("conv1d-01", [1, 8], [conv1d(2, 3, 2, 0, 1, "relu"), FLAT, dense(3, "sigmoid")], "bce", 2,
     "conv1d stride 2, no padding, relu; sigmoid + bce"),
    ("conv1d-02", [2, 8], [conv1d(3, 3, 1, 2, 2, "softplus"), FLAT, dense(1)], "sse", 3,
     "conv1d dilation 2 with padding 2 (length kept), softplus"),
    ("conv1d-03", [3, 8], [conv1d(4, 3, 2, 2, 2, "gelu"), conv1d(2, 2, act="silu"), FLAT, dense(3, "softmax")],
     "cross_entropy", 4, "two conv1d: stride 2 + padding 2 + dilation 2 (gelu), then k2 defaults (silu); softmax"),
    ("conv2d-00", [1, 5, 5], [conv2d(2, 3, 1, 0, 1, "tanh"), FLAT, dense(2, "identity")], "half_sse", 2,
     "conv2d int kernel 3, no padding, tanh"),
    ("conv2d-01", [2, 6, 5], [conv2d(2, [2, 3], [2, 1], [1, 1], [1, 2], "elu"), FLAT, dense(2)], "mse", 3,
     "conv2d with pairs: kernel [2,3], stride [2,1], padding [1,1], dilation [1,2]; elu"),
    ("conv2d-02", [2, 5, 6], [conv2d(3, 2, 2, 1, 1, "leaky_relu"), FLAT, dense(3, "softmax")], "cross_entropy", 2,
     "conv2d int stride 2 and padding 1, leaky_relu; softmax"),
    ("conv2d-03", [1, 7, 6], [conv2d(2, 3, padding=[2, 1], dilation=2, act="softsign"),
                              conv2d(1, [3, 2], [2, 1]), FLAT, dense(1, "sigmoid")], "bce", 3,
     "conv2d int dilation 2 with pair padding [2,1] (softsign), then kernel [3,2] stride [2,1]; bce"),
    ("pool-max1d-00", [2, 8], [conv1d(2, 3, padding=1, act="tanh"), pool("max_pool1d", 2), FLAT, dense(2)],
     "mse", 3, "conv1d, max_pool1d k2 (stride defaults to the kernel)"),
    ("pool-max1d-01", [1, 8], [conv1d(3, 2, act="leaky_relu"), pool("max_pool1d", 3, 1), FLAT, dense(1)],
     "sse", 2, "max_pool1d k3 stride 1 (overlapping windows: one value can win several windows)"),
    ("pool-avg1d-00", [2, 7], [conv1d(2, 3, act="relu"), pool("avg_pool1d", 2, 2), FLAT, dense(2, "sigmoid")],
     "bce", 3, "relu conv1d, avg_pool1d k2 s2 on length 5 (floor mode drops the last position)"),
    ("pool-avg1d-01", [2, 8], [conv1d(3, 3, padding=1, act="silu"), pool("avg_pool1d", 3, 2), FLAT,
                               dense(3, "softmax")], "cross_entropy", 2,
     "avg_pool1d k3 stride 2 (overlapping, floor mode)"),
    ("pool-max2d-00", [1, 6, 6], [conv2d(2, 3, padding=1, act="tanh"), pool("max_pool2d", 2), FLAT,
                                  dense(3, "softmax")], "cross_entropy", 2, "conv2d 'same', max_pool2d k2"),
    ("pool-max2d-01", [2, 7, 6], [conv2d(2, 2, act="leaky_relu"), pool("max_pool2d", [3, 2], [2, 1]), FLAT,
                                  dense(2)], "mse", 2, "max_pool2d kernel [3,2] stride [2,1]"),
    ("pool-avg2d-00", [1, 6, 7], [conv2d(2, 3, act="gelu"), pool("avg_pool2d", 2, act="softsign"), FLAT, dense(1)],
     "sse", 3, "avg_pool2d k2 on 4x5 (floor mode drops the last column), softsign on the pooled map"),
    ("pool-avg2d-01", [2, 5, 6], [conv2d(2, [2, 3], padding=[0, 1], act="relu"),
                                  pool("avg_pool2d", [2, 3], [1, 2]), FLAT, dense(2)], "half_sse", 2,
     "avg_pool2d kernel [2,3] stride [1,2]"),
    ("layernorm-vec-00", 4, [dense(5, "tanh"), norm("layer_norm"), dense(2, "identity")], "mse", 3,
     "layer_norm on a vector (default eps)"),
    ("layernorm-vec-01", 3, [dense(4), norm("layer_norm", 1e-3, "relu"), dense(3, "softmax")], "cross_entropy", 4,
     "layer_norm eps 1e-3 with a relu activation on it; softmax"),
    ("layernorm-seq-00", [4, 3], [dense(5, "gelu"), norm("layer_norm"), L("flatten", activation="elu"), dense(2)],
     "sse", 2, "[T, F] sequence: dense per step, layer_norm per step, flatten (with an elu on it), dense"),
    ("layernorm-seq-01", [3, 2], [dense(4, "tanh"), norm("layer_norm", 1e-3), dense(3, "softmax")],
     "cross_entropy", 3, "sequence: dense per step, layer_norm, per-step softmax on a [T, C] output; one-hot rows"),
    ("batchnorm-vec-00", 3, [dense(4), norm("batch_norm", act="relu"), dense(1)], "half_sse", 4,
     "batch_norm on [N, F] (4 samples), relu after it"),
    ("batchnorm-vec-01", 4, [norm("batch_norm"), dense(3, "tanh"), norm("batch_norm", 1e-3), dense(2, "sigmoid")],
     "bce", 3, "batch_norm on the raw input and after a dense (eps 1e-3), 3 samples"),
    ("batchnorm-conv1d-00", [2, 6], [conv1d(3, 3, padding=1), norm("batch_norm", act="leaky_relu"), FLAT, dense(2)],
     "mse", 2, "batch_norm on [N, C, L] after conv1d (statistics over samples and positions)"),
    ("batchnorm-conv2d-00", [1, 5, 5], [conv2d(2, 2), norm("batch_norm", act="tanh"), pool("avg_pool2d", 2), FLAT,
                                        dense(2)], "sse", 2, "batch_norm on [N, C, H, W] after conv2d, avg_pool2d"),
    ("residual-00", 3, [dense(4, "tanh"), residual([dense(6, "relu"), dense(4)], "tanh"), dense(2)], "mse", 3,
     "residual block dense 6 relu -> dense 4, tanh after the sum"),
    ("residual-01", 4, [residual([norm("layer_norm"), dense(4, "gelu"), dense(4)]), dense(1)], "sse", 2,
     "pre-norm residual block: layer_norm -> dense gelu -> dense"),
    ("residual-02", 3, [dense(4), residual([dense(4, "tanh"), residual([dense(3, "relu"), dense(4)], "elu"),
                                            norm("layer_norm")]), dense(2, "sigmoid")], "bce", 3,
     "nested residual (parameters W2.2.1 ...), elu on the inner sum, layer_norm inside"),
    ("residual-conv1d", [2, 6], [conv1d(3, 3, padding=1, act="relu"),
                                 residual([conv1d(3, 3, 1, 1, 1, "relu"), conv1d(3, 3, 1, 1, 1)], "relu"),
                                 FLAT, dense(2)], "half_sse", 2, "ResNet-style residual of two 'same' conv1d"),
    ("resmlp-3", 4, [dense(4, "tanh")] + [residual([dense(4, "relu"), dense(4)]) for _ in range(3)]
     + [dense(3, "softmax")], "cross_entropy", 3, "residual MLP, 3 blocks dense relu -> dense"),
    ("resmlp-4", 3, [dense(5)] + [residual([norm("layer_norm"), dense(5, "silu"), dense(5)]) for _ in range(4)]
     + [dense(2, "sigmoid")], "bce", 4, "residual MLP, 4 pre-norm blocks (layer_norm, dense silu, dense)"),
    ("resmlp-5", 2, [dense(4)] + [residual([dense(4, a), dense(4)], "tanh" if i == 4 else None)
                                  for i, a in enumerate(["gelu", "tanh", "gelu", "tanh", "gelu"])]
     + [dense(1)], "mse", 2, "residual MLP, 5 blocks alternating gelu / tanh, tanh after the last sum"),
    ("resmlp-6", 3, [dense(3, "tanh")] + [residual([dense(3, "leaky_relu"), dense(3)],
                                                  "softplus" if i % 2 else None) for i in range(6)]
     + [dense(2)], "half_sse", 3, "residual MLP, 6 blocks leaky_relu, softplus after every second sum"),
    ("embedding-00", [5], [L("embedding", vocabulary=6, dim=3), dense(4, "tanh"), FLAT, dense(2)], "mse", 3,
     "embedding -> dense per step -> flatten -> dense; repeated ids, ids 0 and 5"),
    ("embedding-01", [6], [L("embedding", vocabulary=4, dim=2), dense(3, "relu"), FLAT, dense(1, "sigmoid")],
     "bce", 2, "embedding (vocabulary 4, sequences of 6: repeats certain), relu per step; bce"),
    ("embedding-02", [4], [L("embedding", vocabulary=5, dim=3), norm("layer_norm"), dense(3, "softmax")],
     "cross_entropy", 3, "embedding -> layer_norm -> per-step softmax on a [T, C] output"),
    ("embedding-03", [5], [L("embedding", vocabulary=7, dim=4), residual([dense(4, "gelu"), dense(4)]), FLAT,
                           dense(2)], "sse", 2, "embedding -> residual block per step -> flatten -> dense"),
]


# --------------------------------------------------------------------------
# The mixed-* family: random architectures with valid shapes
# --------------------------------------------------------------------------

# name suffix, theme, loss, layer types the architecture must contain
MIXED = [
    ("00", "c2", "mse", ("max_pool2d", "batch_norm")),
    ("01", "c1", "cross_entropy", ("avg_pool1d", "residual")),
    ("02", "emb", "sse", ("layer_norm", "residual")),
    ("03", "vec", "bce", ("batch_norm", "residual")),
    ("04", "c2", "half_sse", ("avg_pool2d", "residual")),
    ("05", "c1", "bce", ("max_pool1d", "batch_norm")),
    ("06", "seq", "cross_entropy", ("residual", "layer_norm")),
    ("07", "vec", "mse", ("layer_norm", "batch_norm")),
    ("08", "c2", "cross_entropy", ("conv2d", "layer_norm")),
    ("09", "emb", "half_sse", ("residual",)),
    ("10", "c1", "sse", ("conv1d", "layer_norm", "max_pool1d")),
    ("11", "vec", "half_sse", ("residual", "layer_norm")),
]


def rand_act(rng, p_identity=0.3):
    return "identity" if rng.random() < p_identity else rng.choice(ELEMENTWISE[1:])


def maybe(rng, value, p=0.5):
    """value with probability p, else None (the key is then omitted: the contract's default)."""
    return value if rng.random() < p else None


def int_or_pair(rng, lo, hi):
    return rng.randint(lo, hi) if rng.random() < 0.5 else [rng.randint(lo, hi), rng.randint(lo, hi)]


def draw_block(rng, kind, shape, depth):
    """A shape-keeping residual block for a per-sample shape."""
    if kind in ("vec", "seq"):
        f = shape[-1]
        choice = rng.randrange(4 if depth == 0 else 3)
        if choice == 0:
            return [dense(rng.randint(2, 5), rand_act(rng, 0.1)), dense(f, maybe(rng, rand_act(rng)))]
        if choice == 1:
            return [norm("layer_norm"), dense(f, rand_act(rng, 0.1))]
        if choice == 2:
            return [dense(f, rand_act(rng, 0.1)), norm("layer_norm", maybe(rng, 1e-3))]
        return [dense(f, rand_act(rng, 0.1)), residual(draw_block(rng, kind, shape, depth + 1), maybe(rng, rand_act(rng)))]
    c = shape[0]
    if kind == "c1":
        k, p, d = rng.choice([(3, 1, 1), (3, 2, 2), (1, 0, 1)])
        first = conv1d(c, k, 1, p, d, rand_act(rng, 0.1))
        if rng.random() < 0.5:
            return [first, norm("batch_norm", act=maybe(rng, rand_act(rng)))]
        return [first, conv1d(c, 3, padding=1)]
    k, p = rng.choice([(3, 1), ([3, 1], [1, 0]), ([1, 3], [0, 1])])
    first = conv2d(c, k, padding=p, act=rand_act(rng, 0.1))
    if rng.random() < 0.5:
        return [first, norm("batch_norm")]
    return [first, conv2d(c, 1)]


NORMS = ("layer_norm", "batch_norm")


def draw_body_layer(rng, kind, shape, first):
    """(layer, new kind) or None when the drawn geometry does not fit; conv themes start with a conv."""
    ops = {"vec": ["dense", "dense", "layer_norm", "batch_norm", "residual"],
           "seq": ["dense", "dense", "layer_norm", "residual", "flatten"],
           "c1": ["conv1d", "conv1d", "max_pool1d", "avg_pool1d", "batch_norm", "layer_norm", "residual", "flatten"],
           "c2": ["conv2d", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "residual", "flatten"]}[kind]
    op = ops[0] if first and kind in ("c1", "c2") else rng.choice(ops)
    if op == "dense":
        return dense(rng.randint(2, 6), maybe(rng, rand_act(rng), 0.8)), kind
    if op == "layer_norm":
        if shape[-1] < 3:
            return None
        return norm("layer_norm", maybe(rng, 1e-3, 0.3), maybe(rng, rand_act(rng), 0.4)), kind
    if op == "batch_norm":
        return norm("batch_norm", maybe(rng, 1e-3, 0.3), maybe(rng, rand_act(rng), 0.5)), kind
    if op == "residual":
        return residual(draw_block(rng, kind, shape, 0), maybe(rng, rand_act(rng), 0.5)), kind
    if op == "flatten":
        return (dict(FLAT) if rng.random() < 0.8 else L("flatten", activation=rand_act(rng, 0.0))), "vec"
    if op == "conv1d":
        layer = conv1d(rng.randint(1, 4), rng.randint(1, 3), maybe(rng, rng.randint(1, 2)),
                       maybe(rng, rng.randint(0, 2)), maybe(rng, rng.randint(1, 2)), maybe(rng, rand_act(rng), 0.8))
        k, s, p, d = conv_geometry(layer, 1)
        n = conv_out(shape[1], k[0], s[0], p[0], d[0])
        return (layer, kind) if 2 <= n <= 10 else None
    if op == "conv2d":
        layer = conv2d(rng.randint(1, 3), int_or_pair(rng, 1, 3), maybe(rng, int_or_pair(rng, 1, 2)),
                       maybe(rng, int_or_pair(rng, 0, 1)), maybe(rng, int_or_pair(rng, 1, 2)),
                       maybe(rng, rand_act(rng), 0.8))
        k, s, p, d = conv_geometry(layer, 2)
        ns = [conv_out(shape[1 + i], k[i], s[i], p[i], d[i]) for i in range(2)]
        return (layer, kind) if all(2 <= n <= 9 for n in ns) else None
    # pools
    n_axes = int(op[-2])
    kernel = rng.randint(2, 3) if n_axes == 1 else int_or_pair(rng, 2, 3)
    stride = maybe(rng, rng.randint(1, 3) if n_axes == 1 else int_or_pair(rng, 1, 3))
    layer = pool(op, kernel, stride, maybe(rng, rand_act(rng), 0.2))
    k, s = pool_geometry(layer, n_axes)
    if any(shape[1 + i] < k[i] for i in range(n_axes)):
        return None
    return layer, kind


def contains(layers, t):
    return any(l["type"] == t or (l["type"] == "residual" and contains(l["layers"], t)) for l in layers)


def mixed_architecture(rng, theme, loss, must):
    while True:
        layers = []
        if theme == "c2":
            inputs = [rng.randint(1, 2), rng.randint(4, 7), rng.randint(4, 7)]
            kind = "c2"
        elif theme == "c1":
            inputs, kind = [rng.randint(1, 3), rng.randint(5, 8)], "c1"
        elif theme == "seq":
            inputs, kind = [rng.randint(2, 5), rng.randint(2, 4)], "seq"
        elif theme == "emb":
            inputs, kind = [rng.randint(3, 6)], "seq"
            layers.append(L("embedding", vocabulary=rng.randint(3, 8), dim=rng.randint(2, 4),
                            activation=maybe(rng, rand_act(rng), 0.3)))
        else:
            inputs, kind = rng.randint(2, 6), "vec"
        shape = (inputs,) if isinstance(inputs, int) else tuple(inputs)
        if layers:
            shape = (shape[0], layers[0]["dim"])
        for i in range(rng.randint(3, 5)):
            drawn = draw_body_layer(rng, kind, shape, first=i == 0)
            if drawn is None:
                continue
            layer, kind = drawn
            prev = layers[-1] if layers else None
            if prev is not None and layer["type"] in NORMS and prev["type"] in NORMS:
                continue   # a norm right after a norm: the first one's gamma / beta barely matter
            if layer["type"] == "max_pool1d" or layer["type"] == "max_pool2d":
                if prev is not None and prev.get("activation") == "relu":
                    prev["activation"] = "leaky_relu"   # relu zeros tie in a max-pool window
            info = Info()
            shape = walk([layer], shape, None, info, 2)
            layers.append(layer)
        # head
        if loss in ("bce", "cross_entropy"):
            last = "sigmoid" if loss == "bce" else "softmax"
        else:
            last = maybe(rng, rng.choice(["identity", "tanh", "sigmoid", "softsign", "elu"]), 0.6)
        units = rng.randint(2, 4) if loss == "cross_entropy" else rng.randint(1, 3)
        if kind == "seq" and rng.random() < 0.6:
            layers.append(dense(units, last))                        # per-step output [T, units]
        elif kind in ("c1", "c2") and loss in ("mse", "sse", "half_sse") and rng.random() < 0.3:
            conv = conv1d if kind == "c1" else conv2d
            layers.append(conv(rng.randint(1, 2), 1, act=last))      # loss on a conv output
        else:
            if len(shape) > 1:
                layers.append(dict(FLAT))
            layers.append(dense(units, last))
        if not all(contains(layers, t) for t in must):
            continue
        if theme in ("c1", "c2") and not layers[0]["type"].startswith("conv"):
            continue
        info = Info()
        try:
            out = walk(layers, tuple(inputs) if isinstance(inputs, list) else (inputs,), None, info, len(layers))
        except AssertionError:
            continue
        n_params = sum(math.prod(s) for _, s, _, _ in info.params)
        body = len(layers) - (2 if layers[-1]["type"] == "dense" and layers[-2]["type"] == "flatten" else 1)
        if n_params > MAX_PARAMS or n_params < 30 or math.prod(out) > 24 or body < 3:
            continue
        samples = rng.randint(3 if info.bn_on_vectors else MIN_SAMPLES, MAX_SAMPLES)
        return inputs, layers, samples


def mixed_spec(suffix, theme, loss, must):
    seed = 6000 + int(suffix)
    rng = random.Random(seed)
    inputs, layers, samples = mixed_architecture(rng, theme, loss, must)
    return draw_spec(rng, "mixed-" + suffix, inputs, layers, loss, samples)


# --------------------------------------------------------------------------
# Descriptions, checks, coverage
# --------------------------------------------------------------------------

def hp(v):
    return "[%s]" % ",".join(str(e) for e in v) if isinstance(v, list) else str(v)


def layer_text(layer):
    t = layer["type"]
    act = layer.get("activation", "identity")
    if t == "dense":
        s = "dense %d" % layer["units"]
    elif t in ("conv1d", "conv2d"):
        s = "%s %d k%s" % (t, layer["channels"], hp(layer["kernel"]))
        for key, letter, default in (("stride", "s", 1), ("padding", "p", 0), ("dilation", "d", 1)):
            if layer.get(key, default) != default:
                s += " %s%s" % (letter, hp(layer[key]))
    elif t.endswith("pool1d") or t.endswith("pool2d"):
        s = "%s k%s" % (t, hp(layer["kernel"]))
        if "stride" in layer and layer["stride"] != layer["kernel"]:
            s += " s%s" % hp(layer["stride"])
    elif t in ("layer_norm", "batch_norm"):
        s = t + (" eps %g" % layer["eps"] if "eps" in layer else "")
    elif t == "residual":
        s = "residual[%s]" % " → ".join(layer_text(l) for l in layer["layers"])
    elif t == "embedding":
        s = "embedding %d×%d" % (layer["vocabulary"], layer["dim"])
    else:
        s = t
    return s + ("" if act == "identity" else " " + act)


def arch_text(spec):
    return " → ".join(layer_text(l) for l in spec["layers"])


def shape_text(shape):
    return "[%s]" % ", ".join(str(n) for n in shape)


def process(spec, description):
    """Checks one spec (parsed back from its JSON text); returns (spec text, expected text, row)."""
    spec_text = dumps(spec)
    spec = json.loads(spec_text)
    name = spec["name"]
    info = validate(spec)
    loss, grads = torch_gradients(spec)
    assert math.isfinite(loss) and all(math.isfinite(v) for g in grads.values() for v in flatten(g)), name
    for pname, shape, _, _ in info.params:
        assert is_regular(grads[pname], shape), (name, pname)
    # check 2: the independent numpy forward pass
    net = NumpyNet(spec)
    np_loss, np_out = net.loss()
    loss_rel = abs(np_loss - loss) / abs(loss)
    assert loss_rel <= NUMPY_TOL, ("numpy loss", name, np_loss, loss, loss_rel)
    t_out = torch_output(spec)
    assert t_out.shape == np_out.shape == (len(spec["data"]["x"]),) + info.out_shape
    out_err = float(np.max(np.abs(t_out - np_out) / np.maximum(1.0, np.abs(np_out))))
    assert out_err <= NUMPY_TOL, ("numpy output", name, out_err)
    assert net.kink >= KINK_MARGIN and net.pool_gap >= POOL_MARGIN, name
    # check 1: finite differences
    fd_worst, fd_at = fd_check(spec, grads)
    expected = {"loss": loss, "gradients": grads, "producer": PRODUCER}
    row = {"name": name, "spec": spec, "info": info, "description": description, "loss": loss,
           "fd": fd_worst, "fd_at": fd_at, "np_loss": loss_rel, "np_out": out_err, "kink": net.kink,
           "gap": net.pool_gap, "grads": grads, "noise": noise_level(spec, grads)}
    print("%-20s %3d params  loss %-22r fd %.1e (%s)  numpy loss %.1e out %.1e  min|z| relu %s  pool gap %s"
          % (name, info.n_params, loss, fd_worst, fd_at, loss_rel, out_err,
             "%.2g" % net.kink if math.isfinite(net.kink) else "-",
             "%.2g" % net.pool_gap if math.isfinite(net.pool_gap) else "-"))
    return spec_text, dumps(expected), row


def noise_level(spec, grads):
    """[(parameter, reason)] for parameters whose whole gradient is tiny (< 1e-12) but not 0; each must be
    a bias (or beta) feeding a batch_norm through position-independent layers, where it is exactly 0
    mathematically (a per-channel constant is removed by the batch mean)."""
    found = []
    for pname, g in grads.items():
        vals = [abs(v) for v in flatten(g)]
        if max(vals) < 1e-12:
            found.append(pname)
    # which parameters do feed a batch_norm directly (through identity activations only)?
    explained = {}

    def scan(layers, parent):
        for k, layer in enumerate(layers, 1):
            sfx = suffix_of(parent, k)
            if layer["type"] == "residual":
                scan(layer["layers"], sfx)
            if k < len(layers) and layers[k]["type"] == "batch_norm" and layer.get("activation", "identity") == "identity":
                if layer["type"] in ("dense", "conv1d", "conv2d"):
                    explained["b" + sfx] = "bias right before a batch_norm"
                if layer["type"] == "batch_norm":
                    explained["beta" + sfx] = "beta right before a batch_norm"
    scan(spec["layers"], None)
    for pname in found:
        assert pname in explained, ("unexplained tiny gradient", spec["name"], pname, grads[pname])
    return [(p, explained[p]) for p in found]


def coverage(rows):
    types = {t: 0 for t in LAYER_TYPES}
    losses = {l: 0 for l in LOSSES}
    acts = {a: 0 for a in ACTIVATIONS}
    features = {}
    for r in rows:
        info, spec = r["info"], r["spec"]
        for t in info.types:
            types[t] += 1
        losses[spec["loss"]] += 1
        for a in info.acts:
            acts[a] += 1
        for f in info.features:
            features[f] = features.get(f, 0) + 1
        last = spec["layers"][-1].get("activation", "identity")
        if spec["loss"] == "bce" and last == "sigmoid":
            features["sigmoid + bce"] = features.get("sigmoid + bce", 0) + 1
        if spec["loss"] == "cross_entropy" and len(info.out_shape) == 2:
            features["softmax + cross_entropy on [T, C]"] = features.get("softmax + cross_entropy on [T, C]", 0) + 1
        if spec["layers"][0]["type"] == "embedding":
            x = spec["data"]["x"]
            vocab = spec["layers"][0]["vocabulary"]
            ids = set(flatten(x))
            if any(len(set(s)) < len(s) for s in x) and 0 in ids and vocab - 1 in ids:
                features["embedding: repeated ids, 0 and V-1"] = features.get("embedding: repeated ids, 0 and V-1", 0) + 1
        if len(info.out_shape) > 1:
            features["loss on a multi-axis output"] = features.get("loss on a multi-axis output", 0) + 1
    assert all(c >= 3 for c in types.values()), types
    assert all(c >= 3 for c in losses.values()), losses
    assert all(c >= 1 for c in acts.values()), acts
    required = ["conv1d stride 2", "conv1d padding", "conv1d dilation 2"] + \
        ["conv2d %s %s" % (k, m) for k in ("kernel", "stride", "padding", "dilation") for m in ("int", "pair")] + \
        ["%s stride != kernel" % t for t in ("max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d")] + \
        ["layer_norm on rank 1", "layer_norm on rank 2", "batch_norm on rank 1", "batch_norm on rank 2",
         "batch_norm on rank 3", "nested residual", "layer_norm inside residual", "dense on rank 2",
         "softmax + cross_entropy on [T, C]", "embedding: repeated ids, 0 and V-1",
         "activation on a pool / flatten", "loss on a multi-axis output"]
    for f in required:
        assert features.get(f, 0) >= 1, ("coverage", f)
    assert features["sigmoid + bce"] >= 2
    mixed = [r for r in rows if r["name"].startswith("mixed-")]
    assert all(any(t in r["info"].types for r in mixed) for t in LAYER_TYPES), "mixed-* miss a layer type"
    return types, losses, acts, features


# --------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------

def gfmt(v, digits=2):
    return "%.*g" % (digits, v)


def readme(rows, types, losses, acts, features):
    out = []
    add = out.append
    add("# Reference gradients for layered networks")
    add("")
    add("Test data for chainproof's layered specs (dense, conv1d/2d, pools, flatten, layer_norm, batch_norm,")
    add("residual, embedding), produced **independently of the Java code** by")
    add("`src/test/python/make_layered_reference.py` with PyTorch %s autograd in float64 (this file is" % torch.__version__)
    add("written by that script too).")
    add("")
    add("## Files")
    add("")
    add("For every spec `<name>`: `<name>.spec.json` (the spec exactly as chainproof reads it: explicit")
    add("`parameters` and `data`) and `<name>.expected.json`")
    add("`{\"loss\": L, \"gradients\": {name: [...], ...}, \"producer\": \"%s\"}` — the gradients of the" % PRODUCER)
    add("sample-averaged loss, named and ordered like `parameters`, each in its parameter's PyTorch shape.")
    add("Numbers are float64 written with Python `repr` (round-trip exact: `Double.parseDouble` gives the")
    add("identical double); token ids in `data.x` are JSON integers.")
    add("")
    add("## Format")
    add("")
    add("```")
    add("{\"name\": ..., \"inputs\": <shape of one sample>, \"layers\": [...], \"loss\": ..., \"parameters\": {...},")
    add(" \"data\": {\"x\": [one entry per sample, of the input shape], \"y\": [one per sample, of the output shape]}}")
    add("```")
    add("")
    add("* `inputs`: an int (a vector of that many features), `[C, L]` (conv1d, or a `[T, F]` sequence),")
    add("  `[C, H, W]` (conv2d), `[T]` (token ids; the first layer is then `embedding`).")
    add("* Every layer may carry `activation` (default `identity`), applied elementwise after the layer;")
    add("  `softmax` is over the last axis, last layer only. Activations: identity, sigmoid, tanh, relu,")
    add("  leaky_relu (slope 0.01), softplus (exact log(1+e^z), no threshold), silu, gelu (exact erf form),")
    add("  elu (α = 1), softsign, softmax.")
    add("* Layers (PyTorch modules, float64, PyTorch layouts; the layer at list position p owns the")
    add("  parameters suffixed p, parameter-less layers still consume a position):")
    add("")
    add("| type | keys | parameters | PyTorch |")
    add("|------|------|------------|---------|")
    add("| `dense` | units | W{p} [units][in], b{p} [units] | nn.Linear on the last axis (per step on [T, F]) |")
    add("| `conv1d` | channels, kernel, stride=1, padding=0, dilation=1 | W{p} [out][in][k], b{p} [out] | nn.Conv1d, zero padding |")
    add("| `conv2d` | same; each an int or [h, w] | W{p} [out][in][kh][kw], b{p} [out] | nn.Conv2d |")
    add("| `max_pool1d`, `avg_pool1d` | kernel, stride=kernel | — | no padding, floor mode |")
    add("| `max_pool2d`, `avg_pool2d` | kernel, stride=kernel (int or pair) | — | no padding, floor mode |")
    add("| `flatten` | — | — | row-major flatten of the per-sample shape |")
    add("| `layer_norm` | eps=1e-5 | gamma{p}, beta{p} [last] | nn.LayerNorm over the last axis |")
    add("| `batch_norm` | eps=1e-5 | gamma{p}, beta{p} [C] | BatchNorm1d/2d, training mode: batch statistics over samples and positions, biased variance; C = first per-sample axis |")
    add("| `residual` | layers | those of its block: W{p}.{k}, gamma{p}.{k}, …; nested W{p}.{k}.{j} | y = act(x + block(x)) |")
    add("| `embedding` | vocabulary, dim | E{p} [vocabulary][dim] | nn.Embedding (first layer only) |")
    add("")
    add("* Losses on the final output, per sample over **all** its entries, then the mean over samples:")
    add("  mse = mean (a−y)², sse = Σ (a−y)², half_sse = ½ Σ (a−y)², bce = −mean [y log a + (1−y) log(1−a)]")
    add("  (sigmoid last; via logsigmoid of the last pre-activation), cross_entropy = −Σ y log a (softmax")
    add("  last; log_softmax over the last axis of the last pre-activation, y rows one-hot; on a [T, C]")
    add("  output the sum runs over all T rows).")
    add("")
    add("## Specs")
    add("")
    add("| spec | input | layers | output | loss | samples | params | what it tests |")
    add("|------|-------|--------|--------|------|---------|--------|---------------|")
    for r in rows:
        spec = r["spec"]
        inputs = spec["inputs"]
        add("| `%s` | %s | %s | %s | %s | %d | %d | %s |"
            % (r["name"], inputs if isinstance(inputs, int) else shape_text(inputs), arch_text(spec),
               shape_text(r["info"].out_shape), spec["loss"], len(spec["data"]["x"]), r["info"].n_params,
               r["description"]))
    add("")
    add("## Generator")
    add("")
    add("Each spec has its own `random.Random(seed)` (5000 + index for the hand-designed architectures,")
    add("6000 + k for `mixed-k`; never torch's RNG). Weights and biases U(−1, 1)/√fan_in (fan_in: inputs of")
    add("a dense unit, in_channels × kernel size of a conv), gamma U(0.5, 1.5), beta U(−0.5, 0.5), embedding")
    add("rows U(−1, 1), x U(−2, 2), y U(−1, 1) for mse/sse/half_sse, U(0, 1) for bce, one-hot rows over the")
    add("last axis for cross_entropy; all rounded to 4 decimals **before** computing, so the JSON values are")
    add("exactly what torch used. The `mixed-*` architectures are drawn too: a theme (conv2d input, conv1d")
    add("input, [T, F] sequence, embedding, vector), 3–5 body layers valid for the current shape (dense,")
    add("conv, pools, layer_norm, batch_norm, shape-keeping residual blocks — sometimes nested — flatten),")
    add("optional keys left out at random so the defaults are exercised, and a head fitting the loss")
    add("(per-step dense on sequences, a 1×1 conv on conv maps, or flatten + dense); each must contain the")
    add("layer types listed in the script. A draw is rejected and redrawn when a relu / leaky_relu")
    add("pre-activation is within 1e-4 of 0, when a max-pool window's two largest values are within 1e-4")
    add("(stricter than a 1e-9 tie: no finite-difference step can switch the arg max), when a gradient entry")
    add("is non-finite, or when a parameter's whole gradient is exactly 0 (dead path); embedding data is")
    add("redrawn until a sequence repeats an id and ids 0 and vocabulary − 1 both occur. Sizes: ≤ %d" % MAX_PARAMS)
    add("parameters, ≤ %d per input axis, %d–%d samples (≥ 3 when batch_norm sees [N, F])."
        % (MAX_AXIS, MIN_SAMPLES, MAX_SAMPLES))
    add("")
    add("Note: the bias of a dense / conv layer directly before a batch_norm (no activation between) has a")
    add("mathematically **zero** gradient (the batch mean removes any per-channel constant); torch's value")
    add("there is rounding noise. Compare with an absolute floor, e.g. |g − e| ≤ tol · max(1, |e|). Parameters whose")
    add("every gradient entry is below 1e-12 in magnitude (not exactly 0):")
    add("")
    add("| spec | parameter | largest \\|g\\| | why |")
    add("|------|-----------|-----------------|-----|")
    for r in rows:
        for pname, why in r["noise"]:
            g = r["grads"][pname]
            add("| `%s` | %s | %s | %s |" % (r["name"], pname, gfmt(max(abs(v) for v in flatten(g))), why))
    add("")
    add("(Rows of an embedding matrix whose ids never occur have an exactly-zero gradient, as in PyTorch.)")
    add("")
    add("## Checks done by the generator (it aborts on any failure)")
    add("")
    worst_fd = max(rows, key=lambda r: r["fd"])
    worst_np = max(rows, key=lambda r: r["np_loss"])
    worst_out = max(rows, key=lambda r: r["np_out"])
    kinks = [r["kink"] for r in rows if math.isfinite(r["kink"])]
    gaps = [r["gap"] for r in rows if math.isfinite(r["gap"])]
    add("1. Central finite differences of the torch loss (step 1e-6 · max(1, |p|), forward passes without")
    add("   autograd) agree with autograd for **every** parameter entry to 1e-6 with denominator max(1, |g|)")
    add("   (observed worst %s, `%s` %s)." % (gfmt(worst_fd["fd"]), worst_fd["name"], worst_fd["fd_at"]))
    add("2. An independent forward pass in plain numpy/math float64, written from the contract above (no")
    add("   torch: explicit loops for convolution as cross-correlation with zero padding and for pooling, own")
    add("   layer/batch norm with biased variance, residual sums, embedding lookup, stable logsigmoid /")
    add("   log-softmax losses, exactly rounded sums) gives the loss to 1e-12 relative (observed worst %s,"
        % gfmt(worst_np["np_loss"]))
    add("   `%s`) and every final output entry to 1e-12 with denominator max(1, |a|) (observed worst %s, `%s`)."
        % (worst_np["name"], gfmt(worst_out["np_out"]), worst_out["name"]))
    add("3. Every spec is validated against the contract (keys, shapes, parameter names, order and shapes,")
    add("   data shapes, loss requirements, size limits), all checks run on the JSON text parsed back, and")
    add("   the coverage below is asserted (every layer type in ≥ 3 specs, every loss in ≥ 3, …).")
    add("4. Smallest |relu / leaky_relu pre-activation| over all specs: %s; smallest max-pool window gap: %s."
        % (gfmt(min(kinks), 3), gfmt(min(gaps), 3)))
    add("")
    add("## Coverage (asserted)")
    add("")
    add("| layer type | specs |")
    add("|------------|-------|")
    for t, c in types.items():
        add("| `%s` | %d |" % (t, c))
    add("")
    add("| loss | specs |")
    add("|------|-------|")
    for l, c in losses.items():
        add("| `%s` | %d |" % (l, c))
    add("")
    add("| activation | specs |")
    add("|------------|-------|")
    for a, c in acts.items():
        add("| `%s` | %d |" % (a, c))
    add("")
    add("| feature | specs |")
    add("|---------|-------|")
    for f in sorted(features):
        add("| %s | %d |" % (f, features[f]))
    add("")
    add("## Decisions where the contract leaves room")
    add("")
    add("* Nested residual parameters extend the rule recursively: the j-th layer of a residual that is the")
    add("  k-th layer of the residual at position p owns W{p}.{k}.{j} (see `residual-02`).")
    add("* batch_norm's channel axis is the first per-sample axis (features of [F], C of [C, L] and")
    add("  [C, H, W]); it is only used on vectors and conv feature maps here, never on [T, F] sequences")
    add("  (where it would normalise per time step).")
    add("* dense is used on vectors and on [T, F] sequences only (never on conv maps), conv1d never on")
    add("  sequences; a multi-axis final output ([T, C] or a conv map) is fine for every loss: the per-sample")
    add("  loss runs over all entries.")
    add("* `inputs` is an int for vectors; `[T]` appears only with a leading embedding.")
    add("* An `activation` is also placed on parameter-less layers (a pool, a flatten), on norms, residual")
    add("  sums and an embedding in a few specs; optional keys (stride, padding, dilation, eps, activation) are")
    add("  sometimes omitted so the defaults are used.")
    add("* softplus is the exact log(1+e^z) (torch.logaddexp, not F.softplus with its threshold 20),")
    add("  as in `../README.md`.")
    add("")
    add("## Regenerating")
    add("")
    add("From the repository root:")
    add("")
    add("    /usr/bin/python3 src/test/python/make_layered_reference.py")
    add("")
    add("Needs torch and numpy (Debian: python3-torch, python3-numpy). Last generated with torch %s, numpy %s,"
        % (torch.__version__, np.__version__))
    add("Python %s. Re-running produces byte-identical files (torch single-threaded); the specs depend only"
        % sys.version.split()[0])
    add("on Python's seeded `random.Random`, so another torch build gives the same specs and may differ only")
    add("in the last ulps of the expected values.")
    return "\n".join(out) + "\n"


def main():
    specs = []
    for i, (name, inputs, layers, loss, samples, description) in enumerate(FIXED):
        rng = random.Random(5000 + i)
        specs.append((draw_spec(rng, name, inputs, layers, loss, samples), description))
    for suffix, theme, loss, must in MIXED:
        spec = mixed_spec(suffix, theme, loss, must)
        specs.append((spec, "mixed (%s theme)" % {"c2": "conv2d", "c1": "conv1d", "seq": "sequence",
                                                   "emb": "embedding", "vec": "vector"}[theme]))
    names = [s["name"] for s, _ in specs]
    assert len(set(names)) == len(names)

    outputs, rows = {}, []
    for spec, description in specs:
        s, e, row = process(spec, description)
        outputs[spec["name"]] = (s, e)
        rows.append(row)
    types, losses, acts, features = coverage(rows)

    print()
    print("%-20s %-12s %-14s %4s %6s  %s" % ("spec", "input", "loss", "N", "params", "layers"))
    for r in rows:
        spec = r["spec"]
        inputs = spec["inputs"]
        print("%-20s %-12s %-14s %4d %6d  %s" % (r["name"], inputs if isinstance(inputs, int) else shape_text(inputs),
                                                 spec["loss"], len(spec["data"]["x"]), r["info"].n_params,
                                                 arch_text(spec)))
    print()
    print("specs per layer type:", types)
    print("specs per loss:", losses)
    print("specs per activation:", acts)
    print("worst finite-difference error %.2e, numpy loss %.2e, numpy output %.2e"
          % (max(r["fd"] for r in rows), max(r["np_loss"] for r in rows), max(r["np_out"] for r in rows)))

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    keep = {n + ext for n in outputs for ext in (".spec.json", ".expected.json")}
    for path in sorted(OUT_DIR.glob("*.json")):
        if path.name not in keep and (path.name.endswith(".spec.json") or path.name.endswith(".expected.json")):
            path.unlink()
    for name, (spec_text, expected_text) in outputs.items():
        write(OUT_DIR / (name + ".spec.json"), spec_text)
        write(OUT_DIR / (name + ".expected.json"), expected_text)
    write(OUT_DIR / "README.md", readme(rows, types, losses, acts, features))
    print("wrote %d spec/expected pairs and README.md to %s" % (len(outputs), OUT_DIR))
    return 0


if __name__ == "__main__":
    sys.exit(main())
