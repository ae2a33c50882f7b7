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
