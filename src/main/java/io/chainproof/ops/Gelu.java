package io.chainproof.ops;

import io.chainproof.number.Real;

/** Exact GELU {@code z·Φ(z) = ½·z·(1 + erf(z/√2))}. Instances are immutable. */
public final class Gelu extends ElementwiseOp {

    private static final double INVERSE_SQRT_2 = 1 / Math.sqrt(2);

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
        return z.multiply(0.5).multiply(z.multiply(INVERSE_SQRT_2).erf().add(1));
    }
}
