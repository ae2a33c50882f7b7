package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.ComplexDerivative;
import io.chainproof.numeric.ComplexGradient;
import io.chainproof.numeric.ComplexNetwork;

/**
 * The complex-step oracle: {@code ∂L/∂θ_i = Im L(θ + ih e_i)/h} with {@code h = 1e−20}, through the
 * complex-capable compiled forward pass of {@link ComplexNetwork} — independent of the symbolic gradient
 * (only values are compiled) and of finite differences (nothing is subtracted).
 *
 * <p><b>Why it is exact to rounding.</b> For analytic L, {@code L(θ + ih) = L(θ) + ih·L'(θ) − h²L''/2
 * − ih³L'''/6 + …}, so {@code Im L(θ + ih)/h = L'(θ) − h²L'''/6 + …}: the truncation error is
 * {@code O(h²) ≈ 1e−40} relative and there is no difference of nearby values, so h can be that small
 * (Squire &amp; Trapp 1998; Martins, Sturdza &amp; Alonso 2003, eq. 5). What remains is the rounding of the
 * imaginary parts as they are propagated.
 *
 * <p><b>Error estimate.</b> {@code e = K·ε·M + MIN_NORMAL/h}. The imaginary parts go through K rounded
 * operations in sequence — a dot product of length {@code n_{l−1}} per layer, about 8 for each
 * activation and the loss, one per sample in the mean: {@code K = Σ_l n_{l−1} + 8(L + 1) + N}. By the
 * standard forward error bound of sums and products, {@code |computed − exact| ≤ γ_K·M} with
 * {@code γ_K ≈ Kε} and M the {@link ComplexDerivative#magnitude() magnitude} — the same propagation in
 * absolute values, so M = |value| when nothing cancels and M &gt; |value| when terms of opposite sign
 * cancel (the estimate then widens with the cancellation, as it must). The absolute term covers
 * imaginary parts {@code h·L'} that fall below the normal range ({@code |L'| ≲ 1e−288}) and lose bits
 * as subnormals. Since |L(θ + ih) − L(θ)| is never formed, the estimate has no {@code ε|L|/h} term, unlike
 * a finite difference. It is a worst-case bound: observed rounding errors are 7× to 1000× below it.
 *
 * <table>
 *   <caption>Measured: largest relative error over all parameters, h = 1e−20, against a 60-digit (400 for
 *            the saturated chain) mpmath evaluation of the same loss, and the largest error over this
 *            class's estimate</caption>
 *   <tr><th>reference specs</th><th>|gradient|</th><th>complex step, all parameters
 *       ({@code gradient})</th><th>literal, one parameter ({@code derivative})</th><th>compiled symbolic
 *       (for scale)</th><th>max error / estimate</th></tr>
 *   <tr><td>lecture-chain</td><td>2.2e−2 … 5.5</td><td>0 (every bit)</td><td>0</td><td>1.6e−16</td><td>0</td></tr>
 *   <tr><td>lecture-chain-saturated</td><td>4.5e−137 … 0.11</td><td>3.7e−14</td><td>3.7e−14</td><td>3.7e−14</td><td>0.72</td></tr>
 *   <tr><td>11 other smooth specs</td><td>9.5e−6 … 11</td><td>6.4e−15</td><td>1.0e−14</td><td>5.1e−15</td><td>0.11</td></tr>
 *   <tr><td>15 relu/leaky specs</td><td>7.5e−7 … 2.4</td><td>3.5e−14</td><td>9.2e−14</td><td>8.2e−14</td><td>0.14</td></tr>
 * </table>
 * Against the compiled symbolic gradient (what the tests assert): at most 4.8e−15 relative on the smooth
 * specs, 2.9e−16 on the saturated chain, 1.2e−13 on the relu/leaky specs (random-03 {@code W3[2][0]}, a
 * gradient 723× smaller than its magnitude: both sides carry that cancellation); on 400 seeded random
 * smooth networks with weights up to ±20, error / estimate ≤ 0.09. Central differences on the saturated
 * chain return exactly 0 for the four gradients of order 1e−135 (the loss changes by 1e−140, below one
 * ulp of L): relative error 1.
 *
 * <p><b>What the estimate does not cover.</b> It bounds the rounding of the complex step given the
 * float64 forward pass, not how the true gradient reacts to the rounding of that forward pass. On the
 * saturated chain z₂ = 500·σ(0.5) = 311.25 carries an absolute rounding of ~3.5e−14, and since
 * σ'(z₂) ∝ e^{−z₂} every float64 evaluation — complex step, symbolic, PyTorch with a stable σ' — is off the
 * exact value by the same 3.7e−14 relative. Two float64 gradients that order their sums differently can
 * differ by that much; a checker's relative tolerance (see {@link Tolerance}) absorbs it.
 *
 * <p><b>Kinks.</b> relu and leaky_relu branch on the real part, so at a kink the complex step returns a
 * one-sided derivative; {@link Result#nearKink()} says when a piecewise pre-activation on the perturbed
 * path lies within {@link Thresholds#kinkBand()} (relative) of 0.
 */
public final class ComplexStep {

    /** The imaginary step h. */
    public static final double STEP = ComplexNetwork.STEP;

    private static final double EPS = Math.ulp(1.0);
    /** Rounded operations charged per activation and for the loss. */
    private static final int OPERATIONS_PER_KERNEL = 8;

    private ComplexStep() {
    }

    /**
     * A complex-step derivative and whether a kink was near. Instances are immutable.
     *
     * @param estimate the derivative with its error estimate and the step h
     * @param nearKink whether a relu/leaky_relu pre-activation on the perturbed path is within the kink
     *                 band of 0, so that the value is one-sided and the loss may not be differentiable here
     */
    public record Result(Estimate estimate, boolean nearKink) {
        /**
         * Validates the components.
         *
         * @param estimate the derivative with its error estimate and the step h
         * @param nearKink whether a relu/leaky_relu pre-activation on the perturbed path is within the kink band
         *     of 0, so that the value is one-sided and the loss may not be differentiable here
         */
        public Result {
            java.util.Objects.requireNonNull(estimate, "estimate");
        }

        /**
         * The derivative.
         *
         * @return {@code estimate().value()}
         */
        public double value() {
            return estimate.value();
        }
    }

    /**
     * ∂L/∂θ_index at {@code point} (flat parameter layout), by the literal complex step.
     *
     * @param net the network compiled to complex arithmetic
     * @param point the parameters, flat layout; not modified
     * @param index the flat index of θ
     * @return the derivative with its error estimate, and whether a kink was near
     */
    public static Result derivative(ComplexNetwork net, double[] point, int index) {
        return result(net.graph(), net.partial(point, index, STEP));
    }

    /**
     * Every ∂L/∂θ_i at {@code point}, in flat parameter order.
     *
     * @param net the network compiled to complex arithmetic
     * @param point the parameters, flat layout; not modified
     * @return one result per parameter, in flat order
     */
    public static Result[] gradient(ComplexNetwork net, double[] point) {
        ComplexGradient g = net.partials(point);
        Result[] results = new Result[g.size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = result(net.graph(), g.get(i));
        }
        return results;
    }

    /**
     * Every ∂L/∂θ_i at {@code point} as {@link Columns}: what {@link #gradient} gives, a few numbers per parameter.
     *
     * @param net the network compiled to complex arithmetic
     * @param point the parameters, flat layout; not modified
     * @return one entry per parameter, in flat order
     */
    public static Columns columns(ComplexNetwork net, double[] point) {
        ComplexGradient g = net.partials(point);
        double[] values = g.values();
        double[] errors = g.magnitudes();
        for (int i = 0; i < errors.length; i++) {
            errors[i] = errorEstimate(net.graph(), errors[i]);
        }
        double[] steps = new double[values.length];
        java.util.Arrays.fill(steps, STEP);
        return new Columns(values, errors, steps, g.nearKinks());
    }

    /**
     * Many complex-step results without an object each: per entry the value, its error estimate, the step and the kink
     * flag; entries not asked for are NaN. Filled by the function that computes them (a million results are 25 MB
     * here, 64 MB as {@link Result}s), then read.
     */
    public static final class Columns {

        private final double[] values;
        private final double[] errors;
        private final double[] steps;
        private final boolean[] nearKinks;

        /**
         * Columns of {@code size} entries, none computed yet (NaN).
         *
         * @param size the number of entries
         */
        public Columns(int size) {
            this(new double[size], new double[size], new double[size], new boolean[size]);
            java.util.Arrays.fill(values, Double.NaN);
            java.util.Arrays.fill(errors, Double.NaN);
        }

        private Columns(double[] values, double[] errors, double[] steps, boolean[] nearKinks) {
            this.values = values;
            this.errors = errors;
            this.steps = steps;
            this.nearKinks = nearKinks;
        }

        /** @return the number of entries */
        public int size() {
            return values.length;
        }

        /**
         * Entry {@code i} as a result.
         *
         * @param i the entry
         * @return its value with error estimate and step, and its kink flag
         */
        public Result get(int i) {
            return new Result(estimate(i), nearKinks[i]);
        }

        /**
         * Entry {@code i}'s estimate.
         *
         * @param i the entry
         * @return its value, error estimate and step
         */
        public Estimate estimate(int i) {
            return new Estimate(values[i], errors[i], steps[i]);
        }

        /**
         * Sets entry {@code i}.
         *
         * @param i the entry
         * @param result its result
         */
        public void set(int i, Result result) {
            values[i] = result.estimate().value();
            errors[i] = result.estimate().errorEstimate();
            steps[i] = result.estimate().step();
            nearKinks[i] = result.nearKink();
        }

        /**
         * Sets entry {@code i}'s estimate (a sharper error bound for the same value, or another oracle's estimate),
         * keeping its kink flag.
         *
         * @param i the entry
         * @param estimate its value, error estimate and step
         */
        public void set(int i, Estimate estimate) {
            values[i] = estimate.value();
            errors[i] = estimate.errorEstimate();
            steps[i] = estimate.step();
        }

        /**
         * Entry {@code i}'s kink flag.
         *
         * @param i the entry
         * @return whether a kink was near its path
         */
        public boolean nearKink(int i) {
            return nearKinks[i];
        }
    }

    /**
     * The directional derivative ⟨∇L, direction⟩ at {@code point} in one complex forward pass.
     *
     * @param net the network compiled to complex arithmetic
     * @param point the parameters, flat layout; not modified
     * @param direction the direction, as long as {@code point}
     * @return ⟨∇L, direction⟩ with its error estimate, and whether a kink was near
     */
    public static Result directional(ComplexNetwork net, double[] point, double[] direction) {
        return result(net.graph(), net.directional(point, direction, STEP));
    }

    /**
     * ⟨∇L, v⟩ for a direction v that lives on the parameters {@code from, from + 1, …} (zero elsewhere).
     *
     * @param net the complex network
     * @param point the parameters; not modified
     * @param from the flat index of v's first entry
     * @param v the direction's entries from there
     * @return ⟨∇L, v⟩ with its error estimate, and whether a kink was near
     */
    public static Result directional(ComplexNetwork net, double[] point, int from, double[] v) {
        return result(net.graph(), net.directional(point, from, v, STEP));
    }

    /**
     * The error estimate {@code K·ε·magnitude + MIN_NORMAL/h} of a complex-step value on {@code graph}.
     *
     * @param graph the network whose operation count gives K
     * @param magnitude the size of the value, e.g. |∂L/∂θ|
     * @return the estimated absolute error; ≥ 0
     */
    public static double errorEstimate(ComputationGraph graph, double magnitude) {
        return operations(graph) * EPS * magnitude + Double.MIN_NORMAL / STEP;
    }

    /** K: the longest chain of rounded operations an imaginary part passes through. */
    static int operations(ComputationGraph graph) {
        int k = OPERATIONS_PER_KERNEL * (graph.layerCount() + 1) + graph.spec().data().samples();
        for (int l = 1; l <= graph.layerCount(); l++) {
            k += graph.units(l - 1);
        }
        return k;
    }

    private static Result result(ComputationGraph graph, ComplexDerivative d) {
        return new Result(new Estimate(d.value(), errorEstimate(graph, d.magnitude()), STEP), d.nearKink());
    }
}
