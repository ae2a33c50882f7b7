package io.chainproof.ops;

import io.chainproof.number.Real;

/** The hyperbolic tangent, outputs in (−1, 1); {@code 0 < tanh' ≤ 1}. Instances are immutable. */
public final class Tanh extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Tanh(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "tanh";
    }

    @Override
    public String symbol() {
        return "tanh";
    }

    @Override
    public String latexSymbol() {
        return "\\tanh";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.tanh();
    }
}
