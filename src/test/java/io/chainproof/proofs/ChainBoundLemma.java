package io.chainproof.proofs;

import io.chainproof.bounds.ScalarChainBound;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.chainproof.proofs.LemmaAssertions.assertAtMost;
import static io.chainproof.proofs.LemmaAssertions.assertRelative;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of {@code proofs/chain-bound.md} on sigmoid chains z_k = w_k·a_{k−1} + b_k, a_k = σ(z_k), k = 1 … n,
 * with the half-SSE loss L = ½(a_n − y)², so L'(a_n) = a_n − y. The reference is not chainproof's code: Commons
 * Math's {@link DerivativeStructure} differentiates the chain in w_1 (forward-mode automatic differentiation) and
 * gives each σ'(z_k) by differentiating 1/(1 + e^{−z}). The implementation under test is a {@link ScalarChain} —
 * chainproof's compiled gradient and bound in {@link LemmaTests}, broken ones in {@link LemmaSensitivityTests}.
 */
public final class ChainBoundLemma {

    /** Agreement of the closed form (1) with automatic differentiation: a few roundings per layer. */
    static final double CLOSED_FORM = 1e-12;
    /** Agreement of the implementation's |∂L/∂w_1| with automatic differentiation. */
    static final double GRADIENT = 1e-10;
    /** γ of the sigmoid. */
    static final double GAMMA = 0.25;
    /** The deepest chain checked. */
    public static final int MAX_DEPTH = 8;

    private ChainBoundLemma() {
    }

    /** The implementation under test: |∂L/∂w_1| and the bound (2) of one chain with input x and target y. */
    @FunctionalInterface
    public interface ScalarChain {
        /**
         * @param w the weights w_1 … w_n
         * @param b the biases
         * @param x the input a_0
         * @param y the target
         * @return |∂L/∂w_1|, the bound, and whether every z_k is 0
         */
        ScalarChainBound at(double[] w, double[] b, double x, double y);
    }

    /** A chain of {@code w.length} sigmoid units, one input, half-SSE loss, one sample (x, y). */
    public static NetworkSpec spec(double[] w, double[] b, double x, double y) {
        List<LayerSpec> layers = Collections.nCopies(w.length, new LayerSpec(1, Activation.SIGMOID));
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int k = 0; k < w.length; k++) {
            weights.add(new double[][] {{w[k]}});
            biases.add(new double[] {b[k]});
        }
        return new NetworkSpec("chain", "<lemma>", 1, layers, Loss.HALF_SSE, new Parameters(weights, biases),
                new Data(new double[][] {{x}}, new double[][] {{y}}));
    }

    /**
     * (1) and (2) on {@code chains} random chains of every depth 1 … {@value #MAX_DEPTH} in turn (|w_k| log-uniform in
     * [0.1, 10], random signs, b_k standard normal, x uniform in [−2, 2], y in [0, 1]): the closed form (1) equals the
     * derivative by automatic differentiation; the implementation's |∂L/∂w_1| equals it; its bound equals (2) with
     * γ = 1/4; and |∂L/∂w_1| ≤ bound.
     *
     * @param chain  the implementation under test
     * @param random the source of chains
     * @param chains how many
     */
    public static void assertGradientAndBound(ScalarChain chain, Random random, int chains) {
        for (int trial = 0; trial < chains; trial++) {
            int depth = 1 + trial % MAX_DEPTH;
            double[] w = new double[depth];
            double[] b = new double[depth];
            for (int k = 0; k < depth; k++) {
                w[k] = (random.nextBoolean() ? -1 : 1) * Math.pow(10, 2 * random.nextDouble() - 1);
                b[k] = random.nextGaussian();
            }
            double x = 4 * random.nextDouble() - 2;
            double y = random.nextDouble();
            String where = "chain " + trial + " (depth " + depth + ")";
            Reference ref = Reference.of(w, b, x, y);
            assertRelative(ref.gradient, ref.closedForm, CLOSED_FORM, where + ": closed form (1) vs automatic differentiation");
            ScalarChainBound implemented = chain.at(w, b, x, y);
            assertRelative(Math.abs(ref.gradient), implemented.actual(), GRADIENT, where + ": |∂L/∂w_1|");
            assertRelative(ref.bound, implemented.bound(), LemmaAssertions.ROUNDING_MARGIN, where + ": bound (2)");
            assertAtMost(implemented.actual(), implemented.bound(), where + ": |∂L/∂w_1| vs bound (2)");
        }
    }

    /**
     * The equality case for the sigmoid, on chains of every depth 1 … {@value #MAX_DEPTH}: with b_k = −w_k·a_{k−1}
     * every z_k = 0 and |∂L/∂w_1| equals the bound; moving any single z_k by 0.1 makes |∂L/∂w_1| fall short of it by
     * more than 10⁻⁶ relative.
     *
     * @param chain  the implementation under test
     * @param random the source of weights (|w_k| log-uniform in [0.1, 10], random signs), x and y
     */
    public static void assertEqualityExactlyAtZeroPreactivations(ScalarChain chain, Random random) {
        for (int depth = 1; depth <= MAX_DEPTH; depth++) {
            double[] w = new double[depth];
            for (int k = 0; k < depth; k++) {
                w[k] = (random.nextBoolean() ? -1 : 1) * Math.pow(10, 2 * random.nextDouble() - 1);
            }
            double x = 0.5 + random.nextDouble();
            double y = random.nextDouble() < 0.5 ? 0 : 1;
            double[] zero = new double[depth];
            double a = x;
            for (int k = 0; k < depth; k++) {
                zero[k] = -(w[k] * a);
                a = 0.5;
            }
            ScalarChainBound at = chain.at(w, zero, x, y);
            assertTrue(at.zeroPreactivation(), "depth " + depth + ": every z_k = 0 with b_k = −w_k·a_{k−1}");
            assertRelative(Reference.of(w, zero, x, y).bound, at.bound(), LemmaAssertions.ROUNDING_MARGIN,
                    "depth " + depth + ": bound (2) at z = 0");
            assertRelative(at.bound(), at.actual(), LemmaAssertions.ROUNDING_MARGIN,
                    "depth " + depth + ": |∂L/∂w_1| attains the bound at z = 0");
            for (int k = 0; k < depth; k++) {
                double[] moved = zero.clone();
                moved[k] += 0.1;
                ScalarChainBound off = chain.at(w, moved, x, y);
                double actual = off.actual();
                double bound = off.bound();
                assertTrue(actual < bound * (1 - 1e-6), "depth " + depth + ", z_" + (k + 1) + " = 0.1 ==> expected: <"
                        + actual + "> < <" + bound + "> by more than 1e-6 relative");
            }
        }
    }

    /**
     * The chain by automatic differentiation in w_1.
     *
     * @param gradient   ∂L/∂w_1 from the derivative structure
     * @param closedForm (1): L'(a_n)·a_0·∏σ'(z_k)·∏_{k≥2} w_k, each σ'(z_k) by differentiating σ at z_k
     * @param bound      (2): |L'(a_n)|·|a_0|·(1/4)^n·∏_{k≥2}|w_k|
     */
    record Reference(double gradient, double closedForm, double bound) {

        static Reference of(double[] w, double[] b, double x, double y) {
            DerivativeStructure w1 = new DerivativeStructure(1, 1, 0, w[0]);
            DerivativeStructure a = w1.multiply(x).add(b[0]);
            double product = x * sigmoidPrime(a.getValue());
            double weights = 1;
            a = ActivationBoundLemma.sigmoid(a);
            for (int k = 1; k < w.length; k++) {
                DerivativeStructure z = a.multiply(w[k]).add(b[k]);
                product *= sigmoidPrime(z.getValue()) * w[k];
                weights *= Math.abs(w[k]);
                a = ActivationBoundLemma.sigmoid(z);
            }
            DerivativeStructure loss = a.subtract(y).pow(2).multiply(0.5);
            double lossDerivative = a.getValue() - y;
            return new Reference(loss.getPartialDerivative(1), lossDerivative * product,
                    Math.abs(lossDerivative) * Math.abs(x) * Math.pow(GAMMA, w.length) * weights);
        }

        private static double sigmoidPrime(double z) {
            return ActivationBoundLemma.sigmoid(new DerivativeStructure(1, 1, 0, z)).getPartialDerivative(1);
        }
    }
}
