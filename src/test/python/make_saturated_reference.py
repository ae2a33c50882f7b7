#!/usr/bin/python3
"""PyTorch's float64 gradients where they keep no relative accuracy, with their exact values.

A gelu -> tanh -> sigmoid -> sigmoid MLP with bce whose third layer saturates (z3 ~ 46, so sigma(z3) rounds to
1 and the textbook sigma*(1 - sigma) loses every digit): autograd in float64 (what a user's library computes), and
the exact gradient evaluated symbolically by SymPy to 60 significant digits (mpmath), which decides the truth.

Writes ``src/test/resources/reference/saturated/``: ``<name>.spec.json``, ``<name>.torch.json`` (autograd float64),
``<name>.exact.json`` (the nearest doubles of the 60-digit values), ``<name>.digits.json`` (the 60 digits).

Run: ``/usr/bin/python3 src/test/python/make_saturated_reference.py`` (Debian's python3-torch, python3-sympy).
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_reference as mr  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "test" / "resources" / "reference" / "saturated"
DIGITS = 60


def spec():
    return {
        "name": "saturated-sigmoid",
        "inputs": 2,
        "layers": [
            {"units": 2, "activation": "gelu"},
            {"units": 2, "activation": "tanh"},
            {"units": 1, "activation": "sigmoid"},
            {"units": 1, "activation": "sigmoid"},
        ],
        "loss": "bce",
        "parameters": {
            "W1": [[0.7, -0.4], [0.3, 0.9]],
            "b1": [0.1, -0.2],
            "W2": [[1.1, -0.6], [0.5, 0.8]],
            "b2": [0.05, -0.1],
            "W3": [[30.0, 22.0]],
            "b3": [50.0],
            "W4": [[1.5]],
            "b4": [-0.5],
        },
        "data": {"x": [[0.8, -0.3], [0.4, 1.2]], "y": [[1.0], [0.0]]},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    s = spec()
    mr.validate(s)
    mr.DT = torch.float64
    loss, grads = mr.torch_gradients(s)
    exact_loss, exact = mr.sympy_gradients(s, DIGITS)
    name = s["name"]
    (OUT / (name + ".spec.json")).write_text(mr.dumps(s))
    (OUT / (name + ".torch.json")).write_text(mr.dumps({"loss": loss, "gradients": grads,
                                                         "producer": "torch %s autograd float64" % torch.__version__}))

    def nearest(v):
        if isinstance(v, dict):
            return {k: nearest(x) for k, x in v.items()}
        return [nearest(x) for x in v] if isinstance(v, list) else float(v)

    def digits(v):
        if isinstance(v, dict):
            return {k: digits(x) for k, x in v.items()}
        return [digits(x) for x in v] if isinstance(v, list) else str(v)

    producer = "SymPy %d-digit evaluation of the symbolic derivative (mpmath)" % DIGITS
    (OUT / (name + ".exact.json")).write_text(mr.dumps({
        "loss": float(exact_loss), "gradients": nearest(exact), "producer": producer + ", nearest doubles"}))
    (OUT / (name + ".digits.json")).write_text(mr.dumps({
        "loss": str(exact_loss), "gradients": digits(exact), "producer": producer}))
    lost = 0
    for k in mr.param_names(s):
        for t, e in zip(mr.flatten(grads[k]), mr.flatten(nearest(exact)[k])):
            rel = abs(t - e) / abs(e) if e != 0 else abs(t)
            lost += rel > 1e-3
            print("%-3s torch %-24.17g exact %-24.17g rel %.2g" % (k, t, e, rel))
    assert lost >= 4, "the spec must make autograd lose the relative accuracy of several entries"
    return 0


if __name__ == "__main__":
    sys.exit(main())
