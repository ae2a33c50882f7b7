package io.chainproof.rnn;

import io.chainproof.check.Thresholds;
import io.chainproof.ops.Activation;
import java.util.List;

/**
 * Pascanu's bound against the actual Jacobians of one RNN, for the first sample of its spec: for each k from
 * T down to 0 the actual ‖∂h_T/∂h_k‖₂ and the bound (γ‖W_h‖₂)^{T−k}, the regime that ‖W_h‖₂ alone
 * guarantees, and the size of the gradient with and without global-norm clipping. Instances are immutable.
 *
 * @param name         the network's name
 * @param activation   φ, the hidden activation
 * @param gamma        γ = sup |φ'| (1 for tanh and relu, 1/4 for sigmoid)
 * @param whNorm       ‖W_h‖₂, the largest singular value of W_h
 * @param whRadius     ρ(W_h), the largest modulus of an eigenvalue of W_h (≤ ‖W_h‖₂; the bound uses the norm)
 * @param steps        T, the length of the first sample's sequence
 * @param lags         one entry per k = T, T − 1, …, 0 (lag 0 first)
 * @param regime       what ‖W_h‖₂ versus 1/γ guarantees for every input (Pascanu's condition)
 * @param dataFactor   F = ∏_{t=1}^{T} m_t·‖W_h‖₂ with m_t = max_j |φ'(z_{t,j})| at the first sequence: the product of
 *                     the steps' Jacobian bounds at the data
 * @param gammaFactor  G = (γ·‖W_h‖₂)^T: the same product with the certified bounds
 * @param chainRegime  the regime of the whole sequence by the one rule of {@link io.chainproof.bounds.Regime}, as an
 *                     MLP layer's
 * @param gradientWhFrobenius ‖∂L/∂W_h‖_F over all samples
 * @param gradientNorm ‖∇L‖₂ over all parameters
 * @param maxNorm      the clipping threshold (+∞ for no clipping)
 * @param clippedNorm  ‖clip(∇L, maxNorm)‖₂ = min(‖∇L‖₂, maxNorm)
 */
public record RnnBoundReport(String name, Activation activation, double gamma, double whNorm, double whRadius,
                             int steps,
                             List<LagBound> lags, Regime regime, double dataFactor, double gammaFactor,
                             io.chainproof.bounds.Regime chainRegime, double gradientWhFrobenius, double gradientNorm,
                             double maxNorm, double clippedNorm) {

    /**
     * Copies the list of lags.
     *
     * @param name                the network's name
     * @param activation          the hidden activation
     * @param gamma               γ
     * @param whNorm              ‖W_h‖₂
     * @param whRadius            ρ(W_h)
     * @param steps               T
     * @param lags                one entry per k, lag 0 first
     * @param regime              the regime ‖W_h‖₂ guarantees
     * @param dataFactor          F, the data factor of the T steps
     * @param gammaFactor         G, the γ factor of the T steps
     * @param chainRegime         the regime of F and G by the one rule
     * @param gradientWhFrobenius ‖∂L/∂W_h‖_F
     * @param gradientNorm        ‖∇L‖₂
     * @param maxNorm             the clipping threshold
     * @param clippedNorm         the norm after clipping
     */
    public RnnBoundReport {
        lags = List.copyOf(lags);
    }

    /**
     * One lag of the report.
     *
     * @param k      the earlier step, 0 ≤ k ≤ T
     * @param lag    T − k
     * @param actual ‖∂h_T/∂h_k‖₂ at the first sample
     * @param bound  (γ‖W_h‖₂)^{T−k}
     */
    public record LagBound(int k, int lag, double actual, double bound) {

        /** @return whether actual ≤ bound, allowing the rounding of {@link Thresholds#attained()} */
        public boolean holds() {
            return actual <= bound * (1 + Thresholds.DEFAULT.attained()) + Double.MIN_NORMAL;
        }
    }

    /** What ‖W_h‖₂ versus 1/γ guarantees (Pascanu, Mikolov, Bengio 2013, §3.1). */
    public enum Regime {
        /** ‖W_h‖₂ &lt; 1/γ: sufficient for vanishing — ‖∂h_t/∂h_k‖₂ ≤ (γ‖W_h‖₂)^{t−k} → 0 for every input. */
        VANISHING,
        /** ‖W_h‖₂ = 1/γ: the bound is 1 — no explosion, vanishing not guaranteed. */
        BOUNDED,
        /** ‖W_h‖₂ &gt; 1/γ: the condition necessary for exploding holds (explosion is possible, not certain). */
        EXPLODING_POSSIBLE;

        /** @return the lower-case name used in output, e.g. {@code "exploding_possible"} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * @param gamma  γ
         * @param whNorm ‖W_h‖₂
         * @return the regime of γ‖W_h‖₂ compared with 1
         */
        public static Regime of(double gamma, double whNorm) {
            double eta = gamma * whNorm;
            return eta < 1 ? VANISHING : eta == 1 ? BOUNDED : EXPLODING_POSSIBLE;
        }
    }

    /** @return whether every lag's actual norm is within its bound */
    public boolean boundHolds() {
        return lags.stream().allMatch(LagBound::holds);
    }
}
