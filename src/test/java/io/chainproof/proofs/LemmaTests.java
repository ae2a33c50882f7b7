package io.chainproof.proofs;

import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecReader;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Individual lemmas of the written proofs in {@code proofs/} (chain-bound, mlp-bound, saturation-bound,
 * lecture-example, pascanu-rnn-condition), checked numerically.
 */
class LemmaTests {

    private static final double REL = 1e-12;
    private static final Path LECTURE = Path.of("examples/lecture-chain.json");
    private static final Path SATURATED = Path.of("examples/lecture-chain-saturated.json");

    private static void assertRelative(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.abs(expected), what);
    }

    private static void assertAtMost(double smaller, double larger, String what) {
        assertTrue(smaller <= larger * (1 + REL) + 1e-300, what + " ==> expected: <" + smaller + "> ≤ <" + larger + ">");
    }

    /** ∂L/∂w_1 of a spec from the compiled network. */
    private static double compiledFirstWeightGradient(NetworkSpec spec) {
        ComputationGraph graph = ComputationGraph.of(spec);
        return NetworkCompiler.compile(graph).evaluate().gradient(graph.weightOffset(1));
    }

    /** A three-layer sigmoid scalar chain with the lecture's data (x = 1, y = 1, SSE loss). */
    private static NetworkSpec chain(double[] w, double[] b) {
        return SpecReader.read(LECTURE).withParameters(new Parameters(
                List.of(new double[][]{{w[0]}}, new double[][]{{w[1]}}, new double[][]{{w[2]}}),
                List.of(new double[]{b[0]}, new double[]{b[1]}, new double[]{b[2]})));
    }

    /** The closed form of chain-bound.md: L'(a_n)·a_0·∏σ'(z_k)·∏_{k≥2} w_k, and the bound, for x = y = 1. */
    private static double[] closedFormAndBound(double[] w, double[] b) {
        double a = 1.0;
        double a0 = a;
        double product = 1;
        double weights = 1;
        for (int k = 0; k < w.length; k++) {
            double z = w[k] * a + b[k];
            product *= StableFunctions.sigmoidPrime(z);
            if (k > 0) {
                product *= w[k];
                weights *= Math.abs(w[k]);
            }
            a = StableFunctions.sigmoid(z);
        }
        double lossDerivative = 2 * (a - 1.0);
        double gradient = lossDerivative * a0 * product;
        double bound = Math.abs(lossDerivative) * Math.abs(a0) * Math.pow(0.25, w.length) * weights;
        return new double[]{gradient, bound};
    }

    // ---- chain-bound.md ----

    @Test
    void scalar_chain_gradient_is_the_product_of_local_factors() {
        Random random = new Random(7);
        ComputationGraph graph = ComputationGraph.of(SpecReader.read(LECTURE));
        CompiledNetwork network = NetworkCompiler.compile(graph);
        for (int trial = 0; trial < 200; trial++) {
            double[] w = {random.nextGaussian() * 3, random.nextGaussian() * 3, random.nextGaussian() * 3};
            double[] b = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double[] closed = closedFormAndBound(w, b);
            double[] parameters = graph.flatten(
                    List.of(new double[][]{{w[0]}}, new double[][]{{w[1]}}, new double[][]{{w[2]}}),
                    List.of(new double[]{b[0]}, new double[]{b[1]}, new double[]{b[2]}));
            double compiled = network.evaluate(parameters).gradient(graph.weightOffset(1));
            assertRelative(closed[0], compiled, 1e-10, "trial " + trial);
            assertAtMost(Math.abs(compiled), closed[1], "trial " + trial + " |∂L/∂w1| vs bound");
        }
    }

    @Test
    void scalar_chain_bound_is_attained_when_every_preactivation_is_zero_and_only_then() {
        // a_0 = 1, b_k = −w_k·a_{k−1} with a_k = 1/2 makes every z_k = 0.
        double[] w = {0.5, 500.0, 2.0};
        double[] zero = {-0.5, -250.0, -1.0};
        double attained = compiledFirstWeightGradient(chain(w, zero));
        assertRelative(closedFormAndBound(w, zero)[1], Math.abs(attained), REL, "bound attained at z = 0");
        // moving any single z_k away from 0 makes the inequality strict
        for (int k = 0; k < 3; k++) {
            double[] b = zero.clone();
            b[k] += 0.1;
            double[] closed = closedFormAndBound(w, b);
            double actual = Math.abs(compiledFirstWeightGradient(chain(w, b)));
            assertTrue(actual < closed[1] * (1 - 1e-6), "z_" + (k + 1) + " ≠ 0: " + actual + " < " + closed[1]);
        }
    }

    // ---- mlp-bound.md ----

    @Test
    void rank_one_frobenius_norm_is_the_product_of_the_vector_norms() {
        Random random = new Random(11);
        for (int trial = 0; trial < 100; trial++) {
            double[] d = gaussian(random, 1 + random.nextInt(6));
            double[] a = gaussian(random, 1 + random.nextInt(6));
            RealMatrix outer = MatrixUtils.createColumnRealMatrix(d).multiply(MatrixUtils.createRowRealMatrix(a));
            assertRelative(norm(d) * norm(a), outer.getFrobeniusNorm(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void backpropagated_delta_is_bounded_by_gammas_and_spectral_norms() {
        // δ_l = D_l W_{l+1}ᵀ D_{l+1} … W_Lᵀ D_L g with D_k = diag σ'(z_k), ‖D_k‖₂ = max_j σ'(z_kj) ≤ 1/4
        Random random = new Random(13);
        for (int trial = 0; trial < 100; trial++) {
            int layers = 2 + random.nextInt(3);
            int[] width = new int[layers + 1];
            for (int k = 0; k <= layers; k++) {
                width[k] = 1 + random.nextInt(5);
            }
            double[] delta = gaussian(random, width[layers]);
            double gamma = 0.25;
            double gammaBound = norm(delta);
            double dataBound = norm(delta);
            for (int k = layers; k >= 1; k--) {
                double[] z = gaussian(random, width[k]);
                double m = 0;
                for (int j = 0; j < z.length; j++) {
                    double s = StableFunctions.sigmoidPrime(z[j] * 3);
                    delta[j] *= s;
                    m = Math.max(m, s);
                }
                assertAtMost(m, gamma, "max σ' ≤ γ");
                gammaBound *= gamma;
                dataBound *= m;
                assertAtMost(norm(delta), dataBound, "trial " + trial + " layer " + k + " data bound");
                assertAtMost(dataBound, gammaBound, "trial " + trial + " layer " + k + " data ≤ γ bound");
                if (k > 1) {
                    RealMatrix weight = MatrixUtils.createRealMatrix(width[k], width[k - 1]);
                    for (int i = 0; i < width[k]; i++) {
                        weight.setRow(i, gaussian(random, width[k - 1]));
                    }
                    double spectral = new SingularValueDecomposition(weight).getNorm();
                    delta = weight.transpose().operate(delta);
                    gammaBound *= spectral;
                    dataBound *= spectral;
                }
            }
        }
    }

    @Test
    void softmax_jacobian_spectral_norm_is_at_most_one_half() {
        Random random = new Random(17);
        double largest = 0;
        for (int trial = 0; trial < 500; trial++) {
            int n = 2 + random.nextInt(6);
            double[] o = gaussian(random, n);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                o[i] = Math.exp(3 * o[i]);
                sum += o[i];
            }
            RealMatrix jacobian = MatrixUtils.createRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                o[i] /= sum;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    jacobian.setEntry(i, j, (i == j ? o[i] : 0) - o[i] * o[j]);
                }
            }
            double spectral = new SingularValueDecomposition(jacobian).getNorm();
            assertAtMost(spectral, 0.5, "trial " + trial);
            largest = Math.max(largest, spectral);
        }
        // o = (1/2, 1/2): the Jacobian is [[1/4, −1/4], [−1/4, 1/4]] with spectral norm exactly 1/2
        RealMatrix half = MatrixUtils.createRealMatrix(new double[][]{{0.25, -0.25}, {-0.25, 0.25}});
        assertEquals(0.5, new SingularValueDecomposition(half).getNorm(), 1e-15);
        assertTrue(largest > 0.3, "sampled Jacobians reach " + largest);
    }

    // ---- saturation-bound.md ----

    @Test
    void sigmoid_derivative_is_at_most_the_minimum_of_a_quarter_and_exp_minus_abs_z() {
        for (int i = -800_000; i <= 800_000; i++) {
            double z = i * 1e-3;
            double d = StableFunctions.sigmoidPrime(z);
            if (!(d <= Math.min(0.25, Math.exp(-Math.abs(z))) * (1 + REL))) {
                fail("σ'(" + z + ") = " + d + " exceeds min(1/4, e^{−|z|})");
            }
        }
    }

    @Test
    void weight_times_saturated_derivative_tends_to_zero() {
        double a = 0.5;
        double b = 0.0;
        double previous = Double.POSITIVE_INFINITY;
        for (double w = 100; w <= 1e6; w *= 2) {
            double factor = w * StableFunctions.sigmoidPrime(w * a + b);
            assertAtMost(factor, Math.min(w / 4, w * Math.exp(-Math.abs(w * a + b))), "w = " + w);
            assertTrue(factor < previous || factor == 0, "decreasing at w = " + w);
            previous = factor;
        }
        assertTrue(previous < 1e-300, "w = 1e6 gives " + previous);
        // a = 0: z = b does not depend on w and |w|σ'(b) grows; the hypothesis a ≠ 0 is needed
        assertEquals(1e6 * 0.25, 1e6 * StableFunctions.sigmoidPrime(0.0 * 1e6 + 0.0));
    }

    @Test
    void naive_sigmoid_derivative_rounds_to_zero_beyond_about_36_7_but_the_stable_form_does_not() {
        double first = Double.NaN;
        for (int i = 0; i <= 100_000; i++) {
            double z = 30 + i * 1e-4;
            double s = 1 / (1 + Math.exp(-z));
            if (s * (1 - s) == 0) {
                first = z;
                break;
            }
        }
        assertEquals(36.7368, first, 1e-3, "first z where σ(1 − σ) rounds to 0");
        assertEquals(53 * Math.log(2), first, 1e-3, "threshold 53·ln 2");
        for (double z : new double[]{37, 100, 311.25, 700}) {
            double s = 1 / (1 + Math.exp(-z));
            assertEquals(0.0, s * (1 - s), "naive at " + z);
            assertRelative(Math.exp(-z), StableFunctions.sigmoidPrime(z), 1e-12, "stable at " + z);
        }
    }

    // ---- lecture-example.md ----

    @Test
    void lecture_chain_has_zero_preactivations_and_attains_the_local_factor_125() {
        double z1 = 0.5 * 1.0 - 0.5;
        double a1 = StableFunctions.sigmoid(z1);
        double z2 = 500.0 * a1 - 250.0;
        double a2 = StableFunctions.sigmoid(z2);
        double z3 = 1.0 * a2 + 0.0;
        double a3 = StableFunctions.sigmoid(z3);
        assertEquals(0.0, z1);
        assertEquals(0.0, z2);
        assertEquals(0.5, z3);
        assertEquals(125.0, StableFunctions.sigmoidPrime(z2) * 500.0);
        double closed = 2 * (a3 - 1.0) * StableFunctions.sigmoidPrime(z3) * 1.0 * 0.25 * 500.0 * 0.25 * 1.0;
        double compiled = compiledFirstWeightGradient(SpecReader.read(LECTURE));
        assertRelative(-5.545216167164803, compiled, 1e-12, "compiled ∂L/∂w1 vs PyTorch reference");
        assertRelative(closed, compiled, 1e-12, "compiled ∂L/∂w1 vs closed form");
    }

    @Test
    void saturated_lecture_chain_has_a_local_factor_of_about_3_4e_minus_133() {
        double z1 = 0.5;
        double a1 = StableFunctions.sigmoid(z1);
        double z2 = 500.0 * a1;
        double a2 = StableFunctions.sigmoid(z2);
        double z3 = a2;
        double a3 = StableFunctions.sigmoid(z3);
        assertRelative(311.2296656, z2, 1e-9, "z2 = 500σ(0.5)");
        assertEquals(1.0, a2, "σ(z2) rounds to 1 in double precision");
        double saturated = StableFunctions.sigmoidPrime(z2);
        assertRelative(6.833978763854965e-136, saturated, 1e-9, "σ'(z2)");
        assertRelative(3.4169893819274826e-133, 500.0 * saturated, 1e-9, "local factor σ'(z2)·w2");
        assertTrue(500.0 * saturated < 125.0 * 1e-130, "far below the bound 125 attained at z = 0");
        double closed = 2 * (a3 - 1.0) * StableFunctions.sigmoidPrime(z3) * 1.0 * saturated * 500.0
                * StableFunctions.sigmoidPrime(z1) * 1.0;
        double compiled = compiledFirstWeightGradient(SpecReader.read(SATURATED));
        assertRelative(-8.492115980240334e-135, compiled, 1e-10, "compiled ∂L/∂w1 vs SymPy reference");
        assertRelative(closed, compiled, 1e-12, "compiled ∂L/∂w1 vs closed form");
    }

    // ---- pascanu-rnn-condition.md ----

    /** max over t−k of ‖∂h_t/∂h_k‖₂ / (γc)^{t−k} for h_t = φ(W h_{t−1} + U x_t + b), ‖W‖₂ = c; also the last norm. */
    private static double[] jacobianProductRatio(Random random, int n, int steps, double c,
                                                 DoubleUnaryOperator phi, DoubleUnaryOperator phiPrime, double gamma) {
        RealMatrix w = randomMatrix(random, n, n);
        w = w.scalarMultiply(c / new SingularValueDecomposition(w).getNorm());
        RealMatrix u = randomMatrix(random, n, 2);
        double[] bias = gaussian(random, n);
        double[] h = gaussian(random, n);
        RealMatrix product = MatrixUtils.createRealIdentityMatrix(n);
        double worst = 0;
        double last = 1;
        for (int t = 1; t <= steps; t++) {
            double[] a = w.operate(h);
            double[] ux = u.operate(gaussian(random, 2));
            RealMatrix jacobian = MatrixUtils.createRealMatrix(n, n);
            for (int i = 0; i < n; i++) {
                a[i] += ux[i] + bias[i];
                double d = phiPrime.applyAsDouble(a[i]);
                for (int j = 0; j < n; j++) {
                    jacobian.setEntry(i, j, d * w.getEntry(i, j));
                }
                h[i] = phi.applyAsDouble(a[i]);
            }
            product = jacobian.multiply(product); // ∂h_t/∂h_0 = J_t … J_1
            last = new SingularValueDecomposition(product).getNorm();
            worst = Math.max(worst, last / Math.pow(gamma * c, t));
        }
        return new double[]{worst, last};
    }

    @Test
    void rnn_jacobian_product_norm_is_at_most_gamma_times_spectral_norm_to_the_power_t_minus_k() {
        Random random = new Random(19);
        DoubleUnaryOperator tanhPrime = x -> 1 - Math.tanh(x) * Math.tanh(x);
        for (double c : new double[]{0.3, 0.9, 1.0, 2.0, 4.5, 8.0}) {
            for (int trial = 0; trial < 10; trial++) {
                double[] tanh = jacobianProductRatio(random, 4, 30, c, Math::tanh, tanhPrime, 1.0);
                assertAtMost(tanh[0], 1.0, "tanh c = " + c);
                double[] sigmoid = jacobianProductRatio(random, 4, 30, c,
                        StableFunctions::sigmoid, StableFunctions::sigmoidPrime, 0.25);
                assertAtMost(sigmoid[0], 1.0, "sigmoid c = " + c);
            }
        }
    }

    @Test
    void spectral_norm_below_one_over_gamma_makes_the_jacobian_product_vanish() {
        Random random = new Random(23);
        // sigmoid: γ = 1/4, ‖W‖₂ = 3.6 < 4 = 1/γ, so ‖∂h_100/∂h_0‖ ≤ 0.9^100 ≈ 2.66e−5
        double[] sigmoid = jacobianProductRatio(random, 5, 100, 3.6,
                StableFunctions::sigmoid, StableFunctions::sigmoidPrime, 0.25);
        assertAtMost(sigmoid[1], Math.pow(0.9, 100), "sigmoid");
        // tanh: γ = 1, ‖W‖₂ = 0.9 < 1
        double[] tanh = jacobianProductRatio(random, 5, 100, 0.9, Math::tanh,
                x -> 1 - Math.tanh(x) * Math.tanh(x), 1.0);
        assertAtMost(tanh[1], Math.pow(0.9, 100), "tanh");
    }

    private static RealMatrix randomMatrix(Random random, int rows, int columns) {
        RealMatrix m = MatrixUtils.createRealMatrix(rows, columns);
        for (int i = 0; i < rows; i++) {
            m.setRow(i, gaussian(random, columns));
        }
        return m;
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
