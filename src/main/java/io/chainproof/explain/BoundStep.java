package io.chainproof.explain;

import io.chainproof.bounds.LayerBound;

import java.util.List;
import java.util.Objects;

/**
 * The growth bound of a parameter's gradient: the layer's certified bounds ({@link LayerBound}: the actual
 * {@code ‖∂L/∂W_l‖_F}, the γ bound and the data bound), and — in a width-1 chain with one sample — the
 * lecture's factor-by-factor form {@code |∂L/∂θ| ≤ ∏ (bound of each factor)}, each factor with its
 * equality condition. Instances are immutable.
 *
 * @param layer            the bounds of θ's layer
 * @param factors          the factors with their bounds, first factor first; empty unless width-1 and one sample
 * @param product          the product of the factor bounds (the bound on |∂L/∂θ|), NaN when there are no factors
 * @param attained         whether the point attains the bound: every factor's, or the layer's γ bound (to 1e−12)
 * @param equality         when the bound is attained, in words and formulas
 * @param gammas           γ = sup|φ'| of each activation from θ's layer on, e.g. {@code γ = 0.25 for sigmoid (at z = 0)}
 */
public record BoundStep(LayerBound layer, List<FactorBound> factors, double product, boolean attained,
                        Formula equality, List<Formula> gammas, LayerBound last) {

    /**
     * Validates the components.
     *
     * @param layer the bounds of θ's layer
     * @param factors the factors with their bounds, first factor first; empty unless width-1 and one sample
     * @param product the product of the factor bounds (the bound on |∂L/∂θ|), NaN when there are no factors
     * @param attained whether the point attains the bound: every factor's, or the layer's γ bound (to 1e−12)
     * @param equality when the bound is attained, in words and formulas
     * @param gammas γ = sup|φ'| of each activation from θ's layer on, e.g. {@code γ = 0.25 for sigmoid (at z = 0)}
     * @param last the bounds of the last layer, whose gradient norm the growth across the layers is measured against
     */
    public BoundStep {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(equality, "equality");
        factors = List.copyOf(factors);
        gammas = List.copyOf(gammas);
    }

    /**
     * The growth across the layers from the last back to θ's: {@code g = ‖∂L/∂W_l‖_F / ‖∂L/∂W_L‖_F}.
     *
     * @return the growth, whose word names the regime
     */
    public io.chainproof.bounds.Growth growth() {
        return io.chainproof.bounds.Growth.across(layer, last);
    }
}
