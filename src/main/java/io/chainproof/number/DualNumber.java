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
 * {@link ComplexStepNumber}, with the same rules ({@link RunningError}): the value is within {@code γ_depth·scale}
 * and the tangent within {@code γ_depth·magnitude} of the exact ones, so {@link #errorBound()} is
 * {@code γ_depth·magnitude + MIN_NORMAL}; and {@link #ifPositive} marks a branch taken within
 * {@code KINK_BAND·max(1, scale)} of 0 on the seeded path, as the complex step does. Instances are immutable.
 *
 * @param value     the primal value
 * @param tangent   the derivative along the seeded direction
 * @param magnitude the first-order error scale of the tangent (error ≤ γ_depth·magnitude)
 * @param scale     the first-order error scale of the value (error ≤ γ_depth·scale)
 * @param depth     the number of roundings behind the number
 * @param nearKink  whether a branch on the seeded path was taken within the kink band of 0
 */
public record DualNumber(double value, double tangent, double magnitude, double scale, int depth, boolean nearKink)
        implements Real<DualNumber> {

    /** The arithmetic of dual numbers. */
    public static final RealField<DualNumber> FIELD = new RealField<>() {
        @Override
        public DualNumber constant(double v) {
            return new DualNumber(v, 0, 0, Math.abs(v), 0, false);
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
        return new DualNumber(value, direction, Math.abs(direction), Math.abs(value), 0, false);
    }

    @Override
    public RealField<DualNumber> field() {
        return FIELD;
    }

    /**
     * The bound on the rounding error of {@link #tangent()}: {@code γ_depth·magnitude + MIN_NORMAL}.
     *
     * @return the bound; ≥ 0, +∞ when a function on the path has no error bound
     */
    public double errorBound() {
        return RunningError.times(magnitude, RunningError.gamma(depth)) + Double.MIN_NORMAL;
    }

    private boolean seeded() {
        return tangent != 0 || magnitude != 0;
    }

    /** The scale of this number's value error: 0 when the value is exact (a constant or a seed). */
    private double valueError() {
        return depth == 0 ? 0 : scale;
    }

    @Override
    public DualNumber add(DualNumber o) {
        return new DualNumber(value + o.value, tangent + o.tangent, magnitude + o.magnitude, scale + o.scale,
                RunningError.deeper(Math.max(depth, o.depth), 1), nearKink || o.nearKink);
    }

    @Override
    public DualNumber subtract(DualNumber o) {
        return new DualNumber(value - o.value, tangent - o.tangent, magnitude + o.magnitude, scale + o.scale,
                RunningError.deeper(Math.max(depth, o.depth), 1), nearKink || o.nearKink);
    }

    @Override
    public DualNumber multiply(DualNumber o) {
        double newScale = RunningError.times(valueError(), Math.abs(o.value))
                + RunningError.times(o.valueError(), Math.abs(value)) + Math.abs(value * o.value);
        double newMagnitude = Math.abs(value) * o.magnitude + RunningError.times(valueError(), Math.abs(o.tangent))
                + Math.abs(o.value) * magnitude + RunningError.times(o.valueError(), Math.abs(tangent));
        return new DualNumber(value * o.value, tangent * o.value + value * o.tangent, newMagnitude, newScale,
                RunningError.deeper(Math.max(depth, o.depth), 2), nearKink || o.nearKink);
    }

    /** The quotient, with the first-order bounds of {@link ComplexStepNumber#divide}. */
    @Override
    public DualNumber divide(DualNumber o) {
        double c = Math.abs(o.value);
        double q = value / o.value;
        double newScale;
        double newMagnitude;
        if (c == 0) {
            newScale = Double.POSITIVE_INFINITY;
            newMagnitude = Double.POSITIVE_INFINITY;
        } else {
            double kappa = o.valueError() / c;
            double aq = Math.abs(q);
            newScale = (scale + RunningError.times(o.valueError(), aq)) / c;
            newMagnitude = (magnitude + RunningError.times(o.magnitude, aq)
                    + RunningError.times(kappa, Math.abs(tangent) + 2 * aq * Math.abs(o.tangent))
                    + RunningError.times(valueError() / c, Math.abs(o.tangent))) / c;
        }
        return new DualNumber(q, (tangent - q * o.tangent) / o.value, newMagnitude, newScale,
                RunningError.deeper(Math.max(depth, o.depth), 5), nearKink || o.nearKink);
    }

    @Override
    public DualNumber negate() {
        return new DualNumber(-value, -tangent, magnitude, scale, depth, nearKink);
    }

    @Override
    public DualNumber pow(double k) {
        return Real.exactPower(this, k).orElseGet(() -> chain(DoubleNumber.power(value, k),
                k * DoubleNumber.power(value, k - 1), RunningError.powerCurvature(value, k),
                RunningError.powerOperations(value, k)));
    }

    /**
     * {@code this^exponent}: for a constant exponent (no tangent) {@link #pow(double)}; otherwise the tangent of
     * {@code e^{exponent·log this}} with Math.pow's value — so the base must be positive, as for any real power
     * with a varying exponent.
     */
    @Override
    public DualNumber pow(DualNumber exponent) {
        if (!exponent.seeded()) {
            return pow(exponent.value);
        }
        DualNumber viaLog = log().multiply(exponent).exp();
        return new DualNumber(Math.pow(value, exponent.value), viaLog.tangent, viaLog.magnitude, viaLog.scale,
                viaLog.depth, viaLog.nearKink);
    }

    @Override
    public DualNumber call(Expr.Fn fn) {
        double v = StableFunctions.apply(fn, value);
        return chain(v, ComplexStepNumber.slope(fn, value, v), RunningError.curvature(fn, value, v),
                RunningError.operations(fn, value));
    }

    private DualNumber chain(double v, double slope, double curvature, int operations) {
        double absSlope = Math.abs(slope);
        double newMagnitude = RunningError.times(magnitude, absSlope)
                + RunningError.times(valueError(), Math.abs(tangent) * curvature);
        double newScale = Math.abs(v) + RunningError.times(valueError(), absSlope);
        return new DualNumber(v, tangent * slope, newMagnitude, newScale, RunningError.deeper(depth, operations),
                nearKink);
    }

    /** The branch, unmarked: the branches join with equal slopes, so the tangent is exact on either side. */
    @Override
    public DualNumber ifPositiveJoined(DualNumber whenPositive, DualNumber otherwise) {
        return value > 0 ? whenPositive : otherwise;
    }

    @Override
    public DualNumber ifPositive(DualNumber whenPositive, DualNumber otherwise) {
        DualNumber chosen = value > 0 ? whenPositive : otherwise;
        boolean kink = nearKink
                || seeded() && Math.abs(value) <= ComplexStepNumber.KINK_BAND * Math.max(1.0, scale)
                && whenPositive.tangent != otherwise.tangent;
        return kink && !chosen.nearKink
                ? new DualNumber(chosen.value, chosen.tangent, chosen.magnitude, chosen.scale, chosen.depth, true)
                : chosen;
    }
}
