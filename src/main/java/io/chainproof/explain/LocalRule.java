package io.chainproof.explain;

import java.util.Objects;

/**
 * A local differentiation rule a derivation uses, with where it comes from: e.g. source
 * {@code sigmoid, layers 1–3} and rule {@code σ'(z) = σ(z)·(1 − σ(z))}, or source {@code affine map z = w·o + b}
 * and rule {@code ∂z/∂w = o}. Rules are the derivatives Symja derived from each definition (before any
 * stable rewriting); {@code note} says how the numbers are evaluated when that differs. Instances are immutable.
 *
 * @param source where the rule applies, plain words
 * @param rule   the rule
 * @param note   how it is evaluated, or empty
 */
public record LocalRule(String source, Formula rule, String note) {

    public LocalRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(note, "note");
    }
}
