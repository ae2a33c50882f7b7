package io.chainproof.ops;

import io.chainproof.number.Real;

/**
 * Cross-entropy {@code −Σ y·log a}; outputs in (0, 1), targets ≥ 0. A target of exactly 0 contributes an exact 0
 * (not {@code 0·log 0 = NaN} where an output underflowed): the term vanishes identically in a there.
 */
public final class CrossEntropyLoss implements LossTerm {

    @Override
    public String kind() {
        return "cross_entropy";
    }

    @Override
    public boolean meanOverOutputs() {
        return false;
    }

    @Override
    public <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA) {
        return y.value() == 0 ? y.field().constant(0) : y.multiply(logA).negate();
    }
}
