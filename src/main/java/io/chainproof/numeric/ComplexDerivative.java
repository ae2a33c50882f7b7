package io.chainproof.numeric;

/**
 * One derivative by the complex step, with what its error depends on. Instances are immutable.
 *
 * @param value     {@code Im L(θ + ih·v)/h}: a partial derivative (v = e_i) or a directional derivative
 * @param magnitude the same propagation with every factor (weights, activation slopes, loss
 *                  sensitivities, per-sample contributions) replaced by its absolute value, and slopes and
 *                  sensitivities by their values without cancellation (e.g. {@code 2(|a| + |y|)} for
 *                  {@code 2(a − y)}); ≥ |value|, and the scale of the rounding error: the two differ when
 *                  terms cancel
 * @param nearKink  whether a piecewise (relu, leaky_relu) pre-activation on the perturbed path — one whose
 *                  imaginary part is non-zero — lies within {@link io.chainproof.number.ComplexStepNumber#KINK_BAND} of 0 for some
 *                  sample, so that the value is a one-sided derivative
 */
public record ComplexDerivative(double value, double magnitude, boolean nearKink) {
}
