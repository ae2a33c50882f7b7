package io.chainproof.ops;

import io.chainproof.number.Real;

/** The rectifier {@code max(0, z)}; not differentiable at 0. Instances are immutable. */
public final class Relu extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Relu(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "relu";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.ifPositive(z, z.field().constant(0));
    }
}
