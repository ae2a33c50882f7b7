#!/usr/bin/python3
"""Generate WRONG RNN gradients ("planted faults") for chainproof's ``verify`` command, with PyTorch.

What
----
Test data for ``chainproof verify SPEC --gradients CLAIMED.json``: claimed gradients that are wrong in the
ways real backpropagation-through-time (BPTT) code gets them wrong, plus a few correct ones (no false
alarm).  Written into ``src/test/resources/reference/rnn-planted/``:

* ``<case>.claimed.json`` -- ``{"loss": L, "gradients": {"Wh", "Wx", "b", "Wy", "by"}, "fault": "...",
                             "producer": "..."}``, the layout of ``rnn/<name>.expected.json`` plus ``fault``;
* ``manifest.json``       -- every case: its spec and expected file (paths relative to ``rnn-planted/``),
                             the fault name, its ``detail``, the expected outcome and the size of the fault;
* ``rnn-NN.correct.json``  -- for each spec of ``rnn/``, the correct gradient the faults are planted on (this
                             script's autograd; it equals ``rnn/<name>.expected.json`` to 1e-13, not bit for bit),
                             the manifest's ``correct``: what a planted fault must differ from;
* ``rnn-planted-NN.spec.json`` / ``.expected.json`` -- two extra specs the existing ``rnn/`` ones lack
  (sigmoid with the loss at the last step and T >= 3; relu with the loss at every step and T = 6), drawn
  with ``make_rnn_reference.make_spec`` and fixed seeds.

The network (as in make_rnn_reference.py; steps t = 1..T, h_0 from the spec or 0):
``z_t = Wh h_{t-1} + Wx x_t + b``, ``h_t = phi(z_t)``, ``u_t = Wy h_t + by``, per-step loss l(psi(u_t), y_t);
L = mean over samples of l at t = T ("loss_at": "last") or of sum_t l_t ("every").

Faults, each computed with torch.autograd on a deliberately wrong computation unless it is an edit
------------------------------------------------------------------------------------------------------
* ``none``           -- plain autograd of L: a correct claim (must pass).
* ``truncated_bptt`` -- BPTT truncated to k steps (detail ``k``, 1 or 2).  Every loss term l_t is
                        backpropagated through at most k steps, t, t-1, ..., t-k+1: the state h_{t-k} that
                        enters step t-k+1 is detached (a constant).  Computed as autograd of the surrogate
                        sum_t l_t(detach-at-(t-k) forward), whose value equals L.  For "loss_at": "last"
                        this is "detach h before the last k steps"; for "every" it applies per loss term
                        (BPTT(k) of Williams & Peng 1990), NOT the chunked variant that detaches every k
                        steps.  k = 1 keeps only dL/dWh = sum_t dz_t h_{t-1}^T of each term's own step.
                        Wy, by are unchanged (they do not go through the recurrence).  Cross-checked against
                        a hand-written windowed BPTT loop (1e-12).
* ``transposed_wh``  -- the implementation keeps W_h in the transposed layout (``h @ W`` code, W = Wh^T) and
                        reports the gradient of its own W: autograd w.r.t. a leaf W with Wh = W^T, so the
                        claimed dL/dWh is (dL/dWh)^T; other tensors right.  Only specs with hidden >= 2 and
                        a clearly non-symmetric dL/dWh are used.
* ``mean_missing``   -- the samples are summed instead of averaged: autograd of N*L (every tensor times N).
                        detail ``loss_reported`` says whether the file's "loss" is the summed one (what the
                        buggy code computes) or the correct mean.
* ``sign_flip``      -- detail ``tensors``: one tensor, whose local backward rule has the wrong sign (an
                        identity op on that parameter whose backward returns -grad), or "all": the reverse
                        pass seeded with -1 (the code returns the descent direction -grad L).
* ``isolated_entry`` -- an edit: one entry of the correct gradient times (1 + rel), rel = 1e-6 on an entry
                        of typical size (``expect``: "flagged"); once on a small entry, |g| ~ 3.5e-4, whose
                        change of 3.5e-10 is below what central differences resolve (``expect``:
                        "oracle-dependent": only an exact oracle such as the complex step sees it); and
                        rel = 1e-9 on an entry with |g| ~ 1, which a checker with a relative tolerance of
                        1e-8 cannot see (the manifest's "visible_at_relative_1e-8" is false) while an exact
                        oracle judging by rounding bounds, where a correct float64 backward pass errs by
                        ~1e-15, flags it (``expect``: "oracle-dependent").
* Wrong backward rule of the hidden activation phi of the recurrence, at every step (detail ``activation``).
  The network runs through a torch.autograd.Function whose forward is the true phi (same values, same loss)
  and whose backward is wrong; the output layer (psi, the loss, Wy, by) keeps its correct rule, so the claimed
  dL/dWy, dL/dby are the correct ones and only dL/d(Wh, Wx, b) change.  With g = dL/dh_t (everything that
  reaches h_t, from its own loss term and from step t+1) the rule returns, instead of phi'(z_t) * g:
  - ``missing_activation_derivative``    -- g (phi' left out: delta_t = dL/dh_t);
  - ``activation_instead_of_derivative`` -- phi(z_t) * g = h_t * g (the value instead of the derivative);
  - ``derivative_at_output``             -- phi'(h_t) * g, the derivative evaluated at the output h_t = phi(z_t)
                                            (tanh: 1 - tanh(h)^2 instead of 1 - h^2; sigmoid:
                                            sigmoid(h)(1 - sigmoid(h)) instead of h(1 - h)).
  Equivalent to the correct gradient: ``derivative_at_output`` for relu, since relu'(relu(z)) = [z > 0] =
  relu'(z) whenever z != 0 (every relu pre-activation here is >= 1e-3 from 0): that case is ``expect``
  "accepted" (a correct claim reached by a wrong rule; the manifest's note says so).  Not equivalent here,
  but would be on other data: ``missing_activation_derivative`` for relu if every pre-activation were > 0
  (relu acting as the identity), ``activation_instead_of_derivative`` for relu if every active z were 1.

Checks (the script aborts on any failure)
-----------------------------------------
* The correct gradient and loss equal the checked-in ``rnn/<name>.expected.json`` to 1e-13 (denominator
  max(1, |g|)), and match central differences (step 1e-6) to 1e-6 with the same denominator.
* relu specs have every pre-activation at least 1e-3 away from 0.
* Each fault has its defining form: transposed = correct^T, mean_missing = N * correct (1e-14),
  sign_flip = -correct on the named tensors and identical elsewhere, truncated = windowed BPTT loop (1e-12)
  with Wy, by unchanged, isolated = correct except the one entry.
* Each faulty claim differs from the correct gradient by more than 100 float64 roundings in some entry
  (|claimed - correct| > 100 * 2^-52 * |correct|); truncation changes each of W_h, W_x and b by more than
  1e-4 of the tensor's largest entry; transposition changes W_h by more than 1e-2 of its largest entry.
* Activation-rule faults: the claim equals a hand-written numpy BPTT (forward, output layer and loss
  derivative by hand, no torch) with the same wrong rule to 1e-12 (denominator max(1, |g|)); that loop with the
  correct rule equals the correct gradient to 1e-12; Wy, by are bitwise the correct ones; the loss of the
  faulty forward equals L.  Faults not marked equivalent change each of W_h, W_x, b by more than 1e-4 of the
  tensor's largest entry (and more than 100 roundings somewhere); the equivalent one differs from the correct
  gradient by at most 1e-14 (relative, denominator max(1, |g|)).
* Re-running gives byte-identical files (all inputs are fixed; CPU float64).

How to run (not in CI; the data is checked in)::

    /usr/bin/python3 src/test/python/make_rnn_planted.py
"""

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_rnn_reference as ref  # noqa: E402  (same spec drawing, per-step losses and JSON layout)

torch.set_default_dtype(torch.float64)
DT = torch.float64
EPS = 2.0 ** -52
REPO = Path(__file__).resolve().parents[3]
REFERENCE = REPO / "src" / "test" / "resources" / "reference"
SPECS = REFERENCE / "rnn"
OUT = REFERENCE / "rnn-planted"
PRODUCER = "torch %s autograd float64 (make_rnn_planted.py)" % torch.__version__
NAMES = ref.NAMES  # Wh, Wx, b, Wy, by

# extra specs: name, seed, inputs, hidden, outputs, T, samples, activation, output activation, loss, loss_at, h0
NEW_SPECS = [
    ("rnn-planted-00", 200, 2, 3, 2, 5, 2, "sigmoid", "identity", "mse", "last", True),
    ("rnn-planted-01", 201, 2, 3, 1, 6, 2, "relu", "identity", "sse", "every", True),
]

# case list: (spec, fault, detail); detail keys depend on the fault (see the module docstring)
CASES = [
    ("rnn-02", "none", {}),
    ("rnn-07", "none", {}),
    ("rnn-09", "none", {}),
    ("rnn-planted-00", "none", {}),
    ("rnn-planted-01", "none", {}),
    ("rnn-02", "truncated_bptt", {"k": 1}),
    ("rnn-02", "truncated_bptt", {"k": 2}),
    ("rnn-01", "truncated_bptt", {"k": 2}),
    ("rnn-planted-00", "truncated_bptt", {"k": 1}),
    ("rnn-planted-00", "truncated_bptt", {"k": 2}),
    ("rnn-10", "truncated_bptt", {"k": 2}),
    ("rnn-09", "truncated_bptt", {"k": 1}),
    ("rnn-05", "truncated_bptt", {"k": 2}),
    ("rnn-planted-01", "truncated_bptt", {"k": 1}),
    ("rnn-04", "truncated_bptt", {"k": 2}),
    ("rnn-02", "transposed_wh", {}),
    ("rnn-07", "transposed_wh", {}),
    ("rnn-04", "transposed_wh", {}),
    ("rnn-03", "mean_missing", {"loss_reported": "summed"}),
    ("rnn-10", "mean_missing", {"loss_reported": "correct"}),
    ("rnn-09", "mean_missing", {"loss_reported": "summed"}),
    ("rnn-01", "sign_flip", {"tensors": ["Wx"]}),
    ("rnn-05", "sign_flip", {"tensors": ["Wh"]}),
    ("rnn-07", "sign_flip", {"tensors": "all"}),
    ("rnn-01", "isolated_entry", {"tensor": "Wx", "index": [1, 1], "relative": 1e-6}),
    ("rnn-07", "isolated_entry", {"tensor": "b", "index": [2], "relative": 1e-6}),
    ("rnn-09", "isolated_entry", {"tensor": "Wh", "index": [3, 1], "relative": 1e-6}),
    ("rnn-03", "isolated_entry", {"tensor": "Wh", "index": [1, 1], "relative": 1e-6}),
    ("rnn-02", "isolated_entry", {"tensor": "Wh", "index": [0, 2], "relative": 1e-9}),
    # wrong backward rule of the hidden activation (detail "activation" is the spec's, checked in main)
    ("rnn-02", "missing_activation_derivative", {"activation": "tanh"}),
    ("rnn-07", "missing_activation_derivative", {"activation": "sigmoid"}),
    ("rnn-04", "missing_activation_derivative", {"activation": "relu"}),
    ("rnn-01", "activation_instead_of_derivative", {"activation": "tanh"}),
    ("rnn-planted-00", "activation_instead_of_derivative", {"activation": "sigmoid"}),
    ("rnn-09", "activation_instead_of_derivative", {"activation": "relu"}),
    ("rnn-03", "derivative_at_output", {"activation": "tanh"}),
    ("rnn-10", "derivative_at_output", {"activation": "sigmoid"}),
    ("rnn-planted-01", "derivative_at_output", {"activation": "relu"}),
]

ACTIVATION_FAULTS = ("missing_activation_derivative", "activation_instead_of_derivative", "derivative_at_output")
# (fault, activation) pairs whose wrong rule gives the correct gradient: relu'(relu(z)) = [z > 0] = relu'(z)
EQUIVALENT = {("derivative_at_output", "relu")}

CHECKER_RELATIVE = 1e-8  # the relative tolerance the manifest's "visible_at_relative_1e-8" refers to
# smallest absolute change central differences resolve here: their error on these specs is 2e-10 .. 6e-10
# (rounding eps*|L|/h at the best step), and checkers allow a safety factor of about 10 on top
CENTRAL_DIFFERENCE_RESOLUTION = 1e-8


# ---- the network, written out ---------------------------------------------------------------------

def tensors(spec):
    """x [N, T, inputs], y ([N, outputs] or [N, T, outputs]) and h0 [hidden] as float64 tensors."""
    lengths = {len(s) for s in spec["data"]["x"]}
    assert len(lengths) == 1, "%s: sequences of different lengths are not supported here" % spec["name"]
    x = torch.tensor(spec["data"]["x"], dtype=DT)
    y = torch.tensor(spec["data"]["y"], dtype=DT)
    h0 = torch.tensor(spec["parameters"].get("h0", [0.0] * spec["hidden"]), dtype=DT)
    return x, y, h0


def phi(spec):
    return {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[spec["activation"]]


def loss_steps(spec, T):
    """The (0-based) steps that carry a loss term."""
    return [T - 1] if spec["loss_at"] == "last" else list(range(T))


def term(spec, u_t, y, t):
    target = y if spec["loss_at"] == "last" else y[:, t, :]
    return ref.step_loss(u_t, target, spec["output_activation"], spec["loss"])  # [N]


def per_sample_loss(spec, p, window=None, wh=None, act=None):
    """[N] per-sample losses sum_t l_t.  window = k detaches, for each loss term l_t, the state h_{t-k}
    entering the window of the last k steps (0-based: steps t-k+1..t keep their graph); wh overrides the
    W_h used in the recurrence (for the transposed layout and the sign-flipped rule); act overrides the
    hidden activation (for a wrong backward rule of phi)."""
    x, y, h0 = tensors(spec)
    N, T, _ = x.shape
    act = phi(spec) if act is None else act
    W_h = p["Wh"] if wh is None else wh
    total = torch.zeros(N, dtype=DT)
    if window is None:
        h, hs = h0.expand(N, -1), []
        for s in range(T):
            h = act(F.linear(h, W_h) + F.linear(x[:, s, :], p["Wx"], p["b"]))
            hs.append(h)
        for t in loss_steps(spec, T):
            total = total + term(spec, F.linear(hs[t], p["Wy"], p["by"]), y, t)
        return total
    for t in loss_steps(spec, T):
        h = h0.expand(N, -1)
        for s in range(t + 1):
            if s == t - window + 1:
                h = h.detach()
            h = act(F.linear(h, W_h) + F.linear(x[:, s, :], p["Wx"], p["b"]))
        total = total + term(spec, F.linear(h, p["Wy"], p["by"]), y, t)
    return total


def pre_activations(spec):
    x, _, h0 = tensors(spec)
    p = {k: torch.tensor(spec["parameters"][k], dtype=DT) for k in NAMES}
    h, zs = h0.expand(x.shape[0], -1), []
    for s in range(x.shape[1]):
        z = F.linear(h, p["Wh"]) + F.linear(x[:, s, :], p["Wx"], p["b"])
        zs.append(z)
        h = phi(spec)(z)
    return torch.stack(zs, dim=1)


def leaves(spec):
    return {k: torch.tensor(spec["parameters"][k], dtype=DT, requires_grad=True) for k in NAMES}


def as_lists(p):
    return {k: p[k].grad.tolist() for k in NAMES}


def correct(spec):
    p = leaves(spec)
    L = per_sample_loss(spec, p).mean()
    L.backward()
    return L.item(), as_lists(p)


class ReversedGradient(torch.autograd.Function):
    """Identity forward; backward returns -grad: a local backward rule with the wrong sign."""

    @staticmethod
    def forward(ctx, w):
        return w.clone()

    @staticmethod
    def backward(ctx, grad):
        return -grad


DPHI = {"tanh": lambda v: 1 - torch.tanh(v) ** 2,
        "sigmoid": lambda v: torch.sigmoid(v) * (1 - torch.sigmoid(v)),
        "relu": lambda v: (v > 0).to(DT)}


class WrongActivationBackward(torch.autograd.Function):
    """Forward: the true hidden activation phi(z).  Backward: a wrong rule instead of phi'(z) * grad."""

    @staticmethod
    def forward(ctx, z, activation, rule):
        h = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[activation](z)
        ctx.save_for_backward(h)
        ctx.activation, ctx.rule = activation, rule
        return h

    @staticmethod
    def backward(ctx, grad):
        (h,) = ctx.saved_tensors
        if ctx.rule == "missing_activation_derivative":
            return grad, None, None  # phi' left out
        if ctx.rule == "activation_instead_of_derivative":
            return grad * h, None, None  # phi(z) instead of phi'(z)
        if ctx.rule == "derivative_at_output":
            return grad * DPHI[ctx.activation](h), None, None  # phi'(h) = phi'(phi(z)) instead of phi'(z)
        raise ValueError(ctx.rule)


# ---- the faults -------------------------------------------------------------------------------------

def fault_truncated(spec, detail):
    p = leaves(spec)
    L = per_sample_loss(spec, p, window=detail["k"]).mean()
    L.backward()
    return as_lists(p), None


def fault_transposed(spec, detail):
    p = leaves(spec)
    w = torch.tensor(spec["parameters"]["Wh"], dtype=DT).t().contiguous().requires_grad_(True)  # W = Wh^T
    L = per_sample_loss(spec, p, wh=w.t()).mean()
    L.backward()
    grads = {k: (w if k == "Wh" else p[k]).grad.tolist() for k in NAMES}  # dL/dW reported as if it were dL/dWh
    return grads, None


def fault_mean_missing(spec, detail):
    p = leaves(spec)
    L = per_sample_loss(spec, p).sum()
    L.backward()
    return as_lists(p), (L.item() if detail["loss_reported"] == "summed" else None)


def fault_sign_flip(spec, detail):
    p = leaves(spec)
    if detail["tensors"] == "all":
        L = per_sample_loss(spec, p).mean()
        L.backward(torch.tensor(-1.0, dtype=DT))
        return as_lists(p), None
    flipped = {k: (ReversedGradient.apply(v) if k in detail["tensors"] else v) for k, v in p.items()}
    L = per_sample_loss(spec, flipped).mean()
    L.backward()
    return as_lists(p), None


def fault_activation(spec, fault, detail):
    """Autograd of L through the recurrence with the hidden activation's backward replaced by a wrong rule."""
    p = leaves(spec)
    act = lambda z: WrongActivationBackward.apply(z, detail["activation"], fault)  # noqa: E731
    L = per_sample_loss(spec, p, act=act).mean()
    L.backward()
    return as_lists(p), L.item()


def fault_isolated(spec, detail, good):
    grads = json.loads(json.dumps(good))
    holder = grads[detail["tensor"]]
    *outer, last = detail["index"]
    for i in outer:
        holder = holder[i]
    assert holder[last] != 0.0
    holder[last] = holder[last] * (1.0 + detail["relative"])
    return grads, None


# ---- independent check of the truncation: a hand-written windowed BPTT loop ----------------------------

def windowed_bptt(spec, k):
    """dL/d(Wh, Wx, b) with every loss term backpropagated through at most k steps (k = None: all)."""
    x, y, h0 = tensors(spec)
    N, T, _ = x.shape
    P = {n: torch.tensor(spec["parameters"][n], dtype=DT) for n in NAMES}
    hs, zs, h = [h0.expand(N, -1)], [], h0.expand(N, -1)
    for s in range(T):
        z = F.linear(h, P["Wh"]) + F.linear(x[:, s, :], P["Wx"], P["b"])
        h = phi(spec)(z)
        zs.append(z)
        hs.append(h)
    dphi = {"tanh": lambda z: 1 - torch.tanh(z) ** 2,
            "sigmoid": lambda z: torch.sigmoid(z) * (1 - torch.sigmoid(z)),
            "relu": lambda z: (z > 0).to(DT)}[spec["activation"]]
    g = {n: torch.zeros_like(P[n]) for n in ("Wh", "Wx", "b")}
    for t in loss_steps(spec, T):
        u = F.linear(hs[t + 1], P["Wy"], P["by"]).detach().requires_grad_(True)
        (du,) = torch.autograd.grad(term(spec, u, y, t).sum() / N, u)  # dl_t/du_t, the output layer's part
        dh = du @ P["Wy"]
        first = 0 if k is None else max(0, t - k + 1)
        for s in range(t, first - 1, -1):
            dz = dphi(zs[s]) * dh
            g["Wh"] += dz.t() @ hs[s]
            g["Wx"] += dz.t() @ x[:, s, :]
            g["b"] += dz.sum(0)
            dh = dz @ P["Wh"]
    return {n: v.tolist() for n, v in g.items()}


# ---- independent check of the activation-rule faults: a hand-written numpy BPTT (no torch) -------------

def numpy_bptt(spec, rule=None):
    """dL/d(Wh, Wx, b, Wy, by) by hand in numpy; rule = None: the correct phi'(z) * g, else one of
    ACTIVATION_FAULTS.  The output layer's dl/du is written out for the (psi, loss) pairs the specs use."""
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    f = {"tanh": np.tanh, "sigmoid": sig, "relu": lambda v: np.maximum(v, 0.0)}[spec["activation"]]
    df = {"tanh": lambda v: 1.0 - np.tanh(v) ** 2, "sigmoid": lambda v: sig(v) * (1.0 - sig(v)),
          "relu": lambda v: (v > 0).astype(np.float64)}[spec["activation"]]
    x = np.array(spec["data"]["x"], dtype=np.float64)
    y = np.array(spec["data"]["y"], dtype=np.float64)
    P = {n: np.array(spec["parameters"][n], dtype=np.float64) for n in NAMES}
    N, T, _ = x.shape
    h0 = np.array(spec["parameters"].get("h0", [0.0] * spec["hidden"]), dtype=np.float64)
    hs, zs = [np.tile(h0, (N, 1))], []
    for s in range(T):
        zs.append(hs[-1] @ P["Wh"].T + x[:, s, :] @ P["Wx"].T + P["b"])
        hs.append(f(zs[-1]))
    g = {n: np.zeros_like(P[n]) for n in NAMES}
    dh_out = [np.zeros((N, spec["hidden"])) for _ in range(T)]
    pair = (spec["output_activation"], spec["loss"])
    for t in loss_steps(spec, T):
        u = hs[t + 1] @ P["Wy"].T + P["by"]
        target = y if spec["loss_at"] == "last" else y[:, t, :]
        m = u.shape[1]
        if pair == ("identity", "mse"):
            du = 2.0 * (u - target) / m
        elif pair == ("identity", "sse"):
            du = 2.0 * (u - target)
        elif pair == ("identity", "half_sse"):
            du = u - target
        elif pair == ("sigmoid", "bce"):
            du = (sig(u) - target) / m
        elif pair == ("softmax", "cross_entropy"):
            e = np.exp(u - u.max(axis=1, keepdims=True))
            du = e / e.sum(axis=1, keepdims=True) * target.sum(axis=1, keepdims=True) - target
        else:
            raise ValueError(pair)
        du = du / N
        g["Wy"] += du.T @ hs[t + 1]
        g["by"] += du.sum(0)
        dh_out[t] += du @ P["Wy"]
    carry = np.zeros((N, spec["hidden"]))
    for s in range(T - 1, -1, -1):
        dh = dh_out[s] + carry  # dL/dh_s: its own loss term and step s+1
        z, h = zs[s], hs[s + 1]
        if rule is None:
            dz = df(z) * dh
        elif rule == "missing_activation_derivative":
            dz = dh
        elif rule == "activation_instead_of_derivative":
            dz = f(z) * dh
        elif rule == "derivative_at_output":
            dz = df(h) * dh
        else:
            raise ValueError(rule)
        g["Wh"] += dz.T @ hs[s]
        g["Wx"] += dz.T @ x[:, s, :]
        g["b"] += dz.sum(0)
        carry = dz @ P["Wh"]
    return {n: v.tolist() for n, v in g.items()}


# ---- checks and measures ------------------------------------------------------------------------------

def dumps(obj, ind=0):
    """make_rnn_reference's layout: lists of numbers and small flat objects on one line, the rest indented."""
    def flat_value(v):
        return not isinstance(v, (list, dict)) or (isinstance(v, list) and all(not isinstance(e, (list, dict)) for e in v))
    if flat_value(obj) or (isinstance(obj, dict) and all(map(flat_value, obj.values()))
                           and len(json.dumps(obj)) <= 80):
        return json.dumps(obj, separators=(", ", ": "), allow_nan=False)
    pad = " " * ind
    if isinstance(obj, dict):
        items = [pad + "  " + json.dumps(k) + ": " + dumps(v, ind + 2) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [pad + "  " + dumps(v, ind + 2) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def write(path, obj):
    text = dumps(obj) + "\n"
    assert json.loads(text) == obj
    path.write_text(text)


def flat(grads):
    return torch.cat([torch.tensor(grads[k], dtype=DT).flatten() for k in NAMES])


def entry_names(spec):
    names = []
    for k in NAMES:
        shape = torch.tensor(spec["parameters"][k]).shape
        for idx in torch.cartesian_prod(*[torch.arange(n) for n in shape]).reshape(-1, len(shape)).tolist():
            names.append(k + "".join("[%d]" % i for i in idx))
    return names


def close(a, b, tol, what):
    a, b = flat(a) if isinstance(a, dict) else a, flat(b) if isinstance(b, dict) else b
    err = ((a - b).abs() / b.abs().clamp(min=1.0)).max().item()
    assert err <= tol, "%s: off by %.3g > %.3g" % (what, err, tol)


def central_difference_check(spec, grads):
    h = 1e-6
    for k in NAMES:
        base = torch.tensor(spec["parameters"][k], dtype=DT)
        g = torch.tensor(grads[k], dtype=DT).flatten()
        for i in range(base.numel()):
            vals = []
            for sgn in (1, -1):
                p = {n: torch.tensor(spec["parameters"][n], dtype=DT) for n in NAMES}
                q = base.flatten().clone()
                q[i] += sgn * h
                p[k] = q.reshape(base.shape)
                with torch.no_grad():
                    vals.append(per_sample_loss(spec, p).mean().item())
            fd = (vals[0] - vals[1]) / (2 * h)
            assert abs(fd - g[i].item()) <= 1e-6 * max(1.0, abs(g[i].item())), (spec["name"], k, i, fd, g[i].item())


def measure(spec, good, bad):
    """Sizes of the fault: where and how much the claim differs from the correct gradient."""
    g, c, names = flat(good), flat(bad), entry_names(spec)
    diff = (c - g).abs()
    changed = [n for n, d in zip(names, diff.tolist()) if d > 0]
    rel = torch.where(g != 0, diff / g.abs(), torch.where(diff > 0, torch.full_like(g, float("inf")), diff))
    i = int(torch.argmax(rel))
    per_tensor = {}
    for k in NAMES:
        gk, ck = torch.tensor(good[k], dtype=DT), torch.tensor(bad[k], dtype=DT)
        if not torch.equal(gk, ck):
            per_tensor[k] = (ck - gk).abs().max().item() / gk.abs().max().item()
    return {
        "changed_entries": len(changed),
        "changed_tensors": [k for k in NAMES if k in per_tensor],
        "max_abs_difference": diff.max().item(),
        "max_relative_difference": rel[i].item(),
        "at": names[i],
        "relative_to_tensor_max": per_tensor,
        "relative_norm_difference": (torch.linalg.norm(c - g) / torch.linalg.norm(g)).item(),
    }


def assert_form(spec, fault, detail, good, bad, N):
    """The claim has the fault's defining form (and nothing else is changed)."""
    G = {k: torch.tensor(good[k], dtype=DT) for k in NAMES}
    B = {k: torch.tensor(bad[k], dtype=DT) for k in NAMES}
    same = lambda ks: all(torch.equal(G[k], B[k]) for k in ks)  # noqa: E731
    if fault == "truncated_bptt":
        close(bad, {**good, **windowed_bptt(spec, detail["k"])}, 1e-12, spec["name"] + " windowed BPTT")
        assert same(["Wy", "by"])
        for k in ("Wh", "Wx", "b"):
            assert (B[k] - G[k]).abs().max() > 1e-4 * G[k].abs().max(), (spec["name"], k, "truncation invisible")
    elif fault == "transposed_wh":
        assert spec["hidden"] >= 2 and same(["Wx", "b", "Wy", "by"])
        close(B["Wh"], G["Wh"].t(), 1e-14, spec["name"] + " transposed")
        assert (G["Wh"] - G["Wh"].t()).abs().max() > 1e-2 * G["Wh"].abs().max(), spec["name"] + ": dWh ~ symmetric"
    elif fault == "mean_missing":
        assert N >= 2
        close(bad, {k: (N * G[k]).tolist() for k in NAMES}, 1e-14, spec["name"] + " N x correct")
    elif fault == "sign_flip":
        ks = NAMES if detail["tensors"] == "all" else detail["tensors"]
        assert same([k for k in NAMES if k not in ks])
        assert all(torch.equal(B[k], -G[k]) and G[k].abs().max() > 0 for k in ks)
    elif fault == "isolated_entry":
        assert sum(not torch.equal(G[k], B[k]) for k in NAMES) == 1
    elif fault in ACTIVATION_FAULTS:
        assert detail["activation"] == spec["activation"], spec["name"] + ": detail activation"
        close(numpy_bptt(spec), good, 1e-12, spec["name"] + " numpy BPTT (correct rule)")
        close(bad, numpy_bptt(spec, fault), 1e-12, spec["name"] + " numpy BPTT (" + fault + ")")
        assert same(["Wy", "by"]), spec["name"] + ": output layer changed"
        if (fault, spec["activation"]) in EQUIVALENT:
            close(bad, good, 1e-14, spec["name"] + " " + fault + " equivalent to correct")
            return
        for k in ("Wh", "Wx", "b"):
            assert (B[k] - G[k]).abs().max() > 1e-4 * G[k].abs().max(), (spec["name"], k, fault + " invisible")
    if fault != "none":
        g, c = flat(good), flat(bad)
        assert ((c - g).abs() > 100 * EPS * g.abs()).any(), spec["name"] + ": fault within rounding"


# ---- main -------------------------------------------------------------------------------------------

def load_specs():
    specs = {}
    for path in sorted(SPECS.glob("rnn-*.spec.json")):
        spec = json.loads(path.read_text())
        specs[spec["name"]] = (spec, "../rnn/" + path.name, "../rnn/" + spec["name"] + ".expected.json")
    for case in NEW_SPECS:
        shift = 0
        while True:
            spec = ref.make_spec(case[:1] + (case[1] + 1000 * shift,) + case[2:])
            if spec["activation"] != "relu" or pre_activations(spec).abs().min().item() > 1e-3:
                break
            shift += 1
        specs[spec["name"]] = (spec, spec["name"] + ".spec.json", spec["name"] + ".expected.json")
    return specs


def expected_outcome(fault, detail, m):
    """("accepted" | "flagged" | "oracle-dependent", visible to a relative tolerance of 1e-8)."""
    if fault == "none":
        return "accepted", None
    if fault in ACTIVATION_FAULTS and (fault, detail["activation"]) in EQUIVALENT:
        assert m["max_relative_difference"] <= 1e-14
        return "accepted", False
    if fault == "isolated_entry":
        if detail["relative"] <= CHECKER_RELATIVE:
            return "oracle-dependent", False
        if m["max_abs_difference"] < CENTRAL_DIFFERENCE_RESOLUTION:
            return "oracle-dependent", True
    return "flagged", True


def describe(fault, detail, N, T):
    if fault == "none":
        return "none: plain autograd of L (a correct claim)"
    if fault == "truncated_bptt":
        return ("truncated_bptt: k = %d; every loss term backpropagated through at most its last %d step(s) "
                "(h_{t-%d} detached), T = %d" % (detail["k"], detail["k"], detail["k"], T))
    if fault == "transposed_wh":
        return "transposed_wh: the Wh gradient is (dL/dWh)^T (code keeps W = Wh^T and reports dL/dW); others right"
    if fault == "mean_missing":
        return ("mean_missing: sum over the %d samples instead of the mean (every tensor x %d); loss reported %s"
                % (N, N, detail["loss_reported"]))
    if fault in ACTIVATION_FAULTS:
        rule = {"missing_activation_derivative": "returns grad unchanged (phi' left out: delta_t = dL/dh_t)",
                "activation_instead_of_derivative": "returns phi(z_t) * grad (the value instead of phi'(z_t))",
                "derivative_at_output": "returns phi'(h_t) * grad, the derivative at the output h_t = phi(z_t)"}[fault]
        text = ("%s: the backward rule of the hidden activation %s, at every step of the recurrence, %s; "
                "output layer correct, T = %d" % (fault, detail["activation"], rule, T))
        if (fault, detail["activation"]) in EQUIVALENT:
            text += " (for relu this equals the correct gradient: relu'(relu(z)) = relu'(z))"
        return text
    if fault == "sign_flip":
        if detail["tensors"] == "all":
            return "sign_flip: every tensor negated (reverse pass seeded with -1: returns -grad L)"
        return "sign_flip: %s negated (its local backward rule has the wrong sign); others right" % ", ".join(detail["tensors"])
    return ("isolated_entry: %s%s of the correct gradient times (1 + %g); all else correct"
            % (detail["tensor"], "".join("[%d]" % i for i in detail["index"]), detail["relative"]))


def case_name(spec_name, fault, detail):
    suffix = {"truncated_bptt": lambda d: "-k%d" % d["k"],
              "mean_missing": lambda d: "-loss-" + d["loss_reported"],
              "sign_flip": lambda d: "-" + (d["tensors"] if d["tensors"] == "all" else "-".join(d["tensors"])),
              "isolated_entry": lambda d: "-%s%s-%g" % (d["tensor"], "".join("-%d" % i for i in d["index"]),
                                                        d["relative"])}.get(fault, lambda d: "")(detail)
    return "%s.%s%s" % (spec_name, fault, suffix)


def name_of_correct(spec_path, expected_path, name):
    """The file holding the gradient the faults are planted on (the expected file of this script's own specs)."""
    return name + ".correct.json" if spec_path.startswith("../") else expected_path


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    specs = load_specs()
    goods = {}
    for name in sorted({c[0] for c in CASES}):
        spec, spec_path, expected_path = specs[name]
        if spec["activation"] == "relu":
            assert pre_activations(spec).abs().min().item() > 1e-3, name + ": relu pre-activation near 0"
        loss, good = correct(spec)
        close(good, windowed_bptt(spec, None) | {k: good[k] for k in ("Wy", "by")}, 1e-12, name + " BPTT loop")
        central_difference_check(spec, good)
        if spec_path.startswith("../"):
            expected = json.loads((OUT / expected_path).resolve().read_text())
            close(good, expected["gradients"], 1e-13, name + " vs checked-in expected")
            assert abs(loss - expected["loss"]) <= 1e-13 * max(1.0, abs(loss)), name + " loss"
            write(OUT / (name + ".correct.json"), {"loss": loss, "gradients": good, "producer": PRODUCER})
        else:
            (OUT / spec_path).write_text(ref.dumps(spec))  # the layout of rnn/
            (OUT / expected_path).write_text(ref.dumps({"loss": loss, "gradients": good, "producer": PRODUCER}))
        goods[name] = (loss, good)

    makers = {"none": lambda s, d, g: (g, None), "truncated_bptt": lambda s, d, g: fault_truncated(s, d),
              "transposed_wh": lambda s, d, g: fault_transposed(s, d),
              "mean_missing": lambda s, d, g: fault_mean_missing(s, d),
              "sign_flip": lambda s, d, g: fault_sign_flip(s, d), "isolated_entry": fault_isolated}
    for name in ACTIVATION_FAULTS:
        makers[name] = lambda s, d, g, fault=name: fault_activation(s, fault, d)
    manifest, names = [], set()
    for spec_name, fault, detail in CASES:
        spec, spec_path, expected_path = specs[spec_name]
        N, T = len(spec["data"]["x"]), len(spec["data"]["x"][0])
        assert T >= 3, spec_name + ": T < 3"
        loss, good = goods[spec_name]
        bad, own_loss = makers[fault](spec, detail, good)
        if fault in ACTIVATION_FAULTS:  # the forward is the true one: the same loss, reported as L
            assert abs(own_loss - loss) <= 1e-15 * max(1.0, abs(loss)), spec_name + ": faulty forward loss"
            own_loss = None
        assert_form(spec, fault, detail, good, bad, N)
        case = case_name(spec_name, fault, detail)
        assert case not in names
        names.add(case)
        m = measure(spec, good, bad)
        expect, visible = expected_outcome(fault, detail, m)
        claimed = {"loss": loss if own_loss is None else own_loss, "gradients": bad,
                   "fault": describe(fault, detail, N, T), "producer": PRODUCER}
        write(OUT / (case + ".claimed.json"), claimed)
        correct_path = name_of_correct(spec_path, expected_path, spec_name)
        entry = {"case": case, "spec": spec_path, "expected": expected_path, "correct": correct_path,
                 "claimed": case + ".claimed.json",
                 "fault": fault, "detail": detail, "activation": spec["activation"], "loss_at": spec["loss_at"],
                 "samples": N, "steps": T, "expect": expect}
        if fault != "none":
            entry["visible_at_relative_1e-8"] = visible
            entry["size"] = m
        if expect == "oracle-dependent" and not visible:
            entry["note"] = ("relative change %.2g is below a blanket relative tolerance of 1e-8, which must accept "
                             "it; a correct float64 backward pass errs here by ~1e-15 relative, so an exact oracle "
                             "(complex step, forward AD) judging by rounding bounds flags it, central differences "
                             "cannot" % m["max_relative_difference"])
        elif expect == "oracle-dependent":
            entry["note"] = ("absolute change %.2g is below the ~5e-10 error of central differences (times a safety "
                             "factor); only an exact oracle (complex step, forward AD) resolves it"
                             % m["max_abs_difference"])
        if expect == "accepted" and fault in ACTIVATION_FAULTS:
            entry["note"] = ("equivalent to the correct gradient: for relu the derivative at the output, "
                             "relu'(relu(z)) = [z > 0], equals relu'(z) for every z != 0 (every pre-activation "
                             "of this spec is >= 1e-3 from 0), so this wrong rule gives the correct gradient "
                             "(max relative difference %.2g) and verify must accept it; derivative_at_output is "
                             "a real fault for tanh and sigmoid" % m["max_relative_difference"])
        manifest.append(entry)
        print("%-42s %-9s max rel diff %-10.3g rel norm %.3g" % (
            case, expect, m["max_relative_difference"] if fault != "none" else 0.0,
            m["relative_norm_difference"]))
    write(OUT / "manifest.json", {
        "producer": PRODUCER,
        "paths": "relative to this directory (src/test/resources/reference/rnn-planted/)",
        "expect": "accepted: verify must pass (exit 0); flagged: verify must fail (exit 1); "
                  "oracle-dependent: a fault a central-difference oracle cannot resolve",
        "cases": manifest})
    print(len(manifest), "cases")


if __name__ == "__main__":
    main()
