package io.chainproof.ops;

import io.chainproof.number.Real;

/** The logistic sigmoid {@code σ(z) = 1/(1 + e^{−z})}, outputs in (0, 1); {@code 0 < σ' ≤ 1/4}. Instances are immutable. */
public final class Sigmoid extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Sigmoid(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "sigmoid";
    }

    @Override
    public String symbol() {
        return "σ";
    }

    @Override
    public String latexSymbol() {
        return "\\sigma";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.sigmoid();
    }
}
