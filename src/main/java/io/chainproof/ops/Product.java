package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * The entrywise (Hadamard) product of two tensors of one size, {@code o = a ⊙ b}: a gate applied to a state.
 * Backward: {@code ḡ_a += ḡ_o ⊙ b}, {@code ḡ_b += ḡ_o ⊙ a}. Instances are immutable.
 */
public final class Product implements Op {

    private final int size;

    /**
     * @param size the entries of each input; ≥ 1
     */
    public Product(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Product of tensors of size <" + size + ">; it must be ≥ 1");
        }
        this.size = size;
    }

    @Override
    public String kind() {
        return "product";
    }

    @Override
    public String symbol() {
        return "⊙";
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] a = inputs.get(0);
        T[] b = inputs.get(1);
        T[] o = field.array(size);
        for (int j = 0; j < size; j++) {
            o[j] = a[j].multiply(b[j]);
        }
        return o;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        for (int side = 0; side < 2; side++) {
            T[] g = inputGradients.get(side);
            T[] other = inputs.get(1 - side);
            if (g != null) {
                for (int j = 0; j < size; j++) {
                    g[j] = g[j].add(outputGradient[j].multiply(other[j]));
                }
            }
        }
    }

    /** With respect to one input, holding the other: diag(other), of norm max|other| whatever this input is. */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        double most = 0;
        for (double v : inputs.get(1 - input)) {
            most = Math.max(most, Math.abs(v));
        }
        return java.util.Optional.of(new JacobianBound(most, most));
    }

    @Override
    public String toString() {
        return "product[" + size + "]";
    }
}
