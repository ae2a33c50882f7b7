package io.chainproof.bounds;

/**
 * The lecture's scalar-chain bound (every width 1) for the first weight:
 * {@code |∂L/∂w_1| ≤ |L'(a_n)|·|a_0|·∏_{k=1}^{n} γ_k·∏_{k=2}^{n} |w_k|}, γ_k = 1/4 for a sigmoid, so
 * {@code (1/4)^n} for an all-sigmoid chain (mean over samples). It follows from
 * {@code ∂ℓ/∂w_1 = L'(a_n)·a_0·∏_k φ'(z_k)·∏_{k≥2} w_k} and {@code |φ'(z_k)| ≤ γ_k}; for the sigmoid the
 * equality case is every {@code z_k = 0}, where σ'(0) = 1/4. Instances are immutable.
 *
 * @param actual                {@code |∂L/∂w_1|}, from the compiled gradient
 * @param bound                 the γ form above
 * @param zeroPreactivation     whether every {@code z_k} of every sample is 0 (the equality case)
 */
public record ScalarChainBound(double actual, double bound, boolean zeroPreactivation) {

    /**
     * Validates the components.
     *
     * @param actual {@code |∂L/∂w_1|}, from the compiled gradient
     * @param bound the γ form above
     * @param zeroPreactivation whether every {@code z_k} of every sample is 0 (the equality case)
     * @throws IllegalArgumentException if a value is negative or NaN
     */
    public ScalarChainBound {
        if (!(actual >= 0) || !(bound >= 0)) {
            throw new IllegalArgumentException("Scalar chain values <" + actual + ", " + bound + "> must be ≥ 0");
        }
    }
}
