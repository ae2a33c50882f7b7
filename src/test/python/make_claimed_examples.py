#!/usr/bin/python3
"""Write the example claimed-gradient files in examples/claimed/ for `chainproof verify`.

For examples/mlp-2-3-2-1.json (tanh -> sigmoid -> identity, mse, 3 samples) this writes
  mlp-2-3-2-1.torch.json               the gradients of PyTorch autograd (float64): correct;
  mlp-2-3-2-1.missing-sigmoid-derivative.json
                                       a hand-written backprop with a classic bug: layer 2's
                                       delta is dL/do2, without the sigmoid'(z2) factor.
Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 src/test/python/make_claimed_examples.py
"""
import json

import torch

torch.set_default_dtype(torch.float64)
spec = json.load(open("examples/mlp-2-3-2-1.json"))
P = {k: torch.tensor(v, requires_grad=True) for k, v in spec["parameters"].items()}
x = torch.tensor(spec["data"]["x"])
y = torch.tensor(spec["data"]["y"])
n = x.shape[0]


def forward():
    z1 = x @ P["W1"].T + P["b1"]
    o1 = torch.tanh(z1)
    z2 = o1 @ P["W2"].T + P["b2"]
    o2 = torch.sigmoid(z2)
    z3 = o2 @ P["W3"].T + P["b3"]
    return z1, o1, z2, o2, z3


*_, out = forward()
loss = ((out - y) ** 2).mean(dim=1).mean()
loss.backward()
correct = {k: v.grad.tolist() for k, v in P.items()}
json.dump({"loss": loss.item(), "gradients": correct}, open("examples/claimed/mlp-2-3-2-1.torch.json", "w"), indent=1)

with torch.no_grad():
    z1, o1, z2, o2, z3 = forward()
    d3 = 2 * (z3 - y) / y.shape[1] / n          # dL/dz3 (identity output, mse, mean over samples)
    d_o2 = d3 @ P["W3"]
    d2 = d_o2                                    # BUG: should be d_o2 * sigmoid'(z2)
    d_o1 = d2 @ P["W2"]
    d1 = d_o1 * (1 - torch.tanh(z1) ** 2)
    buggy = {"W1": (d1.T @ x).tolist(), "b1": d1.sum(0).tolist(), "W2": (d2.T @ o1).tolist(),
             "b2": d2.sum(0).tolist(), "W3": (d3.T @ o2).tolist(), "b3": d3.sum(0).tolist()}
json.dump(buggy, open("examples/claimed/mlp-2-3-2-1.missing-sigmoid-derivative.json", "w"), indent=1)
