package io.chainproof.ops;

import io.chainproof.number.Real;

/** The identity {@code φ(z) = z} (a linear output). Instances are immutable. */
public final class Identity extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Identity(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "identity";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z;
    }
}
