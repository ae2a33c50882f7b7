"""Fuzz the command line as users meet it: mutated bundled specs in batches, looking for what must never happen.

Mutates the specs in examples/ and examples/remedies/ structurally (keys deleted and added, values replaced by other
JSON types, huge, tiny and non-finite-looking numbers, non-ASCII text, lists grown and shrunk, truncated files), then
runs ``gradient``, ``check`` and ``bound`` on them in JSON batches of 50 and ``explain``, ``derive`` and ``sweep`` on
the first 40, each JVM at -Xmx512m. A batch fails on an exit code other than 0, 1 or 2, a stack trace, an internal
error, or a JSON line count that differs from the number of inputs. Prints each problem and the count.

Run from the repository root after ``mvn -B -q -DskipTests package``:
``python3 src/test/python/cli_fuzz.py [SEED] [SPECS]`` (defaults 1 and 200). Mutated specs go to a temporary folder.
"""
import json, random, subprocess, sys, os, glob, copy, tempfile
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
seeds = [json.load(open(f)) for f in sorted(glob.glob('examples/*.json')) + sorted(glob.glob('examples/remedies/*.json'))]
def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:4]):
            yield from paths(v, prefix + (i,))
def get(node, path):
    for p in path: node = node[p]
    return node
def setp(node, path, value):
    for p in path[:-1]: node = node[p]
    node[path[-1]] = value
VALUES = [None, True, "x", "", -1, 0, 1e308, -1e308, 1e-320, 2**31, 2**63, 3.5, [], {}, [[]], [1, 2], {"a": 1}, "NaN", "∞", "élan\u202e", 10**30, -0.0, 1000000, "relu", "softmax", "cross_entropy"]
def mutate(doc):
    d = copy.deepcopy(doc)
    for _ in range(random.randint(1, 3)):
        ps = [p for p in paths(d) if p]
        if not ps: break
        p = random.choice(ps)
        r = random.random()
        parent = get(d, p[:-1])
        if r < 0.25 and isinstance(parent, dict):
            del parent[p[-1]]
        elif r < 0.35 and isinstance(parent, dict):
            parent[random.choice(["extra", "units", "activation", "type", "Ü"])] = random.choice(VALUES)
        elif r < 0.45 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[-1]) if parent else 1)
        elif r < 0.5 and isinstance(parent, list) and parent:
            parent.pop()
        else:
            setp(d, p, random.choice(VALUES))
    return d
out = tempfile.mkdtemp(prefix='chainproof-fuzz-')
sweeps = os.path.join(out, 'sweeps')
files = []
for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 200):
    d = mutate(random.choice(seeds))
    f = f'{out}/m{i:04d}.json'
    text = json.dumps(d, allow_nan=True)
    if random.random() < 0.05: text = text[:random.randint(0, len(text))]
    open(f, 'w').write(text)
    files.append(f)
bad = 0
for cmd in (['gradient'], ['check'], ['bound']):
    for k in range(0, len(files), 50):
        batch = files[k:k+50]
        r = subprocess.run(['timeout', '300', 'java', '-Xmx512m', '-jar', 'target/chainproof.jar'] + cmd + batch + ['--format', 'json'], capture_output=True, text=True)
        lines = r.stdout.strip().split('\n') if r.stdout.strip() else []
        problems = []
        if r.returncode not in (0, 1, 2): problems.append('exit %d' % r.returncode)
        if '\tat ' in r.stderr or 'Exception in' in r.stderr: problems.append('stack trace')
        if 'internal error' in r.stderr: problems.append('internal error')
        if len(lines) != len(batch): problems.append('lines %d != %d' % (len(lines), len(batch)))
        if problems:
            bad += 1
            print(cmd, k, problems)
            for l in r.stderr.split('\n'):
                if 'internal error' in l or '\tat ' in l: print('   ', l[:300])
for f in files[:40]:
    for cmd in (['explain'], ['derive'], ['sweep', '--layer', '1', '--output-dir', sweeps]):
        r = subprocess.run(['timeout', '120', 'java', '-Xmx512m', '-jar', 'target/chainproof.jar'] + cmd + [f], capture_output=True, text=True)
        if r.returncode not in (0, 1, 2) or '\tat ' in r.stderr or 'internal error' in r.stderr:
            bad += 1
            print(cmd, f, r.returncode, r.stderr[:300])
print('batches with problems:', bad)
