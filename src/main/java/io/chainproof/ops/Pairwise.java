package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * An entrywise operation on two tensors of one size: the (Hadamard) product {@code o = a ⊙ b} — a gate applied to a
 * state — or the difference {@code o = a − b} (a GRU's {@code h − n}). Backward: for the product
 * {@code ḡ_a += ḡ_o ⊙ b}, {@code ḡ_b += ḡ_o ⊙ a}; for the difference {@code ḡ_a += ḡ_o}, {@code ḡ_b −= ḡ_o}.
 * Instances are immutable.
 */
public final class Pairwise implements Op {

    /** Which operation. */
    public enum Kind {
        /** {@code a ⊙ b}. */
        PRODUCT,
        /** {@code a − b}. */
        DIFFERENCE
    }

    private final Kind kind;
    private final int size;

    /**
     * @param kind the operation
     * @param size the entries of each input; ≥ 1
     */
    public Pairwise(Kind kind, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Entrywise " + kind + " of tensors of size <" + size + ">; it must be ≥ 1");
        }
        this.kind = kind;
        this.size = size;
    }

    /**
     * @param size the entries of each input
     * @return {@code a ⊙ b}
     */
    public static Pairwise product(int size) {
        return new Pairwise(Kind.PRODUCT, size);
    }

    /**
     * @param size the entries of each input
     * @return {@code a − b}
     */
    public static Pairwise difference(int size) {
        return new Pairwise(Kind.DIFFERENCE, size);
    }

    @Override
    public String kind() {
        return kind == Kind.PRODUCT ? "product" : "difference";
    }

    @Override
    public String symbol() {
        return kind == Kind.PRODUCT ? "⊙" : "−";
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
            o[j] = kind == Kind.PRODUCT ? a[j].multiply(b[j]) : a[j].subtract(b[j]);
        }
        return o;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        for (int side = 0; side < 2; side++) {
            T[] g = inputGradients.get(side);
            if (g == null) {
                continue;
            }
            T[] other = inputs.get(1 - side);
            for (int j = 0; j < size; j++) {
                if (kind == Kind.PRODUCT) {
                    g[j] = g[j].add(outputGradient[j].multiply(other[j]));
                } else {
                    g[j] = side == 0 ? g[j].add(outputGradient[j]) : g[j].subtract(outputGradient[j]);
                }
            }
        }
    }

    /**
     * With respect to one input, holding the other: a product's diag(other), of norm max|other| whatever this input
     * is; a difference's ±I, of norm 1.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        double most = kind == Kind.PRODUCT ? 0 : 1;
        if (kind == Kind.PRODUCT) {
            for (double v : inputs.get(1 - input)) {
                most = Math.max(most, Math.abs(v));
            }
        }
        return java.util.Optional.of(new JacobianBound(most, most));
    }

    @Override
    public String toString() {
        return kind() + "[" + size + "]";
    }
}
