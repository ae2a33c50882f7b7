package io.chainproof.symbolic;

import io.chainproof.expr.ExprEvaluator;
import io.chainproof.ops.Activation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;

import java.util.Arrays;
import java.util.Map;

class DerivativeBoundsProperties {

    /** |φ'(z)| may exceed γ by the rounding of the double-precision φ' only. */
    private static final double ROUNDING = 1e-12;

    @Property
    @Tag("proof:activation-derivative-bounds")
    @Tag("proof:sigmoid-derivative-bound")
    boolean derivative_magnitude_never_exceeds_gamma(@ForAll("elementwise") Activation activation,
                                                     @ForAll @DoubleRange(min = -1e3, max = 1e3) double z) {
        return Math.abs(derivativeAt(activation, z)) <= DerivativeBounds.of(activation).gamma() + ROUNDING;
    }

    @Property
    @Tag("proof:activation-derivative-bounds")
    boolean derivative_magnitude_never_exceeds_gamma_near_the_origin(@ForAll("elementwise") Activation activation,
                                                                     @ForAll @DoubleRange(min = -8, max = 8) double z) {
        return Math.abs(derivativeAt(activation, z)) <= DerivativeBounds.of(activation).gamma() + ROUNDING;
    }

    @Property(tries = 50)
    @Tag("proof:activation-derivative-bounds")
    @Tag("proof:sigmoid-derivative-bound")
    boolean argmax_attains_gamma(@ForAll("attaining") Activation activation) {
        ActivationBound b = DerivativeBounds.of(activation);
        return Math.abs(Math.abs(derivativeAt(activation, b.argmax().orElseThrow())) - b.gamma()) <= ROUNDING;
    }

    @Property
    @Tag("proof:activation-derivative-bounds")
    boolean silu_and_gelu_derivatives_satisfy_the_reflection_identity(
            @ForAll("reflected") Activation activation, @ForAll @DoubleRange(min = -40, max = 40) double z) {
        return Math.abs(derivativeAt(activation, -z) - (1 - derivativeAt(activation, z))) <= ROUNDING;
    }

    @Provide
    Arbitrary<Activation> reflected() {
        return Arbitraries.of(Activation.SILU, Activation.GELU);
    }

    @Provide
    Arbitrary<Activation> elementwise() {
        return Arbitraries.of(Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).toList());
    }

    @Provide
    Arbitrary<Activation> attaining() {
        return Arbitraries.of(Arrays.stream(Activation.values())
                .filter(a -> a != Activation.SOFTMAX && DerivativeBounds.of(a).attained()).toList());
    }

    private static double derivativeAt(Activation activation, double z) {
        return ExprEvaluator.evaluate(LocalDerivatives.activation(activation).derivative(),
                Map.of(ActivationDerivative.ARGUMENT, z));
    }
}
