package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * The entrywise difference of two tensors of one size, {@code o = a − b} (a GRU's {@code h − n}). Backward:
 * {@code ḡ_a += ḡ_o}, {@code ḡ_b −= ḡ_o}. Instances are immutable.
 */
public final class Difference implements Op {

    private final int size;

    /**
     * @param size the entries of each input; ≥ 1
     */
    public Difference(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Difference of tensors of size <" + size + ">; it must be ≥ 1");
        }
        this.size = size;
    }

    @Override
    public String kind() {
        return "difference";
    }

    @Override
    public String symbol() {
        return "−";
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
            o[j] = a[j].subtract(b[j]);
        }
        return o;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        T[] ga = inputGradients.get(0);
        T[] gb = inputGradients.get(1);
        for (int j = 0; j < size; j++) {
            if (ga != null) {
                ga[j] = ga[j].add(outputGradient[j]);
            }
            if (gb != null) {
                gb[j] = gb[j].subtract(outputGradient[j]);
            }
        }
    }

    /** With respect to either input: ±I, of norm 1. */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        return java.util.Optional.of(new JacobianBound(1, 1));
    }

    @Override
    public String toString() {
        return "difference[" + size + "]";
    }
}
