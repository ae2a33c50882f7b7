package io.chainproof.ops;

import io.chainproof.number.Real;

/** Exact GELU {@code z·Φ(z) = ½·z·(1 + erf(z/√2))}. Instances are immutable. */
public final class Gelu extends ElementwiseOp {


    /**
     * @param size the number of entries; ≥ 1
     */
    public Gelu(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "gelu";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.multiply(0.5).multiply(z.multiply(z.field().constant(2).pow(-0.5)).erf().add(1));
    }
}
