package io.chainproof.rnn;

import io.chainproof.expr.StableFunctions;
import io.chainproof.spec.Activation;

/**
 * Elementwise activations φ(z) and φ'(z) in double precision, with the stable forms of
 * {@link StableFunctions}. At a kink the right-hand convention of PyTorch is used for relu (φ'(0) = 0) and
 * leaky_relu (φ'(0) = 0.01).
 */
final class RnnActivations {

    private static final double LEAKY_SLOPE = 0.01;
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT2PI = 1 / Math.sqrt(2 * Math.PI);

    private RnnActivations() {
    }

    static double value(Activation a, double z) {
        return switch (a) {
            case IDENTITY -> z;
            case SIGMOID -> StableFunctions.sigmoid(z);
            case TANH -> Math.tanh(z);
            case RELU -> Math.max(z, 0.0);
            case LEAKY_RELU -> z > 0 ? z : LEAKY_SLOPE * z;
            case SOFTPLUS -> StableFunctions.softplus(z);
            case SILU -> z * StableFunctions.sigmoid(z);
            case GELU -> 0.5 * z * (1 + StableFunctions.erf(z * INV_SQRT2));
            case SOFTMAX -> throw new IllegalArgumentException("softmax is not elementwise");
        };
    }

    static double derivative(Activation a, double z) {
        return switch (a) {
            case IDENTITY -> 1.0;
            case SIGMOID -> StableFunctions.sigmoidPrime(z);
            case TANH -> {
                double s = StableFunctions.sech(z);
                yield s * s;
            }
            case RELU -> z > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> z > 0 ? 1.0 : LEAKY_SLOPE;
            case SOFTPLUS -> StableFunctions.sigmoid(z);
            case SILU -> StableFunctions.sigmoid(z) + z * StableFunctions.sigmoidPrime(z);
            case GELU -> 0.5 * (1 + StableFunctions.erf(z * INV_SQRT2)) + z * INV_SQRT2PI * Math.exp(-0.5 * z * z);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is not elementwise");
        };
    }
}
