package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * The sum of tensors of one size, entry by entry: {@code o = x₁ + x₂ + …}; every input's gradient is the output's.
 * Instances are immutable.
 */
public final class Add implements Op {

    private final int size;
    private final int terms;

    /**
     * @param size  the number of entries of each input; ≥ 1
     * @param terms the number of inputs; ≥ 2
     */
    public Add(int size, int terms) {
        if (size < 1 || terms < 2) {
            throw new IllegalArgumentException("Sum of <" + terms + "> tensors of size <" + size
                    + ">; it needs 2 or more tensors of size ≥ 1");
        }
        this.size = size;
        this.terms = terms;
    }

    @Override
    public String kind() {
        return "add";
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] o = field.array(size);
        for (int j = 0; j < size; j++) {
            T acc = inputs.get(0)[j];
            for (int t = 1; t < terms; t++) {
                acc = acc.add(inputs.get(t)[j]);
            }
            o[j] = acc;
        }
        return o;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        for (T[] g : inputGradients) {
            if (g != null) {
                for (int j = 0; j < size; j++) {
                    g[j] = g[j].add(outputGradient[j]);
                }
            }
        }
    }

    /** Each summand passes through unchanged: the identity, of norm 1. */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        return java.util.Optional.of(new JacobianBound(1, 1));
    }

    @Override
    public String toString() {
        return "add[" + terms + "×" + size + "]";
    }
}
