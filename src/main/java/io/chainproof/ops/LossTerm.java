package io.chainproof.ops;

import io.chainproof.number.Real;

/**
 * A per-output loss term {@code ℓ(a, y)} and how one sample's terms combine (Σ, or the mean over the outputs),
 * written once over {@link Real}. The logarithms and {@code 1 − a} arrive precomputed, because only the output
 * op knows their stable forms (for {@code a = σ(z)}: {@code log a = −softplus(−z)}, {@code 1 − a = σ(−z)},
 * {@code log(1 − a) = −softplus(z)}; for softmax the log-softmax), none of which rounds to 0 or −∞ where the
 * naive forms do.
 */
public interface LossTerm {

    /** @return the loss's name in specs, e.g. {@code bce} */
    String kind();

    /** @return whether a sample's loss is the mean over its outputs (else their sum) */
    boolean meanOverOutputs();

    /**
     * ℓ for one output.
     *
     * @param a            the output
     * @param y            the target
     * @param logA         log a
     * @param oneMinusA    1 − a
     * @param logOneMinusA log(1 − a)
     * @param <T>          the number type
     * @return ℓ(a, y)
     */
    <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA);
}
