#!/usr/bin/python3
"""Whole-process timings of chainproof's CLI beside PyTorch, best of N runs, as issue 15 measures them.

Prints a table of wall-clock seconds (best of --runs, default 3) for
* cold ``gradient`` of the lecture chain vs ``python3 -c "import torch"``;
* ``check`` (compiled gradient against central differences) of a 64-64-32-1 sigmoid MLP with 64 inputs (6,273
  parameters, 4 samples) vs a whole Python process running ``torch.autograd.gradcheck`` on the same loss (float64);
* ``verify`` of that MLP's own gradient (complex step, rounding rule).
The MLP spec is generated deterministically into a temporary directory. Needs ``target/chainproof.jar`` (``mvn -B -q
-DskipTests package``); the PyTorch columns need Debian's python3-torch (skipped, and said so, without it).

Run from the repository root: ``/usr/bin/python3 src/test/python/bench_whole_process.py [--runs N]``.
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JAR = ["java", "-jar", "target/chainproof.jar"]

GRADCHECK = r'''
import json, sys, torch
spec = json.load(open(sys.argv[1]))
x = torch.tensor(spec["data"]["x"], dtype=torch.float64)
y = torch.tensor(spec["data"]["y"], dtype=torch.float64)
names = [k for l in range(1, len(spec["layers"]) + 1) for k in ("W%d" % l, "b%d" % l)]
params = [torch.tensor(spec["parameters"][k], dtype=torch.float64, requires_grad=True) for k in names]
def loss(*ps):
    a = x
    for l in range(len(ps) // 2):
        a = torch.sigmoid(a @ ps[2 * l].T + ps[2 * l + 1])
    return ((a - y) ** 2).mean()
assert torch.autograd.gradcheck(loss, tuple(params))
'''


def mlp_spec(path):
    r = random.Random(6273)
    n_in, widths = 64, [64, 32, 1]
    params, prev = {}, n_in
    for l, w in enumerate(widths, 1):
        params["W%d" % l] = [[round(r.uniform(-0.3, 0.3), 4) for _ in range(prev)] for _ in range(w)]
        params["b%d" % l] = [round(r.uniform(-0.1, 0.1), 4) for _ in range(w)]
        prev = w
    spec = {"name": "mlp-64-64-32-1", "inputs": n_in,
            "layers": [{"units": w, "activation": "sigmoid"} for w in widths], "loss": "mse",
            "parameters": params,
            "data": {"x": [[round(r.uniform(-1, 1), 4) for _ in range(n_in)] for _ in range(4)],
                     "y": [[round(r.uniform(0, 1), 4)] for _ in range(4)]}}
    path.write_text(json.dumps(spec))
    count = sum(len(v) * (len(v[0]) if isinstance(v[0], list) else 1) for v in params.values())
    assert count == 6273, count
    return path


def best(command, runs, **kw):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, **kw)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit("%s failed (exit %d): %s" % (" ".join(command), done.returncode, done.stderr[-500:]))
    return min(times)


def have_torch():
    return subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    if not Path("target/chainproof.jar").exists():
        raise SystemExit("build the jar first: mvn -B -q -DskipTests package")
    torch = have_torch()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        spec = mlp_spec(Path(tmp) / "mlp-6273.json")
        script = Path(tmp) / "gradcheck.py"
        script.write_text(GRADCHECK)
        own = Path(tmp) / "gradient.json"
        own.write_text(subprocess.run(JAR + ["gradient", str(spec), "--format", "json"], capture_output=True,
                                      text=True, check=True).stdout)
        rows.append(("cold gradient, lecture chain", best(JAR + ["gradient", "examples/lecture-chain.json"], runs),
                     "python3 -c 'import torch'",
                     best(["/usr/bin/python3", "-c", "import torch"], runs) if torch else None))
        rows.append(("check, 6,273-parameter MLP", best(JAR + ["check", str(spec), "--quiet"], runs),
                     "gradcheck, whole process",
                     best(["/usr/bin/python3", str(script), str(spec)], runs) if torch else None))
        rows.append(("verify, 6,273-parameter MLP", best(JAR + ["verify", str(spec), "--gradients", str(own),
                                                                "--quiet"], runs), "", None))
    print("whole process, best of %d (seconds)" % runs)
    print("%-30s %9s   %-28s %9s %7s" % ("chainproof", "s", "peer", "s", "ratio"))
    for name, ours, peer, theirs in rows:
        print("%-30s %9.2f   %-28s %9s %7s" % (name, ours, peer or "-", "%.2f" % theirs if theirs else "-",
                                             "%.2f" % (ours / theirs) if theirs else "-"))
    if not torch:
        print("(PyTorch not found: /usr/bin/python3 cannot import torch; its columns are empty)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
