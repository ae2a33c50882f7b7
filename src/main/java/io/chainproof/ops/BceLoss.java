package io.chainproof.ops;

import io.chainproof.number.Real;

/** Binary cross-entropy, the mean over outputs of {@code −[y·log a + (1 − y)·log(1 − a)]}; outputs in (0, 1), targets in [0, 1]. */
public final class BceLoss implements LossTerm {

    @Override
    public String kind() {
        return "bce";
    }

    @Override
    public boolean meanOverOutputs() {
        return true;
    }

    @Override
    public <T extends Real<T>> T term(T a, T y, T logA, T oneMinusA, T logOneMinusA) {
        return y.multiply(logA).add(y.negate().add(1).multiply(logOneMinusA)).negate();
    }
}
