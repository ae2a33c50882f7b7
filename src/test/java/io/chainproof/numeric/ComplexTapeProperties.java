package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.ops.Activation;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.testing.Networks;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The tape's complex step is the literal one on random layered models too — convolutions with every stride,
 * padding and dilation the arbitrary draws, max pooling (whose ties are kinks), norms, residual blocks, embeddings,
 * relu — at their point and elsewhere: derivatives, rounding bounds and kink flags
 * ({@link ComplexTapeTests#assertSameAsLiteral}).
 */
class ComplexTapeProperties {

    @Provide
    Arbitrary<LayeredSpec> models() {
        return Networks.layered().activations(Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.ELU,
                Activation.LEAKY_RELU, Activation.GELU);
    }

    @Property(tries = 100)
    void the_tape_is_the_literal_complex_step_on_random_layered_models(@ForAll("models") LayeredSpec spec) {
        Model model = Models.of(spec);
        int inexact = ComplexTapeTests.assertSameAsLiteral(model, model.point(), spec.name())
                + ComplexTapeTests.assertSameAsLiteral(model, GraphCompilerTests.elsewhere(model.point()),
                spec.name() + " elsewhere");
        Statistics.collect(inexact == 0 ? "bit for bit" : "within roundings");
    }
}
