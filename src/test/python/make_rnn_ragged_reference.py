#!/usr/bin/python3
"""Generate independent reference losses and gradients for RNN specs whose sequences have DIFFERENT lengths.

What
----
``rnn-ragged-00`` .. ``rnn-ragged-05``: seeded random vanilla RNNs in which every sample's sequence has its
own length T_s (e.g. 1, 3 and 5 steps in one spec).  Written into ``src/test/resources/reference/rnn-ragged/``:

* ``<name>.spec.json``     -- the spec exactly as chainproof reads it ("type": "rnn"; data.x is
                              [samples][T_s][inputs]; data.y is [samples][T_s][outputs] for "every",
                              [samples][outputs] for "last");
* ``<name>.expected.json`` -- ``{"loss": L, "gradients": {"Wh", "Wx", "b", "Wy", "by"}, "producer": ...}``,
                              the layout of ``../rnn/*.expected.json``.

How
---
Everything but the raggedness is ``make_rnn_reference.py``, imported, not copied: its random drawing
(``draw``, ``target``), its forward pass (``hidden_states``: ``torch.nn.RNN`` float64 for tanh and relu with
``bias_hh_l0 = 0``, the written-out torch recurrence for sigmoid; ``total_loss``: output layer and per-step
loss ``step_loss``), its parameter leaves and its JSON layout (``dumps``).  A ragged spec is run ONE SAMPLE
AT A TIME: sample s becomes a one-sample spec with its own T_s steps, ``make_rnn_reference.total_loss`` gives
that sample's loss l_s (for "last" the loss at the sample's own last step T_s, for "every" the sum over its
own T_s steps), and

    L = (1/N) * sum_s l_s,

whose gradients w.r.t. the shared leaves Wh, Wx, b, Wy, by come from ``torch.autograd``.  No padding, no
masking: a sample never sees another sample's steps.

Checks (the script aborts on any failure)
-----------------------------------------
1. Central finite differences (step 1e-6) of L agree with autograd to 1e-6, denominator max(1, |g|).
2. A hand-written numpy recurrence (h_t = phi(Wh h_{t-1} + Wx x_t + b), per sample over its own steps) equals
   the torch states to 1e-14, and a numpy forward pass of the output layer and the loss (own code for the
   five losses and the ragged reduction) equals the torch loss to 1e-12 relative.
3. Relu specs have every pre-activation (of every sample's own steps) at least 1e-3 away from 0 and use
   both relu branches; otherwise the seed is redrawn (seed + 1000 k), as in make_rnn_reference.py.
4. Shape of the draw: 2-4 samples with pairwise different lengths.
Re-running gives byte-identical files on the same torch build (the specs depend only on
``random.Random(seed)``).

How to run (not in CI; the data is checked in)::

    /usr/bin/python3 src/test/python/make_rnn_ragged_reference.py
"""

import random
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_rnn_reference as ref  # noqa: E402  (drawing, forward pass, per-step losses, JSON layout)

DT = torch.float64
NAMES = ref.NAMES  # Wh, Wx, b, Wy, by
OUT = ref.REPO / "src" / "test" / "resources" / "reference" / "rnn-ragged"
PRODUCER = "torch %s nn.RNN autograd float64, one sequence at a time (make_rnn_ragged_reference.py)" % torch.__version__
RELU_MARGIN = 1e-3

# name, seed, inputs, hidden, outputs, lengths (one per sample), activation, output activation, loss, loss_at, h0 given
CASES = [
    ("rnn-ragged-00", 200, 2, 3, 1, [1, 3, 5], "tanh", "identity", "mse", "last", False),
    ("rnn-ragged-01", 201, 1, 2, 3, [4, 2], "tanh", "softmax", "cross_entropy", "every", True),
    ("rnn-ragged-02", 202, 2, 3, 2, [2, 5, 1], "sigmoid", "sigmoid", "bce", "every", False),
    ("rnn-ragged-03", 203, 3, 2, 2, [3, 1, 4, 2], "sigmoid", "identity", "sse", "last", True),
    ("rnn-ragged-04", 204, 2, 3, 2, [5, 1, 3], "relu", "identity", "half_sse", "every", True),
    ("rnn-ragged-05", 205, 2, 4, 3, [5, 2, 3, 1], "relu", "softmax", "cross_entropy", "last", False),
]


def make_spec(case):
    """make_rnn_reference.make_spec with one length per sample (same draw order: parameters, h0, x, y)."""
    name, seed, n_in, n_h, n_out, lengths, act, out_act, loss, loss_at, with_h0 = case
    assert 2 <= len(lengths) <= 4 and len(set(lengths)) == len(lengths) and min(lengths) >= 1, lengths
    rng = random.Random(seed)
    params = {"Wh": ref.draw(rng, n_h, n_h, lo=-0.9, hi=0.9), "Wx": ref.draw(rng, n_h, n_in),
              "b": ref.draw(rng, n_h, lo=-0.5, hi=0.5), "Wy": ref.draw(rng, n_out, n_h), "by": ref.draw(rng, n_out)}
    if with_h0:
        params["h0"] = ref.draw(rng, n_h, lo=-0.5, hi=0.5)
    x = [ref.draw(rng, T, n_in) for T in lengths]
    if loss_at == "every":
        y = [[ref.target(rng, n_out, out_act, loss) for _ in range(T)] for T in lengths]
    else:
        y = [ref.target(rng, n_out, out_act, loss) for _ in lengths]
    return {"type": "rnn", "name": name, "inputs": n_in, "hidden": n_h, "activation": act,
            "outputs": n_out, "output_activation": out_act, "loss": loss, "loss_at": loss_at,
            "parameters": params, "data": {"x": x, "y": y}}


def one_sample(spec, s):
    """Sample s as a spec of its own (one sequence of its own length), for make_rnn_reference's forward pass."""
    sub = dict(spec)
    sub["data"] = {"x": [spec["data"]["x"][s]], "y": [spec["data"]["y"][s]]}
    return sub


def ragged_loss(spec, p):
    """L = mean over samples of each sample's loss over its own steps; also each sample's [T_s, hidden] z."""
    per_sample, zs = [], []
    for s in range(len(spec["data"]["x"])):
        l_s, z_s = ref.total_loss(one_sample(spec, s), p)
        per_sample.append(l_s)
        zs.append(z_s[0])
    return torch.stack(per_sample).mean(), zs


def reference(spec):
    p = ref.leaves(spec)
    L, zs = ragged_loss(spec, p)
    L.backward()
    return L.item(), {k: p[k].grad.tolist() for k in NAMES}, zs


# ---- checks -----------------------------------------------------------------------------------------

def finite_difference_check(spec, grads):
    """Central differences (step 1e-6) of the ragged L, every entry of every tensor; returns the worst error."""
    h, worst = 1e-6, 0.0
    for k in NAMES:
        g = torch.tensor(grads[k], dtype=DT).flatten()
        for i in range(g.numel()):
            vals = []
            for sgn in (1, -1):
                p = {n: torch.tensor(spec["parameters"][n], dtype=DT) for n in NAMES}
                q = p[k].flatten().clone()
                q[i] += sgn * h
                p[k] = q.reshape(p[k].shape)
                with torch.no_grad():
                    vals.append(ragged_loss(spec, p)[0].item())
            fd = (vals[0] - vals[1]) / (2 * h)
            err = abs(fd - g[i].item()) / max(1.0, abs(g[i].item()))
            assert err <= 1e-6, (spec["name"], k, i, fd, g[i].item())
            worst = max(worst, err)
    return worst


def numpy_states(spec, s):
    """Hand-written recurrence for sample s over its own steps: [T_s, hidden] states."""
    P = {k: np.array(v, dtype=np.float64) for k, v in spec["parameters"].items()}
    phi = {"tanh": np.tanh, "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
           "relu": lambda z: np.maximum(z, 0.0)}[spec["activation"]]
    h = P.get("h0", np.zeros(spec["hidden"]))
    states = []
    for x_t in spec["data"]["x"][s]:
        h = phi(P["Wh"] @ h + P["Wx"] @ np.array(x_t) + P["b"])
        states.append(h)
    return np.array(states)


def numpy_step_loss(u, y, out_act, loss):
    """The per-step loss in numpy, written from the spec's definitions (u: pre-activation of the output layer)."""
    if out_act == "softmax":
        m = u.max()
        log_a = u - m - np.log(np.exp(u - m).sum())
        a = np.exp(log_a)
    elif out_act == "sigmoid":
        log_a, a = -np.logaddexp(0.0, -u), 1.0 / (1.0 + np.exp(-u))
    else:
        assert out_act == "identity", out_act
        a = u
    if loss == "mse":
        return np.mean((a - y) ** 2)
    if loss == "sse":
        return np.sum((a - y) ** 2)
    if loss == "half_sse":
        return 0.5 * np.sum((a - y) ** 2)
    if loss == "bce":
        assert out_act == "sigmoid"
        return -np.mean(y * log_a + (1 - y) * -np.logaddexp(0.0, u))
    if loss == "cross_entropy":
        return -np.sum(np.where(y == 0, 0.0, y * log_a))
    raise ValueError(loss)


def numpy_check(spec, L):
    """States to 1e-14 against make_rnn_reference.hidden_states, the loss to 1e-12 relative against L."""
    P = {k: torch.tensor(spec["parameters"][k], dtype=DT) for k in NAMES}
    Wy, by = np.array(spec["parameters"]["Wy"]), np.array(spec["parameters"]["by"])
    worst, total = 0.0, 0.0
    for s, xs in enumerate(spec["data"]["x"]):
        with torch.no_grad():
            h_torch = ref.hidden_states(one_sample(spec, s), P)[0][0].numpy()
        h_np = numpy_states(spec, s)
        assert h_np.shape == h_torch.shape == (len(xs), spec["hidden"]), (h_np.shape, h_torch.shape)
        diff = float(np.abs(h_np - h_torch).max())
        assert diff <= 1e-14, (spec["name"], s, diff)
        worst = max(worst, diff)
        y = spec["data"]["y"][s]
        steps = range(len(xs)) if spec["loss_at"] == "every" else [len(xs) - 1]
        targets = y if spec["loss_at"] == "every" else [y]
        total += sum(numpy_step_loss(Wy @ h_np[t] + by, np.array(y_t), spec["output_activation"], spec["loss"])
                     for t, y_t in zip(steps, targets, strict=True))
    L_np = total / len(spec["data"]["x"])
    assert abs(L_np - L) <= 1e-12 * max(1.0, abs(L)), (spec["name"], L_np, L)
    return worst


def relu_ok(spec, zs):
    """Every pre-activation at least RELU_MARGIN from 0, and both branches of relu used."""
    z = torch.cat([z_s.flatten() for z_s in zs])
    return z.abs().min().item() >= RELU_MARGIN and (z > 0).any().item() and (z < 0).any().item()


def magnitudes(grads):
    flat = [abs(v) for k in NAMES for v in torch.tensor(grads[k], dtype=DT).flatten().tolist()]
    nonzero = [v for v in flat if v != 0.0]
    return max(flat), min(nonzero), len(flat) - len(nonzero)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        shift = 0
        while True:
            spec = make_spec(case[:1] + (case[1] + 1000 * shift,) + case[2:])
            loss, grads, zs = reference(spec)
            if spec["activation"] != "relu" or relu_ok(spec, zs):
                break
            shift += 1
        fd_err = finite_difference_check(spec, grads)
        state_err = numpy_check(spec, loss)
        name = spec["name"]
        (OUT / (name + ".spec.json")).write_text(ref.dumps(spec))
        (OUT / (name + ".expected.json")).write_text(
            ref.dumps({"loss": loss, "gradients": grads, "producer": PRODUCER}))
        largest, smallest, zeros = magnitudes(grads)
        margin = min(z.abs().min().item() for z in zs)
        print("%s seed %d %s/%s/%s loss_at=%s lengths=%s h0=%s loss %.17g max|g| %.3e min nonzero|g| %.3e"
              " zeros %d fd %.1e states %.1e min|z| %.4f"
              % (name, case[1] + 1000 * shift, spec["activation"], spec["output_activation"], spec["loss"],
                 spec["loss_at"], [len(x) for x in spec["data"]["x"]], "h0" in spec["parameters"], loss,
                 largest, smallest, zeros, fd_err, state_err, margin))


if __name__ == "__main__":
    main()
