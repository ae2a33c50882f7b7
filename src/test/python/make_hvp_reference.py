#!/usr/bin/python3
"""Hessian-vector products from PyTorch's double backward, for chainproof's second-order check.

For each spec below, a seeded random direction v (one normal tensor per parameter) and PyTorch's
H·v = ∇(∇L · v): ``torch.autograd.grad`` of the loss with ``create_graph=True``, dotted with v and
differentiated again (what ``gradgradcheck`` checks), float64. Layered and sequence specs use the
layered scripts' torch losses (PyTorch's own modules and kernels); the MLP example its own forward
pass. Each result is checked against central differences of PyTorch's gradient along v (step 1e-5,
tolerance 1e-5 relative to max(1, |Hv|): a sanity check of the double backward, whose own error is O(h²)).

Planted faults (``fault`` in the manifest), for ``examples/mlp-2-3-2-1.json`` (tanh -> sigmoid ->
identity, mse): a hand-written backward pass, correct to first order, whose double backward is not:
"sigmoid" computes sigma'(z2) from a detached z2, so H·v misses the sigma'' term; "tanh" does the same
for tanh'(z1). Both give the right gradient (asserted) and a wrong H·v.

Writes ``src/test/resources/reference/hvp/`` (``<name>.hvp.json`` with ``vector`` and ``hvp``, and
``manifest.json``) and ``examples/claimed/mlp-2-3-2-1.hvp.torch.json``.

Run: ``/usr/bin/python3 src/test/python/make_hvp_reference.py`` (Debian's python3-torch).
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_sequence_reference  # noqa: E402,F401  (installs the recurrent and attention layers)
import make_layered_reference as base  # noqa: E402

REPO = base.REPO
OUT = REPO / "src" / "test" / "resources" / "reference" / "hvp"
LAYERED = ["reference/layered/mixed-00", "reference/layered/conv2d-01", "reference/layered/layernorm-seq-00",
           "reference/layered/batchnorm-vec-00", "reference/layered/residual-01", "reference/layered/embedding-01",
           "reference/layered/pool-avg2d-00", "reference/layered-sequence/lstm-last",
           "reference/layered-sequence/gru-sequence", "reference/layered-sequence/rnn-tanh-sequence",
           "reference/layered-sequence/attention-causal", "reference/layered-sequence/transformer-block"]
MLP = "examples/mlp-2-3-2-1.json"


def direction(params, seed):
    g = torch.Generator().manual_seed(seed)
    return {k: torch.randn(v.shape, generator=g, dtype=torch.float64) for k, v in params.items()}


def hvp(loss_of, params, v):
    P = {k: t.clone().requires_grad_(True) for k, t in params.items()}
    L = loss_of(P)
    grads = torch.autograd.grad(L, list(P.values()), create_graph=True)
    dot = sum((g * v[k]).sum() for g, k in zip(grads, P))
    out = torch.autograd.grad(dot, list(P.values()), allow_unused=True)
    return {k: (o if o is not None else torch.zeros_like(P[k])) for o, k in zip(out, P)}


def fd_check(loss_of, params, v, result, name):
    def grad_at(s):
        P = {k: (t + s * v[k]).requires_grad_(True) for k, t in params.items()}
        return torch.autograd.grad(loss_of(P), list(P.values()), allow_unused=True)
    h = 1e-5
    up, down = grad_at(h), grad_at(-h)
    for (k, r), a, b in zip(result.items(), up, down):
        if a is None:
            continue
        fd = (a - b) / (2 * h)
        err = ((fd - r).abs() / r.abs().clamp(min=1.0)).max().item()
        assert err < 1e-5, (name, k, err)


def mlp_loss(spec, fault=None):
    x = torch.tensor(spec["data"]["x"], dtype=torch.float64)
    y = torch.tensor(spec["data"]["y"], dtype=torch.float64)

    def loss_of(P):
        z1 = x @ P["W1"].T + P["b1"]
        o1 = torch.tanh(z1)
        z2 = o1 @ P["W2"].T + P["b2"]
        o2 = torch.sigmoid(z2)
        z3 = o2 @ P["W3"].T + P["b3"]
        return ((z3 - y) ** 2).mean(dim=1).mean()

    if fault is None:
        return loss_of

    class Manual(torch.autograd.Function):
        """The MLP's loss with a hand-written backward pass (differentiable again by autograd)."""

        @staticmethod
        def forward(ctx, W1, b1, W2, b2, W3, b3):
            ctx.save_for_backward(W1, b1, W2, b2, W3, b3)
            return loss_of({"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3})

        @staticmethod
        def backward(ctx, g):
            W1, b1, W2, b2, W3, b3 = ctx.saved_tensors
            n = x.shape[0]
            z1 = x @ W1.T + b1
            o1 = torch.tanh(z1)
            z2 = o1 @ W2.T + b2
            o2 = torch.sigmoid(z2)
            z3 = o2 @ W3.T + b3
            d3 = g * 2 * (z3 - y) / (n * y.shape[1])
            s2 = torch.sigmoid(z2.detach() if fault == "sigmoid" else z2)
            d2 = (d3 @ W3) * s2 * (1 - s2)
            t1 = torch.tanh(z1.detach() if fault == "tanh" else z1)
            d1 = (d2 @ W2) * (1 - t1 * t1)
            return d1.T @ x, d1.sum(0), d2.T @ o1, d2.sum(0), d3.T @ o2, d3.sum(0)

    def manual(P):
        return Manual.apply(P["W1"], P["b1"], P["W2"], P["b2"], P["W3"], P["b3"])

    return manual


def dumps_hvp(v, result, producer):
    return base.dumps({"vector": {k: t.tolist() for k, t in v.items()},
                       "hvp": {k: t.tolist() for k, t in result.items()}, "producer": producer})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    cases = []
    producer = "torch %s double backward float64" % torch.__version__
    for i, path in enumerate(LAYERED):
        spec = json.loads((REPO / "src" / "test" / "resources" / (path + ".spec.json")).read_text())
        params = base.torch_params(spec)
        xt, yt = base.t_batch(spec)
        loss_of = lambda P, s=spec, a=xt, b=yt: base.t_loss(s, P, a, b)  # noqa: E731
        v = direction(params, 500 + i)
        result = hvp(loss_of, params, v)
        fd_check(loss_of, params, v, result, path)
        name = Path(path).name
        base.write(OUT / (name + ".hvp.json"), dumps_hvp(v, result, producer))
        cases.append({"spec": "src/test/resources/" + path + ".spec.json", "hvp": name + ".hvp.json"})
        print("%-45s H·v from double backward" % path)
    spec = json.loads((REPO / MLP).read_text())
    params = base.torch_params(spec)
    v = direction(params, 499)
    right = hvp(mlp_loss(spec), params, v)
    fd_check(mlp_loss(spec), params, v, right, MLP)
    base.write(REPO / "examples" / "claimed" / "mlp-2-3-2-1.hvp.torch.json", dumps_hvp(v, right, producer))
    base.write(OUT / "mlp-2-3-2-1.hvp.json", dumps_hvp(v, right, producer))
    cases.append({"spec": MLP, "hvp": "mlp-2-3-2-1.hvp.json"})
    for fault in ("sigmoid", "tanh"):
        manual = mlp_loss(spec, fault)
        P = {k: t.clone().requires_grad_(True) for k, t in params.items()}
        g_manual = torch.autograd.grad(manual(P), list(P.values()))
        P2 = {k: t.clone().requires_grad_(True) for k, t in params.items()}
        g_true = torch.autograd.grad(mlp_loss(spec)(P2), list(P2.values()))
        for a, b in zip(g_manual, g_true):  # right to first order
            assert (a - b).abs().max().item() < 1e-14
        wrong = hvp(manual, params, v)
        assert any((wrong[k] - right[k]).abs().max().item() > 1e-6 for k in right), fault
        file = "mlp-2-3-2-1.%s-second-derivative-missing.hvp.json" % fault
        base.write(OUT / file, dumps_hvp(v, wrong, producer + ", hand-written backward with %s' of a detached "
                                        "pre-activation" % fault))
        cases.append({"spec": MLP, "hvp": file, "fault": fault})
        print("%-45s planted: %s'' missing" % (MLP, fault))
    base.write(OUT / "manifest.json", json.dumps({"cases": cases}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
