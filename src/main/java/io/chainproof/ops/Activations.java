package io.chainproof.ops;

import io.chainproof.spec.Activation;

/**
 * The registry of activations: the op for each {@link Activation} a spec names. Adding an activation is its op
 * file and one line here.
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
        if (of(activation, 1, 1) instanceof ElementwiseOp e) {
            return e;
        }
        throw new IllegalArgumentException("Activation <" + activation.specName() + "> is not elementwise: it has no "
                + "single derivative φ'(z)");
    }

    /**
     * Whether {@code activation} branches (relu, leaky_relu): it has kinks where a branch test is 0.
     *
     * @param activation any activation
     * @return true for a piecewise elementwise activation
     */
    public static boolean piecewise(Activation activation) {
        return of(activation, 1, 1) instanceof ElementwiseOp e && !e.branchTests().isEmpty();
    }

    /**
     * The op applying {@code activation} to {@code size} entries, in rows of {@code width} (softmax normalises
     * each row; the elementwise ones ignore rows).
     *
     * @param activation the activation
     * @param size       the number of entries; a multiple of {@code width}
     * @param width      the length of the last axis
     * @return the op
     */
    public static Op of(Activation activation, int size, int width) {
        return switch (activation) {
            case IDENTITY -> new Identity(size);
            case SIGMOID -> new Sigmoid(size);
            case TANH -> new Tanh(size);
            case RELU -> new Relu(size);
            case LEAKY_RELU -> new LeakyRelu(size);
            case SOFTPLUS -> new Softplus(size);
            case SILU -> new Silu(size);
            case GELU -> new Gelu(size);
            case SOFTMAX -> new Softmax(size / width, width);
        };
    }
}
