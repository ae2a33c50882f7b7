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
}
