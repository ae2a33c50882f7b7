#!/usr/bin/python3
"""Reference gradient of a deep MLP for chainproof, by PyTorch autograd in float64.

Writes ``src/test/resources/reference/deep/mlp-300x2.spec.json`` (300 layers: 299 tanh layers of 2 units and an
identity output unit, mse, explicit parameters from ``random.Random(300)`` rounded to 4 decimals) and
``mlp-300x2.expected.json`` (``{"loss", "gradients", "producer"}``, the layout of ``make_reference.py``). A network
this deep once did not compile: its generated gradient method grew past the JVM's 64 KB of bytecode.

Each hidden W is a rotation by a random angle scaled by 1.1, plus noise of ±0.02, so that the signal and the gradient
neither vanish nor explode through 300 tanh layers (random weights of any scale make W1's gradient ~1e-80): checked
below, every entry of W1's gradient is above 1e-30 in magnitude.

Check (AssertionError if it fails): central differences of the float64 loss (step 1e-6) on the first and last layers'
entries agree with autograd to 1e-6 of the largest entry of that tensor's gradient.

Run from the repository root: ``/usr/bin/python3 src/test/python/make_deep_reference.py``
"""
import json
import math
import random

import torch

torch.set_default_dtype(torch.float64)
LAYERS, WIDTH = 300, 2
rng = random.Random(300)
layers, params = [], {}
fan_in = WIDTH
for l in range(1, LAYERS + 1):
    units = 1 if l == LAYERS else WIDTH
    layers.append({"units": units, "activation": "identity" if l == LAYERS else "tanh"})
    if units == WIDTH:
        angle = rng.uniform(-math.pi, math.pi)
        rotation = [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]]
        params[f"W{l}"] = [[round(1.1 * rotation[j][k] + rng.uniform(-0.02, 0.02), 4) for k in range(fan_in)]
                           for j in range(units)]
    else:
        params[f"W{l}"] = [[round(rng.uniform(-1.0, 1.0), 4) for _ in range(fan_in)] for _ in range(units)]
    params[f"b{l}"] = [round(rng.uniform(-0.1, 0.1), 4) for _ in range(units)]
    fan_in = units
data = {"x": [[0.5, -0.25], [0.1, 0.9]], "y": [[0.3], [-0.2]]}
spec = {"name": "mlp-300x2", "inputs": WIDTH, "layers": layers, "loss": "mse", "parameters": params, "data": data}

tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}


def loss_of(t):
    a = torch.tensor(data["x"])
    for l in range(1, LAYERS + 1):
        z = a @ t[f"W{l}"].T + t[f"b{l}"]
        a = z if l == LAYERS else torch.tanh(z)
    return ((a - torch.tensor(data["y"])) ** 2).mean(dim=1).mean()


loss = loss_of(tensors)
loss.backward()
grads = {k: v.grad.tolist() for k, v in tensors.items()}
assert all(abs(g) > 1e-30 for row in grads["W1"] for g in row), grads["W1"]

with torch.no_grad():
    for name in ("W1", "b1", f"W{LAYERS}", f"b{LAYERS}"):
        t = tensors[name]
        flat = t.view(-1)
        largest = max(abs(g) for g in t.grad.view(-1).tolist())
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + 1e-6
            up = loss_of(tensors).item()
            flat[i] = old - 1e-6
            down = loss_of(tensors).item()
            flat[i] = old
            fd = (up - down) / 2e-6
            g = t.grad.view(-1)[i].item()
            assert abs(fd - g) <= 1e-6 * largest, (name, i, fd, g)

folder = "src/test/resources/reference/deep/"
with open(folder + "mlp-300x2.spec.json", "w") as f:
    json.dump(spec, f)
    f.write("\n")
with open(folder + "mlp-300x2.expected.json", "w") as f:
    json.dump({"loss": loss.item(), "gradients": grads, "producer": f"torch {torch.__version__} autograd float64"}, f)
    f.write("\n")
print("loss", loss.item(), "W1 gradient", grads["W1"])
