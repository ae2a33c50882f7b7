package io.chainproof.spec;

import java.util.List;

/**
 * Gradients shaped like a network's parameters (W_l as [units_l][units_{l−1}], b_l as [units_l]), as a
 * user supplied them. Unlike {@link Parameters}, entries may be NaN or infinite: a verifier reports
 * those. Deep copies in and out; instances are immutable.
 *
 * @param weights ∂L/∂W_1, ∂L/∂W_2, …
 * @param biases  ∂L/∂b_1, ∂L/∂b_2, …
 */
public record GradientTensors(List<double[][]> weights, List<double[]> biases) {

    /**
     * Validates the components.
     *
     * @param weights ∂L/∂W_1, ∂L/∂W_2, …
     * @param biases ∂L/∂b_1, ∂L/∂b_2, …
     */
    public GradientTensors {
        weights = weights.stream().map(GradientTensors::copy).toList();
        biases = biases.stream().map(double[]::clone).toList();
    }

    /**
     * ∂L/∂W_l for every layer.
     *
     * @return a deep copy of the weight gradients, W_1 first
     */
    @Override
    public List<double[][]> weights() {
        return weights.stream().map(GradientTensors::copy).toList();
    }

    /**
     * ∂L/∂b_l for every layer.
     *
     * @return a deep copy of the bias gradients, b_1 first
     */
    @Override
    public List<double[]> biases() {
        return biases.stream().map(double[]::clone).toList();
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
