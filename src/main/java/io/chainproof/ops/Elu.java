package io.chainproof.ops;

import io.chainproof.number.Real;

/**
 * The exponential linear unit with α = 1 (PyTorch's {@code F.elu} default): {@code z} for {@code z > 0},
 * {@code e^z − 1} otherwise, evaluated as {@code expm1(z)} so that it keeps its digits near 0. Both pieces have
 * slope 1 at 0, so 0 is a branch point but not a kink (the second derivative jumps there). Instances are immutable.
 */
public final class Elu extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Elu(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "elu";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.ifPositiveJoined(z, z.expm1());
    }
}
