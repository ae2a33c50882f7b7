package io.chainproof.explain;

import io.chainproof.bounds.BoundReport;
import io.chainproof.bounds.SweepResult;
import io.chainproof.check.VerificationReport;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ChainRuleDerivation;

import java.util.List;
import java.util.Objects;

/**
 * The whole story of one spec for {@code chainproof explain}: the forward pass, the derivation of each
 * layer's first weight, the check of every parameter by finite differences and by the complex step, the
 * growth bounds, and two weight-scale sweeps of one layer (biases kept, and biases set so its
 * pre-activations are 0 — the bound-attaining case). Instances are immutable.
 *
 * @param spec              the network
 * @param loss              L at the spec's point
 * @param forward           the derivation, whose {@link ChainRuleDerivation#value} gives every node's value
 * @param firstWeights      the explanation of W_l[0][0] for every layer l
 * @param finiteDifferences every parameter checked by central differences
 * @param complexStep       every parameter checked by the complex step
 * @param bounds            the growth bounds
 * @param sweeps            the sweeps, biases kept first
 */
public record SpecExplanation(NetworkSpec spec, double loss, ChainRuleDerivation forward,
                              List<ParameterExplanation> firstWeights, VerificationReport finiteDifferences,
                              VerificationReport complexStep, BoundReport bounds, List<SweepResult> sweeps) {

    /**
     * Validates the components.
     *
     * @param spec the network
     * @param loss L at the spec's point
     * @param forward the derivation, whose {@link ChainRuleDerivation#value} gives every node's value
     * @param firstWeights the explanation of W_l[0][0] for every layer l
     * @param finiteDifferences every parameter checked by central differences
     * @param complexStep every parameter checked by the complex step
     * @param bounds the growth bounds
     * @param sweeps the sweeps, biases kept first
     */
    public SpecExplanation {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(finiteDifferences, "finiteDifferences");
        Objects.requireNonNull(complexStep, "complexStep");
        Objects.requireNonNull(bounds, "bounds");
        firstWeights = List.copyOf(firstWeights);
        sweeps = List.copyOf(sweeps);
    }
}
