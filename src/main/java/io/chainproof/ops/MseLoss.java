package io.chainproof.ops;

import io.chainproof.number.Real;

/** Mean squared error: the mean over outputs of {@code (a − y)²}. */
public final class MseLoss implements LossTerm {

    @Override
    public String kind() {
        return "mse";
    }

    @Override
    public boolean meanOverOutputs() {
        return true;
    }

    @Override
    public <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA) {
        return a.subtract(y).square();
    }
}
