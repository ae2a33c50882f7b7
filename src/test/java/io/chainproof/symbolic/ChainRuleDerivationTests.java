package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.ReferenceAgreement;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainRuleDerivationTests {

    /** Agreement with the outside reference (PyTorch float64): |ours − ref| ≤ 1e-9 · max(1, |ref|). */
    /** Relative agreement on the saturated chain's tiny gradients (sympy-verified to 60 digits). */
    private static final double TINY_RELATIVE_TOLERANCE = 1e-12;
    /** Warm derivation of all 24 parameters of the 12-layer chain (the lead's target is ≪ 0.1 s). */
    private static final long WARM_BUDGET_NANOS = 100_000_000L;

    private static final ParameterId W1 = ParameterId.weight(1, 0, 0);

    @Test
    void the_lecture_chain_is_factored_as_in_the_lecture() {
        ParameterDerivation d = ChainRuleDerivation.of(Networks.lectureChain(-0.5, -250)).derive(W1);
        assertEquals("∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁", d.text());
        assertEquals("\\frac{\\partial L}{\\partial w_{1}} = \\frac{\\partial L}{\\partial o_{3}} \\cdot "
                + "\\frac{\\partial o_{3}}{\\partial o_{2}} \\cdot \\frac{\\partial o_{2}}{\\partial o_{1}} \\cdot "
                + "\\frac{\\partial o_{1}}{\\partial w_{1}}", d.latex());
        assertEquals(List.of(), d.intermediates());
    }

    /**
     * Checked by hand: z₁ = 0.5·1 − 0.5 = 0, o₁ = ½; z₂ = 500·½ − 250 = 0, o₂ = ½; z₃ = ½, o₃ = σ(½);
     * ∂L/∂o₃ = 2(σ(½) − 1), ∂o₃/∂o₂ = σ'(½)·1, ∂o₂/∂o₁ = σ'(0)·500 = 125 (the lecture's bound), ∂o₁/∂w₁ = σ'(0)·x = ¼.
     */
    @Test
    void the_lecture_chains_local_derivatives_show_definitions_and_values() {
        ParameterDerivation d = ChainRuleDerivation.of(Networks.lectureChain(-0.5, -250)).derive(W1);
        assertEquals("""
                ∂L/∂o₃ = 2·(o₃ − y₁) = −0.7550813375962908
                ∂o₃/∂o₂ = σ'(z₃)·w₃ = 0.2350037122015945
                ∂o₂/∂o₁ = σ'(z₂)·w₂ = 125.0
                ∂o₁/∂w₁ = σ'(z₁)·x₁ = 0.25
                ∂L/∂w₁ = −5.545216167164804""", d.definitionsText());
        double s = 1 / (1 + Math.exp(-0.5));
        assertEquals(2 * (s - 1) * s * (1 - s) * 125 * 0.25, d.value(), 1e-15);
    }

    @Test
    void every_gradient_of_the_lecture_chain_matches_pytorch() throws IOException {
        NetworkSpec spec = SpecReader.read(Networks.REFERENCE.resolve("lecture-chain.spec.json"));
        Map<String, Double> floors = ReferenceAgreement.floors(spec, Networks.producer("lecture-chain"));
        for (ParameterDerivation d : ChainRuleDerivation.of(spec).deriveAll()) {
            double expected = Networks.referenceGradient("lecture-chain", d.parameter());
            assertEquals(expected, d.value(), ReferenceAgreement.allowed(expected, floors.get(d.parameter().name())),
                    d.parameter().name());
        }
    }

    @Test
    void the_saturated_chain_keeps_its_tiny_gradients_that_a_naive_sigma_prime_rounds_to_zero() throws IOException {
        NetworkSpec spec = SpecReader.read(Networks.REFERENCE.resolve("lecture-chain-saturated.spec.json"));
        ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
        for (ParameterDerivation d : chain.deriveAll()) {
            double expected = Networks.referenceGradient("lecture-chain-saturated", d.parameter());
            assertEquals(expected, d.value(), TINY_RELATIVE_TOLERANCE * Math.abs(expected), d.parameter().name());
        }
        ChainFactor link = chain.derive(W1).factors().get(2);
        assertEquals("∂o₂/∂o₁", link.name());
        assertTrue(link.value(0) > 0 && link.value(0) < 1e-130, "500·σ'(311) = " + link.value(0));
    }

    @TestFactory
    Stream<DynamicTest> every_reference_spec_matches_pytorch() throws IOException {
        List<Path> specs;
        try (Stream<Path> files = Files.list(Networks.REFERENCE)) {
            specs = files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
        assertTrue(specs.size() >= 24, "expected at least 24 reference specs, found " + specs.size());
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (the chain-rule derivation)");
        Stream<DynamicTest> each = specs.stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> {
            String name = path.getFileName().toString().replace(".spec.json", "");
            NetworkSpec spec = SpecReader.read(path);
            Map<String, Double> floors = ReferenceAgreement.floors(spec, Networks.producer(name));
            int before = agreement.disagreements().size();
            for (ParameterDerivation d : ChainRuleDerivation.of(spec).deriveAll()) {
                double expected = Networks.referenceGradient(name, d.parameter());
                if (name.endsWith("saturated")) {
                    assertEquals(expected, d.value(), TINY_RELATIVE_TOLERANCE * Math.abs(expected),
                            name + " " + d.parameter().name());
                }
                agreement.compare(name + " " + d.parameter().name(), d.value(), expected, floors.get(d.parameter().name()));
            }
            List<String> wrong = agreement.disagreements();
            assertEquals(List.of(), wrong.subList(before, wrong.size()), "entries that disagree with PyTorch");
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            assertTrue(agreement.entries() > 0 && agreement.worstShare() <= 1, agreement.report());
        })));
    }

    @Test
    void a_warm_twelve_layer_chain_is_derived_without_symja_in_well_under_a_tenth_of_a_second() {
        NetworkSpec chain = Networks.sigmoidChain(12);
        ChainRuleDerivation.of(chain).deriveAll();
        long best = Long.MAX_VALUE;
        long before = SymbolicEngine.instance().evaluations();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            List<ParameterDerivation> all = ChainRuleDerivation.of(chain).deriveAll();
            best = Math.min(best, System.nanoTime() - start);
            assertEquals(24, all.size());
        }
        assertEquals(before, SymbolicEngine.instance().evaluations());
        assertTrue(best < WARM_BUDGET_NANOS, "best of 5: " + best / 1e6 + " ms");
        assertEquals("∂L/∂w₁ = ∂L/∂o₁₂ · ∂o₁₂/∂o₁₁ · ∂o₁₁/∂o₁₀ · ∂o₁₀/∂o₉ · ∂o₉/∂o₈ · ∂o₈/∂o₇ · ∂o₇/∂o₆ · "
                + "∂o₆/∂o₅ · ∂o₅/∂o₄ · ∂o₄/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁", ChainRuleDerivation.of(chain).derive(W1).text());
    }

    @Test
    void the_named_intermediates_grow_linearly_with_depth() {
        for (int depth : new int[] {2, 4, 8}) {
            ParameterDerivation d = ChainRuleDerivation.of(Networks.deep(depth, 2)).derive(W1);
            assertEquals(3, d.factors().size());
            assertEquals(2 * (depth - 1), d.intermediates().size(), "depth " + depth);
        }
    }

    @Test
    void a_wide_layer_is_factored_through_the_pre_activation() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(Networks.twoLayer(Activation.TANH, Activation.SIGMOID, Loss.MSE));
        ParameterDerivation d = chain.derive(ParameterId.weight(1, 1, 0));
        assertEquals("∂L/∂w⁽¹⁾₂₁ = (1/2)·Σₛ [∂L/∂o₁,₂ · ∂o₁,₂/∂z₁,₂ · ∂z₁,₂/∂w⁽¹⁾₂₁]ₛ", d.text());
        assertEquals("∂L/∂o₁,₂ = ∂L/∂o₂,₁·σ'(z₂,₁)·w⁽²⁾₁₂ + ∂L/∂o₂,₂·σ'(z₂,₂)·w⁽²⁾₂₂",
                d.factors().get(0).name() + " = " + d.factors().get(0).definitionText());
        assertEquals("∂o₁,₂/∂z₁,₂ = sech(z₁,₂)²", d.factors().get(1).name() + " = " + d.factors().get(1).definitionText());
        assertEquals("∂z₁,₂/∂w⁽¹⁾₂₁ = x₁", d.factors().get(2).name() + " = " + d.factors().get(2).definitionText());
        // mse: the mean over 2 outputs of (a − y)², so ∂L/∂a = (1/2)·2·(a − y), folded
        assertEquals("∂L/∂o₂,₁ = o₂,₁ − y₁", d.intermediates().get(0).name() + " = " + d.intermediates().get(0).definitionText());
        assertEquals(2, d.sampleValues().size());
        assertEquals((d.sampleValues().get(0) + d.sampleValues().get(1)) / 2, d.value(), 1e-17);
    }

    @Test
    void a_softmax_output_is_factored_through_its_jacobian() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(Networks.twoLayer(Activation.RELU, Activation.SOFTMAX, Loss.MSE), 0);
        ParameterDerivation d = chain.derive(ParameterId.bias(2, 1));
        assertEquals("∂L/∂b⁽²⁾₂ = ∂L/∂z₂,₂ · ∂z₂,₂/∂b⁽²⁾₂", d.text());
        assertEquals("∂L/∂z₂,₂ = ∂L/∂o₂,₂·o₂,₂·(1 − o₂,₂) − ∂L/∂o₂,₁·o₂,₁·o₂,₂", d.factors().get(0).name() + " = "
                + d.factors().get(0).definitionText());
        assertEquals(List.of("∂L/∂o₂,₁", "∂L/∂o₂,₂"), d.intermediates().stream().map(ChainFactor::name).toList());
        assertEquals(d.factors().get(0).value(0), d.value(), 0);
        assertEquals(List.of(0), d.samples());
    }

    @Test
    void cross_entropy_after_a_softmax_is_fused_to_o_times_the_target_sum_minus_y() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(
                Networks.twoLayer(Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY), 0);
        ParameterDerivation d = chain.derive(ParameterId.bias(2, 1));
        assertEquals("∂L/∂b⁽²⁾₂ = ∂L/∂z₂,₂ · ∂z₂,₂/∂b⁽²⁾₂", d.text());
        assertEquals("∂L/∂z₂,₂ = o₂,₂·(y₁ + y₂) − y₂", d.factors().get(0).name() + " = " + d.factors().get(0).definitionText());
        assertEquals(List.of(), d.intermediates());
        ParameterDerivation first = chain.derive(ParameterId.weight(1, 0, 0));
        assertEquals(List.of("∂L/∂z₂,₁", "∂L/∂z₂,₂"), first.intermediates().stream().map(ChainFactor::name).toList());
    }

    @Test
    void bce_after_a_sigmoid_chain_starts_from_the_fused_output_error() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(Networks.chain(List.of(0.5, 500.0, 1.0), List.of(-0.5, -250.0, 0.0),
                Activation.SIGMOID, Loss.BCE, 1.0, 1.0));
        ParameterDerivation d = chain.derive(ParameterId.weight(1, 0, 0));
        assertEquals("∂L/∂w₁ = ∂L/∂z₃ · ∂z₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁", d.text());
        assertEquals("∂L/∂z₃ = o₃ − y₁", d.factors().get(0).name() + " = " + d.factors().get(0).definitionText());
        assertEquals("∂z₃/∂o₂ = w₃", d.factors().get(1).name() + " = " + d.factors().get(1).definitionText());
    }

    @Test
    void a_sigmoid_output_that_rounds_to_0_still_gives_the_finite_bce_gradient() {
        // z₃ = 1000·o₂ − 2000 ≤ −1000, so o₃ = σ(z₃) rounds to 0 and −y/o₃ is −∞; ∂L/∂z₃ = o₃ − y = −1 exactly
        NetworkSpec spec = Networks.chain(List.of(0.5, 500.0, 1000.0), List.of(-0.5, -250.0, -2000.0),
                Activation.SIGMOID, Loss.BCE, 1.0, 1.0);
        ChainRuleDerivation chain = ChainRuleDerivation.of(spec);
        assertEquals(-0.5, chain.derive(ParameterId.weight(3, 0, 0)).value(), 0);
        assertEquals(-1.0, chain.derive(ParameterId.bias(3, 0)).value(), 0);
        double[] compiled = io.chainproof.numeric.NetworkCompiler.compile(io.chainproof.graph.ComputationGraph.of(spec))
                .evaluate().gradient();
        assertEquals(-0.5, compiled[4], 0, "∂L/∂w₃ compiled");
        assertEquals(-1.0, compiled[5], 0, "∂L/∂b₃ compiled");
        assertEquals(-500.0 * 0.25 * 1000.0 * 0.25, chain.derive(ParameterId.weight(1, 0, 0)).value(), 1e-9);
    }

    @Test
    void a_parameter_outside_the_network_is_named_in_the_error() {
        ChainRuleDerivation chain = ChainRuleDerivation.of(Networks.lectureChain(-0.5, -250));
        ChainproofException e = assertThrows(ChainproofException.class, () -> chain.derive(ParameterId.weight(4, 0, 0)));
        assertEquals("Parameter <W4[0][0]> is not in network <chain-3>; it has 3 layers of [1, 1, 1] units after 1 inputs "
                + "— name a parameter such as W1[0][0] or b3[0]", e.getMessage());
    }

    @Test
    void a_sample_outside_the_data_is_named_in_the_error() {
        ChainproofException e = assertThrows(ChainproofException.class,
                () -> ChainRuleDerivation.of(Networks.lectureChain(-0.5, -250), 1));
        assertEquals("Sample <1> is not in the data of network <chain-3>; it has samples 0 to 0", e.getMessage());
    }
}
