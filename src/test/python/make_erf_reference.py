#!/usr/bin/python3
"""erf at a few thousand doubles, to 25 significant digits, for measuring chainproof's own erf in ulps.

The arguments: a grid on [-7, 7] with step 1/256 (every grid point a double exactly), 1000 seeded uniform draws on
[-7, 7], log-spaced magnitudes 10^k for k from -300 to 0 in steps of 1/8 (both signs), subnormal and near-subnormal
magnitudes, and each branch boundary of ``io.chainproof.expr.StableFunctions.erf`` (|x| = 1, 6 and the point
5.9215871957945... where erfc(x) = 2^-54, below which erf(x) no longer rounds to 1) with its neighbouring doubles.
Every argument is written as Python's shortest round-trip repr, which Java's ``Double.parseDouble`` reads back to the
same double; its erf is mpmath's at 200 bits of the exact double.

Writes ``src/test/resources/reference/erf/erf.mpmath.json``: ``{"producer": ..., "points": [[x, erf(x)], ...]}``
with both as strings. Re-running gives a byte-identical file.

Run: ``/usr/bin/python3 src/test/python/make_erf_reference.py`` (mpmath, as bundled with SymPy).
"""
import json
import math
import random
from pathlib import Path

import mpmath

OUT = Path(__file__).resolve().parents[2] / "test" / "resources" / "reference" / "erf" / "erf.mpmath.json"
mpmath.mp.prec = 200


def neighbours(x, count=3):
    """x and the `count` doubles on either side of it."""
    out = [x]
    up = down = x
    for _ in range(count):
        up = math.nextafter(up, math.inf)
        down = math.nextafter(down, -math.inf)
        out += [up, down]
    return out


def arguments():
    xs = [k / 256 for k in range(-7 * 256, 7 * 256 + 1)]
    rng = random.Random(20261202)
    xs += [rng.uniform(-7, 7) for _ in range(1000)]
    for k in range(-300 * 8, 1):
        xs += [10.0 ** (k / 8), -(10.0 ** (k / 8))]
    tiny = 5e-324
    xs += [tiny, 2 * tiny, 3 * tiny, 1e-320, 1e-315, 1e-310, 2e-308, 2.2250738585072014e-308 / 1.1283791670955126,
           2.2250738585072014e-308, 1e-307, 1.5e-154, 1e-160, 2.2e-162, 1e-170]
    root = mpmath.findroot(lambda a: mpmath.erfc(a) - mpmath.mpf(2) ** -54, 5.92)
    for b in (1.0, 6.0, float(root), 0.5, 2.0):
        xs += neighbours(b)
    xs += [-x for x in xs if x > 0 and x < 1e-300]
    seen = set()
    unique = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            unique.append(x)
    return sorted(unique)


def main():
    points = [[repr(x), mpmath.nstr(mpmath.erf(mpmath.mpf(x)), 25, min_fixed=1, max_fixed=0)] for x in arguments()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {"producer": "mpmath %s erf at 200 bits of each double argument, 25 significant digits"
                % mpmath.__version__, "points": points}
    lines = ",\n".join(json.dumps(p) for p in points)
    OUT.write_text('{"producer": %s,\n"points": [\n%s\n]}\n' % (json.dumps(document["producer"]), lines))
    print("wrote", len(points), "points to", OUT)


if __name__ == "__main__":
    main()
