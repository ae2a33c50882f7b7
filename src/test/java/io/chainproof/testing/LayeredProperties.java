package io.chainproof.testing;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.LossFunction;
import io.chainproof.check.VerificationReport;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.Loss;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Networks#layered()}: every model it draws is valid, its own gradient passes {@code verify} by the complex
 * step (the reverse walk and the complex step are independent, so a wrong backward rule for some geometry would
 * show), and an error of 1e−6 of the largest entry is caught.
 */
class LayeredProperties {

    @Provide
    Arbitrary<LayeredSpec> models() {
        return Networks.layered();
    }

    @Property(tries = 150)
    void the_reverse_walk_passes_the_complex_step_on_every_family(@ForAll("models") LayeredSpec spec) {
        Statistics.collect(spec.name().substring(0, spec.name().indexOf('-')));
        LossFunction f = LossFunctions.of(spec);
        double[] point = f.point();
        VerificationReport report = new GradientVerifier().verifyExhaustively(f, f.gradient(point));
        assertTrue(report.passed(), spec.name() + ": " + report.failures());
    }

    @Property(tries = 60)
    void an_error_of_one_in_a_million_in_the_largest_entry_is_caught(@ForAll("models") LayeredSpec spec) {
        LossFunction f = LossFunctions.of(spec);
        double[] claimed = f.gradient(f.point());
        int largest = 0;
        for (int i = 1; i < claimed.length; i++) {
            if (Math.abs(claimed[i]) > Math.abs(claimed[largest])) {
                largest = i;
            }
        }
        claimed[largest] *= 1 + 1e-6;
        VerificationReport report = new GradientVerifier().verifyExhaustively(f, claimed);
        assertFalse(report.passed(), spec.name() + ": a 1e-6 error in " + f.parameterNames().get(largest) + " passed");
    }

    @Example
    void families_losses_and_scales_can_be_chosen_and_bad_choices_are_refused() {
        LayeredArbitrary conv = Networks.layered().families(LayeredArbitrary.Family.CONV2D).losses(Loss.MSE)
                .weightScale(0.5);
        assertEquals("LayeredArbitrary[families=[CONV2D], activations=[tanh, sigmoid, softplus, silu, gelu, elu, "
                + "softsign], losses=[mse], weightScale=0.5]", conv.toString());
        conv.sampleStream().limit(20).forEach(spec -> {
            assertEquals("conv2d", spec.layers().get(0).type());
            assertEquals(Loss.MSE, spec.loss());
        });
        assertThrows(IllegalArgumentException.class, () -> Networks.layered().families());
        assertThrows(IllegalArgumentException.class,
                () -> Networks.layered().activations(io.chainproof.ops.Activation.SOFTMAX));
        assertThrows(IllegalArgumentException.class, () -> Networks.layered().weightScale(0));
    }

    @Property(tries = 20)
    void a_layered_spec_parameter_needs_no_provider_method(
            @ForAll @Losses(Loss.SSE) @Activations(io.chainproof.ops.Activation.TANH) LayeredSpec spec) {
        assertEquals(Loss.SSE, spec.loss());
        assertTrue(spec.layers().stream().allMatch(l -> l.activation() == io.chainproof.ops.Activation.TANH
                || l.activation() == io.chainproof.ops.Activation.IDENTITY
                || l instanceof LayeredSpec.Residual), spec.name());
    }

    @Example
    void assertGradientsMatch_takes_pytorchs_tensors_of_a_layered_model_and_names_a_wrong_entry() throws Exception {
        java.nio.file.Path path = java.nio.file.Path.of("examples/small-cnn.json");
        io.chainproof.spec.Spec spec = io.chainproof.spec.SpecReader.readAny(path);
        io.chainproof.model.Model model = io.chainproof.model.Models.of(spec);
        double[] torch = io.chainproof.ReferenceData.flatten(model, new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("examples/claimed/small-cnn.torch.json").toFile()).get("gradients"));
        java.util.Map<String, Object> claimed = model.tensors(torch);
        GradientAssertions.assertGradientsMatch(spec, claimed);
        double[][][][] w1 = (double[][][][]) claimed.get("W1");
        w1[1][0][2][1] += 1e-4;
        org.opentest4j.AssertionFailedError e = assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> GradientAssertions.assertGradientsMatch(spec, claimed, "my conv"));
        assertTrue(e.getMessage().startsWith("my conv ==> small-cnn: gradient wrong at 1 of 77 parameters; "
                + "W1[1][0][2][1]: |claimed − true| = 1.00e−4"), e.getMessage());
        claimed.put("W1", new double[2][1][3][2]);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> GradientAssertions.assertGradientsMatch(spec, claimed));
        assertEquals("Claimed W1[0][0][0] must be a double[3], not a double[2]", shape.getMessage());
    }

    @Example
    void a_bias_under_a_padded_max_pool_tie_is_still_checked() throws Exception {
        // kernel 1 with padding 1: the border outputs are the bias alone, so max pooling ties them — a tie that moves
        // with the bias, along which the loss is differentiable; an error in the bias's gradient must be caught
        LayeredSpec spec = (LayeredSpec) io.chainproof.spec.SpecReader.readAny(
                java.nio.file.Path.of("src/test/resources/specs/padded-max-pool.json"));
        LossFunction f = LossFunctions.of(spec);
        double[] claimed = f.gradient(f.point());
        int b = f.parameterNames().indexOf("b1[0]");
        assertTrue(new GradientVerifier().verifyExhaustively(f, claimed).passed());
        claimed[b] *= 1 + 1e-6;
        VerificationReport wrong = new GradientVerifier().verifyExhaustively(f, claimed);
        assertFalse(wrong.passed(), "a 1e-6 error in b1[0] passed: " + wrong.checks().get(b));
    }
}
