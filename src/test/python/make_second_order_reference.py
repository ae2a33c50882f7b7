#!/usr/bin/python3
"""PyTorch's float64 Hessians of MLP losses, for the second-order derivations (derive --order 2).

For each spec named below, the loss of ``make_reference.py`` as a function of the flat parameter vector (the layout
W1 row-major, b1, W2, ..., chainproof's), differentiated twice by ``torch.autograd.functional.hessian``; the full
matrix goes to ``src/test/resources/reference/second-order/<name>.hessian.json`` as {"parameters": [names],
"hessian": [[...]], "producer"}.

Run: ``/usr/bin/python3 src/test/python/make_second_order_reference.py`` (Debian's python3-torch).
"""
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_reference as mr  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "src" / "test" / "resources" / "reference" / "second-order"
SPECS = ["examples/lecture-chain.json", "examples/mlp-2-3-2-1.json"]


def names(spec):
    out = []
    for l, layer in enumerate(spec["layers"], 1):
        w = spec["parameters"]["W%d" % l]
        out += ["W%d[%d][%d]" % (l, j, k) for j in range(len(w)) for k in range(len(w[0]))]
        out += ["b%d[%d]" % (l, j) for j in range(len(spec["parameters"]["b%d" % l]))]
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    mr.DT = torch.float64
    for rel in SPECS:
        spec = json.loads((ROOT / rel).read_text())
        shapes = []
        flat = []
        for l in range(1, len(spec["layers"]) + 1):
            for key in ("W%d" % l, "b%d" % l):
                t = torch.tensor(spec["parameters"][key], dtype=torch.float64)
                shapes.append((key, t.shape))
                flat.append(t.reshape(-1))
        theta = torch.cat(flat)

        def loss(v):
            params, at = {}, 0
            for key, shape in shapes:
                n = 1
                for d in shape:
                    n *= d
                params[key] = v[at:at + n].reshape(shape)
                at += n
            return mr.t_loss(spec, params)

        h = torch.autograd.functional.hessian(loss, theta)
        (OUT / (spec["name"] + ".hessian.json")).write_text(mr.dumps({
            "parameters": names(spec), "hessian": h.tolist(),
            "producer": "torch %s autograd.functional.hessian float64 (make_second_order_reference.py)"
                        % torch.__version__}))
        print(spec["name"], tuple(h.shape))
    return 0


if __name__ == "__main__":
    sys.exit(main())
