package io.chainproof.bounds;

import io.chainproof.expr.StableFunctions;
import io.chainproof.proofs.SaturationLemma;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saturation of the sigmoid: {@code |w|·σ'(w·a + b) ≤ min(|w|/4, |w|·e^{−|w·a+b|})}, and, with b = 0, the
 * gradient through a sigmoid layer vanishes as |w| → ∞ — the lecture's "w = 500 explodes" holds only at
 * z = 0. The chain studied is x → σ(w₁x + b₁) = a₁ → σ(w₂a₁) = a₂ with the half-SSE loss ½(a₂ − y)², whose
 * first-weight gradient is {@code (a₂ − y)·σ'(w₂a₁)·w₂·σ'(z₁)·x}; since a₂, y ∈ [0, 1] and σ'(z₁) ≤ 1/4,
 * {@code |∂L/∂w₁| ≤ (|x|/4)·|w₂|·e^{−|w₂|·a₁}} → 0. In doubles these comparisons are decided by underflow once
 * |z| ≳ 745 (σ'(z) and e^{−|z|} are both 0); the first property therefore also checks the bound in the log domain
 * ({@link SaturationLemma}), where it is a real comparison at every z, and the chain's properties compare the log of
 * the gradient, {@code log|a₂ − y| + log σ'(w₂a₁) + log|w₂| + log σ'(z₁) + log|x|} with the proof's log σ'
 * ({@link SaturationLemma#logSigmoidPrime}, checked against mpmath by {@code LemmaTests}), never 0 with 0. Each also
 * holds chainproof's compiled gradient to that value wherever it is a normal double, and, where it is 0 or
 * subnormal, requires the log-domain value to be below log of the smallest normal double (an honest underflow).
 */
class SaturationProperties {

    /** Relative margin for the rounding of σ'(z) = e^{−|z|}/(1 + e^{−|z|})² near z = 0. */
    static final double ROUNDING_MARGIN = 1e-12;
    /** Slack of a comparison of logs, in ulps of the larger: each log is a sum of a few rounded terms. */
    static final int LOG_ULPS = 8;
    /** The first-layer gradient is below this once |w₂| ≥ 10^4 and z₁ ∈ [−4, 4] (a₁ ≥ σ(−4) ≈ 0.018). */
    static final double VANISHED = 1e-30;

    static double firstWeightGradient(double w1, double b1, double x, double w2, double y) {
        return Math.abs(GrowthBounds.of(ChainBoundProperties.sigmoidChain(new double[] {w1, w2},
                new double[] {b1, 0}, x, y)).scalarChain().orElseThrow().actual());
    }

    /**
     * log|∂L/∂w₁| of the chain in the log domain, independent of chainproof's code: log|a₂ − y| + log σ'(w₂a₁) +
     * log|w₂| + log σ'(z₁) + log|x|, a₁ = σ(z₁), a₂ = σ(w₂a₁); finite for every input with a₂ ≠ y and x ≠ 0.
     */
    static double logFirstWeightGradient(double w1, double b1, double x, double w2, double y) {
        double z1 = w1 * x + b1;
        double a1 = sigmoid(z1);
        return Math.log(Math.abs(sigmoid(w2 * a1) - y)) + SaturationLemma.logSigmoidPrime(w2 * a1)
                + Math.log(Math.abs(w2)) + SaturationLemma.logSigmoidPrime(z1) + Math.log(Math.abs(x));
    }

    /**
     * The compiled gradient against the log-domain value: equal to 10⁻¹⁰ in the log (plus the rounding of a₂ − y,
     * 2⁻⁵¹/|a₂ − y|) where it is a normal double; where it is 0 or subnormal, the log-domain value must be below
     * log of the smallest normal double.
     */
    static void assertCompiledGradientAgrees(double w1, double b1, double x, double w2, double y, double logGradient) {
        double compiled = firstWeightGradient(w1, b1, x, w2, y);
        double a2MinusY = Math.abs(sigmoid(w2 * sigmoid(w1 * x + b1)) - y);
        if (compiled >= Double.MIN_NORMAL) {
            double slack = 1e-10 + 0x1p-51 / a2MinusY;
            assertTrue(Math.abs(Math.log(compiled) - logGradient) <= slack, "log|∂L/∂w₁| at w₁ = " + w1 + ", w₂ = " + w2
                    + " ==> expected: <" + logGradient + "> (log domain) but was: <" + Math.log(compiled)
                    + "> (compiled), allowed ±" + slack);
        } else {
            assertTrue(logGradient < Math.log(Double.MIN_NORMAL) + 1e-10, "compiled |∂L/∂w₁| = " + compiled + " at w₁ = "
                    + w1 + ", w₂ = " + w2 + " underflowed ==> expected: log-domain value <" + logGradient + "> below <"
                    + Math.log(Double.MIN_NORMAL) + ">");
        }
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    @Property(tries = 500)
    @Tag("proof:saturation-bound")
    void weighted_sigmoid_derivative_is_at_most_a_quarter_of_the_weight_and_the_weight_times_exp_minus_abs_z(
            @ForAll @DoubleRange(min = -3, max = 3) double log10AbsW,
            @ForAll boolean negativeW,
            @ForAll @DoubleRange(min = -10, max = 10) double a,
            @ForAll @DoubleRange(min = -10, max = 10) double b) {
        double w = (negativeW ? -1 : 1) * Math.pow(10, log10AbsW);
        double z = w * a + b;
        double lhs = Math.abs(w) * StableFunctions.sigmoidPrime(z);
        double rhs = Math.min(Math.abs(w) / 4, Math.abs(w) * Math.exp(-Math.abs(z)));
        assertTrue(lhs <= rhs * (1 + ROUNDING_MARGIN),
                "|w|·σ'(wa+b) at w = " + w + ", z = " + z + " ==> expected: <" + lhs + "> ≤ <" + rhs + ">");
        // in doubles both sides are 0 once |z| ≳ 745; in the log domain the comparison is real for every z
        SaturationLemma.assertBoundInTheLogDomain(new double[] {z}, SaturationLemma::logSigmoidPrime,
                SaturationLemma::logBound);
    }

    @Property(tries = 100)
    @Tag("proof:saturation-bound")
    void first_weight_gradient_is_at_most_a_quarter_of_x_times_w2_times_exp_minus_w2_a1_when_b2_is_zero(
            @ForAll @DoubleRange(min = -3, max = 3) double log10AbsW1,
            @ForAll boolean negativeW1,
            @ForAll @DoubleRange(min = -2, max = 2) double b1,
            @ForAll @DoubleRange(min = -2, max = 2) double x,
            @ForAll @DoubleRange(min = -3, max = 6) double log10AbsW2,
            @ForAll boolean negativeW2,
            @ForAll @DoubleRange(min = 0, max = 1) double y) {
        double w1 = (negativeW1 ? -1 : 1) * Math.pow(10, log10AbsW1);
        double w2 = (negativeW2 ? -1 : 1) * Math.pow(10, log10AbsW2);
        double a1 = sigmoid(w1 * x + b1);
        Assume.that(x != 0 && sigmoid(w2 * a1) != y);
        double logActual = logFirstWeightGradient(w1, b1, x, w2, y);
        double logBound = Math.log(Math.abs(x) / 4) + Math.log(Math.abs(w2)) - Math.abs(w2) * a1;
        double slack = LOG_ULPS * Math.ulp(Math.max(Math.abs(logActual), Math.abs(logBound)));
        assertTrue(logActual <= logBound + slack, "log|∂L/∂w₁| at w₂ = " + w2 + ", a₁ = " + a1 + " ==> expected: <"
                + logActual + "> ≤ <" + logBound + ">");
        assertCompiledGradientAgrees(w1, b1, x, w2, y, logActual);
    }

    @Property(tries = 50)
    @Tag("proof:saturation-bound")
    void first_weight_gradient_decreases_as_w2_grows_through_the_powers_of_ten_from_a_hundred_when_b2_is_zero(
            @ForAll @DoubleRange(min = -3, max = 3) double log10AbsW1,
            @ForAll boolean negativeW1,
            @ForAll @DoubleRange(min = -4, max = 4) double z1,
            @ForAll @DoubleRange(min = 0.1, max = 2) double absX,
            @ForAll boolean negativeX,
            @ForAll boolean negativeW2) {
        double w1 = (negativeW1 ? -1 : 1) * Math.pow(10, log10AbsW1);
        double x = (negativeX ? -1 : 1) * absX;
        double b1 = z1 - w1 * x;
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 2; k <= 8; k++) {
            double w2 = (negativeW2 ? -1 : 1) * Math.pow(10, k);
            double logG = logFirstWeightGradient(w1, b1, x, w2, 0.5);
            assertTrue(logG < previous,
                    "log|∂L/∂w₁| at |w₂| = 1e" + k + " ==> expected: <" + logG + "> < <" + previous + ">");
            assertCompiledGradientAgrees(w1, b1, x, w2, 0.5, logG);
            previous = logG;
        }
    }

    @Property(tries = 100)
    @Tag("proof:saturation-bound")
    void first_weight_gradient_is_below_1e_minus_30_once_w2_reaches_ten_thousand_when_b2_is_zero(
            @ForAll @DoubleRange(min = -3, max = 3) double log10AbsW1,
            @ForAll boolean negativeW1,
            @ForAll @DoubleRange(min = -4, max = 4) double z1,
            @ForAll @DoubleRange(min = -2, max = 2) double x,
            @ForAll @IntRange(min = 4, max = 12) int log10AbsW2,
            @ForAll boolean negativeW2,
            @ForAll @DoubleRange(min = 0, max = 1) double y) {
        double w1 = (negativeW1 ? -1 : 1) * Math.pow(10, log10AbsW1);
        double b1 = z1 - w1 * x;
        double w2 = (negativeW2 ? -1 : 1) * Math.pow(10, log10AbsW2);
        Assume.that(x != 0 && sigmoid(w2 * sigmoid(z1)) != y);
        double logG = logFirstWeightGradient(w1, b1, x, w2, y);
        assertTrue(logG < Math.log(VANISHED), "log|∂L/∂w₁| at |w₂| = 1e" + log10AbsW2 + " ==> expected: <" + logG
                + "> < <" + Math.log(VANISHED) + ">");
        assertCompiledGradientAgrees(w1, b1, x, w2, y, logG);
    }
}
