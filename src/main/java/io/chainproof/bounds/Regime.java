package io.chainproof.bounds;

import io.chainproof.check.Thresholds;

/**
 * How the backward signal through a chain of Jacobians behaves — the same rule for an MLP's layers and an RNN's
 * time steps. For layer l of an MLP (see {@link LayerBound}), from two factors: the data factor {@code F_l = ∏_{k=l}^{L} m_k · ∏_{k=l+1}^{L} ‖W_k‖₂} with
 * {@code m_k = max_j |φ'(z_{k,j})|} at the data (mean over samples), and the γ factor
 * {@code G_l = ∏_{k=l}^{L} γ_k · ∏_{k=l+1}^{L} ‖W_k‖₂}. The rules, checked in this order:
 * <ol>
 *   <li>{@link #VANISHING}: {@code F_l < }{@value Thresholds#DEFAULT_VANISHING_FACTOR} — the backward signal is
 *       certified to shrink by at least that factor;</li>
 *   <li>{@link #SATURATED}: {@code F_l < }{@value Thresholds#DEFAULT_SATURATION_RATIO}{@code ·G_l} — the
 *       activations at the data sit far out on their flat tails, far below what γ allows;</li>
 *   <li>{@link #EXPLODING}: {@code F_l > }{@value Thresholds#DEFAULT_EXPLODING_FACTOR} — the bound allows the
 *       signal to grow; by Pascanu, Mikolov, Bengio (2013, §3.1) growth needs {@code ‖W_k‖₂ > 1/γ_k} for
 *       some later layer, while {@code ‖W_k‖₂ < 1/γ_k} for every later layer suffices for vanishing;</li>
 *   <li>{@link #STABLE}: otherwise.</li>
 * </ol>
 */
public enum Regime {
    /** The data factor is below {@value Thresholds#DEFAULT_VANISHING_FACTOR}. */
    VANISHING,
    /** The data factor is far below the γ factor. */
    SATURATED,
    /** The data factor exceeds {@value Thresholds#DEFAULT_EXPLODING_FACTOR}. */
    EXPLODING,
    /** None of the above. */
    STABLE;

    /** @return the lower-case name used in output, e.g. {@code "vanishing"} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The one regime rule, for a chain of Jacobians of any model — an MLP's layers from l to the loss, an RNN's
     * steps from the first to the last.
     *
     * @param dataFactor  F: the product of the chain's Jacobian bounds at the data (max|φ'| and ‖W‖₂ per link)
     * @param gammaFactor G: the same product with the certified bounds (γ and ‖W‖₂ per link)
     * @return the regime
     */
    public static Regime classify(double dataFactor, double gammaFactor) {
        if (dataFactor < Thresholds.DEFAULT.vanishingFactor()) {
            return VANISHING;
        }
        if (dataFactor < Thresholds.DEFAULT.saturationRatio() * gammaFactor) {
            return SATURATED;
        }
        if (dataFactor > Thresholds.DEFAULT.explodingFactor()) {
            return EXPLODING;
        }
        return STABLE;
    }
}
