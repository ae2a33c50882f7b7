package io.chainproof.check.planted;

import io.chainproof.ops.Activation;
import org.apache.commons.math3.special.Erf;

/**
 * The elementwise activations φ and their derivatives φ', written out with {@link Math} only, so that the
 * planted-bug suite does not share a line of arithmetic with chainproof's symbolic or compiled code.
 * Softmax is not elementwise and is handled by {@link ManualBackprop}.
 *
 * <p>Derivatives use the forms that keep their relative accuracy far into saturation:
 * σ'(z) = e^{−|z|}/(1+e^{−|z|})² (the naive σ(1−σ) rounds to 0 above |z| ≈ 37),
 * tanh'(z) = 4e^{−2|z|}/(1+e^{−2|z|})², and the normal CDF Φ(z) = ½·erfc(−z/√2) (no cancellation in
 * 1 + erf(z/√2) for z ≪ 0); elu(z) = expm1(z) for z ≤ 0 and softsign'(z) = 1/(1+|z|)² (no quotient rule to
 * cancel at large |z|).
 */
final class ActivationMath {

    /** Slope of leaky_relu for z ≤ 0. */
    static final double LEAKY_SLOPE = 0.01;

    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private ActivationMath() {
    }

    /** φ(z). */
    static double value(Activation activation, double z) {
        return switch (activation) {
            case IDENTITY -> z;
            case SIGMOID -> sigmoid(z);
            case TANH -> Math.tanh(z);
            case RELU -> z > 0 ? z : 0.0;
            case LEAKY_RELU -> z > 0 ? z : LEAKY_SLOPE * z;
            case SOFTPLUS -> softplus(z);
            case SILU -> z * sigmoid(z);
            case GELU -> z * normalCdf(z);
            case ELU -> z > 0 ? z : Math.expm1(z);
            case SOFTSIGN -> z / (1.0 + Math.abs(z));
            case SOFTMAX -> throw new IllegalArgumentException("Activation <softmax> is not elementwise");
        };
    }

    /** φ'(z); relu'(0) = 0 and leaky_relu'(0) = 0.01, the PyTorch convention. */
    static double derivative(Activation activation, double z) {
        return switch (activation) {
            case IDENTITY -> 1.0;
            case SIGMOID -> sigmoidDerivative(z);
            case TANH -> {
                double e = Math.exp(-2.0 * Math.abs(z));
                yield 4.0 * e / ((1.0 + e) * (1.0 + e));
            }
            case RELU -> z > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> z > 0 ? 1.0 : LEAKY_SLOPE;
            case SOFTPLUS -> sigmoid(z);
            case SILU -> sigmoid(z) + z * sigmoidDerivative(z);
            case GELU -> normalCdf(z) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
            case ELU -> z > 0 ? 1.0 : Math.exp(z);
            case SOFTSIGN -> 1.0 / ((1.0 + Math.abs(z)) * (1.0 + Math.abs(z)));
            case SOFTMAX -> throw new IllegalArgumentException("Activation <softmax> is not elementwise");
        };
    }

    /** σ(z) = 1/(1+e^{−z}), evaluated without overflow on either side. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** σ'(z) = e^{−|z|}/(1+e^{−|z|})². */
    static double sigmoidDerivative(double z) {
        double e = Math.exp(-Math.abs(z));
        return e / ((1.0 + e) * (1.0 + e));
    }

    /** log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}). */
    static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Φ(z) = ½·erfc(−z/√2). */
    static double normalCdf(double z) {
        return 0.5 * Erf.erfc(-z / SQRT2);
    }
}
