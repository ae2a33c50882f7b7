package io.chainproof.proofs;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import java.util.function.DoubleUnaryOperator;

import static io.chainproof.proofs.LemmaAssertions.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks of {@code proofs/sigmoid-derivative-bound.md} and {@code proofs/activation-derivative-bounds.md}, each
 * taking the implementation under test — φ' and γ — as arguments: chainproof's (Symja's γ, the stable φ') in the
 * cited tests, broken ones in {@link LemmaSensitivityTests}. The sigmoid's reference derivative is not chainproof's
 * code: Commons Math's {@link DerivativeStructure} differentiates 1/(1 + e^{−z}).
 */
public final class ActivationBoundLemma {

    /** How far |φ'| on the grid may exceed γ: rounding of the double-precision φ' only. */
    static final double GRID_EXCESS = 1e-12;
    /** How far below γ the grid maximum may stay: spacing 1e-3 costs at most |φ'''|·h²/8 ≈ 1e-7. */
    static final double GRID_SHORTFALL = 1e-6;
    static final double GRID_FROM = -60;
    static final double GRID_TO = 60;
    static final double GRID_STEP = 1e-3;
    /** Agreement of σ' under test with the derivative of 1/(1 + e^{−z}) by automatic differentiation. */
    static final double DERIVATIVE = 1e-13;
    /** The sigmoid's derivative is compared on [−SIGMOID_RANGE, SIGMOID_RANGE], where it is a normal double. */
    static final double SIGMOID_RANGE = 700;

    private ActivationBoundLemma() {
    }

    /**
     * γ = sup|φ'|: on z ∈ [−60, 60] with step 10⁻³, |φ'(z)| never exceeds γ by more than rounding, and its maximum
     * comes within {@value #GRID_SHORTFALL} of γ (attained, or approached as z → ±∞ for softplus).
     *
     * @param activation the activation's name, for messages
     * @param phiPrime   |φ'| under test
     * @param gamma      γ under test
     */
    public static void assertGammaIsTheSupremum(String activation, DoubleUnaryOperator phiPrime, double gamma) {
        double max = 0;
        double at = Double.NaN;
        int steps = (int) Math.round((GRID_TO - GRID_FROM) / GRID_STEP);
        for (int i = 0; i <= steps; i++) {
            double z = GRID_FROM + i * GRID_STEP;
            double v = Math.abs(phiPrime.applyAsDouble(z));
            if (v > max) {
                max = v;
                at = z;
            }
        }
        assertTrue(max <= gamma + GRID_EXCESS, activation + ": |φ'(" + at + ")| = " + max + " > γ = " + gamma);
        assertTrue(max >= gamma - GRID_SHORTFALL,
                activation + ": grid maximum " + max + " at " + at + " stays below γ = " + gamma);
    }

    /**
     * The sigmoid's lemma: σ' is the derivative of σ = 1/(1 + e^{−z}) (to {@value #DERIVATIVE} relative, on
     * [−700, 700] with step 10⁻²), equals σ(1 − σ) where that has no cancellation (z ≤ 0), is even and positive;
     * σ'(0) = γ exactly; and σ'(z) &lt; γ at every grid point z ≠ 0.
     *
     * @param sigmoidPrime σ' under test
     * @param gamma        γ under test
     */
    public static void assertSigmoidDerivativeAtMostAQuarterOnlyAtZero(DoubleUnaryOperator sigmoidPrime,
                                                                       double gamma) {
        assertEquals(gamma, sigmoidPrime.applyAsDouble(0.0), "σ'(0) = γ");
        int steps = (int) Math.round(SIGMOID_RANGE / 1e-2);
        for (int i = 1; i <= steps; i++) {
            double z = i * 1e-2;
            for (double at : new double[] {z, -z}) {
                DerivativeStructure s = sigmoid(new DerivativeStructure(1, 1, 0, at));
                double exact = s.getPartialDerivative(1);
                double value = sigmoidPrime.applyAsDouble(at);
                if (!(Math.abs(value - exact) <= DERIVATIVE * exact)) {
                    fail("σ'(" + at + ") vs the derivative of 1/(1 + e^{−z}) ==> expected: <" + exact + "> but was: <"
                            + value + ">");
                }
                if (!(value > 0 && value < gamma)) {
                    fail("σ'(" + at + ") ==> expected: 0 < <" + value + "> < γ = <" + gamma + ">");
                }
                if (at < 0) {
                    double sigma = s.getValue();
                    assertRelative(sigma * (1 - sigma), value, DERIVATIVE, "σ'(" + at + ") = σ(1 − σ)");
                    assertRelative(sigmoidPrime.applyAsDouble(-at), value, DERIVATIVE, "σ'(" + at + ") = σ'(" + -at + ")");
                }
            }
        }
    }

    /** σ(z) = 1/(1 + e^{−z}), as e^{z}/(1 + e^{z}) for z &lt; 0 so that nothing overflows. */
    static DerivativeStructure sigmoid(DerivativeStructure z) {
        if (z.getValue() >= 0) {
            return z.negate().exp().add(1).reciprocal();
        }
        DerivativeStructure e = z.exp();
        return e.divide(e.add(1));
    }
}
