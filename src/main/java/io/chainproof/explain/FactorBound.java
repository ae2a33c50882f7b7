package io.chainproof.explain;

import java.util.Objects;

/**
 * One chain-rule factor of a width-1 chain next to its bound, e.g. {@code ∂o₂/∂o₁ = σ'(z₂)·w₂ = 125}
 * against {@code γ₂·|w₂| = 0.25·500 = 125}: the bound holds because {@code |φ'(z)| ≤ γ = sup|φ'|}, and it is
 * attained exactly when {@code |φ'(z₂)| = γ} (for σ at z₂ = 0). Instances are immutable.
 *
 * @param factor     the factor and its definition, e.g. {@code ∂o₂/∂o₁ = σ'(z₂)·w₂}
 * @param value      the factor's value at the spec's point
 * @param bound      the bound's form, e.g. {@code γ₂·|w₂|}, or the factor itself when it needs no bound
 * @param boundValue the bound's value, ≥ |value| (to rounding)
 * @param attained   whether |value| equals the bound to 1e−12 relative
 * @param condition  the equality condition, e.g. {@code z₂ = 0}; {@code exact} for a factor kept as it is
 * @param here       what the condition's variable is at the spec's point, e.g. {@code z₂ = 311.2296656009273}
 */
public record FactorBound(Formula factor, double value, Formula bound, double boundValue, boolean attained,
                          Formula condition, Formula here) {

    /**
     * Validates the components.
     *
     * @param factor the factor and its definition, e.g. {@code ∂o₂/∂o₁ = σ'(z₂)·w₂}
     * @param value the factor's value at the spec's point
     * @param bound the bound's form, e.g. {@code γ₂·|w₂|}, or the factor itself when it needs no bound
     * @param boundValue the bound's value, ≥ |value| (to rounding)
     * @param attained whether |value| equals the bound to 1e−12 relative
     * @param condition the equality condition, e.g. {@code z₂ = 0}; {@code exact} for a factor kept as it is
     * @param here what the condition's variable is at the spec's point, e.g. {@code z₂ = 311.2296656009273}
     */
    public FactorBound {
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(here, "here");
    }
}
