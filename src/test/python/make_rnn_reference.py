#!/usr/bin/python3
"""Generate independent reference losses and gradients for chainproof's RNN with PyTorch.

What
----
For 12 seeded random vanilla RNNs ``rnn-00`` .. ``rnn-11`` this script writes, into
``src/test/resources/reference/rnn/``:

* ``<name>.spec.json``     -- the spec exactly as chainproof reads it ("type": "rnn");
* ``<name>.expected.json`` -- ``{"loss": L, "gradients": {"Wh", "Wx", "b", "Wy", "by"}, "producer": ...}``
                              with the shapes of ``parameters`` (PyTorch's ``{name: p.grad}`` layout).

The hidden recurrence is ``torch.nn.RNN`` (float64, batch_first=True, one layer) for tanh and relu, with
``weight_hh_l0 = Wh``, ``weight_ih_l0 = Wx``, ``bias_ih_l0 = b`` and ``bias_hh_l0 = 0`` (chainproof has one
bias; the gradient of b is the gradient of ``bias_ih_l0``).  nn.RNN has no sigmoid, so for sigmoid the
recurrence ``h_t = sigmoid(h_{t-1} Wh^T + x_t Wx^T + b)`` is written out in torch.  The output layer is
``torch.nn.functional.linear`` with Wy, by; gradients come from ``torch.autograd``.

Semantics (must match chainproof)
---------------------------------
* h_t = phi(Wh h_{t-1} + Wx x_t + b), t = 1..T, h_0 from the spec (zeros if absent);
  o_t = psi(Wy h_t + by).
* per-step loss as for MLPs: mse = mean_o (a-y)^2, sse, half_sse, bce = -mean_o[...],
  cross_entropy = -sum_o y log a (log a via logsigmoid / log_softmax).
* "loss_at": "last":  L = mean over samples of loss(o_T, y)            (y is [samples][outputs]);
  "loss_at": "every": L = mean over samples of sum_t loss(o_t, y_t)    (y is [samples][T][outputs]).

Checks: nn.RNN's states equal the written-out recurrence to 1e-14 (so the module really used
the spec's Wh, Wx, b and a zero b_hh); central finite differences (step 1e-6) agree with autograd to 1e-6 (denominator max(1,|g|)).
Random values come from ``random.Random(seed)`` rounded to 4 decimals; relu specs with a pre-activation
within 1e-3 of 0 are redrawn.  Re-running gives byte-identical files on the same torch build.

How to run (not in CI; the data is checked in)::

    /usr/bin/python3 src/test/python/make_rnn_reference.py
"""

import json
import math
import random
from pathlib import Path

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
DT = torch.float64
REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "src" / "test" / "resources" / "reference" / "rnn"
PRODUCER = "torch %s nn.RNN autograd float64" % torch.__version__

# name, seed, inputs, hidden, outputs, T, samples, activation, output activation, loss, loss_at, h0 given
CASES = [
    ("rnn-00", 100, 1, 1, 1, 1, 1, "tanh", "identity", "mse", "last", False),
    ("rnn-01", 101, 2, 3, 1, 4, 2, "tanh", "identity", "mse", "every", True),
    ("rnn-02", 102, 3, 4, 2, 6, 2, "tanh", "identity", "sse", "last", True),
    ("rnn-03", 103, 1, 2, 3, 5, 3, "tanh", "softmax", "cross_entropy", "every", False),
    ("rnn-04", 104, 2, 2, 1, 3, 2, "relu", "identity", "half_sse", "every", True),
    ("rnn-05", 105, 3, 3, 2, 6, 1, "relu", "sigmoid", "bce", "last", False),
    ("rnn-06", 106, 2, 4, 2, 2, 2, "sigmoid", "identity", "mse", "last", True),
    ("rnn-07", 107, 1, 3, 1, 6, 2, "sigmoid", "sigmoid", "bce", "every", False),
    ("rnn-08", 108, 3, 1, 3, 4, 1, "tanh", "softmax", "cross_entropy", "last", True),
    ("rnn-09", 109, 2, 4, 3, 5, 2, "relu", "softmax", "cross_entropy", "last", False),
    ("rnn-10", 110, 1, 2, 2, 6, 3, "sigmoid", "softmax", "cross_entropy", "every", True),
    ("rnn-11", 111, 3, 3, 3, 1, 2, "tanh", "sigmoid", "bce", "every", True),
]


def dumps(obj):
    def fmt(v, ind):
        if not isinstance(v, (list, dict)) or (isinstance(v, list) and all(not isinstance(e, (list, dict)) for e in v)):
            return json.dumps(v, separators=(", ", ": "), allow_nan=False)
        pad = " " * ind
        if isinstance(v, dict):
            items = [pad + "  " + json.dumps(k) + ": " + fmt(e, ind + 2) for k, e in v.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        items = [pad + "  " + fmt(e, ind + 2) for e in v]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    text = fmt(obj, 0) + "\n"
    assert json.loads(text) == obj
    return text


def draw(rng, *shape, lo=-1.0, hi=1.0):
    if not shape:
        return round(rng.uniform(lo, hi), 4)
    return [draw(rng, *shape[1:], lo=lo, hi=hi) for _ in range(shape[0])]


def target(rng, outputs, out_act, loss):
    if loss == "cross_entropy":
        k = rng.randrange(outputs)
        return [1.0 if j == k else 0.0 for j in range(outputs)]
    if loss == "bce":
        return [round(rng.uniform(0, 1), 4) for _ in range(outputs)]
    return draw(rng, outputs)


def make_spec(case):
    name, seed, n_in, n_h, n_out, T, N, act, out_act, loss, loss_at, with_h0 = case
    rng = random.Random(seed)
    params = {"Wh": draw(rng, n_h, n_h, lo=-0.9, hi=0.9), "Wx": draw(rng, n_h, n_in),
              "b": draw(rng, n_h, lo=-0.5, hi=0.5), "Wy": draw(rng, n_out, n_h), "by": draw(rng, n_out)}
    if with_h0:
        params["h0"] = draw(rng, n_h, lo=-0.5, hi=0.5)
    x = draw(rng, N, T, n_in)
    if loss_at == "every":
        y = [[target(rng, n_out, out_act, loss) for _ in range(T)] for _ in range(N)]
    else:
        y = [target(rng, n_out, out_act, loss) for _ in range(N)]
    return {"type": "rnn", "name": name, "inputs": n_in, "hidden": n_h, "activation": act,
            "outputs": n_out, "output_activation": out_act, "loss": loss, "loss_at": loss_at,
            "parameters": params, "data": {"x": x, "y": y}}


def hidden_states(spec, p):
    """[N, T, hidden] hidden states and [N, T, hidden] pre-activations (for the relu kink check)."""
    x = torch.tensor(spec["data"]["x"], dtype=DT)
    n_h = spec["hidden"]
    h0 = torch.tensor(spec["parameters"].get("h0", [0.0] * n_h), dtype=DT)
    N = x.shape[0]
    if spec["activation"] in ("tanh", "relu"):
        rnn = torch.nn.RNN(spec["inputs"], n_h, num_layers=1, nonlinearity=spec["activation"],
                           bias=True, batch_first=True).to(DT)
        with torch.no_grad():
            rnn.bias_hh_l0.zero_()
        rnn.bias_hh_l0.requires_grad_(False)
        # make the module use our leaf tensors so autograd reaches them
        del rnn.weight_hh_l0, rnn.weight_ih_l0, rnn.bias_ih_l0
        rnn.weight_hh_l0 = p["Wh"]
        rnn.weight_ih_l0 = p["Wx"]
        rnn.bias_ih_l0 = p["b"]
        rnn._flat_weights = [p["Wx"], p["Wh"], p["b"], rnn.bias_hh_l0]
        out, _ = rnn(x, h0.expand(1, N, n_h).contiguous())
        phi = torch.tanh if spec["activation"] == "tanh" else torch.relu
        h, manual = h0.expand(N, n_h), []
        for t in range(x.shape[1]):
            h = phi(F.linear(h, p["Wh"]) + F.linear(x[:, t, :], p["Wx"], p["b"]))
            manual.append(h)
        assert torch.allclose(out, torch.stack(manual, dim=1), rtol=0, atol=1e-14), "nn.RNN != recurrence"
    else:
        h = h0.expand(N, n_h)
        outs = []
        for t in range(x.shape[1]):
            h = torch.sigmoid(F.linear(h, p["Wh"]) + F.linear(x[:, t, :], p["Wx"], p["b"]))
            outs.append(h)
        out = torch.stack(outs, dim=1)
    # pre-activations, recomputed from the states (only used to reject relu kinks)
    prev = torch.cat([h0.expand(N, 1, n_h), out[:, :-1, :]], dim=1)
    z = F.linear(prev, p["Wh"]) + F.linear(x, p["Wx"], p["b"])
    return out, z


def step_loss(u, y, out_act, loss):
    """Per-step loss for each sample: u, y are [N, outputs]; returns [N]."""
    if out_act == "softmax":
        log_a = F.log_softmax(u, dim=-1)
        a = log_a.exp()
        log_1ma = torch.log1p(-a)
    elif out_act == "sigmoid":
        a = torch.sigmoid(u)
        log_a, log_1ma = F.logsigmoid(u), F.logsigmoid(-u)
    else:
        a = {"identity": u, "tanh": torch.tanh(u), "relu": torch.relu(u)}[out_act]
        log_a = log_1ma = None
    if loss == "mse":
        return ((a - y) ** 2).mean(-1)
    if loss == "sse":
        return ((a - y) ** 2).sum(-1)
    if loss == "half_sse":
        return 0.5 * ((a - y) ** 2).sum(-1)
    if loss == "bce":
        return -(y * log_a + (1 - y) * log_1ma).mean(-1)
    if loss == "cross_entropy":
        return -(torch.where(y == 0, torch.zeros_like(y), y * log_a)).sum(-1)
    raise ValueError(loss)


def total_loss(spec, p):
    h, z = hidden_states(spec, p)
    u = F.linear(h, p["Wy"], p["by"])  # [N, T, outputs]
    y = torch.tensor(spec["data"]["y"], dtype=DT)
    if spec["loss_at"] == "last":
        per_sample = step_loss(u[:, -1, :], y, spec["output_activation"], spec["loss"])
    else:
        per_sample = sum(step_loss(u[:, t, :], y[:, t, :], spec["output_activation"], spec["loss"])
                         for t in range(u.shape[1]))
    return per_sample.mean(), z


NAMES = ["Wh", "Wx", "b", "Wy", "by"]


def leaves(spec):
    return {k: torch.tensor(spec["parameters"][k], dtype=DT, requires_grad=True) for k in NAMES}


def reference(spec):
    p = leaves(spec)
    L, z = total_loss(spec, p)
    L.backward()
    grads = {k: p[k].grad.tolist() for k in NAMES}
    return L.item(), grads, z


def finite_difference_check(spec, grads):
    h = 1e-6
    for k in NAMES:
        flat = torch.tensor(spec["parameters"][k], dtype=DT).flatten()
        g = torch.tensor(grads[k], dtype=DT).flatten()
        for i in range(flat.numel()):
            vals = []
            for sgn in (1, -1):
                p = {n: torch.tensor(spec["parameters"][n], dtype=DT) for n in NAMES}
                q = p[k].flatten().clone()
                q[i] += sgn * h
                p[k] = q.reshape(p[k].shape)
                with torch.no_grad():
                    vals.append(total_loss(spec, p)[0].item())
            fd = (vals[0] - vals[1]) / (2 * h)
            assert abs(fd - g[i].item()) <= 1e-6 * max(1.0, abs(g[i].item())), (spec["name"], k, i, fd, g[i].item())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        seed_shift = 0
        while True:
            spec = make_spec(case[:1] + (case[1] + 1000 * seed_shift,) + case[2:])
            loss, grads, z = reference(spec)
            if spec["activation"] != "relu" or z.abs().min().item() > 1e-3:
                break
            seed_shift += 1
        finite_difference_check(spec, grads)
        name = spec["name"]
        (OUT / (name + ".spec.json")).write_text(dumps(spec))
        (OUT / (name + ".expected.json")).write_text(
            dumps({"loss": loss, "gradients": grads, "producer": PRODUCER}))
        print(name, "loss", loss)


if __name__ == "__main__":
    main()
