#!/usr/bin/python3
"""The sigmoid's derivative where double precision cannot show it: log sigma'(z) to 50 digits (mpmath).

sigma'(z) = e^{-|z|} / (1 + e^{-|z|})^2 underflows to 0 in double precision beyond |z| ~ 745, so a check of
sigma'(z) <= min(1/4, e^{-|z|}) (proofs/saturation-bound.md) that compares doubles is decided there by underflow,
not by the mathematics. This script records, for each point z (a double, written with repr), the nearest double
of log sigma'(z) computed by mpmath with 50 significant digits, the 50 digits themselves, and the nearest double of
sigma'(z) (0.0 where it is below the smallest subnormal). The points are a spread over |z| up to 5e5, the lecture's
saturated pre-activation z2 = 500*sigma(1/2), and z = w/2 for w = 100 * 2^k, k = 0..13 (the weight sweep of
LemmaTests#weight_times_saturated_derivative_tends_to_zero with a = 1/2, b = 0).

Writes ``src/test/resources/reference/saturation/sigmoid-derivative.mpmath.json``.

Run: ``/usr/bin/python3 src/test/python/make_saturation_reference.py`` (Debian's python3-mpmath).
"""
import json
import math
from pathlib import Path

import mpmath

OUT = Path(__file__).resolve().parents[2] / "test" / "resources" / "reference" / "saturation"
DIGITS = 50


def lecture_z2():
    """500 * sigma(1/2) exactly as double precision computes it: 500 / (1 + e^{-1/2})."""
    return 500.0 * (1.0 / (1.0 + math.exp(-0.5)))


def points():
    spread = [0.0, 1e-3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 36.7, 37.0, 50.0, 100.0, 250.0, 500.0, 700.0,
              709.0, 740.0, 745.0, 746.0, 800.0, 1000.0, 1600.0, 3200.0, 5000.0, 1e4, 1e5, 5e5]
    sweep = [100.0 * 2 ** k / 2 for k in range(14)]
    zs = sorted(set(spread + [-z for z in spread if z != 0] + sweep + [lecture_z2()]))
    return zs


def log_sigmoid_prime(z):
    """log sigma'(z) = -|z| - 2 log(1 + e^{-|z|}), at DIGITS significant digits."""
    a = abs(mpmath.mpf(z))
    return -a - 2 * mpmath.log1p(mpmath.exp(-a))


def main():
    mpmath.mp.dps = DIGITS + 10
    rows = []
    for z in points():
        log_value = log_sigmoid_prime(z)
        # cross-check straight from the definition sigma' = sigma (1 - sigma), with enough digits for 1 - sigma
        with mpmath.workdps(DIGITS + 10 + int(abs(z) / math.log(10))):
            s = 1 / (1 + mpmath.exp(-mpmath.mpf(z)))
            direct = mpmath.log(s * (1 - s))
        assert mpmath.almosteq(direct, log_value, rel_eps=mpmath.mpf(10) ** -DIGITS), z
        rows.append({
            "z": z,
            "log_sigmoid_prime": float(log_value),
            "log_sigmoid_prime_digits": mpmath.nstr(log_value, DIGITS),
            "sigmoid_prime": float(mpmath.exp(log_value)),
        })
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"producer": "mpmath %s, %d significant digits: log sigma'(z) = -|z| - 2 log1p(e^{-|z|}), cross-checked "
                       "against log(sigma (1 - sigma)) from the definition" % (mpmath.__version__, DIGITS),
           "points": rows}
    (OUT / "sigmoid-derivative.mpmath.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
