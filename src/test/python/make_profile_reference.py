#!/usr/bin/python3
"""Reference for the comparison document's time profiles: ||dL/dh_t||_F at every step, from PyTorch.

For each recurrent remedies spec (``examples/remedies/rnn-tanh-50.json``, ``lstm-50.json``) this script runs
the cell step by step in float64 with PyTorch's own equations (``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)``;
the LSTM's gates i, f, g, o stacked in that order, ``c' = f*c + i*g``, ``h' = o*tanh(c')``), keeps every
step's state with ``retain_grad``, and writes the Frobenius norm of autograd's dL/dh_t over the batch to
``src/test/resources/reference/profile/<name>.torch.json``. The loss is checked against the value that
PyTorch's fused kernels gave in ``examples/claimed/<name>.torch.json`` (made by
make_sequence_examples.py), so the step-by-step loop computes the same network.

Run: ``/usr/bin/python3 src/test/python/make_profile_reference.py`` (Debian's python3-torch).
"""
import json
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "src" / "test" / "resources" / "reference" / "profile"


def t(v):
    return torch.tensor(v, dtype=torch.float64)


def norms(spec):
    p = spec["parameters"]
    cell = spec["layers"][0]["type"]
    hidden = spec["layers"][0]["hidden"]
    x = t(spec["data"]["x"])  # [N][T][F]
    y = t(spec["data"]["y"])
    w_ih, w_hh, b_ih, b_hh = t(p["W_ih1"]), t(p["W_hh1"]), t(p["b_ih1"]), t(p["b_hh1"])
    w2, b2 = t(p["W2"]), t(p["b2"])
    for tensor in (w_ih, w_hh, b_ih, b_hh, w2, b2):
        tensor.requires_grad_(True)
    n, steps, _ = x.shape
    h = torch.zeros(n, hidden, dtype=torch.float64)
    c = torch.zeros(n, hidden, dtype=torch.float64)
    states = []
    for s in range(steps):
        pre = x[:, s, :] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        if cell == "rnn":
            h = torch.tanh(pre)
        else:
            i, f, g, o = pre.split(hidden, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        h.retain_grad()
        states.append(h)
    out = h @ w2.T + b2
    loss = ((out - y) ** 2).mean()
    loss.backward()
    return loss.item(), [s.grad.norm().item() for s in states]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("rnn-tanh-50", "lstm-50"):
        spec = json.loads((REPO / "examples" / "remedies" / (name + ".json")).read_text())
        loss, values = norms(spec)
        fused = json.loads((REPO / "examples" / "claimed" / (name + ".torch.json")).read_text())["loss"]
        if abs(loss - fused) > 1e-14 * abs(fused):
            raise SystemExit("%s: the step-by-step loss %r differs from the fused kernels' %r" % (name, loss, fused))
        (OUT / (name + ".torch.json")).write_text(json.dumps({
            "spec": "examples/remedies/%s.json" % name, "loss": loss, "hidden_gradient_norms": values,
            "producer": "PyTorch %s float64 autograd, step by step (make_profile_reference.py)" % torch.__version__},
            indent=1) + "\n")
        print("%-12s loss %.17g  ||dL/dh_1|| %.6e  ||dL/dh_T|| %.6e" % (name, loss, values[0], values[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
