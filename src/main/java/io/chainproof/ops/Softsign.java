package io.chainproof.ops;

import io.chainproof.number.Real;

/**
 * Softsign {@code z / (1 + |z|)} (PyTorch's {@code F.softsign}), written as its two pieces {@code z / (1 + z)} for
 * {@code z > 0} and {@code z / (1 − z)} otherwise, so that Symja differentiates each to {@code 1/(1 ± z)²}, exact
 * where the quotient rule on |z| would cancel (at |z| = 1e8 it loses 8 digits). Both pieces have slope 1 at 0: a
 * branch point, not a kink. Instances are immutable.
 */
public final class Softsign extends ElementwiseOp {

    /**
     * @param size the number of entries; ≥ 1
     */
    public Softsign(int size) {
        super(size);
    }

    @Override
    public String kind() {
        return "softsign";
    }

    @Override
    public <T extends Real<T>> T apply(T z) {
        return z.ifPositiveJoined(z.divide(z.add(1)), z.divide(z.negate().add(1)));
    }
}
