package io.chainproof.bounds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.ComplexStep;
import io.chainproof.check.GraphFunction;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient profiles that {@code chainproof compare} plots, against oracles that share nothing with the reverse
 * walk that makes them: through depth, the norms of the complex-step gradient (a forward pass in complex numbers per
 * parameter, exact to rounding); through time, PyTorch's autograd run step by step
 * ({@code src/test/resources/reference/profile/}, made by {@code src/test/python/make_profile_reference.py}).
 */
class GradientProfileTests {

    private static final List<String> DEPTH = List.of("sigmoid-chain-20", "relu-he-20", "residual-sigmoid-20",
            "batchnorm-sigmoid-20", "layernorm-sigmoid-20");
    /**
     * Norms of gradients that each oracle gets to a few ulps per entry (the complex step has no cancellation; the
     * reverse walk's rounding grows with the depth, 20–50 products): 1e−12 relative leaves a factor of about 50 over
     * the rounding bound of a 50-factor product (50·2⁻⁵³ ≈ 6e−15) on each side.
     */
    private static final double RELATIVE = 1e-12;

    private static LayeredSpec remedy(String name) {
        return assertInstanceOf(LayeredSpec.class, SpecReader.readAny(Path.of("examples/remedies/" + name + ".json")));
    }

    @Test
    void depth_profiles_are_the_norms_of_the_complex_step_gradient() {
        double worst = 0;
        for (String name : DEPTH) {
            LayeredSpec spec = remedy(name);
            GradientProfile profile = GradientProfile.of(spec);
            assertFalse(profile.time(), name);
            Model model = Models.of(spec);
            ComplexStep.Result[] step = new GraphFunction(model).complexStep(model.point());
            double[] norms = profile.norms();
            for (int i = 0; i < norms.length; i++) {
                String position = profile.positions().get(i);
                double squares = 0;
                int weights = 0;
                for (Parameter p : model.parameters()) {
                    String owner = p.name().replaceFirst(LayeredSpec.OWNER_PREFIX, "");
                    if (p.name().startsWith("W") && (owner.equals(position) || owner.startsWith(position + "."))) {
                        weights++;
                        for (int k = p.offset(); k < p.offset() + p.size(); k++) {
                            double g = step[k].estimate().value();
                            squares += g * g;
                        }
                    }
                }
                assertTrue(weights > 0, name + " layer " + position + " holds no weight matrix");
                double expected = Math.sqrt(squares);
                double relative = Math.abs(norms[i] - expected) / expected;
                worst = Math.max(worst, relative);
                assertTrue(relative <= RELATIVE, name + " layer " + position + ": profile " + norms[i]
                        + ", complex step " + expected + " (relative " + relative + ")");
            }
        }
        System.out.printf("gradient profiles through depth vs the complex step: worst relative difference %.2e "
                + "over %d models%n", worst, DEPTH.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn-tanh-50", "lstm-50"})
    void time_profiles_are_pytorchs_gradients_of_every_step_state(String name) throws IOException {
        JsonNode reference = new ObjectMapper().readTree(Path.of("src/test/resources/reference/profile/" + name
                + ".torch.json").toFile());
        GradientProfile profile = GradientProfile.of(remedy(name));
        assertTrue(profile.time(), name);
        JsonNode expected = reference.get("hidden_gradient_norms");
        double[] norms = profile.norms();
        assertEquals(expected.size(), norms.length, name + ": one norm per step");
        double worst = 0;
        for (int t = 0; t < norms.length; t++) {
            double e = expected.get(t).doubleValue();
            double relative = Math.abs(norms[t] - e) / e;
            worst = Math.max(worst, relative);
            assertTrue(relative <= RELATIVE, name + " step " + (t + 1) + ": " + norms[t] + " vs PyTorch " + e);
        }
        System.out.printf("%s: ‖∂L/∂h_t‖ vs PyTorch over %d steps: worst relative difference %.2e%n", name,
                norms.length, worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lecture-chain", "mlp-2-3-2-1", "softmax-classifier", "lecture-chain-saturated"})
    void an_mlp_as_a_layered_spec_has_the_same_loss_and_gradient(String example) {
        NetworkSpec mlp = SpecReader.read(Path.of("examples/" + example + ".json"));
        Model direct = Models.of(mlp);
        Model layered = Models.of(LayeredSpec.of(mlp));
        assertEquals(direct.parameterNames(), layered.parameterNames());
        double[] theta = direct.point();
        assertEquals(ModelEvaluator.loss(direct, theta), ModelEvaluator.loss(layered, theta),
                1e-15 * Math.abs(ModelEvaluator.loss(direct, theta)));
        double[] a = ModelEvaluator.gradient(direct, theta);
        double[] b = ModelEvaluator.gradient(layered, theta);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 4 * Math.ulp(a[i]) + Double.MIN_NORMAL, direct.parameterNames().get(i));
        }
    }

    @Test
    void a_model_with_one_weighted_layer_has_no_profile() {
        NetworkSpec mlp = SpecReader.read(Path.of("examples/lecture-chain.json"));
        assertEquals(3, GradientProfile.of(LayeredSpec.of(mlp)).positions().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientProfile.of(
                new LayeredSpec("one", "one.json", new int[] {1}, List.of(new LayeredSpec.Dense("1", 1,
                        io.chainproof.ops.Activation.IDENTITY)), mlp.loss(), java.util.Map.of("W1",
                        new LayeredSpec.Weights(new int[] {1, 1}, new double[] {2}), "b1",
                        new LayeredSpec.Weights(new int[] {1}, new double[] {0})), new double[][] {{1}},
                        new double[][] {{0}}, java.util.Map.of())));
        assertTrue(e.getMessage().contains("1 layers with weights"), e.getMessage());
    }

    @Test
    void the_growth_rule_names_three_orders_of_magnitude_either_way() {
        assertEquals("vanishing", new Growth(0.99e-3, 1, 5).word());
        assertEquals("neither", new Growth(1e-3, 1, 5).word());
        assertEquals("neither", new Growth(1e3, 1, 5).word());
        assertEquals("exploding", new Growth(1.01e3, 1, 5).word());
        assertEquals("undefined", new Growth(0, 0, 5).word());
        assertEquals("vanishing", new Growth(0, 1, 5).word());
        assertEquals(0.1, new Growth(1e-4, 1, 4).perLink(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Growth(1, 1, 0));
    }
}
