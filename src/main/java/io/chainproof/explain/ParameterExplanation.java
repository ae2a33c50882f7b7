package io.chainproof.explain;

import io.chainproof.check.ParameterCheck;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.AgreementProof;
import io.chainproof.symbolic.ChainPaths;
import io.chainproof.symbolic.ParameterDerivation;

import java.util.List;
import java.util.Objects;

/**
 * Every step of the derivation of ∂L/∂θ for one parameter, as data for the renderers: the paths from θ
 * to L; the chain-rule factorisation with each factor's local definition and value; the local rules it
 * instantiates; the closed form and the proof that it equals Symja's direct {@code D[L, θ]}; the value at
 * the spec's point next to finite differences (with their error estimate) and the complex step; and the
 * growth bound with its equality condition. Instances are immutable.
 *
 * @param spec              the network
 * @param parameter         θ
 * @param name              θ in the lecture's notation, e.g. {@code w₁} or {@code w⁽¹⁾₁₂}
 * @param paths             the paths θ → … → L
 * @param chainRule         the factorisation with values
 * @param rules             the local rules used, loss first
 * @param proof             the closed form and its agreement with the direct derivative
 * @param finiteDifference  the compiled symbolic gradient checked by central differences
 * @param complexStep       the same checked by the complex step
 * @param bound             the growth bound
 */
public record ParameterExplanation(NetworkSpec spec, ParameterId parameter, Formula name, ChainPaths paths,
                                   ParameterDerivation chainRule, List<LocalRule> rules, AgreementProof proof,
                                   ParameterCheck finiteDifference, ParameterCheck complexStep, BoundStep bound) {

    /**
     * Validates the components.
     *
     * @param spec the network
     * @param parameter θ
     * @param name θ in the lecture's notation, e.g. {@code w₁} or {@code w⁽¹⁾₁₂}
     * @param paths the paths θ → … → L
     * @param chainRule the factorisation with values
     * @param rules the local rules used, loss first
     * @param proof the closed form and its agreement with the direct derivative
     * @param finiteDifference the compiled symbolic gradient checked by central differences
     * @param complexStep the same checked by the complex step
     * @param bound the growth bound
     */
    public ParameterExplanation {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(chainRule, "chainRule");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(finiteDifference, "finiteDifference");
        Objects.requireNonNull(complexStep, "complexStep");
        Objects.requireNonNull(bound, "bound");
        rules = List.copyOf(rules);
        if (!chainRule.parameter().equals(parameter) || !proof.parameter().equals(parameter)
                || !finiteDifference.parameter().equals(parameter.name()) || !complexStep.parameter().equals(parameter.name())) {
            throw new IllegalArgumentException("Explanation of <" + parameter.name() + "> mixes steps of other parameters");
        }
    }
}
