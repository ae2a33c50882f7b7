#!/usr/bin/python3
"""High-precision reference derivatives for chainproof's number package (complex step, dual numbers).

What
----
Writes ``src/test/resources/reference/number/derivatives.json``:
``{"producer": ..., "cases": [{"name", "formula", "w", "value", "derivative"}, ...]}`` -- for each case the
value f(w) and the derivative f'(w) of a one-parameter expression, as decimal strings with 30 significant
digits.  ``ComplexStepReferenceTests`` builds the same expressions by name and checks that
``|derivative - reference| <= errorBound()`` for ComplexStepNumber and DualNumber.

Semantics (must match the Java side)
------------------------------------
* ``w`` and every constant are *the double* the Java literal denotes: ``D(0.7)`` is ``mpf(0.7)`` made from
  the Python float, i.e. 0.6999999999999999555910790149937..., not the decimal 0.7.
* sigmoid(x) = 1/(1+e^-x), sigmoid'(x) = e^-x/(1+e^-x)^2, softplus(x) = log(1+e^x), sech = 1/cosh.

Two independent routes must agree to 30 digits or the script fails:
mpmath ``diff`` (numerical differentiation at 150 digits) of the mpmath function, and sympy's symbolic
derivative evaluated with ``evalf(60)`` (adaptive precision).  The value is mpmath's at 150 digits.

How to run (not in CI; the data is checked in; re-running gives a byte-identical file)::

    /usr/bin/python3 src/test/python/make_number_reference.py
"""

import json
from fractions import Fraction
from pathlib import Path

import mpmath
import sympy

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "src" / "test" / "resources" / "reference" / "number" / "derivatives.json"
DIGITS = 30


class MpBackend:
    """Functions on mpmath numbers; constants are the exact doubles."""

    exp, log, tanh, cosh, erf, sqrt = (mpmath.exp, mpmath.log, mpmath.tanh, mpmath.cosh, mpmath.erf,
                                       mpmath.sqrt)

    @staticmethod
    def D(x):
        return mpmath.mpf(float(x))


class SymBackend:
    """The same on sympy expressions; constants are 80-digit Floats equal to the doubles (exact: a double has
    53 significant bits, 80 digits hold 265; exact rationals make sympy expand huge powers)."""

    exp, log, tanh, cosh, erf, sqrt = sympy.exp, sympy.log, sympy.tanh, sympy.cosh, sympy.erf, sympy.sqrt

    @staticmethod
    def D(x):
        return sympy.Float(sympy.Rational(Fraction(float(x))), 80)


def sigmoid(b, x):
    return 1 / (1 + b.exp(-x))


def sigmoid_prime(b, x):
    return b.exp(-x) / (1 + b.exp(-x)) ** 2


def softplus(b, x):
    return b.log(1 + b.exp(x))


def sech(b, x):
    return 1 / b.cosh(x)


def tanh_recurrence(b, w):
    h = w
    for _ in range(8):
        h = b.tanh(b.D(1.5) * h + b.D(0.1))
    return h


# name, w, formula (as the Java side writes it), f(backend, w)
CASES = [
    ("saturated-chain-at-z-1.25", 0.01, "sigmoid(500*sigmoid(w) - 250)",
     lambda b, w: sigmoid(b, 500 * sigmoid(b, w) - 250)),
    ("saturated-chain-at-z-115", 1.0, "sigmoid(500*sigmoid(w) - 250)",
     lambda b, w: sigmoid(b, 500 * sigmoid(b, w) - 250)),
    ("saturated-chain-at-z-226", 3.0, "sigmoid(500*sigmoid(w) - 250)",
     lambda b, w: sigmoid(b, 500 * sigmoid(b, w) - 250)),
    ("tanh-at-30", 30.0, "tanh(w)", lambda b, w: b.tanh(w)),
    ("tanh-of-affine-at-30", 19.8, "tanh(1.5*w + 0.3)", lambda b, w: b.tanh(b.D(1.5) * w + b.D(0.3))),
    ("cancelling-sum", 1e-8, "exp(w) - w", lambda b, w: b.exp(w) - w),
    ("sigmoid-tanh-network", 0.8, "tanh(0.7*sigmoid(1.3*w - 0.4) - 1.1*sigmoid(-0.6*w + 0.9) + 0.25)",
     lambda b, w: b.tanh(b.D(0.7) * sigmoid(b, b.D(1.3) * w - b.D(0.4))
                         - b.D(1.1) * sigmoid(b, b.D(-0.6) * w + b.D(0.9)) + b.D(0.25))),
    ("erf-softplus-sech", 1.7, "erf(0.5*w) * softplus(w - 2) / (1 + sech(w))",
     lambda b, w: b.erf(b.D(0.5) * w) * softplus(b, w - 2) / (1 + sech(b, w))),
    ("powers", 2.3, "(w^2 + 1)^3.7 / w + sqrt(w)",
     lambda b, w: (w ** 2 + 1) ** b.D(3.7) / w + b.sqrt(w)),
    ("sigmoid-prime-saturated", 250.0, "sigmoid'(w)", lambda b, w: sigmoid_prime(b, w)),
    ("log-of-softplus", 40.0, "log(softplus(-w))", lambda b, w: b.log(softplus(b, -w))),
    ("quotient-by-huge", 0.3, "w / 1e200", lambda b, w: w / b.D(1e200)),
    ("product-with-a-cancelled-factor", 8e-6, "(500*sigmoid(w) - 250) * w",
     lambda b, w: (500 * sigmoid(b, w) - 250) * w),
    ("quotient-by-a-cancelled-divisor", 8e-6, "(1 + w) / (500*sigmoid(w) - 250)",
     lambda b, w: (1 + w) / (500 * sigmoid(b, w) - 250)),
    ("symbolic-exponent", 1.5, "w^w", lambda b, w: w ** w),
    ("tanh-recurrence", 0.3, "h = w; 8 times h = tanh(1.5*h + 0.1)", tanh_recurrence),
]


def decimal(x):
    return mpmath.nstr(x, DIGITS, min_fixed=1, max_fixed=0)


def reference(w, f):
    with mpmath.workdps(150):
        wm = MpBackend.D(w)
        value = f(MpBackend, wm)
        numeric = mpmath.diff(lambda t: f(MpBackend, t), wm)
    ws = sympy.Symbol("w")
    symbolic = sympy.diff(f(SymBackend, ws), ws).subs(ws, SymBackend.D(w)).evalf(60)
    with mpmath.workdps(60):
        symbolic = mpmath.mpf(str(symbolic))
        gap = abs(numeric - symbolic) / abs(symbolic)
    if not gap < mpmath.mpf(10) ** -DIGITS:
        raise SystemExit("mpmath and sympy disagree for w = %r: %s vs %s" % (w, numeric, symbolic))
    with mpmath.workdps(60):
        return decimal(+value), decimal(+numeric)


def main():
    cases = []
    for name, w, formula, f in CASES:
        value, derivative = reference(w, f)
        cases.append({"name": name, "formula": formula, "w": repr(float(w)), "value": value,
                      "derivative": derivative})
    document = {
        "producer": "mpmath %s diff at 150 digits, checked against sympy %s diff + evalf(60) to 1e-%d"
                    % (mpmath.__version__, sympy.__version__, DIGITS),
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=2) + "\n")
    print("wrote %d cases to %s" % (len(cases), OUT))


if __name__ == "__main__":
    main()
