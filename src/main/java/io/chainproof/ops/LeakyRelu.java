package io.chainproof.ops;

import io.chainproof.number.Real;

/** The leaky rectifier: {@code z} for {@code z > 0}, {@code 0.01·z} otherwise (PyTorch's default slope); not differentiable at 0. Instances are immutable. */
public final class LeakyRelu extends ElementwiseOp {

    /** The slope for negative arguments, as PyTorch's {@code negative_slope} default. */
    public static final double NEGATIVE_SLOPE = 0.01;

    /**
     * @param size the number of entries; ≥ 1
     */
    public LeakyRelu(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "leaky_relu";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.ifPositive(z, z.multiply(NEGATIVE_SLOPE));
    }
}
