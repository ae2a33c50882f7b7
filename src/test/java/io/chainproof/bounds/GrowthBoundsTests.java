package io.chainproof.bounds;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The certified bounds on the reference specs and on the lecture's chains. */
class GrowthBoundsTests {

    /** Relative margin for rounding in the bound inequalities and equalities. */
    static final double ROUNDING_MARGIN = 1e-12;
    static final Path REFERENCE = Path.of("src/test/resources/reference");
    static final Path LECTURE = Path.of("examples/lecture-chain.json");
    static final Path SATURATED = Path.of("examples/lecture-chain-saturated.json");

    static Stream<Path> referenceSpecs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            List<Path> specs = files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
            assertFalse(specs.isEmpty(), "no reference specs in " + REFERENCE);
            return specs.stream();
        }
    }

    static void assertAtMost(double smaller, double larger, String what) {
        assertTrue(smaller <= larger * (1 + ROUNDING_MARGIN),
                what + " ==> expected: <" + smaller + "> ≤ <" + larger + ">");
    }

    static double sigmoidDerivative(double z) {
        double s = 1 / (1 + Math.exp(-z));
        return s * (1 - s);
    }

    @ParameterizedTest
    @MethodSource("referenceSpecs")
    @Tag("proof:mlp-bound")
    void actual_is_at_most_the_data_bound_which_is_at_most_the_gamma_bound(Path spec) {
        BoundReport report = GrowthBounds.of(SpecReader.read(spec));
        for (LayerBound b : report.layers()) {
            assertAtMost(b.actual(), b.dataBound(), spec + " layer " + b.layer() + " actual vs data bound");
            assertAtMost(b.dataBound(), b.gammaBound(), spec + " layer " + b.layer() + " data vs γ bound");
            assertAtMost(b.dataFactor(), b.gammaFactor(), spec + " layer " + b.layer() + " data vs γ factor");
        }
    }

    @Nested
    class LectureChain {

        private final NetworkSpec spec = SpecReader.read(LECTURE);
        private final BoundReport report = GrowthBounds.of(spec);

        @Test
        @Tag("proof:chain-bound")
        void the_data_bound_of_a_one_sample_scalar_chain_is_the_gradient_itself() {
            LayerBound first = report.layer(1);
            assertEquals(first.actual(), first.dataBound(), ROUNDING_MARGIN * first.actual());
        }

        @Test
        @Tag("proof:chain-bound")
        @Tag("proof:lecture-example")
        void the_gamma_bound_is_loose_only_by_the_layer_whose_preactivation_is_not_zero() {
            // z1 = z2 = 0 attain σ'(0) = 1/4; z3 = a2·w3 + b3 = 0.5 does not.
            ScalarChainBound chain = report.scalarChain().orElseThrow();
            assertFalse(chain.zeroPreactivation());
            assertEquals(0.25 / sigmoidDerivative(0.5), chain.bound() / chain.actual(),
                    ROUNDING_MARGIN * chain.bound() / chain.actual());
            assertEquals(report.layer(1).gammaBound(), chain.bound());
        }

        @Test
        @Tag("proof:chain-bound")
        void the_scalar_bound_is_attained_when_every_preactivation_is_zero() {
            // b_k = −w_k·a_{k−1} with a_0 = 1 and a_k = σ(0) = 1/2 makes every z_k = 0.
            NetworkSpec zero = spec.withParameters(new Parameters(
                    List.of(new double[][]{{0.5}}, new double[][]{{500.0}}, new double[][]{{2.0}}),
                    List.of(new double[]{-0.5}, new double[]{-250.0}, new double[]{-1.0})));
            ScalarChainBound chain = GrowthBounds.of(zero).scalarChain().orElseThrow();
            assertTrue(chain.zeroPreactivation());
            assertEquals(chain.actual(), chain.bound(), ROUNDING_MARGIN * chain.actual());
        }

        @Test
        @Tag("proof:lecture-example")
        @Tag("proof:pascanu-rnn-condition")
        void the_lecture_weight_with_zero_preactivations_lets_the_first_layer_explode() {
            assertEquals(Regime.EXPLODING, report.layer(1).regime());
            assertTrue(report.layer(1).pascanuExplodingNecessary());
        }
    }

    @Test
    @Tag("proof:lecture-example")
    @Tag("proof:saturation-bound")
    void the_saturated_lecture_chain_vanishes_at_layer_one() {
        BoundReport report = GrowthBounds.of(SpecReader.read(SATURATED));
        Regime regime = report.layer(1).regime();
        assertTrue(regime == Regime.VANISHING || regime == Regime.SATURATED, regime.label());
        assertTrue(report.layer(1).dataFactor() < io.chainproof.check.Thresholds.DEFAULT.saturationRatio() * report.layer(1).gammaFactor());
    }

    @Test
    @Tag("proof:mlp-bound")
    void a_softmax_output_uses_gamma_one_half_and_says_so() {
        io.chainproof.spec.NetworkSpec classifier = SpecReader.read(REFERENCE.resolve("softmax-classifier.spec.json"));
        io.chainproof.spec.NetworkSpec mse = new io.chainproof.spec.NetworkSpec(classifier.name(), classifier.source(),
                classifier.inputs(), classifier.layers(), io.chainproof.spec.Loss.MSE, classifier.parameters(), classifier.data());
        BoundReport report = GrowthBounds.of(mse);
        assertEquals(List.of("layer 2 softmax: γ = 1/2 bounds the Jacobian's spectral norm ‖diag(o) − ooᵀ‖₂"), report.notes());
        assertTrue(report.scalarChain().isEmpty());
    }

    @Test
    void cross_entropy_after_a_softmax_starts_from_the_exact_output_error_and_says_so() {
        BoundReport report = GrowthBounds.of(SpecReader.read(REFERENCE.resolve("softmax-classifier.spec.json")));
        assertEquals(List.of("layer 2 softmax with cross_entropy: the output error ‖∇_z ℓ‖₂ (o·Σy − y, exact) replaces "
                + "‖∇_a ℓ‖₂·γ_2, so γ_2 = 1 in the products"), report.notes());
        for (io.chainproof.bounds.LayerBound b : report.layers()) {
            assertTrue(b.actual() <= b.dataBound() * (1 + 1e-12) && b.dataBound() <= b.gammaBound() * (1 + 1e-12),
                    "layer " + b.layer() + ": " + b);
        }
    }

    @Test
    void regimes_follow_the_documented_rule_in_order() {
        assertEquals(Regime.VANISHING, Regime.classify(1e-9, 1e-9));
        assertEquals(Regime.SATURATED, Regime.classify(1e-6, 1.0));
        assertEquals(Regime.EXPLODING, Regime.classify(2.0, 2.0));
        assertEquals(Regime.STABLE, Regime.classify(0.5, 1.0));
    }
}
