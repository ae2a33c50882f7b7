package io.chainproof.proofs;

import io.chainproof.bounds.GrowthBounds;
import io.chainproof.bounds.LayerBound;
import io.chainproof.bounds.ScalarChainBound;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.expr.StableFunctions;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.DerivativeBounds;
import io.chainproof.symbolic.LocalDerivatives;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each lemma's check, as its proof's cited tests run it ({@link LemmaTests} and the tests named in {@code proofs/}),
 * fails on a broken implementation of the lemma: γ of the sigmoid set to 0.26, silu claimed not to amplify, a chain
 * bound missing a factor, a γ bound with γ squared, the saturation bound's exponent off by one, the textbook
 * σ(1 − σ), a convolution bound of the largest kernel offset instead of the sum. Every broken run is preceded by the
 * same check on chainproof's implementation with the same inputs, which passes: the failure is the breakage's. Each
 * test asserts where the check failed, so that it fails for the lemma's reason.
 */
class LemmaSensitivityTests {

    private static final double LN4 = Math.log(4);

    private static AssertionError fails(Executable check) {
        return assertThrows(AssertionError.class, check);
    }

    private static void assertStartsWith(String prefix, AssertionError e) {
        assertTrue(e.getMessage().startsWith(prefix), () -> "failure message ==> expected to start with: <" + prefix
                + "> but was: <" + e.getMessage() + ">");
    }

    @Test
    @Tag("proof:sigmoid-derivative-bound")
    @Tag("sensitivity")
    void a_sigmoid_gamma_of_0_26_or_the_textbook_derivative_fails_the_sigmoid_check() {
        ActivationBoundLemma.assertSigmoidDerivativeAtMostAQuarterOnlyAtZero(StableFunctions::sigmoidPrime, 0.25);
        assertEquals("σ'(0) = γ ==> expected: <0.26> but was: <0.25>", fails(() -> ActivationBoundLemma
                .assertSigmoidDerivativeAtMostAQuarterOnlyAtZero(StableFunctions::sigmoidPrime, 0.26)).getMessage());
        DoubleUnaryOperator textbook = z -> StableFunctions.sigmoid(z) * (1 - StableFunctions.sigmoid(z));
        AssertionError textbookFails = fails(() -> ActivationBoundLemma.assertSigmoidDerivativeAtMostAQuarterOnlyAtZero(
                textbook, 0.25));
        assertTrue(textbookFails.getMessage().matches("σ'\\([0-9.]+\\) vs the derivative of 1/\\(1 \\+ e\\^\\{−z\\}\\) .*"),
                () -> "the textbook form loses digits as σ → 1 ==> but failed with: <" + textbookFails.getMessage() + ">");
    }

    @Test
    @Tag("proof:activation-derivative-bounds")
    @Tag("sensitivity")
    void a_silu_gamma_of_one_or_a_sigmoid_gamma_of_0_26_fails_the_supremum_check() {
        DoubleUnaryOperator silu = derivative(Activation.SILU);
        ActivationBoundLemma.assertGammaIsTheSupremum("SILU", silu, DerivativeBounds.of(Activation.SILU).gamma());
        assertStartsWith("SILU: |φ'(2.399", fails(() -> ActivationBoundLemma.assertGammaIsTheSupremum("SILU", silu, 1.0)));
        assertStartsWith("SIGMOID: grid maximum 0.25 at 0.0 stays below γ = 0.26", fails(() -> ActivationBoundLemma
                .assertGammaIsTheSupremum("SIGMOID", derivative(Activation.SIGMOID), 0.26)));
    }

    private static DoubleUnaryOperator derivative(Activation activation) {
        Expr d = LocalDerivatives.activation(activation).derivative();
        return z -> ExprEvaluator.evaluate(d, Map.of(ActivationDerivative.ARGUMENT, z));
    }

    @Test
    @Tag("proof:chain-bound")
    @Tag("sensitivity")
    void a_chain_bound_missing_a_factor_or_a_gradient_missing_a_local_derivative_fails_the_chain_check() {
        ChainBoundLemma.ScalarChain chainproof = LemmaTests.CHAINPROOF_CHAIN;
        ChainBoundLemma.assertGradientAndBound(chainproof, new Random(3), 16);
        ChainBoundLemma.ScalarChain missingW2 = (w, b, x, y) -> {
            ScalarChainBound r = chainproof.at(w, b, x, y);
            return w.length < 2 ? r : new ScalarChainBound(r.actual(), r.bound() / Math.abs(w[1]), r.zeroPreactivation());
        };
        assertStartsWith("chain 1 (depth 2): bound (2)",
                fails(() -> ChainBoundLemma.assertGradientAndBound(missingW2, new Random(3), 16)));
        ChainBoundLemma.ScalarChain missingFirstDerivative = (w, b, x, y) -> {
            ScalarChainBound r = chainproof.at(w, b, x, y);
            return new ScalarChainBound(r.actual() / StableFunctions.sigmoidPrime(w[0] * x + b[0]), r.bound(),
                    r.zeroPreactivation());
        };
        assertStartsWith("chain 0 (depth 1): |∂L/∂w_1|",
                fails(() -> ChainBoundLemma.assertGradientAndBound(missingFirstDerivative, new Random(3), 16)));
        // the equality case alone: a bound with γ = 0.26 is never attained
        ChainBoundLemma.assertEqualityExactlyAtZeroPreactivations(chainproof, new Random(3));
        ChainBoundLemma.ScalarChain gamma026 = (w, b, x, y) -> {
            ScalarChainBound r = chainproof.at(w, b, x, y);
            return new ScalarChainBound(r.actual(), r.bound() * Math.pow(0.26 / 0.25, w.length), r.zeroPreactivation());
        };
        assertStartsWith("depth 1: bound (2) at z = 0",
                fails(() -> ChainBoundLemma.assertEqualityExactlyAtZeroPreactivations(gamma026, new Random(3))));
    }

    @Test
    @Tag("proof:mlp-bound")
    @Tag("sensitivity")
    void a_gamma_bound_with_gamma_squared_or_a_data_bound_without_the_weight_norms_fails_the_mlp_check() {
        Function<NetworkSpec, List<LayerBound>> chainproof = spec -> GrowthBounds.of(spec).layers();
        MlpBoundLemma.assertLayerBounds(chainproof, new Random(31), 12);
        Function<NetworkSpec, List<LayerBound>> gammaSquared = spec -> chainproof.apply(spec).stream().map(b -> {
            double gammas = 1;
            for (int k = b.layer(); k <= spec.layerCount(); k++) {
                gammas *= DerivativeBounds.of(spec.layers().get(k - 1).activation()).gamma();
            }
            return with(b, b.gammaBound() * gammas, b.dataBound());
        }).toList();
        assertStartsWith("network 0 (sigmoid) layer ",
                fails(() -> MlpBoundLemma.assertLayerBounds(gammaSquared, new Random(31), 12)));
        Function<NetworkSpec, List<LayerBound>> noWeightNorms = spec -> {
            List<LayerBound> layers = chainproof.apply(spec);
            return layers.stream().map(b -> {
                double norms = 1;
                for (LayerBound later : layers.subList(b.layer(), layers.size())) {
                    norms *= later.spectralNorm();
                }
                return with(b, b.gammaBound(), b.dataBound() / norms);
            }).toList();
        };
        fails(() -> MlpBoundLemma.assertLayerBounds(noWeightNorms, new Random(31), 12));
    }

    private static LayerBound with(LayerBound b, double gammaBound, double dataBound) {
        return new LayerBound(b.layer(), b.actual(), gammaBound, dataBound, b.gammaFactor(), b.dataFactor(),
                b.spectralNorm(), b.pascanuVanishingSufficient(), b.pascanuExplodingNecessary(), b.regime());
    }

    @Test
    @Tag("proof:saturation-bound")
    @Tag("sensitivity")
    void a_saturation_bound_with_its_exponent_off_by_one_fails_where_sigma_prime_underflows() {
        double[] beyond = Arrays.stream(SaturationLemma.mpmathPoints()).filter(z -> Math.abs(z) >= 1600).toArray();
        assertTrue(beyond.length >= 10, "only " + beyond.length + " reference points with |z| ≥ 1600");
        DoubleUnaryOperator mpmath = SaturationLemma.mpmathLogSigmoidPrime();
        SaturationLemma.assertBoundInTheLogDomain(beyond, mpmath, SaturationLemma::logBound);
        assertStartsWith("log σ'(-500000.0) ≤ log min(1/4, e^{−|z|})", fails(() -> SaturationLemma
                .assertBoundInTheLogDomain(beyond, mpmath, z -> Math.min(-LN4, -Math.abs(z) - 1))));
        assertStartsWith("the bound at z = -500000.0 is looser than the proof's form allows", fails(() -> SaturationLemma
                .assertBoundInTheLogDomain(beyond, mpmath, z -> Math.min(-LN4, -Math.abs(z) + 1))));
        // the weight sweep: the bound off by one fails at once; σ' in doubles cannot decide it beyond w = 1600,
        // where it underflows to 0 and its log is −∞
        SaturationLemma.assertWeightedFactorVanishes(0.5, 0.0, mpmath, SaturationLemma::logBound);
        assertStartsWith("log(|w|σ'(wa + b)) at w = 100.0", fails(() -> SaturationLemma.assertWeightedFactorVanishes(0.5,
                0.0, mpmath, z -> Math.min(-LN4, -Math.abs(z) - 1))));
        assertStartsWith("log(|w|σ'(wa + b)) is not decreasing at w = 3200.0", fails(() -> SaturationLemma
                .assertWeightedFactorVanishes(0.5, 0.0, z -> Math.log(StableFunctions.sigmoidPrime(z)),
                        SaturationLemma::logBound)));
    }

    @Test
    @Tag("proof:lecture-example")
    @Tag("sensitivity")
    void the_textbook_sigmoid_derivative_or_a_gamma_of_0_26_fails_the_lecture_checks() {
        double chain = -5.545216167164803;
        double saturated = -8.492115980240334e-135;
        LectureExampleLemma.assertChainAttainsTheFactor125(StableFunctions::sigmoid, StableFunctions::sigmoidPrime, chain);
        LectureExampleLemma.assertSaturatedChainVanishes(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                saturated);
        DoubleUnaryOperator textbook = z -> StableFunctions.sigmoid(z) * (1 - StableFunctions.sigmoid(z));
        assertStartsWith("σ'(z_2) ==> expected: <6.833978763854965E-136> but was: <0.0>", fails(() ->
                LectureExampleLemma.assertSaturatedChainVanishes(StableFunctions::sigmoid, textbook, saturated)));
        DoubleUnaryOperator peak026 = z -> StableFunctions.sigmoidPrime(z) * 0.26 / 0.25;
        assertEquals("local factor σ'(z_2)·w_2 ==> expected: <125.0> but was: <130.0>", fails(() ->
                LectureExampleLemma.assertChainAttainsTheFactor125(StableFunctions::sigmoid, peak026, chain)).getMessage());
    }

    @Test
    @Tag("proof:pascanu-rnn-condition")
    @Tag("sensitivity")
    void a_pascanu_bound_with_gamma_squared_fails_the_jacobian_product_check() {
        double gamma = DerivativeBounds.of(Activation.SIGMOID).gamma();
        PascanuLemma.assertProductWithinGammaTimesNormToTheT(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                gamma, new Random(37));
        assertStartsWith("max_t ‖∂h_t/∂h_0‖₂/(γc)^t with γ = 0.0625, c = 0.3", fails(() -> PascanuLemma
                .assertProductWithinGammaTimesNormToTheT(StableFunctions::sigmoid, StableFunctions::sigmoidPrime,
                        gamma * gamma, new Random(37))));
    }

    @Test
    @Tag("proof:layered-jacobian-bounds")
    @Tag("sensitivity")
    void a_convolution_bound_of_the_largest_offset_norm_instead_of_their_sum_fails_the_convolution_check() {
        ConvolutionBoundLemma.Case c = ConvolutionBoundLemma.convolution(2, 2, 1, 3, 1, 1, 1, 3, 1L);
        ConvolutionBoundLemma.assertJacobianWithinBound(c, k -> k.conv().jacobianBound(0, k.operands(), null, null)
                .orElseThrow().certified());
        assertStartsWith("‖J‖₂ ", fails(() -> ConvolutionBoundLemma.assertJacobianWithinBound(c, k -> IntStream
                .range(0, k.window().kernelPositions()).mapToDouble(k::offsetNorm).max().orElseThrow())));
    }
}
