package io.chainproof.numeric;

/**
 * Generated code for one network: the loss of one data sample and its gradient. Implementations are
 * produced by {@link NetworkCompiler}; each instance owns scratch arrays and is not thread-safe.
 */
public interface SampleKernel {

    /**
     * Adds {@code weight · ∂L_s/∂θ} to {@code gradient} and returns the sample loss {@code L_s}.
     *
     * @param parameters the flat parameter vector (layout of {@link io.chainproof.graph.ComputationGraph})
     * @param x          the sample's inputs
     * @param y          the sample's targets
     * @param weight     factor applied to this sample's gradient (1/N for the mean over N samples)
     * @param gradient   accumulator, same layout as {@code parameters}; {@code null} to compute the loss only
     * @return the sample loss L_s
     */
    double lossAndGradient(double[] parameters, double[] x, double[] y, double weight, double[] gradient);
}
