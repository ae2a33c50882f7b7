#!/usr/bin/python3
"""Whole-process timings of chainproof's CLI beside PyTorch, best of N runs, as issue 15 measures them.

Prints a table of wall-clock seconds (best of --runs, default 3) for
* cold ``gradient`` of the lecture chain vs ``python3 -c "import torch"``;
* ``check`` (compiled gradient against central differences) of a 64-64-32-1 sigmoid MLP with 64 inputs (6,273
  parameters, 4 samples) vs a whole Python process running ``torch.autograd.gradcheck`` on the same loss (float64);
* ``verify`` of that MLP's own gradient (complex step, rounding rule);
* ``derive --all`` (every parameter proved) of width-1 sigmoid chains of depth 6, 12, 24 and 48 vs a whole Python
  process differentiating the same loss by SymPy's plain ``diff`` for each of its parameters (SymPy from Debian's
  python3-sympy; its recursion limit ends it at depth 24), and of ``examples/softmax-classifier.json``;
* ``check`` of a 1,002,001-parameter MLP (1000-1000-1) under ``-Xmx256m`` (fast mode, chosen automatically), with
  the peak resident memory;
and then, in one fresh JVM each (``io.chainproof.bench.BigModelFigures``), the phases of checking that MLP under
``-Xmx256m`` (read, compile, fast mode, exhaustive) and the fast mode of a 10,010,001-parameter MLP (1000-10000-1).
The specs are generated deterministically into a temporary directory. Needs ``target/chainproof.jar`` and
``target/test-classes`` (``mvn -B -q -DskipTests package``, which compiles the tests too); the PyTorch and SymPy
columns need Debian's python3-torch and python3-sympy (skipped, and said so, without them). ``--skip-big`` leaves out
the large MLPs (their specs take 120 MB of disk).

Run from the repository root: ``/usr/bin/python3 src/test/python/bench_whole_process.py [--runs N] [--skip-big]``.
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


SYMPY_DIFF = r'''
import sys, sympy as sp
depth = int(sys.argv[1])
x, y = sp.Symbol("x"), sp.Symbol("y")
w = sp.symbols("w1:%d" % (depth + 1))
b = sp.symbols("b1:%d" % (depth + 1))
a = x
for l in range(depth):
    a = 1 / (1 + sp.exp(-(w[l] * a + b[l])))
loss = (a - y) ** 2
try:
    for p in w + b:
        sp.diff(loss, p)
except RecursionError:
    print("RecursionError")
'''


def chain_spec(path, depth):
    r = random.Random(depth)
    params = {}
    for l in range(1, depth + 1):
        params["W%d" % l] = [[round(r.uniform(-2, 2), 4)]]
        params["b%d" % l] = [round(r.uniform(-1, 1), 4)]
    spec = {"name": "chain-%d" % depth, "inputs": 1,
            "layers": [{"units": 1, "activation": "sigmoid"} for _ in range(depth)], "loss": "sse",
            "parameters": params, "data": {"x": [[0.5]], "y": [[1.0]]}}
    path.write_text(json.dumps(spec))
    return path


def big_mlp_spec(path, inputs, hidden):
    """An inputs-hidden-1 sigmoid MLP, one sample, written number by number (never held as one Python list)."""
    r = random.Random(inputs * hidden)
    scale = inputs ** -0.5
    with path.open("w") as f:
        f.write('{"name": "mlp-%d-%d-1", "inputs": %d, "layers": [{"units": %d, "activation": "sigmoid"}, '
                '{"units": 1, "activation": "identity"}], "loss": "mse", "parameters": {"W1": ['
                % (inputs, hidden, inputs, hidden))
        for j in range(hidden):
            f.write(("[" if j == 0 else ",[") + ",".join("%.6g" % r.uniform(-scale, scale) for _ in range(inputs)) + "]")
        f.write('], "b1": [' + ",".join("%.6g" % r.uniform(-0.1, 0.1) for _ in range(hidden)) + "]")
        f.write(', "W2": [[' + ",".join("%.6g" % r.uniform(-scale, scale) for _ in range(hidden)) + ']], "b2": [0.1]}')
        f.write(', "data": {"x": [[' + ",".join("%.6g" % r.uniform(-1, 1) for _ in range(inputs)) + ']], '
                '"y": [[0.5]]}}')
    return path


def have_sympy():
    return subprocess.run(["/usr/bin/python3", "-c", "import sympy"], capture_output=True).returncode == 0


def sympy_diff(script, depth, runs):
    """Best whole-process time of SymPy's plain diff, or the error that ended it."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/python3", str(script), str(depth)], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if "RecursionError" in done.stdout or "RecursionError" in done.stderr:
            return "RecursionError"
    return min(times)


def peak_rss(command):
    """Peak resident memory (MB) of a command by GNU time, or None without /usr/bin/time."""
    if not Path("/usr/bin/time").exists():
        return None
    done = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1]) // 1024


def classpath():
    out = Path("target/bench-classpath.txt")
    if not out.exists():
        for offline in (["-o"], []):
            if subprocess.run(["mvn", "-B", "-q"] + offline + ["dependency:build-classpath",
                                                              "-Dmdep.outputFile=" + str(out)],
                              capture_output=True).returncode == 0:
                break
    return "target/classes:target/test-classes:" + out.read_text().strip()


def phases(command):
    """BigModelFigures' lines, or what stopped it (an OutOfMemoryError is a figure too)."""
    done = subprocess.run(command, capture_output=True, text=True)
    heap = [a for a in command if a.startswith("-Xmx")]
    head = "%s (%s):\n" % (Path(command[-1] if not command[-1].startswith("--") else command[-2]).name,
                           heap[0] if heap else "default heap")
    if done.returncode != 0:
        errors = [l for l in done.stderr.splitlines() if l and not l.startswith("\tat ")]
        return head + done.stdout + "FAILED (exit %d): %s\n" % (done.returncode, errors[0] if errors else "")
    return head + done.stdout


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
    parser.add_argument("--skip-big", action="store_true")
    options = parser.parse_args()
    runs = options.runs
    if not Path("target/chainproof.jar").exists():
        raise SystemExit("build the jar first: mvn -B -q -DskipTests package")
    torch = have_torch()
    sympy = have_sympy()
    rows = []
    figures = []
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
        diff = Path(tmp) / "sympy_diff.py"
        diff.write_text(SYMPY_DIFF)
        for depth in (6, 12, 24, 48):
            chain = chain_spec(Path(tmp) / ("chain-%d.json" % depth), depth)
            rows.append(("derive --all, depth-%d chain" % depth, best(JAR + ["derive", "--all", str(chain)], runs),
                         "SymPy diff of %d parameters" % (2 * depth),
                         sympy_diff(diff, depth, runs) if sympy else None))
        rows.append(("derive --all, softmax classifier",
                     best(JAR + ["derive", "--all", "examples/softmax-classifier.json"], runs), "", None))
        if not options.skip_big:
            million = big_mlp_spec(Path(tmp) / "mlp-1m.json", 1000, 1000)
            big = ["java", "-Xmx256m", "-jar", "target/chainproof.jar", "check", str(million), "--oracle",
                   "complex_step", "--quiet"]
            rows.append(("check, 1,002,001 parameters, -Xmx256m", best(big, runs), "peak RSS (MB)", peak_rss(big)))
            cp = classpath()
            figures.append(phases(["java", "-Xmx256m", "-cp", cp, "io.chainproof.bench.BigModelFigures",
                                   str(million), "--exhaustive"]))
            million.unlink()
            ten = big_mlp_spec(Path(tmp) / "mlp-10m.json", 1000, 10000)
            figures.append(phases(["java", "-Xmx1g", "-cp", cp, "io.chainproof.bench.BigModelFigures", str(ten)]))
    print("whole process, best of %d (seconds)" % runs)
    print("%-40s %9s   %-30s %14s %7s" % ("chainproof", "s", "peer", "s", "ratio"))
    for name, ours, peer, theirs in rows:
        number = isinstance(theirs, (int, float)) and not isinstance(theirs, bool)
        shown = "-" if theirs is None else ("%.2f" % theirs if isinstance(theirs, float) else str(theirs))
        ratio = "%.2f" % (ours / theirs) if isinstance(theirs, float) and theirs > 0 else "-"
        print("%-40s %9.2f   %-30s %14s %7s" % (name, ours, peer or "-", shown, ratio if number else "-"))
    if not torch:
        print("(PyTorch not found: /usr/bin/python3 cannot import torch; its columns are empty)")
    if not sympy:
        print("(SymPy not found: /usr/bin/python3 cannot import sympy; its columns are empty)")
    for f in figures:
        print()
        print(f, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
