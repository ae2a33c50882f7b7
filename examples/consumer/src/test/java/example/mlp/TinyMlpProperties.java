package example.mlp;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.testing.Activations;
import io.chainproof.testing.Losses;
import io.chainproof.testing.Networks;
import io.chainproof.testing.WeightScale;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static io.chainproof.testing.GradientAssertions.assertGradientsMatch;

/** Our backprop against chainproof on many random networks; a failure shrinks to the smallest network. */
class TinyMlpProperties {

    @Property(tries = 60)
    void backprop_matches_chainproof_on_random_networks(
            @ForAll @Activations(value = {Activation.SIGMOID, Activation.TANH, Activation.IDENTITY},
                    output = {Activation.IDENTITY, Activation.SIGMOID, Activation.TANH})
            @Losses(Loss.MSE) @WeightScale(min = 0.1, max = 3) NetworkSpec spec) {
        assertGradientsMatch(spec, Adapter.gradients(Adapter.mlp(spec), spec));
    }

    @Property(tries = 40)
    void backprop_matches_chainproof_on_deep_narrow_networks(@ForAll("deepNarrow") NetworkSpec spec) {
        assertGradientsMatch(spec, Adapter.gradients(Adapter.mlp(spec), spec), () -> spec.name());
    }

    @Provide
    Arbitrary<NetworkSpec> deepNarrow() {
        return Networks.mlps().depth(3, 6).widths(1, 2).activations(Activation.TANH, Activation.SIGMOID)
                .outputActivations(Activation.IDENTITY).losses(Loss.MSE).weightScale(0.5, 2);
    }
}
