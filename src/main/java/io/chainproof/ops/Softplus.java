package io.chainproof.ops;

import io.chainproof.number.Real;

/** Softplus {@code log(1 + e^z)}, evaluated as {@code max(z, 0) + log1p(e^{−|z|})}. Instances are immutable. */
public final class Softplus extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Softplus(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "softplus";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.softplus();
    }
}
