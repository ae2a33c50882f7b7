#!/usr/bin/python3
"""Generate independent reference gradients for chainproof's `elu` and `softsign` activations.

What
----
chainproof gains two activations:

* ``elu``      -- PyTorch ``F.elu`` with alpha = 1:  z for z > 0, e^z - 1 otherwise;
* ``softsign`` -- PyTorch ``F.softsign``:           z / (1 + |z|).

This script writes, into ``src/test/resources/reference/activations/`` (and nowhere else):

* ``<name>.spec.json``     -- an MLP spec exactly as chainproof reads it (explicit parameters, data);
* ``<name>.expected.json`` -- ``{"loss": L, "gradients": {"W1": ..., "b1": ..., ...}, "producer": ...}``
                              (plus a ``note`` string for the edge cases), the layout of
                              ``make_reference.py`` / PyTorch's ``{name: p.grad}``;
* ``README.md``            -- what the files are, the measured edge-case numbers, how to regenerate.

Specs
-----
* 13 seeded random specs: ``elu-00`` .. ``elu-04`` and ``softsign-00`` .. ``softsign-04`` (one per
  loss: mse, sse, half_sse, bce, cross_entropy) and ``mixed-00`` .. ``mixed-02`` (elu AND softsign
  together with relu / tanh / sigmoid).  Depth 1-4, widths 1-4, inputs 1-4, samples 1-3; weights
  U(-1.5, 1.5), biases U(-0.5, 0.5), x U(-2, 2), rounded to 4 decimals; y as in make_reference.py
  (U(-1, 1) for mse/sse/half_sse, U(0, 1) with a sigmoid last layer for bce, one-hot with a
  softmax last layer for cross_entropy).  Expected values: PyTorch float64 autograd.
  A spec is rejected and redrawn if a relu / elu / softsign pre-activation lies within 1e-4 of 0,
  if a whole W_l gradient is exactly 0 (dead relu path), or if the featured activation (elu,
  softsign; both for mixed-*) does not see pre-activations of both signs.
* 5 hand-made edge cases (1 sample, chain input -> layer 1 -> layer 2 -> identity, sse):
  ``elu-saturated-40``, ``elu-saturated-720``, ``elu-saturated-800`` (one layer-1 elu unit at
  z ~ -40 / -720 / -800: e^z - 1 rounds to -1, the derivative e^z is ~4.8e-18 / subnormal ~2.3e-313 /
  below the float64 range ~4.1e-348), ``softsign-saturated-1e8`` (|z| ~ 1e8, derivative
  1/(1+|z|)^2 ~ 1e-16), ``softsign-saturated-1e12`` (|z| ~ 1e12, derivative ~ 1e-24).
  Their expected loss and gradients come from an mpmath chain rule at 60 significant digits
  (parameters/data converted exactly from their float64 values), correctly rounded to float64;
  the ``note`` says how far PyTorch float64 is from that.

Checks (AssertionError on failure)
----------------------------------
1. central finite differences (step 1e-6 * max(1, |p|), torch float64 forward passes) agree with the recorded
   gradients to 1e-6, denominator max(1, |g|);
2. an independent mpmath chain rule (60 digits, own forward pass, no torch) agrees with torch
   autograd to 1e-10 with denominator max(1, |g|), and on the loss;
3. mpmath.diff of the mpmath forward loss (numerical differentiation, working precision chosen so
   that even the smallest nonzero gradient is resolved) agrees with the mpmath chain rule to
   1e-30 *relative* for every nonzero entry (and is ~0 where the chain rule gives exactly 0);
4. coverage: every loss in >= 2 random specs, elu and softsign each with every loss, sigmoid,
   tanh and relu in >= 2 random specs each, mixed-* contain elu, softsign and a classic
   activation; sizes within the ranges above; the recorded expected values are finite.

Randomness only from ``random.Random(seed)`` (never torch's RNG); floats are written with repr
(round-trip exact), so re-running gives byte-identical files on the same torch build.

How to run
----------
From the repository root::

    /usr/bin/python3 src/test/python/make_activation_reference.py

(requires torch and mpmath; Debian python3-torch, python3-mpmath).
Last run with torch 1.13.0a0 (Debian python3-torch), mpmath 1.2.1, Python 3.11.2.

Semantics (must match chainproof)
---------------------------------
z_l = W_l a_{l-1} + b_l, a_l = act(z_l), a_0 = x; W_l is [units_l][units_{l-1}].
Losses per sample, then the mean over samples: mse = mean_o (a-y)^2, sse = sum_o (a-y)^2,
half_sse = 1/2 sum_o (a-y)^2, bce = -mean_o [y log a + (1-y) log(1-a)], cross_entropy =
-sum_o y log a (log a / log(1-a) via logsigmoid / log_softmax of the last pre-activation).
"""

import json
import math
import random
import sys
from pathlib import Path

import mpmath
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
DT = torch.float64

REPO = Path(__file__).resolve().parents[3]
OUT_DIR = REPO / "src" / "test" / "resources" / "reference" / "activations"

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "elu", "softsign", "softmax"]
NEW = ("elu", "softsign")
CLASSIC = ("sigmoid", "tanh", "relu")
LOSSES = ["mse", "sse", "half_sse", "bce", "cross_entropy"]
KINKED = ("relu", "elu", "softsign")   # pre-activations must stay KINK_MARGIN away from 0
KINK_MARGIN = 1e-4

FD_STEP = 1e-6
FD_TOL = 1e-6
MP_TOL = 1e-10          # torch autograd vs mpmath chain rule, denominator max(1, |g|)
MP_DIGITS = 60          # mpmath chain rule precision (significant decimal digits)
DIFF_TOL = 1e-30        # mpmath.diff vs mpmath chain rule, relative

TORCH_PRODUCER = "torch %s autograd float64" % torch.__version__


# --------------------------------------------------------------------------
# JSON output: make_reference.py's formatter (repr-exact floats, 2-space indentation), shared
# --------------------------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_reference import (dumps, draw_params, flatten, param_names, r4, reshape_like,  # noqa: E402
                            torch_params, write)  # shared with make_reference.py: same layout, same drawing


# --------------------------------------------------------------------------
# Spec helpers
# --------------------------------------------------------------------------


def validate(spec):
    n_in = spec["inputs"]
    layers = spec["layers"]
    prev = n_in
    for l, layer in enumerate(layers, 1):
        assert layer["activation"] in ACTIVATIONS, layer
        if layer["activation"] == "softmax":
            assert l == len(layers), "softmax only on last layer"
        W = spec["parameters"]["W%d" % l]
        b = spec["parameters"]["b%d" % l]
        assert len(W) == layer["units"] and all(len(r) == prev for r in W)
        assert len(b) == layer["units"]
        prev = layer["units"]
    assert list(spec["parameters"]) == param_names(spec)
    x, y = spec["data"]["x"], spec["data"]["y"]
    assert len(x) == len(y) >= 1
    assert all(len(r) == n_in for r in x) and all(len(r) == prev for r in y)
    last = layers[-1]["activation"]
    if spec["loss"] == "bce":
        assert last == "sigmoid" and all(0 <= v <= 1 for r in y for v in r)
    if spec["loss"] == "cross_entropy":
        assert last in ("sigmoid", "softmax") and all(v >= 0 for r in y for v in r)
    for v in [v for p in spec["parameters"].values() for v in flatten(p)] + \
            [v for r in x for v in r] + [v for r in y for v in r]:
        assert isinstance(v, float) and math.isfinite(v)


# --------------------------------------------------------------------------
# Torch forward / autograd / finite differences
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
    if name == "elu":
        return F.elu(z, alpha=1.0)
    if name == "softsign":
        return F.softsign(z)
    if name == "softmax":
        return torch.softmax(z, dim=1)
    raise ValueError(name)


def t_forward(spec, params):
    """Pre-activations of every layer ([samples][units] tensors) and the output."""
    a = torch.tensor(spec["data"]["x"], dtype=DT)
    zs = []
    for l, layer in enumerate(spec["layers"], 1):
        z = a @ params["W%d" % l].T + params["b%d" % l]
        zs.append(z)
        a = t_act(layer["activation"], z)
    return zs, a


def t_loss(spec, params):
    """Mean-over-samples loss as a torch scalar; params: name -> tensor."""
    y = torch.tensor(spec["data"]["y"], dtype=DT)
    zs, a = t_forward(spec, params)
    z = zs[-1]
    last = spec["layers"][-1]["activation"]
    loss = spec["loss"]
    if loss == "mse":
        per = ((a - y) ** 2).mean(dim=1)
    elif loss == "sse":
        per = ((a - y) ** 2).sum(dim=1)
    elif loss == "half_sse":
        per = 0.5 * ((a - y) ** 2).sum(dim=1)
    elif loss == "bce":
        assert last == "sigmoid"
        per = -(y * F.logsigmoid(z) + (1.0 - y) * F.logsigmoid(-z)).mean(dim=1)
    elif loss == "cross_entropy":
        log_a = torch.log_softmax(z, dim=1) if last == "softmax" else F.logsigmoid(z)
        per = -(y * log_a).sum(dim=1)
    else:
        raise ValueError(loss)
    return per.mean()


def torch_gradients(spec):
    params = torch_params(spec, requires_grad=True)
    L = t_loss(spec, params)
    L.backward()
    return L.item(), {k: params[k].grad.tolist() for k in param_names(spec)}


def torch_preactivations(spec):
    """{layer index (1-based): [[z per unit] per sample]} as Python floats."""
    with torch.no_grad():
        zs, _ = t_forward(spec, torch_params(spec))
    return {l: z.tolist() for l, z in enumerate(zs, 1)}


def fd_gradients(spec):
    """Central differences (step 1e-6 * max(1, |p|)) with plain torch forward passes (no autograd)."""
    out = {}
    with torch.no_grad():
        for name in param_names(spec):
            base = spec["parameters"][name]
            g = []
            for i, v in enumerate(flatten(base)):
                h = FD_STEP * max(1.0, abs(v))  # relative for the huge edge-case weights (5e11 +- 1e-6 == 5e11)
                vals = []
                for p in (v + h, v - h):
                    params = torch_params(spec)
                    params[name].view(-1)[i] = p
                    vals.append(t_loss(spec, params).item())
                g.append((vals[0] - vals[1]) / ((v + h) - (v - h)))
            out[name] = reshape_like(g, base)
    return out


# --------------------------------------------------------------------------
# mpmath: own forward pass, exact chain rule, and mpmath.diff of the forward loss
# (no torch; every float64 input is converted exactly: mpf(float) is exact)
# --------------------------------------------------------------------------

def mp_act(name, z):
    if name == "identity":
        return z
    if name == "sigmoid":
        return 1 / (1 + mpmath.exp(-z))
    if name == "tanh":
        return mpmath.tanh(z)
    if name == "relu":
        return z if z > 0 else mpmath.mpf(0)
    if name == "elu":
        return z if z > 0 else mpmath.expm1(z)
    if name == "softsign":
        return z / (1 + abs(z))
    raise ValueError(name)


def mp_dact(name, z):
    if name == "identity":
        return mpmath.mpf(1)
    if name == "sigmoid":
        e = mpmath.exp(-abs(z))
        return e / (1 + e) ** 2
    if name == "tanh":
        return mpmath.sech(z) ** 2
    if name == "relu":
        return mpmath.mpf(1) if z > 0 else mpmath.mpf(0)
    if name == "elu":
        return mpmath.mpf(1) if z > 0 else mpmath.exp(z)
    if name == "softsign":
        return 1 / (1 + abs(z)) ** 2
    raise ValueError(name)


def mp_log_sigmoid(z):
    return -(max(-z, 0) + mpmath.log1p(mpmath.exp(-abs(z))))


def mp_log_softmax(z):
    m = max(z)
    lse = m + mpmath.log(mpmath.fsum(mpmath.exp(v - m) for v in z))
    return [v - lse for v in z]


def mp_params(spec):
    return {k: reshape_like([mpmath.mpf(v) for v in flatten(p)], p)
            for k, p in spec["parameters"].items()}


def mp_forward(spec, P, x):
    """(zs, acts) for one sample; zs[0] = None, acts[0] = x."""
    acts = [[mpmath.mpf(v) for v in x]]
    zs = [None]
    for l, layer in enumerate(spec["layers"], 1):
        W, b = P["W%d" % l], P["b%d" % l]
        a = acts[-1]
        z = [mpmath.fsum([W[j][k] * a[k] for k in range(len(a))] + [b[j]]) for j in range(len(b))]
        if layer["activation"] == "softmax":
            na = [mpmath.exp(v) for v in mp_log_softmax(z)]
        else:
            na = [mp_act(layer["activation"], v) for v in z]
        zs.append(z)
        acts.append(na)
    return zs, acts


def mp_sample_loss(spec, z, a, y):
    y = [mpmath.mpf(v) for v in y]
    m = len(a)
    loss = spec["loss"]
    if loss in ("mse", "sse", "half_sse"):
        c = {"mse": mpmath.mpf(1) / m, "sse": mpmath.mpf(1), "half_sse": mpmath.mpf(1) / 2}[loss]
        return c * mpmath.fsum((ai - yi) ** 2 for ai, yi in zip(a, y))
    if loss == "bce":
        return -mpmath.fsum(yi * mp_log_sigmoid(zi) + (1 - yi) * mp_log_sigmoid(-zi)
                            for zi, yi in zip(z, y)) / m
    if loss == "cross_entropy":
        la = mp_log_softmax(z) if spec["layers"][-1]["activation"] == "softmax" \
            else [mp_log_sigmoid(v) for v in z]
        return -mpmath.fsum(yi * li for yi, li in zip(y, la))
    raise ValueError(loss)


def mp_loss(spec, P):
    """Mean-over-samples loss at the current mpmath precision."""
    n = len(spec["data"]["x"])
    total = 0
    for x, y in zip(spec["data"]["x"], spec["data"]["y"]):
        zs, acts = mp_forward(spec, P, x)
        total += mp_sample_loss(spec, zs[-1], acts[-1], y)
    return total / n


def mp_chain_rule(spec):
    """Loss and gradients (mpf, shaped like the parameters) by the exact chain rule at MP_DIGITS."""
    with mpmath.workdps(MP_DIGITS):
        P = mp_params(spec)
        layers = spec["layers"]
        last = layers[-1]["activation"]
        n = len(spec["data"]["x"])
        grads = {k: reshape_like([mpmath.mpf(0)] * len(flatten(v)), v) for k, v in P.items()}
        total = mpmath.mpf(0)
        for x, y in zip(spec["data"]["x"], spec["data"]["y"]):
            zs, acts = mp_forward(spec, P, x)
            z, a = zs[-1], acts[-1]
            yv = [mpmath.mpf(v) for v in y]
            m = len(a)
            total += mp_sample_loss(spec, z, a, y)
            loss = spec["loss"]
            if loss in ("mse", "sse", "half_sse"):
                c = {"mse": mpmath.mpf(1) / m, "sse": mpmath.mpf(1), "half_sse": mpmath.mpf(1) / 2}[loss]
                ga = [2 * c * (ai - yi) for ai, yi in zip(a, yv)]
                if last == "softmax":
                    s = mpmath.fsum(ai * gi for ai, gi in zip(a, ga))
                    dz = [ai * (gi - s) for ai, gi in zip(a, ga)]
                else:
                    dz = [gi * mp_dact(last, zi) for gi, zi in zip(ga, z)]
            elif loss == "bce":
                dz = [(mp_act("sigmoid", zi) - yi) / m for zi, yi in zip(z, yv)]
            elif loss == "cross_entropy":
                if last == "softmax":
                    sy = mpmath.fsum(yv)
                    dz = [ai * sy - yi for ai, yi in zip(a, yv)]
                else:
                    dz = [-yi * mp_act("sigmoid", -zi) for zi, yi in zip(z, yv)]
            else:
                raise ValueError(loss)
            for l in range(len(layers), 0, -1):
                W = P["W%d" % l]
                a_prev = acts[l - 1]
                for j in range(len(dz)):
                    grads["b%d" % l][j] += dz[j] / n
                    for k in range(len(a_prev)):
                        grads["W%d" % l][j][k] += dz[j] * a_prev[k] / n
                if l > 1:
                    da = [mpmath.fsum(W[j][k] * dz[j] for j in range(len(dz))) for k in range(len(a_prev))]
                    name = layers[l - 2]["activation"]
                    dz = [da[k] * mp_dact(name, zs[l - 1][k]) for k in range(len(da))]
        return total / n, grads


def mp_diff_check(spec, m_loss, m_grads):
    """mpmath.diff of mp_loss for every parameter entry vs the chain rule; returns (worst rel, digits).

    mpmath.diff (central step h = 2^-(prec+10) at doubled working precision) has an *absolute*
    error of about |L| 2^-(prec+30); the precision is chosen so that the smallest nonzero
    gradient is still resolved to >= 40 digits."""
    nonzero = [abs(g) for k in m_grads for g in flatten(m_grads[k]) if g != 0]
    spread = mpmath.log10(max(mpmath.mpf(1), abs(m_loss)) / min(nonzero))
    digits = MP_DIGITS + max(0, int(mpmath.ceil(spread))) + 5
    worst = 0.0
    with mpmath.workdps(digits):
        base = mp_params(spec)
        for name in param_names(spec):
            flat = flatten(base[name])
            for i, (v, g) in enumerate(zip(flat, flatten(m_grads[name]))):
                def f(t, name=name, i=i, flat=flat):
                    P = dict(base)
                    P[name] = reshape_like(flat[:i] + [t] + flat[i + 1:], base[name])
                    return mp_loss(spec, P)
                d = mpmath.diff(f, v)
                if g == 0:
                    err = abs(d) / max(1, abs(m_loss)) / mpmath.mpf(10) ** (-(digits - 20))
                    assert err <= 1, ("mpmath.diff: chain rule 0 but diff", spec["name"], name, i, d)
                    continue
                err = float(abs(d - g) / abs(g))
                assert err <= DIFF_TOL, ("mpmath.diff vs chain rule", spec["name"], name, i, d, g, err)
                worst = max(worst, err)
    return worst, digits


def to_double(v):
    """Correctly rounded float64 of an mpf (via a 70-digit decimal string; Python's float()
    rounds correctly, also into the subnormal range and to 0 below it).  -0.0 becomes 0.0."""
    return float(mpmath.nstr(v, 70)) + 0.0


# --------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------

def compare(label, spec_name, got, ref, tol):
    """|g - r| / max(1, |r|) <= tol for every entry; returns the worst value."""
    worst = 0.0
    for name in ref:
        for i, (g, r) in enumerate(zip(flatten(got[name]), flatten(ref[name]))):
            err = float(abs(g - r) / max(1, abs(r)))
            worst = max(worst, err)
            if not err <= tol:
                raise AssertionError("%s FAILED for %s %s[%d]: got %r, reference %s, err %.3e > %.0e"
                                     % (label, spec_name, name, i, g, r, err, tol))
    return worst


def worst_relative(got, exact):
    """max |g - e| / |e| over entries with e != 0 (g float, e mpf); returns (value, entry)."""
    worst, where = 0.0, None
    for name in exact:
        for i, (g, e) in enumerate(zip(flatten(got[name]), flatten(exact[name]))):
            if e != 0:
                err = float(abs(mpmath.mpf(g) - e) / abs(e))
                if err > worst or where is None:
                    worst, where = max(worst, err), "%s[%d]" % (name, i)
    return worst, where


# --------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------


def kink_stats(spec):
    """(min |z| over relu/elu/softsign pre-activations, {activation: set of signs seen})."""
    zs = torch_preactivations(spec)
    best, signs = math.inf, {}
    for l, layer in enumerate(spec["layers"], 1):
        act = layer["activation"]
        for row in zs[l]:
            for v in row:
                if act in KINKED:
                    best = min(best, abs(v))
                signs.setdefault(act, set()).add(v > 0)
    return best, signs


# (name, seed, loss, activations that must occur, pool for the other layers)
RANDOM_CASES = (
    [("elu-%02d" % i, 2000 + i, LOSSES[i], ("elu",), ("elu", "elu", "sigmoid", "tanh", "relu", "identity"))
     for i in range(5)]
    + [("softsign-%02d" % i, 3000 + i, LOSSES[i], ("softsign",),
        ("softsign", "softsign", "sigmoid", "tanh", "relu", "identity")) for i in range(5)]
    + [("mixed-00", 4000, "sse", ("elu", "softsign", "relu"), ("elu", "softsign", "sigmoid", "tanh", "relu")),
       ("mixed-01", 4001, "bce", ("elu", "softsign", "tanh"), ("elu", "softsign", "sigmoid", "tanh", "relu")),
       ("mixed-02", 4002, "cross_entropy", ("elu", "softsign", "relu"),
        ("elu", "softsign", "sigmoid", "tanh", "relu"))]
)


def random_spec(name, seed, loss, required, pool):
    rng = random.Random(seed)
    classification = loss in ("bce", "cross_entropy")
    # positions where a required activation may go: hidden layers, and the last one for regression
    min_depth = len(required) + (1 if classification else 0)
    while True:
        n_in = rng.randint(1, 4)
        depth = rng.randint(min_depth, 4)
        samples = rng.randint(1, 3)
        if loss == "bce":
            last = "sigmoid"
        elif loss == "cross_entropy":
            last = "softmax"
        else:
            last = rng.choice(list(pool) + ["identity"])
        acts = [rng.choice(pool) for _ in range(depth - 1)] + [last]
        slots = list(range(depth - 1 if classification else depth))
        rng.shuffle(slots)
        missing = [a for a in required if a not in acts]
        free = [s for s in slots if acts[s] not in required]
        for a, s in zip(missing, free):
            acts[s] = a
        if any(a not in acts for a in required):
            continue
        widths = [rng.randint(1, 4) for _ in range(depth)]
        if last == "softmax":
            widths[-1] = rng.randint(2, 4)
        params = draw_params(rng, n_in, widths, 1.5, 0.5)
        x = [[r4(rng.uniform(-2, 2)) for _ in range(n_in)] for _ in range(samples)]
        m = widths[-1]
        if loss == "bce":
            y = [[r4(rng.uniform(0, 1)) for _ in range(m)] for _ in range(samples)]
        elif loss == "cross_entropy":
            y = []
            for _ in range(samples):
                row = [0.0] * m
                row[rng.randrange(m)] = 1.0
                y.append(row)
        else:
            y = [[r4(rng.uniform(-1, 1)) for _ in range(m)] for _ in range(samples)]
        spec = {
            "name": name, "inputs": n_in,
            "layers": [{"units": w, "activation": a} for w, a in zip(widths, acts)],
            "loss": loss, "parameters": params, "data": {"x": x, "y": y},
        }
        dist, signs = kink_stats(spec)
        if dist < KINK_MARGIN:
            continue  # too close to relu's kink / elu's second-derivative jump / softsign's |z|
        if any(signs.get(a) != {True, False} for a in required if a in NEW):
            continue  # want both branches of elu / softsign exercised
        _, g = torch_gradients(spec)
        if all(any(v != 0.0 for v in flatten(g["W%d" % l])) for l in range(1, depth + 1)):
            return spec


def saturated_spec(name, activation, big, signs):
    """Chain x -> layer 1 (|signs|+1 units, the first ones at z ~ sign*2*big) -> 1 unit -> identity, sse."""
    W1 = [[s * big] for s in signs] + [[0.75]]
    b1 = [0.1234, -0.4321][:len(signs)] + [-0.25]
    W2 = [[1.5, -0.5]] if len(signs) == 1 else [[0.8, 0.6, -0.5]]
    b2 = [0.25] if len(signs) == 1 else [0.35]
    return {
        "name": name, "inputs": 1,
        "layers": [{"units": len(W1), "activation": activation}, {"units": 1, "activation": activation},
                   {"units": 1, "activation": "identity"}],
        "loss": "sse",
        "parameters": {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": [[1.2]], "b3": [0.1]},
        "data": {"x": [[2.0]], "y": [[0.3]]},
    }


EDGE_CASES = [
    # z1[0] = 2 * (-20) + 0.1234 = -39.8766: e^z - 1 == -1.0 in float64, e^z ~ 4.8e-18 (normal)
    saturated_spec("elu-saturated-40", "elu", 20.0, [-1]),
    # z1[0] = -719.8766: e^z ~ 2.3e-313 is subnormal (float64 keeps ~ 10 significant digits)
    saturated_spec("elu-saturated-720", "elu", 360.0, [-1]),
    # z1[0] = -799.8766: e^z ~ 4.1e-348 is below the smallest subnormal (4.9e-324): underflows to 0
    saturated_spec("elu-saturated-800", "elu", 400.0, [-1]),
    # z1 = [1e8 + 0.1234, -1e8 - 0.4321, 1.25]: softsign' = 1/(1+|z|)^2 ~ 1e-16
    saturated_spec("softsign-saturated-1e8", "softsign", 5.0e7, [1, -1]),
    # z1 = [1e12 + 0.1234, -1e12 - 0.4321, 1.25]: softsign' ~ 1e-24
    saturated_spec("softsign-saturated-1e12", "softsign", 5.0e11, [1, -1]),
]


# --------------------------------------------------------------------------
# expm1 probe: does torch's F.elu compute e^z - 1 naively?
# --------------------------------------------------------------------------

def expm1_probe(randoms):
    z0 = -1e-10
    exact = mpmath.expm1(mpmath.mpf(z0))
    torch_scalar = F.elu(torch.tensor([z0], dtype=DT)).item()
    torch_vector = F.elu(torch.full((64,), z0, dtype=DT))[37].item()   # vectorised kernel path
    naive = math.exp(z0) - 1.0
    accurate = math.expm1(z0)
    with mpmath.workdps(40):
        rel = {k: float(abs(mpmath.mpf(v) - exact) / abs(exact))
               for k, v in (("torch", torch_scalar), ("torch_vector", torch_vector), ("naive", naive),
                            ("expm1", accurate))}
    torch_vs_expm1 = abs(torch_scalar - accurate) / abs(accurate)
    # every negative elu pre-activation of the random specs: which formula does torch reproduce?
    count = {"negative": 0, "torch==exp-1": 0, "torch==expm1": 0, "exp-1!=expm1": 0}
    worst_elu = (0.0, None)
    for spec in randoms:
        zs = torch_preactivations(spec)
        for l, layer in enumerate(spec["layers"], 1):
            if layer["activation"] != "elu":
                continue
            for row in zs[l]:
                for v in row:
                    if v > 0:
                        continue
                    t = F.elu(torch.tensor([v], dtype=DT)).item()
                    count["negative"] += 1
                    count["torch==exp-1"] += t == math.exp(v) - 1.0
                    count["torch==expm1"] += t == math.expm1(v)
                    count["exp-1!=expm1"] += math.exp(v) - 1.0 != math.expm1(v)
                    with mpmath.workdps(40):
                        e = float(abs(mpmath.mpf(t) - mpmath.expm1(mpmath.mpf(v))) / abs(mpmath.expm1(mpmath.mpf(v))))
                    if e >= worst_elu[0]:
                        worst_elu = (e, "%s z=%r" % (spec["name"], v))
    # backward: torch's elu derivative is e^z from the input, not a + 1 from the output
    zt = torch.tensor([-39.8766], dtype=DT, requires_grad=True)
    F.elu(zt).backward()
    return {
        "z": z0, "exact": exact, "torch_scalar": torch_scalar, "torch_vector": torch_vector,
        "naive": naive, "expm1": accurate, "rel": rel, "torch_vs_expm1": torch_vs_expm1,
        "count": count, "worst_elu": worst_elu,
        "grad_m40": zt.grad.item(), "grad_m40_exact": mpmath.exp(mpmath.mpf(-39.8766)),
        "a_plus_1_m40": F.elu(torch.tensor([-39.8766], dtype=DT)).item() + 1.0,
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def gfmt(v, digits=3):
    return mpmath.nstr(v, digits) if isinstance(v, mpmath.mpf) else "%.*g" % (digits, v)


def process(spec, edge):
    name = spec["name"]
    validate(spec)
    t_loss_v, t_grads = torch_gradients(spec)
    m_loss, m_grads = mp_chain_rule(spec)
    assert abs(t_loss_v - m_loss) <= MP_TOL * max(1, abs(m_loss)), (name, t_loss_v, m_loss)
    mp_max1 = compare("torch-vs-mpmath", name, t_grads, m_grads, MP_TOL)
    diff_worst, diff_digits = mp_diff_check(spec, m_loss, m_grads)
    t_rel, t_rel_at = worst_relative(t_grads, m_grads)
    loss_rel = float(abs(mpmath.mpf(t_loss_v) - m_loss) / abs(m_loss))
    row = {"name": name, "spec": spec, "torch_rel": t_rel, "torch_rel_at": t_rel_at,
           "torch_max1": mp_max1, "loss_rel": loss_rel, "diff_digits": diff_digits, "diff_worst": diff_worst}

    if edge:
        grads = {k: reshape_like([to_double(g) for g in flatten(v)], v) for k, v in m_grads.items()}
        loss = to_double(m_loss)
        underflow = ["%s[%d] = %s" % (k, i, mpmath.nstr(g, 6))
                     for k in m_grads for i, g in enumerate(flatten(m_grads[k]))
                     if g != 0 and to_double(g) == 0.0]
        subnormal = ["%s[%d]" % (k, i) for k in grads for i, g in enumerate(flatten(grads[k]))
                     if g != 0.0 and abs(g) < sys.float_info.min]
        t_vs_stored = max(abs(t - s) / abs(s) for k in grads
                          for t, s in zip(flatten(t_grads[k]), flatten(grads[k])) if s != 0.0)
        t_zero = ["%s[%d]" % (k, i) for k in t_grads for i, (t, g) in
                  enumerate(zip(flatten(t_grads[k]), flatten(m_grads[k]))) if t == 0.0 and g != 0]
        expected = {"loss": loss, "gradients": grads,
                    "producer": "mpmath %s chain rule at %d significant digits (float64 parameters and "
                                "data converted exactly), correctly rounded to float64; cross-checked "
                                "with mpmath.diff at %d digits (<= %.0e relative)"
                                % (mpmath.__version__, MP_DIGITS, diff_digits, DIFF_TOL)}
        note = ("Expected values are the exact gradients rounded to float64 (mpmath), not %s. "
                "Largest relative difference of torch's gradients from the exact values: %s (at %s)"
                % (TORCH_PRODUCER, gfmt(t_rel), t_rel_at))
        if t_zero:
            note += ", where torch returns 0 for %s" % ", ".join(t_zero)
        note += "; from the stored float64 values (nonzero entries): %s. " % gfmt(t_vs_stored)
        note += "Loss: torch differs from the exact loss by %s relative. " % gfmt(loss_rel)
        if underflow:
            note += ("Exact values below the float64 range (stored as 0.0): %s. " % ", ".join(underflow))
        if subnormal:
            note += ("Subnormal expected entries (float64 keeps fewer significant digits there; "
                     "compare with an absolute tolerance): %s. " % ", ".join(subnormal))
        expected["note"] = note.strip()
        row.update(t_vs_stored=t_vs_stored, t_zero=t_zero, underflow=underflow, subnormal=subnormal,
                   m_grads=m_grads, t_grads=t_grads)
    else:
        expected = {"loss": t_loss_v, "gradients": t_grads, "producer": TORCH_PRODUCER}
    for v in [expected["loss"]] + [g for k in expected["gradients"] for g in flatten(expected["gradients"][k])]:
        assert isinstance(v, float) and math.isfinite(v)
    fd = fd_gradients(spec)
    row["fd"] = compare("finite-difference", name, fd, expected["gradients"], FD_TOL)
    print("%-24s loss=%-21r fd %.1e  torch-vs-mpmath max1 %.1e rel %.1e (%s)  diff@%d rel %.1e"
          % (name, expected["loss"], row["fd"], mp_max1, t_rel, t_rel_at, diff_digits, diff_worst))
    return dumps(spec), dumps(expected), row


def check_coverage(randoms):
    loss_count = {l: 0 for l in LOSSES}
    act_count = {a: 0 for a in ACTIVATIONS}
    new_with_loss = {(a, l): 0 for a in NEW for l in LOSSES}
    for s in randoms:
        assert 1 <= len(s["layers"]) <= 4 and 1 <= s["inputs"] <= 4 and 1 <= len(s["data"]["x"]) <= 3
        assert all(1 <= layer["units"] <= 4 for layer in s["layers"])
        acts = {layer["activation"] for layer in s["layers"]}
        for a in acts:
            act_count[a] += 1
        loss_count[s["loss"]] += 1
        for a in NEW:
            if a in acts:
                new_with_loss[(a, s["loss"])] += 1
        if s["name"].startswith("mixed"):
            assert set(NEW) <= acts and acts & set(CLASSIC), s["name"]
        assert kink_stats(s)[0] >= KINK_MARGIN
    assert all(c >= 2 for c in loss_count.values()), loss_count
    assert all(c >= 1 for c in new_with_loss.values()), new_with_loss
    assert all(act_count[a] >= 2 for a in CLASSIC + NEW), act_count
    print("random-spec coverage (specs per activation):", act_count)
    print("random-spec coverage (specs per loss):", loss_count)
    return act_count, loss_count


def layers_text(spec):
    return " → ".join("%d %s" % (l["units"], l["activation"]) for l in spec["layers"])


def readme(rows, probe, act_count, loss_count):
    R = {r["name"]: r for r in rows}
    L = []
    add = L.append
    add("# Reference gradients for the `elu` and `softsign` activations")
    add("")
    add("Test data for chainproof's `elu` (PyTorch `F.elu`, alpha = 1: z for z > 0, e^z − 1 otherwise) and")
    add("`softsign` (`F.softsign`: z / (1 + |z|)), produced **independently of the Java code** by")
    add("`src/test/python/make_activation_reference.py` (this file is written by that script too).")
    add("")
    add("## Files")
    add("")
    add("For every spec `<name>`: `<name>.spec.json` (an MLP spec exactly as chainproof reads it, explicit")
    add("`parameters` and `data`, the layout of `../README.md`) and `<name>.expected.json`")
    add("`{\"loss\": L, \"gradients\": {\"W1\": [[...]], \"b1\": [...], ...}, \"producer\": \"...\"}` — gradients of")
    add("the sample-averaged loss, shaped like `parameters` (PyTorch's `{name: p.grad}`). The edge cases also")
    add("carry a `note` string. Numbers are float64 written with Python `repr` (round-trip exact).")
    add("")
    add("| spec | inputs | layers | loss | samples | expected from |")
    add("|------|--------|--------|------|---------|---------------|")
    for r in rows:
        s = r["spec"]
        src = "mpmath (60 digits)" if "note" in r else "PyTorch autograd"
        add("| `%s` | %d | %s | %s | %d | %s |" % (s["name"], s["inputs"], layers_text(s), s["loss"],
                                                 len(s["data"]["x"]), src))
    add("")
    add("Random specs (`elu-*`, `softsign-*`, `mixed-*`) are drawn with Python's `random.Random(seed)`:")
    add("depth 1–4, widths 1–4, inputs 1–4, samples 1–3, weights U(−1.5, 1.5), biases U(−0.5, 0.5),")
    add("x U(−2, 2), all rounded to 4 decimals; y U(−1, 1) for mse/sse/half_sse, U(0, 1) with a sigmoid")
    add("last layer for bce, one-hot with a softmax last layer for cross_entropy. `elu-0k` and `softsign-0k`")
    add("use loss mse, sse, half_sse, bce, cross_entropy for k = 0..4; `mixed-*` combine elu and softsign")
    add("with relu / tanh / sigmoid. Redrawn when a relu/elu/softsign pre-activation is within 1e-4 of 0")
    add("(relu's kink, elu's jump in the second derivative, softsign's |z|), when a whole W_l gradient is 0")
    add("(dead relu path), or when elu / softsign do not see pre-activations of both signs. Coverage")
    add("(asserted): specs per activation %s; per loss %s; elu and softsign each occur with every loss."
        % (", ".join("%s %d" % (a, c) for a, c in act_count.items() if c),
           ", ".join("%s %d" % (l, c) for l, c in loss_count.items())))
    add("")
    add("## Checks done by the generator (it aborts on any failure)")
    add("")
    worst_fd = max(r["fd"] for r in rows)
    worst_max1 = max(r["torch_max1"] for r in rows if "note" not in r)
    add("1. Central finite differences (step 1e-6 · max(1, |p|), torch forward passes) agree with the recorded gradients")
    add("   to 1e-6 with denominator max(1, |g|) (observed worst %s)." % gfmt(worst_fd, 2))
    add("2. An independent mpmath chain rule (own forward pass, 60 digits, parameters converted exactly from")
    add("   their doubles) agrees with torch autograd to 1e-10, denominator max(1, |g|) (random specs: worst")
    add("   %s), and on the loss." % gfmt(worst_max1, 2))
    add("3. `mpmath.diff` of the mpmath forward loss (numerical differentiation at a working precision large")
    add("   enough to resolve the smallest nonzero gradient, up to %d digits) agrees with the mpmath chain"
        % max(r["diff_digits"] for r in rows))
    add("   rule to 1e-30 **relative** on every nonzero entry (observed worst %s)."
        % gfmt(max(r["diff_worst"] for r in rows), 2))
    add("")
    add("Relative difference of PyTorch float64 autograd from the exact (mpmath) gradients, random specs:")
    add("")
    add("| spec | worst \\|g − exact\\| / \\|exact\\| | at |")
    add("|------|------|----|")
    for r in rows:
        if "note" not in r:
            add("| `%s` | %s | %s |" % (r["name"], gfmt(r["torch_rel"], 2), r["torch_rel_at"]))
    add("")
    add("(The larger values sit on entries that are small because of cancellation, e.g. `elu-03` b4[2]")
    add("≈ 1.06e-4 is a sum of per-sample terms ≈ 0.1; with the max(1, |g|) denominator every random spec")
    add("agrees to the value in check 2.)")
    add("")
    add("## Edge cases (expected values from mpmath, not PyTorch)")
    add("")
    add("One sample, x = 2, chain layer 1 → 1 unit → identity, sse. The first layer-1 unit(s) sit far out on")
    add("the flat side of the activation; a last layer-1 unit (z = 1.25) keeps ordinary-sized gradients in")
    add("the file. PyTorch float64 is not exact there, so the expected loss and gradients are the mpmath")
    add("chain rule at 60 digits **correctly rounded to float64** (`producer` says so; `note` gives the")
    add("PyTorch difference).")
    add("")
    add("| spec | saturated pre-activation(s) | PyTorch vs exact, worst relative | PyTorch vs stored float64 | remarks |")
    add("|------|-----------------------------|-------------------------------|---------------------------|---------|")
    edge_z = {"elu-saturated-40": "z = −39.8766 (e^z − 1 = −1.0 in float64, e^z ≈ 4.8e-18)",
              "elu-saturated-720": "z = −719.8766 (e^z ≈ 2.3e-313, subnormal)",
              "elu-saturated-800": "z = −799.8766 (e^z ≈ 4.1e-348, below float64)",
              "softsign-saturated-1e8": "z = 1e8 + 0.1234, −1e8 − 0.4321 (softsign' ≈ 1e-16)",
              "softsign-saturated-1e12": "z = 1e12 + 0.1234, −1e12 − 0.4321 (softsign' ≈ 1e-24)"}
    for r in rows:
        if "note" not in r:
            continue
        remarks = []
        if r["t_zero"]:
            remarks.append("torch gives 0 for " + ", ".join(r["t_zero"]))
        if r["underflow"]:
            remarks.append("exact " + ", ".join(r["underflow"]) + " → stored 0.0")
        if r["subnormal"]:
            remarks.append("subnormal expected " + ", ".join(r["subnormal"]))
        add("| `%s` | %s | %s (%s) | %s | %s |" % (r["name"], edge_z[r["name"]], gfmt(r["torch_rel"], 2),
                                                  r["torch_rel_at"], gfmt(r["t_vs_stored"], 2),
                                                  "; ".join(remarks) or "—"))
    add("")
    add("Why PyTorch is off there:")
    add("")
    add("* **softsign**: `F.softsign` is the Python composite `input / (input.abs() + 1)`, so autograd forms")
    add("  the quotient rule 1/(1+|z|) − |z|/(1+|z|)², two nearly equal terms: at |z| ≈ 1e8 the result")
    add("  ≈ 1e-16 keeps only ~8 correct digits, at |z| ≈ 1e12 ~4. The stable form 1/(1+|z|)² is accurate to")
    add("  a few ulps. A Java implementation using 1/(1+|z|)² will therefore *disagree with PyTorch* here by")
    add("  the relative amount in the table and agree with these expected files.")
    add("* **elu**: torch's backward uses e^z of the *input* (d/dz at z = −39.8766: torch %r,"
        % probe["grad_m40"])
    add("  exact %s), so it is accurate while e^z is a normal number."
        % mpmath.nstr(probe["grad_m40_exact"], 16))
    add("  An implementation that takes the derivative from the")
    add("  output as a + 1 gets %r there (a = e^z − 1 has already rounded to −1.0). At z ≈ −720 e^z is"
        % probe["a_plus_1_m40"])
    add("  subnormal, so every float64 evaluation (PyTorch's and Java's alike) keeps only ~10 significant")
    add("  digits; compare those entries with an absolute tolerance. At z ≈ −800 the exact gradient")
    add("  (~6e-348) is below the smallest subnormal, torch returns 0 and the correctly rounded value is 0.")
    add("")
    add("## PyTorch's elu forward: exp(z) − 1, not expm1 (torch %s)" % torch.__version__)
    add("")
    c = probe["count"]
    add("For z = −1e-10 (exact e^z − 1 = %s):" % mpmath.nstr(probe["exact"], 17))
    add("")
    add("| evaluation | value | relative error |")
    add("|------------|-------|----------------|")
    add("| `F.elu`, 1-element tensor | %r | %s |" % (probe["torch_scalar"], gfmt(probe["rel"]["torch"])))
    add("| `F.elu`, 64-element tensor (vectorised kernel) | %r | %s |"
        % (probe["torch_vector"], gfmt(probe["rel"]["torch_vector"])))
    add("| naive `exp(z) - 1` (`Math.exp(z) - 1`) | %r | %s |" % (probe["naive"], gfmt(probe["rel"]["naive"])))
    add("| `expm1(z)` (`Math.expm1(z)`) | %r | %s |" % (probe["expm1"], gfmt(probe["rel"]["expm1"])))
    add("")
    add("So this PyTorch build computes elu as exp(z) − 1, **not** expm1: at z = −1e-10 it differs from")
    add("expm1 by %s relative. (PyTorch has pull requests moving ATen's elu to expm1, pytorch/pytorch"
        % gfmt(probe["torch_vs_expm1"]))
    add("#77062 and #173968, so other versions may give the expm1 value; the script re-measures this.)")
    add("Over the %d negative elu pre-activations of the random specs, torch's value equals exp(z) − 1"
        % c["negative"])
    add("in %d and expm1(z) in %d cases (the two formulas differ in %d); torch's worst relative error"
        % (c["torch==exp-1"], c["torch==expm1"], c["exp-1!=expm1"]))
    add("there is %s (%s)." % (gfmt(probe["worst_elu"][0], 2), probe["worst_elu"][1]))
    add("")
    add("Consequence for chainproof: a Java elu using `Math.expm1` is the more")
    add("accurate one and differs from these PyTorch-produced random references only by rounding (≤ about")
    add("1.1e-16/|z| relative in a, i.e. ≤ 1.1e-12 for |z| ≥ 1e-4, far inside 1e-9 · max(1, |g|)); one")
    add("using `Math.exp(z) - 1` reproduces PyTorch 1.13 more closely but is inaccurate for tiny |z|.")
    add("")
    add("## Regenerating")
    add("")
    add("From the repository root:")
    add("")
    add("    /usr/bin/python3 src/test/python/make_activation_reference.py")
    add("")
    add("Needs torch and mpmath (Debian: python3-torch, python3-mpmath). Last generated with torch %s,"
        % torch.__version__)
    add("mpmath %s, Python %s. Re-running produces byte-identical files; the specs depend only on"
        % (mpmath.__version__, sys.version.split()[0]))
    add("Python's seeded `random.Random`, so they are reproducible across torch versions (PyTorch-produced")
    add("gradients may then differ in the last ulps — note the elu expm1 change above).")
    return "\n".join(L) + "\n"


def main():
    randoms = [random_spec(*case) for case in RANDOM_CASES]
    act_count, loss_count = check_coverage(randoms)

    outputs, rows = {}, []
    for spec in randoms:
        s, e, row = process(spec, edge=False)
        outputs[spec["name"]] = (s, e)
        rows.append(row)
    for spec in EDGE_CASES:
        assert kink_stats(spec)[0] >= KINK_MARGIN, spec["name"]
        s, e, row = process(spec, edge=True)
        row["note"] = True
        outputs[spec["name"]] = (s, e)
        rows.append(row)

    probe = expm1_probe(randoms)
    print("expm1 probe at z = -1e-10: torch %r, exp-1 %r, expm1 %r, exact %s; torch rel err %.3e, "
          "torch vs expm1 %.3e" % (probe["torch_scalar"], probe["naive"], probe["expm1"],
                                   mpmath.nstr(probe["exact"], 17), probe["rel"]["torch"],
                                   probe["torch_vs_expm1"]))
    print("negative elu pre-activations in random specs:", probe["count"], "worst torch rel err",
          probe["worst_elu"])

    for name, (spec_text, expected_text) in outputs.items():
        write(OUT_DIR / (name + ".spec.json"), spec_text)
        write(OUT_DIR / (name + ".expected.json"), expected_text)
    write(OUT_DIR / "README.md", readme(rows, probe, act_count, loss_count))
    print("wrote %d spec/expected pairs and README.md to %s" % (len(outputs), OUT_DIR))
    return 0


if __name__ == "__main__":
    sys.exit(main())
