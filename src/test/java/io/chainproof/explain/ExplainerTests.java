package io.chainproof.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.ChainproofException;
import io.chainproof.ReferenceAgreement;
import io.chainproof.bounds.GrowthBounds;
import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepResult;
import io.chainproof.check.Oracle;
import io.chainproof.check.ParameterCheck;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.ProofSettings;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Explainer} on the lecture's chain (z₁ = z₂ = 0, the bound-attaining regime), its saturated twin
 * (all biases 0, z₂ = 500·σ(½) ≈ 311) and a wide network. Expected values are computed by hand in the
 * tests (σ in closed form, σ'(z) = e^{−z}/(1 + e^{−z})²) or taken from PyTorch autograd's gradients in
 * {@code src/test/resources/reference/}.
 */
class ExplainerTests {

    /** Agreement with the outside reference (PyTorch float64): |ours − ref| ≤ 1e-9 · max(1, |ref|). */
    /** Relative agreement of the loss with PyTorch's; gradient entries follow {@link ReferenceAgreement}. */
    private static final double LOSS_RELATIVE = 1e-12;
    /** Products of a handful of doubles computed in two orders. */
    private static final double PRODUCT_TOLERANCE = 1e-15;
    /** 500·σ'(z₂) with z₂ ≈ 311: z₂'s own rounding (~3e−14 absolute) becomes a relative error of e^{−z₂}. */
    private static final double SATURATED_TOLERANCE = 1e-12;

    private static final Path EXAMPLES = Path.of("examples");
    private static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ParameterId W1 = ParameterId.weight(1, 0, 0);
    private static final ProofSettings SETTINGS = ProofSettings.DEFAULTS;

    private static NetworkSpec example(String name) {
        return SpecReader.read(EXAMPLES.resolve(name + ".json"));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** σ'(z) = e^{−z}/(1 + e^{−z})² for z ≥ 0, which does not round to 0 for large z. */
    private static double sigmoidPrime(double z) {
        double e = Math.exp(-Math.abs(z));
        return e / ((1 + e) * (1 + e));
    }

    private static double pytorch(String name, ParameterId id) throws IOException {
        JsonNode t = JSON.readTree(REFERENCE.resolve(name + ".expected.json").toFile()).get("gradients").get(id.tensorName());
        return id.kind() == ParameterId.Kind.WEIGHT ? t.get(id.row()).get(id.column()).asDouble() : t.get(id.row()).asDouble();
    }

    private static BoundStep bound(NetworkSpec spec, ParameterId id) {
        return Explainer.of(spec).explain(List.of(id), SETTINGS).get(0).bound();
    }

    @Nested
    class Bounds {

        @Test
        void the_lecture_chain_reaches_125_on_its_middle_link_but_not_overall() {
            BoundStep step = bound(example("lecture-chain"), W1);
            List<FactorBound> f = step.factors();
            assertEquals(4, f.size());
            // ∂L/∂o₃ is kept as it is
            double o3 = sigmoid(0.5);
            assertEquals(2 * (o3 - 1), f.get(0).value(), PRODUCT_TOLERANCE);
            assertEquals(Math.abs(f.get(0).value()), f.get(0).boundValue());
            // ∂o₃/∂o₂ = σ'(z₃)·w₃ with z₃ = ½, against γ₃·|w₃| = 0.25·1
            assertEquals("∂o₃/∂o₂ = σ'(z₃)·w₃", f.get(1).factor().text());
            assertEquals(sigmoidPrime(0.5), f.get(1).value(), PRODUCT_TOLERANCE);
            assertEquals(0.25, f.get(1).boundValue());
            assertEquals("γ₃·|w₃| = 0.25·1.0", f.get(1).bound().text());
            assertFalse(f.get(1).attained());
            assertEquals("z₃ = 0", f.get(1).condition().text());
            assertEquals("z₃ = 0.5", f.get(1).here().text());
            // ∂o₂/∂o₁ = σ'(0)·500 = 125 = γ₂·|w₂| = 0.25·500: the lecture's bound, reached
            assertEquals("∂o₂/∂o₁ = σ'(z₂)·w₂", f.get(2).factor().text());
            assertEquals(125.0, f.get(2).value());
            assertEquals(125.0, f.get(2).boundValue());
            assertEquals("γ₂·|w₂| = 0.25·500.0", f.get(2).bound().text());
            assertEquals("\\gamma_{2} \\cdot |w_{2}| = 0.25 \\cdot 500.0", f.get(2).bound().latex());
            assertTrue(f.get(2).attained());
            assertEquals("z₂ = 0.0", f.get(2).here().text());
            // ∂o₁/∂w₁ = σ'(0)·x₁ = 0.25 = γ₁·|x₁|
            assertEquals("∂o₁/∂w₁ = σ'(z₁)·x₁", f.get(3).factor().text());
            assertEquals(0.25, f.get(3).value());
            assertEquals(0.25, f.get(3).boundValue());
            assertEquals("γ₁·|x₁| = 0.25·1.0", f.get(3).bound().text());
            assertTrue(f.get(3).attained());
            assertFalse(step.attained(), "z₃ = ½, so ∂o₃/∂o₂ stays below its bound");
            assertEquals("z₁ = 0, z₂ = 0, z₃ = 0", step.equality().text());
            // sup σ' = σ'(0) = 1/4
            assertEquals(List.of("γ = 0.25 for sigmoid (at z = 0.0)"), step.gammas().stream().map(Formula::text).toList());
        }

        @Test
        void the_saturated_chain_reaches_none_of_its_bounds_and_its_middle_link_is_tiny_but_not_zero() {
            BoundStep step = bound(example("lecture-chain-saturated"), W1);
            List<FactorBound> f = step.factors();
            assertEquals(4, f.size());
            for (FactorBound b : f.subList(1, 4)) {
                assertFalse(b.attained(), b.factor().text() + " = " + b.value() + " against " + b.boundValue());
            }
            assertFalse(step.attained());
            double z2 = 500 * sigmoid(0.5);
            double expected = 500 * sigmoidPrime(z2);
            assertEquals(expected, f.get(2).value(), SATURATED_TOLERANCE * expected);
            assertEquals(3.4169893819274826e-133, f.get(2).value(), SATURATED_TOLERANCE * expected);
            assertEquals(125.0, f.get(2).boundValue());
            // z₃ = σ(z₂)·1 + 0 rounds to 1 exactly
            assertEquals(sigmoidPrime(1.0), f.get(1).value(), PRODUCT_TOLERANCE);
            assertEquals(sigmoidPrime(0.5), f.get(3).value(), PRODUCT_TOLERANCE);
        }

        @Test
        void the_product_of_the_factor_bounds_is_the_layers_gamma_bound() {
            for (String name : List.of("lecture-chain", "lecture-chain-saturated")) {
                NetworkSpec spec = example(name);
                BoundStep step = bound(spec, W1);
                double gamma = GrowthBounds.of(spec).layer(1).gammaBound();
                assertEquals(gamma, step.product(), PRODUCT_TOLERANCE * gamma, name);
                // by hand: |∂L/∂o₃| · (¼·|w₃|) · (¼·|w₂|) · (¼·|x₁|)
                double handProduct = Math.abs(step.factors().get(0).value()) * 0.25 * 0.25 * 500 * 0.25;
                assertEquals(handProduct, step.product(), PRODUCT_TOLERANCE * handProduct, name);
                double product = 1;
                for (FactorBound b : step.factors()) {
                    assertTrue(Math.abs(b.value()) <= b.boundValue(), name + " " + b.factor().text());
                    product *= b.boundValue();
                }
                assertEquals(product, step.product(), name);
            }
        }

        /** b₃ = −w₃·σ(0) = −½ makes z₃ = 0 too, so every factor reaches its bound: |∂L/∂w₁| = 1·¼·125·¼ = 7.8125. */
        @Test
        void a_chain_with_every_pre_activation_zero_attains_the_bound() {
            NetworkSpec lecture = example("lecture-chain");
            Parameters p = lecture.parameters();
            List<double[]> biases = new java.util.ArrayList<>(p.biases());
            biases.set(2, new double[] {-0.5});
            NetworkSpec zero = lecture.withParameters(new Parameters(p.weights(), biases));
            Explainer explainer = Explainer.of(zero);
            ParameterExplanation e = explainer.explain(List.of(W1), SETTINGS).get(0);
            BoundStep step = e.bound();
            for (FactorBound b : step.factors()) {
                assertTrue(b.attained(), b.factor().text() + " = " + b.value() + " against " + b.boundValue());
            }
            assertTrue(step.attained());
            assertEquals(7.8125, step.product(), PRODUCT_TOLERANCE * 7.8125);
            assertEquals(-7.8125, e.chainRule().value(), PRODUCT_TOLERANCE * 7.8125);
            assertEquals(step.product(), Math.abs(e.finiteDifference().claimed()), PRODUCT_TOLERANCE * step.product());
            double gamma = GrowthBounds.of(zero).layer(1).gammaBound();
            assertEquals(gamma, step.product(), PRODUCT_TOLERANCE * gamma);
        }

        @Test
        void a_wide_network_has_no_factor_by_factor_bound() throws IOException {
            BoundStep step = bound(example("mlp-2-3-2-1"), W1);
            assertEquals(List.of(), step.factors());
            assertTrue(Double.isNaN(step.product()), "product " + step.product());
            assertEquals(GrowthBounds.of(example("mlp-2-3-2-1")).layer(1), step.layer());
            assertEquals("|φ'(z)| = γ", step.equality().text());
            assertFalse(step.attained(), "‖∂L/∂W1‖ = " + step.layer().actual() + " against " + step.layer().gammaBound());
        }

        @Test
        void a_bce_chain_whose_output_rounds_to_0_is_bounded_from_the_fused_output_error() {
            // z₃ = 1000·σ(0) − 2000 = −1500: o₃ = σ(−1500) rounds to 0, ∂L/∂z₃ = o₃ − y = −1 exactly
            NetworkSpec lecture = example("lecture-chain");
            NetworkSpec bce = new NetworkSpec("bce-chain", "<test>", 1, lecture.layers(), io.chainproof.spec.Loss.BCE,
                    new io.chainproof.spec.Parameters(List.of(new double[][] {{0.5}}, new double[][] {{500.0}}, new double[][] {{1000.0}}),
                            List.of(new double[] {-0.5}, new double[] {-250.0}, new double[] {-2000.0})), lecture.data());
            BoundStep step = bound(bce, W1);
            assertEquals(List.of("∂L/∂z₃ = o₃ − y₁", "∂z₃/∂o₂ = w₃", "∂o₂/∂o₁ = σ'(z₂)·w₂", "∂o₁/∂w₁ = σ'(z₁)·x₁"),
                    step.factors().stream().map(f -> f.factor().text()).toList());
            assertEquals(List.of(1.0, 1000.0, 125.0, 0.25), step.factors().stream().map(FactorBound::boundValue).toList());
            assertTrue(step.attained());
            // −1 · 1000 · (500/4) · (1/4), every factor at its bound
            assertEquals(31250.0, step.product(), 0);
            assertEquals(-31250.0, Explainer.of(bce).explain(List.of(W1), SETTINGS).get(0).chainRule().value(), 0);
            double gamma = GrowthBounds.of(bce).layer(1).gammaBound();
            assertEquals(gamma, step.product(), PRODUCT_TOLERANCE * gamma);
        }

        @Test
        void a_chain_with_two_samples_has_no_factor_by_factor_bound() {
            NetworkSpec lecture = example("lecture-chain");
            NetworkSpec two = new NetworkSpec(lecture.name(), lecture.source(), 1, lecture.layers(), lecture.loss(),
                    lecture.parameters(), new io.chainproof.spec.Data(new double[][] {{1.0}, {2.0}}, new double[][] {{1.0}, {0.0}}));
            BoundStep step = bound(two, W1);
            assertEquals(List.of(), step.factors());
            assertTrue(Double.isNaN(step.product()), "product " + step.product());
        }
    }

    @Nested
    class Rules {

        @Test
        void the_lecture_chain_uses_the_sse_sigmoid_and_affine_rules() {
            List<LocalRule> rules = Explainer.of(example("lecture-chain")).explain(List.of(W1), SETTINGS).get(0).rules();
            assertEquals(3, rules.size(), rules.toString());
            assertEquals("∂ℓ/∂a = 2·(a − y)", rules.get(0).rule().text());
            assertEquals("loss sse, per output, summed over the outputs", rules.get(0).source());
            assertEquals("ℓ(a, y) = (a − y)²", rules.get(0).definition().text());
            assertEquals("σ'(z) = σ(z)·(1 − σ(z))", rules.get(1).rule().text());
            assertTrue(rules.get(1).source().startsWith("sigmoid (layers 1, 2, 3)"), rules.get(1).source());
            assertEquals("σ'(z) = e^(−|z|)/(1 + e^(−|z|))²", rules.get(1).evaluatedAs().orElseThrow().text());
            assertTrue(rules.get(1).note().startsWith("which does not round to 0 for large |z|"), rules.get(1).note());
            assertEquals("∂z/∂w = o,  ∂z/∂o = w,  ∂z/∂b = 1", rules.get(2).rule().text());
        }

        @Test
        void a_last_layer_parameter_uses_only_the_last_activation() {
            List<LocalRule> rules = Explainer.of(example("lecture-chain"))
                    .explain(List.of(ParameterId.weight(3, 0, 0)), SETTINGS).get(0).rules();
            assertTrue(rules.get(1).source().startsWith("sigmoid (layer 3)"), rules.get(1).source());
        }

        @Test
        void a_spec_with_several_samples_gets_the_mean_rule_last() {
            List<LocalRule> rules = Explainer.of(example("mlp-2-3-2-1")).explain(List.of(W1), SETTINGS).get(0).rules();
            LocalRule mean = rules.get(rules.size() - 1);
            assertEquals("mean over the 3 samples", mean.source());
            assertEquals("L = (1/3)·Σₛ Lₛ", mean.definition().text());
            assertEquals("∂L/∂θ = (1/3)·Σₛ ∂Lₛ/∂θ", mean.rule().text());
            assertEquals("\\frac{\\partial L}{\\partial \\theta} = \\frac{1}{3} \\sum_{s} \\frac{\\partial L_{s}}{\\partial \\theta}",
                    mean.rule().latex());
        }
    }

    @Test
    void every_parameter_is_checked_by_differences_and_complex_step_against_the_compiled_gradient() throws IOException {
        for (String name : List.of("lecture-chain", "mlp-2-3-2-1")) {
            Explainer explainer = Explainer.of(example(name));
            List<ParameterId> ids = explainer.graph().parameters();
            List<ParameterExplanation> all = explainer.explain(ids, SETTINGS);
            double[] compiled = io.chainproof.numeric.NetworkCompiler.compile(explainer.graph()).evaluate().gradient();
            String producer = JSON.readTree(REFERENCE.resolve(name + ".expected.json").toFile()).get("producer").asText();
            Map<String, Double> floors = ReferenceAgreement.floors(example(name), producer);
            assertEquals(ids, all.stream().map(ParameterExplanation::parameter).toList(), name);
            for (ParameterExplanation e : all) {
                String where = name + " " + e.parameter().name();
                double ref = pytorch(name, e.parameter());
                double allowed = ReferenceAgreement.allowed(ref, floors.get(e.parameter().name()));
                ParameterCheck fd = e.finiteDifference();
                ParameterCheck cs = e.complexStep();
                assertEquals(Oracle.CENTRAL_DIFFERENCE, fd.decidedBy(), where);
                assertEquals(Oracle.COMPLEX_STEP, cs.decidedBy(), where);
                assertTrue(fd.verdict().passed(), where + ": " + fd.verdict());
                assertTrue(cs.verdict().passed(), where + ": " + cs.verdict());
                assertEquals(compiled[explainer.graph().offset(e.parameter())], fd.claimed(), where);
                assertEquals(fd.claimed(), cs.claimed(), where);
                assertEquals(ref, fd.claimed(), allowed, where);
                assertEquals(ref, cs.oracle().value(), allowed, where);
                assertEquals(ref, e.chainRule().value(), allowed, where);
                assertTrue(e.proof().outcome().agrees(), where + ": " + e.proof().text());
                if (e.paths().complete()) {
                    assertEquals(ref, e.paths().listedSum(), allowed, where);
                }
            }
        }
    }

    @Test
    void explains_parameters_in_the_order_given() {
        List<ParameterId> asked = List.of(ParameterId.bias(3, 0), W1, ParameterId.weight(2, 0, 0));
        List<ParameterExplanation> e = Explainer.of(example("lecture-chain")).explain(asked, SETTINGS);
        assertEquals(asked, e.stream().map(ParameterExplanation::parameter).toList());
        assertEquals(List.of("b₃", "w₁", "w₂"), e.stream().map(x -> x.name().text()).toList());
    }

    @Test
    void an_unknown_parameter_is_rejected() {
        Explainer explainer = Explainer.of(example("lecture-chain"));
        ChainproofException e = assertThrows(ChainproofException.class,
                () -> explainer.explain(List.of(W1, ParameterId.weight(4, 0, 0)), SETTINGS));
        assertEquals("Parameter <W4[0][0]> is not in network <lecture-chain>; it has 3 layers of [1, 1, 1] units "
                + "after 1 inputs — name a parameter such as W1[0][0] or b3[0]", e.getMessage());
    }

    @Test
    void names_are_the_lectures_in_a_chain_and_indexed_otherwise() {
        assertEquals(new Formula("w₁", "w_{1}"), Explainer.of(example("lecture-chain")).name(W1));
        assertEquals(new Formula("b₂", "b_{2}"), Explainer.of(example("lecture-chain")).name(ParameterId.bias(2, 0)));
        assertEquals(new Formula("w⁽¹⁾₁₂", "w^{(1)}_{12}"),
                Explainer.of(example("mlp-2-3-2-1")).name(ParameterId.weight(1, 0, 1)));
    }

    @Nested
    class Story {

        @Test
        void the_lecture_chains_story_explains_each_first_weight_checks_everything_and_sweeps_layer_2() throws IOException {
            Explainer explainer = Explainer.of(example("lecture-chain"));
            assertEquals(2, explainer.sweptLayer());
            SpecExplanation story = explainer.story(SETTINGS);
            assertEquals(List.of(W1, ParameterId.weight(2, 0, 0), ParameterId.weight(3, 0, 0)),
                    story.firstWeights().stream().map(ParameterExplanation::parameter).toList());
            double loss = JSON.readTree(REFERENCE.resolve("lecture-chain.expected.json").toFile()).get("loss").asDouble();
            assertEquals(loss, story.loss(), LOSS_RELATIVE * loss);
            List<String> every = explainer.graph().parameters().stream().map(ParameterId::name).toList();
            assertEquals(6, every.size());
            assertEquals(every, story.finiteDifferences().checks().stream().map(ParameterCheck::parameter).toList());
            assertEquals(every, story.complexStep().checks().stream().map(ParameterCheck::parameter).toList());
            assertTrue(story.finiteDifferences().passed());
            assertTrue(story.complexStep().passed());
            assertEquals(List.of(Sweep.BiasMode.KEEP, Sweep.BiasMode.ZERO_PREACTIVATION),
                    story.sweeps().stream().map(SweepResult::bias).toList());
            for (SweepResult sweep : story.sweeps()) {
                assertEquals(2, sweep.layer(), sweep.bias().toString());
                assertEquals(41, sweep.points().size(), sweep.bias().toString());
                long unit = sweep.points().stream().filter(p -> Math.abs(p.scale() - 1) <= 1e-12).count();
                assertEquals(1, unit, sweep.bias() + ": points at scale 1");
                assertEquals(1e-3, sweep.first().scale(), 1e-15);
                assertEquals(10.0, sweep.last().scale(), 1e-12);
            }
        }

        @Test
        void a_one_layer_network_sweeps_layer_1() {
            NetworkSpec one = SpecReader.parse("""
                    {"name": "one", "inputs": 1, "layers": [{"units": 1, "activation": "sigmoid"}], "loss": "sse",
                     "parameters": {"W1": [[2.0]], "b1": [0.0]}, "data": {"x": [[1.0]], "y": [[0.0]]}}""",
                    "<test>", io.chainproof.spec.SpecFormat.JSON);
            assertEquals(1, Explainer.of(one).sweptLayer());
        }
    }
}
