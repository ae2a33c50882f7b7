package io.chainproof.numeric;

/**
 * Generated complex-step code for one network and one data sample at a time, produced by
 * {@link ComplexNetworkCompiler}. {@link #forward} evaluates the real forward pass and caches it; the
 * other methods propagate imaginary parts from the cache. Each instance owns scratch arrays and is not
 * thread-safe.
 *
 * <p>All methods write into {@code out}: {@code out[0]} the magnitude (the same propagation with |W| and
 * the cancellation-free bounds of the slopes and loss sensitivities — a bound on the value and the scale
 * of its rounding error),
 * {@code out[1]} 1 if a piecewise pre-activation whose imaginary part is non-zero lies within the kink
 * band of 0, else 0.
 */
public interface ComplexSampleKernel {

    /**
     * Evaluates and caches the real forward pass of one sample — z and o of every layer, the slopes
     * {@code Im φ(z + ih)/h} of every hidden unit, the kink flags of piecewise units and the loss
     * sensitivities {@code Im L_s(z_L + ih e_j)/h} of the output pre-activations — and returns the sample loss.
     *
     * @param parameters the flat parameter vector (layout of {@link io.chainproof.graph.ComputationGraph})
     * @param x          the sample's inputs
     * @param y          the sample's targets
     * @return the sample loss L_s
     */
    double forward(double[] parameters, double[] x, double[] y);

    /**
     * The complex step of the sample loss through the cached forward pass:
     * {@code Im L_s(θ + i·imaginary)}, where layers before {@code firstLayer} have no imaginary parameters.
     * Every unit from {@code firstLayer} on is evaluated with the complex kernels.
     *
     * @param parameters the flat parameter vector (real parts)
     * @param imaginary  the imaginary parts of the parameters (flat layout)
     * @param firstLayer the first layer with a non-zero imaginary parameter (1-based)
     * @param out receives the magnitude and kink flag, see the class description
     * @return {@code Im L_s(θ + i·imaginary)}
     */
    double imaginaryLoss(double[] parameters, double[] imaginary, int firstLayer, double[] out);

    /**
     * {@code ∂L_s/∂z_layer[unit]} as {@code Im L_s(z_layer + ih e_unit)/h}, the imaginary part propagated
     * linearly from the cached slopes and sensitivities (seed 1 instead of h: to first order the imaginary
     * parts are linear in the seed).
     *
     * @param parameters the flat parameter vector
     * @param layer the layer, 1-based
     * @param unit the unit, 0-based
     * @param out receives the magnitude and kink flag, see the class description
     * @return ∂L_s/∂z_layer[unit]
     */
    double unitTangent(double[] parameters, int layer, int unit, double[] out);

    /**
     * The cached activations {@code o_layer} of the last {@link #forward} (layer 0: the inputs); read only.
     *
     * @param layer the layer, 0…L
     * @return the cache's array of o_layer; do not modify
     */
    double[] activations(int layer);
}
