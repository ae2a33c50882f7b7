package io.chainproof.ops;

import io.chainproof.number.Real;

/** SiLU (swish) {@code z·σ(z)}. Instances are immutable. */
public final class Silu extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Silu(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "silu";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.multiply(z.sigmoid());
    }
}
