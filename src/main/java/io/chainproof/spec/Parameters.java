package io.chainproof.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weights and biases of every layer: index 0 holds layer 1. {@code W_l} is
 * {@code [units_l][units_{l−1}]} (row = output unit, column = input unit: the PyTorch {@code Linear}
 * layout) and {@code b_l} is {@code [units_l]}; whether the shapes fit an architecture is checked by
 * {@link NetworkSpec}, which knows the units. Instances are immutable: arrays are deep-copied in and out.
 *
 * @param weights {@code W_1, W_2, ...}, every entry finite
 * @param biases  {@code b_1, b_2, ...}, as many as weights, every entry finite
 */
public record Parameters(List<double[][]> weights, List<double[]> biases) {

    /**
     * Validates the components.
     *
     * @param weights {@code W_1, W_2, ...}, every entry finite
     * @param biases {@code b_1, b_2, ...}, as many as weights, every entry finite
     * @throws SpecException if a list or array is null, the lists differ in length or are empty, or an
     *                       entry is not finite (the message names it, e.g. {@code W2[0][1]})
     */
    public Parameters {
        SpecRules.parameters(weights, biases);
        weights = weights.stream().map(Parameters::copy).toList();
        biases = biases.stream().map(double[]::clone).toList();
    }

    /** @return deep copies of {@code W_1, W_2, ...} */
    @Override
    public List<double[][]> weights() {
        return weights.stream().map(Parameters::copy).toList();
    }

    /** @return copies of {@code b_1, b_2, ...} */
    @Override
    public List<double[]> biases() {
        return biases.stream().map(double[]::clone).toList();
    }

    /**
     * @param layer 1-based layer number
     * @return a copy of {@code W_layer}
     */
    public double[][] weight(int layer) {
        return copy(weights.get(index(layer)));
    }

    /**
     * @param layer 1-based layer number
     * @return a copy of {@code b_layer}
     */
    public double[] bias(int layer) {
        return biases.get(index(layer)).clone();
    }

    /** @return the number of layers */
    public int layerCount() {
        return weights.size();
    }

    private int index(int layer) {
        if (layer < 1 || layer > weights.size()) {
            throw new SpecException("Parameters", "layer", Integer.toString(layer), "is not a layer",
                    "use a layer number from 1 to " + weights.size());
        }
        return layer - 1;
    }

    static double[][] copy(double[][] matrix) {
        return Arrays.stream(matrix).map(double[]::clone).toArray(double[][]::new);
    }

    /** Equal when every weight and bias is equal ({@link Arrays#deepEquals}). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Parameters that) || that.layerCount() != layerCount()) {
            return false;
        }
        for (int i = 0; i < layerCount(); i++) {
            if (!Arrays.deepEquals(weights.get(i), that.weights.get(i))
                    || !Arrays.equals(biases.get(i), that.biases.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < layerCount(); i++) {
            hash = 31 * (31 * hash + Arrays.deepHashCode(weights.get(i))) + Arrays.hashCode(biases.get(i));
        }
        return hash;
    }

    /** @return e.g. {@code Parameters[W1=[[0.5]], b1=[-0.5]]} */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int l = 1; l <= layerCount(); l++) {
            parts.add("W" + l + "=" + Arrays.deepToString(weights.get(l - 1)));
            parts.add("b" + l + "=" + Arrays.toString(biases.get(l - 1)));
        }
        return "Parameters[" + String.join(", ", parts) + "]";
    }
}
