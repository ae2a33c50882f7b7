package io.chainproof.bounds;

import java.util.Objects;

/**
 * The bounds on one layer's weight gradient. Instances are immutable.
 *
 * @param layer                      the layer l, 1-based
 * @param actual                     {@code ‖∂L/∂W_l‖_F}, from the compiled gradient
 * @param gammaBound                 mean over samples of
 *                                   {@code ‖∇_{a_L}ℓ‖₂·‖a_{l−1}‖₂·∏_{k=l}^{L} γ_k·∏_{k=l+1}^{L} ‖W_k‖₂}
 * @param dataBound                  the same with γ_k replaced by that sample's {@code max_j |φ'(z_{k,j})|}
 * @param gammaFactor                {@code G_l = ∏_{k=l}^{L} γ_k·∏_{k=l+1}^{L} ‖W_k‖₂}
 * @param dataFactor                 {@code F_l}, the mean over samples of the data-dependent product
 * @param spectralNorm               {@code ‖W_l‖₂}
 * @param pascanuVanishingSufficient whether {@code ‖W_k‖₂ < 1/γ_k} for every later layer k > l
 * @param pascanuExplodingNecessary  whether {@code ‖W_k‖₂ > 1/γ_k} for some later layer k > l
 * @param regime                     the regime, by the rule of {@link Regime}
 */
public record LayerBound(int layer, double actual, double gammaBound, double dataBound, double gammaFactor,
                         double dataFactor, double spectralNorm, boolean pascanuVanishingSufficient,
                         boolean pascanuExplodingNecessary, Regime regime) {

    /**
     * Validates the components.
     *
     * @param layer the layer l, 1-based
     * @param actual {@code ‖∂L/∂W_l‖_F}, from the compiled gradient
     * @param gammaBound mean over samples of {@code ‖∇_{a_L}ℓ‖₂·‖a_{l−1}‖₂·∏_{k=l}^{L} γ_k·∏_{k=l+1}^{L} ‖W_k‖₂}
     * @param dataBound the same with γ_k replaced by that sample's {@code max_j |φ'(z_{k,j})|}
     * @param gammaFactor {@code G_l = ∏_{k=l}^{L} γ_k·∏_{k=l+1}^{L} ‖W_k‖₂}
     * @param dataFactor {@code F_l}, the mean over samples of the data-dependent product
     * @param spectralNorm {@code ‖W_l‖₂}
     * @param pascanuVanishingSufficient whether {@code ‖W_k‖₂ < 1/γ_k} for every later layer k > l
     * @param pascanuExplodingNecessary whether {@code ‖W_k‖₂ > 1/γ_k} for some later layer k > l
     * @param regime the regime, by the rule of {@link Regime}
     * @throws IllegalArgumentException if the layer is below 1 or a norm or bound is negative or NaN
     */
    public LayerBound {
        Objects.requireNonNull(regime, "regime");
        if (layer < 1) {
            throw new IllegalArgumentException("Layer <" + layer + "> must be 1 or more");
        }
        double[] values = {actual, gammaBound, dataBound, gammaFactor, dataFactor, spectralNorm};
        for (double v : values) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("Layer " + layer + " bound value <" + v + "> must be ≥ 0");
            }
        }
    }

    /** @return actual / γ bound, in [0, 1] when the bound holds; NaN when the bound is 0 */
    public double gammaTightness() {
        return gammaBound == 0 ? Double.NaN : actual / gammaBound;
    }

    /** @return actual / data bound, in [0, 1] when the bound holds; NaN when the bound is 0 */
    public double dataTightness() {
        return dataBound == 0 ? Double.NaN : actual / dataBound;
    }
}
