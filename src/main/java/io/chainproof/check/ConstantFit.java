package io.chainproof.check;

import io.chainproof.ops.LeakyRelu;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.function.DoubleFunction;
import java.util.function.DoublePredicate;

/**
 * The wrong-constant family's arithmetic, shared by the MLP and the op-graph localisers: fitting a constant factor k
 * to a claim along a hypothesis's direction, deciding whether it explains the claim to the verdicts' own precision,
 * and naming it. Stateless.
 */
final class ConstantFit {

    /** Where on an activation a wrong constant in its derivative applies. */
    enum Branch {
        /** Where the activation's input is negative (leaky_relu's slope, elu's α). */
        NEGATIVE(" where z < 0"),
        /** Where it is positive. */
        POSITIVE(" where z > 0"),
        /** Everywhere. */
        ALL("");

        final String where;

        Branch(String where) {
            this.where = where;
        }

        boolean holds(double z) {
            return this == ALL || (this == NEGATIVE ? z < 0 : z > 0);
        }
    }

    /** Steps of the fixed-direction Gauss–Newton fit (each gains ~3 digits where g is not affine in k). */
    static final int STEPS = 4;
    /** The step of the finite difference that gives a hypothesis's direction dg/dk at k = 1. */
    static final double STEP = 1e-3;
    /**
     * An unrecognised constant must move at least this many checked entries beyond their allowance: a one-parameter
     * fit to fewer (W and b of one unit share its δ, so any error there "fits") is no evidence.
     */
    static final int MIN_DIFFERING = 3;

    private ConstantFit() {
    }

    /**
     * Fits k = 1 + δ: δ by least squares along {@code direction} over the checked entries, refined by re-fitting the
     * residual of the exact prediction; k if the prediction explains every checked entry within its allowance and
     * differs from the truth beyond it in at least {@link #MIN_DIFFERING} entries (one, if k is a {@code recognised}
     * constant), else NaN.
     *
     * @param truth      the true gradient
     * @param claimed    the claim
     * @param allowed    per entry, what its verdict allowed; NaN where it was not checked
     * @param direction  dg/dk at k = 1
     * @param predict    the hypothesis's gradient at k = 1 + δ, or null if it cannot be computed
     * @param recognised whether a k is a known constant (the float32 slope)
     * @return k, or NaN
     */
    static double fit(double[] truth, double[] claimed, double[] allowed, double[] direction,
                      DoubleFunction<double[]> predict, DoublePredicate recognised) {
        double dd = 0;
        for (int i = 0; i < direction.length; i++) {
            if (checked(allowed, claimed, i)) {
                dd += direction[i] * direction[i];
            }
        }
        if (!(dd > 0) || !Double.isFinite(dd)) {
            return Double.NaN;
        }
        double delta = 0;
        double[] p = truth;
        for (int step = 0; step < STEPS; step++) {
            double rd = 0;
            for (int i = 0; i < direction.length; i++) {
                if (checked(allowed, claimed, i)) {
                    rd += (claimed[i] - p[i]) * direction[i];
                }
            }
            delta += rd / dd;
            p = predict.apply(delta);
            if (p == null) {
                return Double.NaN;
            }
        }
        int differing = 0;
        for (int i = 0; i < p.length; i++) {
            if (!checked(allowed, claimed, i)) {
                continue;
            }
            if (!(Math.abs(p[i] - claimed[i]) <= allowed[i])) {
                return Double.NaN;
            }
            differing += Math.abs(p[i] - truth[i]) > allowed[i] ? 1 : 0;
        }
        if (differing == 0 || delta == 0 || differing < MIN_DIFFERING && !recognised.test(1 + delta)) {
            return Double.NaN;
        }
        return 1 + delta;
    }

    /**
     * {@link #fit} of a hypothesis whose gradient is {@code truth + δ·direction} (a tensor scaled, every gradient
     * scaled).
     *
     * @param truth     the true gradient
     * @param claimed   the claim
     * @param allowed   per entry, what its verdict allowed; NaN where it was not checked
     * @param direction the change per unit of k − 1
     * @return k, or NaN
     */
    static double linear(double[] truth, double[] claimed, double[] allowed, double[] direction) {
        return fit(truth, claimed, allowed, direction, delta -> {
            double[] p = truth.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] += delta * direction[i];
            }
            return p;
        }, k -> false);
    }

    /**
     * {@link #fit} of a hypothesis computed by a backward pass with the constant k: {@code gradientAt} gives its
     * gradient, g(1) being that pass's own rendering of the truth; the prediction is truth + g(k) − g(1), so that the
     * pass's rounding cancels, and the direction the difference quotient at k = 1.
     *
     * @param truth      the true gradient
     * @param claimed    the claim
     * @param allowed    per entry, what its verdict allowed; NaN where it was not checked
     * @param gradientAt k ↦ the hypothesis's gradient, or null where it cannot be computed
     * @param recognised whether a k is a known constant
     * @return k, or NaN
     */
    static double along(double[] truth, double[] claimed, double[] allowed, DoubleFunction<double[]> gradientAt,
                        DoublePredicate recognised) {
        double[] base = gradientAt.apply(1);
        double[] lifted = base == null ? null : gradientAt.apply(1 + STEP);
        if (lifted == null) {
            return Double.NaN;
        }
        double[] direction = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            direction[i] = (lifted[i] - base[i]) / STEP;
        }
        return fit(truth, claimed, allowed, direction, delta -> {
            double[] g = gradientAt.apply(1 + delta);
            if (g == null) {
                return null;
            }
            double[] p = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                p[i] = truth[i] + (g[i] - base[i]);
            }
            return p;
        }, recognised);
    }

    private static boolean checked(double[] allowed, double[] claimed, int i) {
        return Double.isFinite(allowed[i]) && Double.isFinite(claimed[i]);
    }

    /**
     * Whether k takes leaky_relu's slope to the float32 0.01f: the fit fixes k − 1 to a few parts in 1e8, and 0.01f
     * lies 2.2e−10 from 0.01, so a match within a thousandth of that is no accident.
     *
     * @param k a fitted factor
     * @return whether 0.01·k is 0.01f
     */
    static boolean floatSlope(double k) {
        double alpha = LeakyRelu.NEGATIVE_SLOPE;
        double single = (float) alpha;
        return Math.abs(alpha * k - single) <= 1e-3 * Math.abs(single - alpha);
    }

    /**
     * The finding for an activation's derivative scaled by k: leaky_relu's slope named (exactly, when it is the float
     * 0.01f), else the factor.
     *
     * @param layer  the layer, for the localisation
     * @param where  e.g. {@code layer 1}
     * @param phi    the activation's symbol
     * @param z      the pre-activation's name, e.g. {@code z₁}
     * @param leaky  whether the activation is leaky_relu
     * @param branch where the factor applies
     * @param k      the fitted factor
     * @return the localisation
     */
    static Localisation finding(int layer, String where, String phi, String z, boolean leaky, Branch branch, double k) {
        if (leaky && branch == Branch.NEGATIVE) {
            double alpha = LeakyRelu.NEGATIVE_SLOPE;
            double single = (float) alpha;
            if (floatSlope(k)) {
                double ratio = single / alpha;
                return new Localisation(layer, Localisation.Fault.WRONG_CONSTANT, ratio, where + " gradients use "
                        + "leaky_relu's slope (float) 0.01 = " + exact(single) + " for " + z + " < 0 instead of 0.01: a "
                        + "wrong constant, the slope stored as a float32 (factor " + exact(ratio) + " = (float) 0.01 / 0.01)");
            }
            return new Localisation(layer, Localisation.Fault.WRONG_CONSTANT, k, where + " gradients use leaky_relu's "
                    + "slope " + fitted(alpha * k, k) + " for " + z + " < 0 instead of " + alpha + ": a wrong constant "
                    + "(factor " + fitted(k, k) + ")");
        }
        return new Localisation(layer, Localisation.Fault.WRONG_CONSTANT, k, where + " gradients equal ours with " + phi
                + "'(" + z + ") multiplied by " + fitted(k, k) + branch.where.replace("z", z)
                + ": a wrong constant in the activation's derivative");
    }

    /**
     * 17 significant digits: enough to tell 0.99999997764825821 from 1.
     *
     * @param v a value
     * @return its 17 significant digits
     */
    static String exact(double v) {
        return new BigDecimal(v).round(new MathContext(17)).toPlainString();
    }

    /**
     * {@code v} (a fitted factor k, or a constant scaled by it) to the digits the fit determines: k − 1 to about 7
     * significant digits, so 1.0000000298023 rather than noise in the 17th digit.
     *
     * @param v the value to print
     * @param k the fitted factor behind it
     * @return the digits that mean something
     */
    static String fitted(double v, double k) {
        double distance = Math.abs(k - 1);
        int digits = distance == 0 ? 17 : (int) Math.min(17, Math.max(7, Math.ceil(-Math.log10(distance)) + 7));
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
