package io.chainproof.ops;

import java.util.List;
import java.util.Objects;

/**
 * A realistic mistake in an op's backward rule — the derivative left out, the value used for the derivative, a
 * weight gradient transposed — as the wrong backward rule itself: a localiser recomputes the gradient with it and
 * compares the result with a claimed gradient. Instances are immutable.
 *
 * @param name        the fault's name, as {@code io.chainproof.check.Localisation.Fault} names it where it has one
 *                    ({@code MISSING_ACTIVATION_DERIVATIVE}), else an upper-case name of the op's own
 * @param description what went wrong, in words, with {@code %s} for where (e.g. {@code layer 2})
 * @param rule        the wrong backward rule, with {@link Op#backward}'s contract
 */
public record OpFault(String name, String description, Rule rule) {

    /** A backward rule: adds the (wrong) vector–Jacobian product to the input gradients. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param inputs         the inputs' values
         * @param output         the output's value
         * @param outputGradient ∂L/∂output
         * @param inputGradients accumulators, null where no gradient is wanted
         * @param rules          the local derivatives of op definitions
         */
        void backward(List<double[]> inputs, double[] output, double[] outputGradient, List<double[]> inputGradients,
                      LocalRules rules);
    }

    /**
     * Validates the components.
     *
     * @param name        the fault's name
     * @param description what went wrong
     * @param rule        the wrong backward rule
     */
    public OpFault {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rule, "rule");
    }
}
