package io.chainproof.ops;

import io.chainproof.number.Real;

/** Sum of squared errors {@code Σ (a − y)²}. */
public final class SseLoss implements LossTerm {

    @Override
    public String kind() {
        return "sse";
    }

    @Override
    public boolean meanOverOutputs() {
        return false;
    }

    @Override
    public <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA) {
        return a.subtract(y).square();
    }
}
