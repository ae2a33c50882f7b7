package io.chainproof.ops;


/**
 * Questions about activations that the ops answer: which op computes one ({@link Activation#op}), and whether it
 * branches.
 */
public final class Activations {

    private Activations() {
    }

    /**
     * The elementwise op of {@code activation}, for its scalar definition φ.
     *
     * @param activation an elementwise activation (not softmax)
     * @return its op on one entry
     * @throws IllegalArgumentException for softmax, which is not elementwise
     */
    public static ElementwiseOp elementwise(Activation activation) {
        return activation.elementwise();
    }

    /**
     * Whether {@code activation} has kinks (relu, leaky_relu): branches whose one-sided derivatives differ
     * ({@link ElementwiseOp#kinked()}); elu and softsign branch smoothly and have none.
     *
     * @param activation any activation
     * @return true for an elementwise activation with a kink
     */
    public static boolean piecewise(Activation activation) {
        return activation != Activation.SOFTMAX && activation.elementwise().kinked();
    }

    /**
     * The op applying {@code activation} to {@code size} entries, in rows of {@code width}.
     *
     * @param activation the activation
     * @param size       the number of entries; a multiple of {@code width}
     * @param width      the length of the last axis
     * @return the op
     */
    public static Op of(Activation activation, int size, int width) {
        return activation.op(size, width);
    }
}
