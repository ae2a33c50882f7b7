package io.chainproof.proofs;

import io.chainproof.bounds.GrowthBounds;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.DerivativeBounds;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static io.chainproof.proofs.LemmaAssertions.assertAtMost;
import static io.chainproof.proofs.LemmaAssertions.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lemmas of the written proofs in {@code proofs/}, checked numerically on chainproof's implementation. Each check's
 * body is a static method of the lemma's class ({@link ActivationBoundLemma}, {@link ChainBoundLemma},
 * {@link MlpBoundLemma}, {@link SaturationLemma}, {@link LectureExampleLemma}, {@link PascanuLemma}) that takes the
 * implementation under test as arguments; {@link LemmaSensitivityTests} runs the same bodies on broken
 * implementations and asserts that they fail.
 */
class LemmaTests {

    private static final Path LECTURE = Path.of("examples/lecture-chain.json");
    private static final Path SATURATED = Path.of("examples/lecture-chain-saturated.json");

    /** ∂L/∂w_1 of a spec from the compiled network. */
    private static double compiledFirstWeightGradient(NetworkSpec spec) {
        ComputationGraph graph = ComputationGraph.of(spec);
        return NetworkCompiler.compile(graph).evaluate().gradient(graph.weightOffset(1));
    }

    /** chainproof's scalar chain: its compiled |∂L/∂w_1| and the bound {@link GrowthBounds} reports. */
    static final ChainBoundLemma.ScalarChain CHAINPROOF_CHAIN = (w, b, x, y) ->
            GrowthBounds.of(ChainBoundLemma.spec(w, b, x, y)).scalarChain().orElseThrow();

    // ---- sigmoid-derivative-bound.md ----

    @Test
    @Tag("proof:sigmoid-derivative-bound")
    void sigmoid_derivative_is_sigma_times_one_minus_sigma_and_at_most_a_quarter_with_equality_only_at_zero() {
        ActivationBoundLemma.assertSigmoidDerivativeAtMostAQuarterOnlyAtZero(StableFunctions::sigmoidPrime,
                DerivativeBounds.of(Activation.SIGMOID).gamma());
    }

    // ---- chain-bound.md ----

    @Test
    @Tag("proof:chain-bound")
    void scalar_chain_gradient_is_the_product_of_local_factors() {
        ChainBoundLemma.assertGradientAndBound(CHAINPROOF_CHAIN, new Random(7), 200);
    }

    @Test
    @Tag("proof:chain-bound")
    void scalar_chain_bound_is_attained_when_every_preactivation_is_zero_and_only_then() {
        ChainBoundLemma.assertEqualityExactlyAtZeroPreactivations(CHAINPROOF_CHAIN, new Random(7));
    }

    // ---- mlp-bound.md ----

    @Test
    @Tag("proof:mlp-bound")
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
    @Tag("proof:mlp-bound")
    @Tag("proof:pascanu-rnn-condition")
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
    @Tag("proof:mlp-bound")
    void every_layer_gradient_is_within_its_data_bound_within_its_gamma_bound_with_equality_where_the_proof_has_it() {
        MlpBoundLemma.assertLayerBounds(spec -> GrowthBounds.of(spec).layers(), new Random(29), 60);
    }

    @Test
    @Tag("proof:mlp-bound")
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

    /** z from −5000 to 5000 with step 10⁻², where σ'(z) underflows beyond |z| ≈ 745 but log σ'(z) does not. */
    private static double[] logDomainGrid() {
        double[] zs = new double[1_000_001];
        for (int i = 0; i < zs.length; i++) {
            zs[i] = -5000 + i * 1e-2;
        }
        return zs;
    }

    @Test
    @Tag("proof:saturation-bound")
    void sigmoid_derivative_is_at_most_the_minimum_of_a_quarter_and_exp_minus_abs_z() {
        // the mpmath values themselves, |z| up to 5·10⁵
        SaturationLemma.assertBoundInTheLogDomain(SaturationLemma.mpmathPoints(), SaturationLemma.mpmathLogSigmoidPrime(),
                SaturationLemma::logBound);
        // the proof's form in the log domain on a grid far beyond the underflow of σ'
        SaturationLemma.assertBoundInTheLogDomain(logDomainGrid(), SaturationLemma::logSigmoidPrime,
                SaturationLemma::logBound);
        // chainproof's stable σ' where it is a normal double
        double[] normal = new double[1_400_001];
        for (int i = 0; i < normal.length; i++) {
            normal[i] = -700 + i * 1e-3;
        }
        SaturationLemma.assertBoundInTheLogDomain(normal, z -> Math.log(StableFunctions.sigmoidPrime(z)),
                SaturationLemma::logBound);
    }

    @Test
    @Tag("proof:saturation-bound")
    void the_log_domain_form_and_the_stable_form_agree_with_mpmath() {
        DoubleUnaryOperator mpmath = SaturationLemma.mpmathLogSigmoidPrime();
        for (double z : SaturationLemma.mpmathPoints()) {
            double expected = mpmath.applyAsDouble(z);
            assertEquals(expected, SaturationLemma.logSigmoidPrime(z), 2 * Math.ulp(expected), "log σ'(" + z + ")");
        }
        int normal = 0;
        for (Map.Entry<Double, Double> e : SaturationLemma.mpmathSigmoidPrime().entrySet()) {
            double expected = e.getValue();
            double stable = StableFunctions.sigmoidPrime(e.getKey());
            if (expected >= Double.MIN_NORMAL) {
                normal++;
                assertRelative(expected, stable, 1e-14, "σ'(" + e.getKey() + ")");
            } else {
                // subnormal or below: e^{−|z|} is rounded to a multiple of the smallest subnormal
                assertEquals(expected, stable, 2 * Double.MIN_VALUE, "σ'(" + e.getKey() + ")");
            }
        }
        assertTrue(normal >= 30, "only " + normal + " reference points with a normal σ'");
    }

    @Test
    @Tag("proof:saturation-bound")
    void weight_times_saturated_derivative_tends_to_zero() {
        // a = 1/2, b = 0: every z = w/2 is a point of the mpmath data, up to w = 819200
        SaturationLemma.assertWeightedFactorVanishes(0.5, 0.0, SaturationLemma.mpmathLogSigmoidPrime(),
                SaturationLemma::logBound);
        for (double a : new double[] {0.5, -0.3, 2.0}) {
            for (double b : new double[] {0.0, 1.5, -4.0}) {
                SaturationLemma.assertWeightedFactorVanishes(a, b, SaturationLemma::logSigmoidPrime,
                        SaturationLemma::logBound);
            }
        }
        // a = 0: z = b does not depend on w and |w|σ'(b) grows; the hypothesis a ≠ 0 is needed
        assertEquals(1e6 * 0.25, 1e6 * StableFunctions.sigmoidPrime(0.0 * 1e6 + 0.0));
    }

    @Test
    @Tag("proof:saturation-bound")
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
    @Tag("proof:lecture-example")
    void lecture_chain_has_zero_preactivations_and_attains_the_local_factor_125() {
        LectureExampleLemma.assertChainAttainsTheFactor125(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                compiledFirstWeightGradient(SpecReader.read(LECTURE)));
    }

    @Test
    @Tag("proof:lecture-example")
    void saturated_lecture_chain_has_a_local_factor_of_about_3_4e_minus_133() {
        LectureExampleLemma.assertSaturatedChainVanishes(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                compiledFirstWeightGradient(SpecReader.read(SATURATED)));
    }

    // ---- pascanu-rnn-condition.md ----

    private static final DoubleUnaryOperator TANH_PRIME = x -> 1 - Math.tanh(x) * Math.tanh(x);

    @Test
    @Tag("proof:pascanu-rnn-condition")
    void rnn_jacobian_product_norm_is_at_most_gamma_times_spectral_norm_to_the_power_t_minus_k() {
        PascanuLemma.assertProductWithinGammaTimesNormToTheT(Math::tanh, TANH_PRIME,
                DerivativeBounds.of(Activation.TANH).gamma(), new Random(19));
        PascanuLemma.assertProductWithinGammaTimesNormToTheT(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                DerivativeBounds.of(Activation.SIGMOID).gamma(), new Random(19));
    }

    @Test
    @Tag("proof:pascanu-rnn-condition")
    void spectral_norm_below_one_over_gamma_makes_the_jacobian_product_vanish() {
        // sigmoid: γ = 1/4, ‖W‖₂ = 3.6 < 4 = 1/γ, so ‖∂h_100/∂h_0‖ ≤ 0.9^100 ≈ 2.66e−5; tanh: γ = 1, ‖W‖₂ = 0.9 < 1
        Random random = new Random(23);
        PascanuLemma.assertVanishingBelowOneOverGamma(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                DerivativeBounds.of(Activation.SIGMOID).gamma(), 3.6, random);
        PascanuLemma.assertVanishingBelowOneOverGamma(Math::tanh, TANH_PRIME, DerivativeBounds.of(Activation.TANH).gamma(),
                0.9, random);
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
