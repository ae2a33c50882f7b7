package io.chainproof.explain;

import java.util.Objects;
import java.util.Optional;

/**
 * A local differentiation rule a derivation uses and where it applies: e.g. source
 * {@code sigmoid (layers 1, 2, 3)}, definition {@code φ(z) = σ(z)} and rule {@code σ'(z) = σ(z)·(1 − σ(z))}, or
 * source {@code affine map}, definition {@code z = w·o + b} and rule {@code ∂z/∂w = o, ∂z/∂o = w, ∂z/∂b = 1}.
 * Rules are the derivatives Symja derived from each definition (before any stable rewriting);
 * {@code evaluatedAs} gives the form the numbers use when it differs, {@code note} why. Instances are immutable.
 *
 * @param source      where the rule applies, plain words
 * @param definition  what is differentiated
 * @param rule        the rule
 * @param evaluatedAs the numerically stable form the values use, if it differs from the rule
 * @param note        a remark in plain words, or empty
 */
public record LocalRule(String source, Formula definition, Formula rule, Optional<Formula> evaluatedAs, String note) {

    /**
     * Validates the components.
     *
     * @param source where the rule applies, plain words
     * @param definition what is differentiated
     * @param rule the rule
     * @param evaluatedAs the numerically stable form the values use, if it differs from the rule
     * @param note a remark in plain words, or empty
     */
    public LocalRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(evaluatedAs, "evaluatedAs");
        Objects.requireNonNull(note, "note");
    }
}
