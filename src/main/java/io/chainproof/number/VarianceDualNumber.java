package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

/**
 * A dual number that carries the <em>variance</em> of its rounding errors instead of their worst case: the
 * statistical model of rounding (Higham 2002, §2.8; Wilkinson), in which each rounding is an independent error
 * of at most one unit roundoff u relative, so variances add and propagate through the actual (signed) partial
 * derivatives. Where the worst-case running bound of {@link ComplexStepNumber} and {@link DualNumber} multiplies
 * absolute values along every path — (Σ_k |W_jk|)^T over T steps of a recurrence, 1e22 for a 64-unit RNN over 50
 * steps whose derivatives are 1e−3 — this estimate follows the Jacobian the computation really has, and stays of
 * the order of the errors actually made. It is an estimate, not a bound: verdicts use it with the tolerance's
 * safety factor, as they use a finite difference's.
 *
 * <p>Per operation, with r the real part's and t the tangent's standard deviation (first order):
 * <pre>
 *   a ± b:  r² = r_a² + r_b² + (u·v)²                    t² = t_a² + t_b² + (u·ṫ)²
 *   a · b:  r² = (b·r_a)² + (a·r_b)² + (u·v)²             t² = (a·t_b)² + (ḃ·r_a)² + (b·t_a)² + (ȧ·r_b)² + 2(u·ṫ)²
 *   a / b:  r² = (r_a/b)² + (q·r_b/b)² + 2(u·q)²          t² from ṫ = (ȧ − q·ḃ)/b likewise
 *   f(a):   r² = (f'·r_a)² + (n·u·f)²                     t² = (f'·t_a)² + (ȧ·f''·r_a)² + (n·u·ṫ)²
 * </pre>
 * with n the unit roundoffs the function's value and slope may be off by ({@link RunningError#operations}).
 * Instances are immutable.
 *
 * @param value         the primal value
 * @param tangent       the derivative along the seeded direction
 * @param valueSigma    the standard deviation of the value's rounding error
 * @param tangentSigma  the standard deviation of the tangent's rounding error
 */
public record VarianceDualNumber(double value, double tangent, double valueSigma, double tangentSigma)
        implements Real<VarianceDualNumber> {

    /** How many standard deviations {@link #errorEstimate()} reports. */
    public static final double SIGMAS = 4;
    private static final double U = Math.ulp(1.0) / 2;

    /** The arithmetic of variance-carrying dual numbers. */
    public static final RealField<VarianceDualNumber> FIELD = new RealField<>() {
        @Override
        public VarianceDualNumber constant(double v) {
            return new VarianceDualNumber(v, 0, 0, 0);
        }

        @Override
        public VarianceDualNumber[] array(int length) {
            return new VarianceDualNumber[length];
        }

        @Override
        public VarianceDualNumber[] affine(VarianceDualNumber[] a, VarianceDualNumber[] w, VarianceDualNumber[] b,
                                           int rows, int in, int out) {
            return AffineLoops.forward(this, Affine::new, a, w, b, rows, in, out);
        }

        @Override
        public void affineBackward(VarianceDualNumber[] a, VarianceDualNumber[] w, VarianceDualNumber[] g,
                                   VarianceDualNumber[] ga, VarianceDualNumber[] gw, VarianceDualNumber[] gb, int rows,
                                   int in, int out) {
            AffineLoops.backward(this, Affine::new, a, w, g, ga, gw, gb, rows, in, out);
        }

        @Override
        public VarianceDualNumber affineWeightGradient(VarianceDualNumber[] a, VarianceDualNumber[] g, int rows, int in, int out, int j, int k) {
            return AffineLoops.weightGradient(this, Affine::new, a, g, rows, in, out, j, k);
        }
    };

    /**
     * The accumulator of the affine map and its backward pass ({@link AffineLoops}): {@link #add} and {@link
     * #multiply} written out on local variables, the same operations in the same order as {@link RealField#affine}
     * and {@link RealField#affineBackward} perform with objects — bit for bit the same numbers, one object per
     * result.
     */
    private static final class Affine implements AffineLoops.Accumulator<VarianceDualNumber> {

        private double value;
        private double tangent;
        private double valueSigma;
        private double tangentSigma;

        @Override
        public void set(VarianceDualNumber x) {
            value = x.value;
            tangent = x.tangent;
            valueSigma = x.valueSigma;
            tangentSigma = x.tangentSigma;
        }

        /** this = x·y, as {@code x.multiply(y)}. */
        @Override
        public void product(VarianceDualNumber x, VarianceDualNumber y) {
            double v = x.value * y.value;
            double t = x.tangent * y.value + x.value * y.tangent;
            valueSigma = quadrature(y.value * x.valueSigma, x.value * y.valueSigma, U * v);
            tangentSigma = quadrature(x.value * y.tangentSigma, y.tangent * x.valueSigma, y.value * x.tangentSigma,
                    x.tangent * y.valueSigma, U * t, U * t);
            value = v;
            tangent = t;
        }

        /** this = this + x·y, as {@code this.add(x.multiply(y))}. */
        @Override
        public void addProduct(VarianceDualNumber x, VarianceDualNumber y) {
            double pv = x.value * y.value;
            double pt = x.tangent * y.value + x.value * y.tangent;
            double pvs = quadrature(y.value * x.valueSigma, x.value * y.valueSigma, U * pv);
            double pts = quadrature(x.value * y.tangentSigma, y.tangent * x.valueSigma, y.value * x.tangentSigma,
                    x.tangent * y.valueSigma, U * pt, U * pt);
            double v = value + pv;
            double t = tangent + pt;
            valueSigma = quadrature(valueSigma, pvs, U * v);
            tangentSigma = quadrature(tangentSigma, pts, U * t);
            value = v;
            tangent = t;
        }

        @Override
        public VarianceDualNumber number() {
            return new VarianceDualNumber(value, tangent, valueSigma, tangentSigma);
        }
    }

    /**
     * A parameter seeded along {@code direction}: exact value and tangent.
     *
     * @param value     the parameter's value
     * @param direction the seed
     * @return the seeded number
     */
    public static VarianceDualNumber seed(double value, double direction) {
        return new VarianceDualNumber(value, direction, 0, 0);
    }

    /**
     * The estimated rounding error of {@link #tangent()}: {@value #SIGMAS} standard deviations, plus the smallest
     * normal number for tangents in the subnormal range.
     *
     * @return the estimate; ≥ 0
     */
    public double errorEstimate() {
        return SIGMAS * tangentSigma + Double.MIN_NORMAL;
    }

    @Override
    public RealField<VarianceDualNumber> field() {
        return FIELD;
    }

    /** √(Σ t²), scaled by the largest term so that tiny terms (1e−216) do not square to 0 nor huge ones to ∞. */
    /**
     * The largest of six non-negative numbers (or NaN), as {@code Math.max} folded from 0 gives it: NaN if any is
     * NaN (only then is their sum NaN), else the largest, with comparisons instead of {@code Math.max}'s NaN and
     * signed-zero handling, which the absolute values here do not need.
     */
    private static double largest(double a, double b, double c, double d, double e, double f) {
        if (Double.isNaN(a + b + c + d + e + f)) {
            return Double.NaN;
        }
        double m = a > b ? a : b;
        m = m > c ? m : c;
        m = m > d ? m : d;
        m = m > e ? m : e;
        return m > f ? m : f;
    }

    /** {@link #quadrature(double...)} of three terms, without an array: the same operations in the same order. */
    private static double quadrature(double a, double b, double c) {
        double max = largest(Math.abs(a), Math.abs(b), Math.abs(c), 0, 0, 0);
        if (max == 0 || Double.isInfinite(max) || Double.isNaN(max)) {
            return max;
        }
        double qa = a / max;
        double qb = b / max;
        double qc = c / max;
        double s = 0;
        s += qa * qa;
        s += qb * qb;
        s += qc * qc;
        return max * Math.sqrt(s);
    }

    /** {@link #quadrature(double...)} of six terms, without an array: the same operations in the same order. */
    private static double quadrature(double a, double b, double c, double d, double e, double f) {
        double max = largest(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(d), Math.abs(e), Math.abs(f));
        if (max == 0 || Double.isInfinite(max) || Double.isNaN(max)) {
            return max;
        }
        double qa = a / max;
        double qb = b / max;
        double qc = c / max;
        double qd = d / max;
        double qe = e / max;
        double qf = f / max;
        double s = 0;
        s += qa * qa;
        s += qb * qb;
        s += qc * qc;
        s += qd * qd;
        s += qe * qe;
        s += qf * qf;
        return max * Math.sqrt(s);
    }

    private static double quadrature(double... terms) {
        double max = 0;
        for (double t : terms) {
            max = Math.max(max, Math.abs(t));
        }
        if (max == 0 || Double.isInfinite(max) || Double.isNaN(max)) {
            return max;
        }
        double s = 0;
        for (double t : terms) {
            double q = t / max;
            s += q * q;
        }
        return max * Math.sqrt(s);
    }

    /** {@code a·b}, with 0 when either is 0 (an exact quantity has no error, whatever its sensitivity). */
    private static double times(double a, double b) {
        return a == 0 || b == 0 ? 0 : a * b;
    }

    @Override
    public VarianceDualNumber add(VarianceDualNumber o) {
        double v = value + o.value;
        double t = tangent + o.tangent;
        return new VarianceDualNumber(v, t, quadrature(valueSigma, o.valueSigma, U * v),
                quadrature(tangentSigma, o.tangentSigma, U * t));
    }

    @Override
    public VarianceDualNumber subtract(VarianceDualNumber o) {
        double v = value - o.value;
        double t = tangent - o.tangent;
        return new VarianceDualNumber(v, t, quadrature(valueSigma, o.valueSigma, U * v),
                quadrature(tangentSigma, o.tangentSigma, U * t));
    }

    @Override
    public VarianceDualNumber multiply(VarianceDualNumber o) {
        double v = value * o.value;
        double t = tangent * o.value + value * o.tangent;
        return new VarianceDualNumber(v, t, quadrature(o.value * valueSigma, value * o.valueSigma, U * v),
                quadrature(value * o.tangentSigma, o.tangent * valueSigma, o.value * tangentSigma,
                        tangent * o.valueSigma, U * t, U * t));
    }

    @Override
    public VarianceDualNumber divide(VarianceDualNumber o) {
        double q = value / o.value;
        double t = (tangent - q * o.tangent) / o.value;
        double c = o.value;
        double qSigma = quadrature(valueSigma / c, q * o.valueSigma / c, U * q, U * q);
        // ṫ = (ȧ − q·ḃ)/b: the errors of ȧ, ḃ, q and b, each through its partial
        double tSigma = quadrature(tangentSigma / c, q * o.tangentSigma / c, o.tangent * qSigma / c,
                t * o.valueSigma / c, U * t, U * t, U * t);
        return new VarianceDualNumber(q, t, qSigma, tSigma);
    }

    @Override
    public VarianceDualNumber negate() {
        return new VarianceDualNumber(-value, -tangent, valueSigma, tangentSigma);
    }

    @Override
    public VarianceDualNumber pow(double k) {
        return Real.exactPower(this, k).orElseGet(() -> chain(DoubleNumber.power(value, k),
                k * DoubleNumber.power(value, k - 1), RunningError.powerCurvature(value, k),
                RunningError.powerOperations(value, k)));
    }

    /** {@code this^exponent} through {@code e^{exponent·log this}} where the exponent varies (a positive base). */
    @Override
    public VarianceDualNumber pow(VarianceDualNumber exponent) {
        if (exponent.tangent == 0 && exponent.valueSigma == 0) {
            return pow(exponent.value);
        }
        VarianceDualNumber viaLog = log().multiply(exponent).exp();
        return new VarianceDualNumber(Math.pow(value, exponent.value), viaLog.tangent, viaLog.valueSigma,
                viaLog.tangentSigma);
    }

    @Override
    public VarianceDualNumber call(Expr.Fn fn) {
        double v = StableFunctions.apply(fn, value);
        return chain(v, ComplexStepNumber.slope(fn, value, v), RunningError.curvature(fn, value, v),
                RunningError.operations(fn, value));
    }

    private VarianceDualNumber chain(double v, double slope, double curvature, int operations) {
        double t = tangent * slope;
        double n = operations >= RunningError.UNBOUNDED ? Double.POSITIVE_INFINITY : operations;
        return new VarianceDualNumber(v, t, quadrature(times(slope, valueSigma), times(n * U, v)),
                quadrature(times(slope, tangentSigma), times(tangent * curvature, valueSigma), times(n * U, t)));
    }

    @Override
    public VarianceDualNumber ifPositive(VarianceDualNumber whenPositive, VarianceDualNumber otherwise) {
        return value > 0 ? whenPositive : otherwise;
    }
}
