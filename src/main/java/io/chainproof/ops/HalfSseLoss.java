package io.chainproof.ops;

import io.chainproof.number.Real;

/** Half the sum of squared errors {@code ½ Σ (a − y)²}. */
public final class HalfSseLoss implements LossTerm {

    @Override
    public String kind() {
        return "half_sse";
    }

    @Override
    public boolean meanOverOutputs() {
        return false;
    }

    @Override
    public <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA) {
        return a.subtract(y).square().multiply(0.5);
    }
}
