#!/usr/bin/python3
"""Gradients with a wrong constant, as real libraries compute them, for the wrong-constant diagnosis.

Deeplearning4j 1.0.0-M2.1 computes leaky_relu's backward slope as the float 0.01f = 0.009999999776482582..., so
every gradient behind a negative pre-activation is off by 2.2e-8 relative. Here PyTorch's float64 autograd plays
that library: the same MLP losses as ``make_reference.py`` with leaky_relu's backward slope set to float32(0.01)
(its forward keeps 0.01; a torch.autograd.Function), on random MLPs whose leaky_relu layer (``slope-layer1``) or layers
(``slope-every``) see negative pre-activations, none within 1e-3 of the kink. And a loss whose 1/N mean over N = 3
samples is taken in float32 (``loss-scale``: every gradient times float32(1/3)*3 = 1.0000000298023224). Correct
claims (``none``) for control.

Writes ``src/test/resources/reference/constant-planted/``: per case ``<case>.spec.json``, ``<case>.claimed.json``,
``<case>.expected.json`` (the correct gradient, plain autograd: what a planted fault must differ from), and
``manifest.json`` (case, spec, claimed, expected, fault, factor: the constant's ratio to the right one).

Run: ``/usr/bin/python3 src/test/python/make_constant_reference.py`` (Debian's python3-torch, numpy).
"""
import json
import random
import sys
from pathlib import Path

import numpy
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_reference as mr  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "test" / "resources" / "reference" / "constant-planted"
SLOPE32 = float(numpy.float32(0.01))
MEAN32 = float(numpy.float32(1.0 / 3.0)) * 3.0


def random_spec(rng, name, activations, samples=3):
    n_in = rng.choice([2, 3, 4])
    widths = [rng.choice([2, 3, 4]) for _ in activations[:-1]] + [1]
    while True:
        spec = {
            "name": name, "inputs": n_in,
            "layers": [{"units": w, "activation": a} for w, a in zip(widths, activations)],
            "loss": "mse",
            "parameters": mr.draw_params(rng, n_in, widths, 1.2, 0.5),
            "data": {"x": [[mr.r4(rng.uniform(-1.5, 1.5)) for _ in range(n_in)] for _ in range(samples)],
                     "y": [[mr.r4(rng.uniform(-1, 1))] for _ in range(samples)]},
        }
        negative = all(any(z < 0 for x in spec["data"]["x"] for z in mr.manual_forward(spec, x)[0][l])
                       for l, layer in enumerate(spec["layers"], 1) if layer["activation"] == "leaky_relu")
        if negative and mr.min_kink_distance(spec) > 1e-3:
            return spec


class LeakyWithFloatSlope(torch.autograd.Function):
    """leaky_relu with slope 0.01 forward and float32(0.01) backward."""

    @staticmethod
    def forward(ctx, z):
        ctx.save_for_backward(z)
        return torch.nn.functional.leaky_relu(z, 0.01)

    @staticmethod
    def backward(ctx, g):
        (z,) = ctx.saved_tensors
        return g * torch.where(z > 0, torch.ones_like(z), torch.full_like(z, SLOPE32))


def gradients(spec, float_slope):
    plain = mr.t_act

    def act(name, z):
        return LeakyWithFloatSlope.apply(z) if name == "leaky_relu" and float_slope else plain(name, z)

    mr.t_act = act
    try:
        return mr.torch_gradients(spec)
    finally:
        mr.t_act = plain


def scaled(grads, factor):
    if isinstance(grads, dict):
        return {k: scaled(v, factor) for k, v in grads.items()}
    return [scaled(v, factor) for v in grads] if isinstance(grads, list) else grads * factor


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    mr.DT = torch.float64
    rng = random.Random(14)
    cases = []

    def emit(case, spec, grads, loss, fault, factor, good):
        spec = dict(spec, name=case)
        (OUT / (case + ".spec.json")).write_text(mr.dumps(spec))
        (OUT / (case + ".claimed.json")).write_text(mr.dumps({
            "loss": loss, "gradients": grads,
            "producer": "torch %s autograd float64 (make_constant_reference.py): %s" % (torch.__version__, fault)}))
        (OUT / (case + ".expected.json")).write_text(mr.dumps({
            "loss": loss, "gradients": good,
            "producer": "torch %s autograd float64 (make_constant_reference.py): correct" % torch.__version__}))
        cases.append({"case": case, "spec": case + ".spec.json", "claimed": case + ".claimed.json",
                      "expected": case + ".expected.json", "fault": fault, "factor": factor})

    tails = [["sigmoid", "identity"], ["tanh", "identity"], ["identity"], ["sigmoid"], ["tanh", "sigmoid"]]
    for i, tail in enumerate(tails):
        spec = random_spec(rng, "x", ["leaky_relu"] + tail)
        loss, good = gradients(spec, False)
        _, bad = gradients(spec, True)
        emit("slope-layer1-%02d" % i, spec, bad, loss, "slope-layer1", SLOPE32 / 0.01, good)
        if i == 0:
            emit("none-%02d" % i, spec, good, loss, "none", 1.0, good)
    for i, acts in enumerate([["leaky_relu", "leaky_relu", "identity"], ["leaky_relu", "tanh", "leaky_relu", "sigmoid"]]):
        spec = random_spec(rng, "x", acts)
        loss, bad = gradients(spec, True)
        _, good = gradients(spec, False)
        emit("slope-every-%02d" % i, spec, bad, loss, "slope-every", SLOPE32 / 0.01, good)
    for i, acts in enumerate([["tanh", "identity"], ["sigmoid", "sigmoid"]]):
        spec = random_spec(rng, "x", acts)
        loss, good = gradients(spec, False)
        emit("loss-scale-%02d" % i, spec, scaled(good, MEAN32), loss, "loss-scale", MEAN32, good)
        emit("none-%02d" % (i + 1), spec, good, loss, "none", 1.0, good)
    (OUT / "manifest.json").write_text(mr.dumps({
        "producer": "make_constant_reference.py", "cases": cases}))
    print("%d cases" % len(cases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
