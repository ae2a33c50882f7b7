package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

/**
 * A dual number {@code v + t·ε} with {@code ε² = 0}: forward-mode automatic differentiation, one tangent
 * direction per evaluation. Seeded with {@code t = 1} on one parameter, the tangent of the result is that
 * parameter's partial derivative, by the elementary rules of calculus alone — no step, nothing subtracted,
 * and independent of the symbolic rules chainproof derives.
 *
 * <p>Rules: {@code (u·w)' = u'w + uw'}, {@code (u/w)' = (u'w − uw')/w²}, {@code (u^k)' = k·u^{k−1}·u'},
 * {@code f(u)' = f'(u)·u'} with the same stable slopes as the complex step (σ' as
 * {@code e^{−|x|}/(1 + e^{−|x|})²}, tanh' as sech²). The tangent carries the same running error bound as
 * {@link ComplexStepNumber} — its absolute-value computation and the depth of rounded operations — so
 * {@link #errorBound()} is {@code γ_depth·magnitude + MIN_NORMAL}. Instances are immutable.
 *
 * @param value     the primal value
 * @param tangent   the derivative along the seeded direction
 * @param magnitude the absolute-value bound of the tangent
 * @param depth     the number of rounded operations behind the tangent
 * @param nearKink  whether a branch on the seeded path was taken within {@link ComplexStepNumber#KINK_BAND}
 *                  of 0
 */
public record DualNumber(double value, double tangent, double magnitude, int depth, boolean nearKink)
        implements Real<DualNumber> {

    private static final double EPS = Math.ulp(1.0) / 2;

    /** The arithmetic of dual numbers. */
    public static final RealField<DualNumber> FIELD = new RealField<>() {
        @Override
        public DualNumber constant(double v) {
            return new DualNumber(v, 0, 0, 0, false);
        }

        @Override
        public DualNumber[] array(int length) {
            return new DualNumber[length];
        }
    };

    /**
     * A parameter seeded along {@code direction}: {@code value + direction·ε}.
     *
     * @param value     the parameter's value
     * @param direction the seed (1 for a partial derivative)
     * @return the seeded number
     */
    public static DualNumber seed(double value, double direction) {
        return new DualNumber(value, direction, Math.abs(direction), 0, false);
    }

    @Override
    public RealField<DualNumber> field() {
        return FIELD;
    }

    /**
     * The bound on the rounding error of {@link #tangent()}: {@code γ_depth·magnitude + MIN_NORMAL}.
     *
     * @return the bound; ≥ 0
     */
    public double errorBound() {
        double n = depth * EPS;
        double gamma = n / (1 - Math.min(n, 0.5));
        return gamma * magnitude + Double.MIN_NORMAL;
    }

    @Override
    public DualNumber add(DualNumber o) {
        return new DualNumber(value + o.value, tangent + o.tangent, magnitude + o.magnitude,
                Math.max(depth, o.depth) + 1, nearKink || o.nearKink);
    }

    @Override
    public DualNumber subtract(DualNumber o) {
        return new DualNumber(value - o.value, tangent - o.tangent, magnitude + o.magnitude,
                Math.max(depth, o.depth) + 1, nearKink || o.nearKink);
    }

    @Override
    public DualNumber multiply(DualNumber o) {
        return new DualNumber(value * o.value, tangent * o.value + value * o.tangent,
                magnitude * Math.abs(o.value) + Math.abs(value) * o.magnitude, Math.max(depth, o.depth) + 2,
                nearKink || o.nearKink);
    }

    @Override
    public DualNumber divide(DualNumber o) {
        double q = value / o.value;
        return new DualNumber(q, (tangent - q * o.tangent) / o.value,
                (magnitude + Math.abs(q) * o.magnitude) / Math.abs(o.value), Math.max(depth, o.depth) + 4,
                nearKink || o.nearKink);
    }

    @Override
    public DualNumber negate() {
        return new DualNumber(-value, -tangent, magnitude, depth, nearKink);
    }

    @Override
    public DualNumber pow(double k) {
        if (k == 1) {
            return this;
        }
        if (k == 2) {
            return multiply(this);
        }
        return chain(DoubleNumber.power(value, k), k * DoubleNumber.power(value, k - 1));
    }

    /**
     * {@code this^exponent}: for a constant exponent (no tangent) {@link #pow(double)}; otherwise the tangent of
     * {@code e^{exponent·log this}} with Math.pow's value — so the base must be positive, as for any real power
     * with a varying exponent.
     */
    @Override
    public DualNumber pow(DualNumber exponent) {
        if (exponent.tangent == 0 && exponent.magnitude == 0) {
            return pow(exponent.value);
        }
        DualNumber viaLog = log().multiply(exponent).exp();
        return new DualNumber(Math.pow(value, exponent.value), viaLog.tangent, viaLog.magnitude, viaLog.depth,
                viaLog.nearKink);
    }

    @Override
    public DualNumber call(Expr.Fn fn) {
        double v = StableFunctions.apply(fn, value);
        return chain(v, ComplexStepNumber.slope(fn, value, v));
    }

    private DualNumber chain(double v, double slope) {
        return new DualNumber(v, tangent * slope, magnitude * Math.abs(slope),
                depth + ComplexStepNumber.FUNCTION_OPERATIONS, nearKink);
    }

    @Override
    public DualNumber ifPositive(DualNumber whenPositive, DualNumber otherwise) {
        DualNumber chosen = value > 0 ? whenPositive : otherwise;
        boolean kink = magnitude != 0 && Math.abs(value) <= ComplexStepNumber.KINK_BAND;
        return kink && !chosen.nearKink
                ? new DualNumber(chosen.value, chosen.tangent, chosen.magnitude, chosen.depth, true) : chosen;
    }
}
