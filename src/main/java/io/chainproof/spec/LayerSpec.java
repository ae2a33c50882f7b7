package io.chainproof.spec;

import io.chainproof.ops.Activation;
/**
 * One dense layer as the user wrote it: {@code z = W·a_prev + b}, {@code a = activation(z)}.
 * Instances are immutable.
 *
 * @param units      the number of neurons, at least 1
 * @param activation the activation applied to {@code z}
 */
public record LayerSpec(int units, Activation activation) {

    /**
     * Validates the components.
     *
     * @param units the number of neurons, at least 1
     * @param activation the activation applied to {@code z}
     * @throws SpecException if {@code units < 1} or {@code activation} is null
     */
    public LayerSpec {
        SpecRules.layer(units, activation);
    }
}
