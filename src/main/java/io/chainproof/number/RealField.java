package io.chainproof.number;

/**
 * The constants and arrays of one arithmetic: what a forward rule needs to make numbers of the kind it
 * was given (Hipparchus' {@code Field}).
 *
 * @param <T> the number type
 */
public interface RealField<T extends Real<T>> {

    /**
     * A constant: a number with no derivative part (a zero imaginary part, a zero tangent, a literal).
     *
     * @param value the constant
     * @return the constant in this arithmetic
     */
    T constant(double value);

    /**
     * A new array of this arithmetic's numbers, every entry null.
     *
     * @param length the length; ≥ 0
     * @return the array
     */
    T[] array(int length);

    /**
     * A new array of constants.
     *
     * @param values the constants; not modified
     * @return the array, entry i = {@code constant(values[i])}
     */
    default T[] constants(double[] values) {
        T[] a = array(values.length);
        for (int i = 0; i < values.length; i++) {
            a[i] = constant(values[i]);
        }
        return a;
    }

    /**
     * The affine map {@code z[r, j] = b[j] + Σ_k w[j, k]·a[r, k]} on {@code rows} rows (without b: the k = 0 term
     * first), in exactly this order of operations: {@code acc = b[j]; acc = acc + w·a, k = 0, 1, …}. A field may
     * run it on primitives, operation for operation, so that a million-weight layer makes no object per term.
     *
     * @param a the inputs, rows × in
     * @param w the weights, out × in
     * @param b the biases (out), or null
     * @param rows the rows
     * @param in the inputs per row
     * @param out the outputs per row
     * @return z, rows × out
     */
    default T[] affine(T[] a, T[] w, T[] b, int rows, int in, int out) {
        T[] z = array(rows * out);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                T acc = b != null ? b[j] : w[j * in].multiply(a[r * in]);
                for (int k = b != null ? 0 : 1; k < in; k++) {
                    acc = acc.add(w[j * in + k].multiply(a[r * in + k]));
                }
                z[r * out + j] = acc;
            }
        }
        return z;
    }

    /**
     * The affine map's backward pass, accumulated: per row, {@code gw[j, k] += g[j]·a[k]} and {@code gb[j] += g[j]}
     * for each j, then {@code ga[k] += Σ_j w[j, k]·g[j]} (the sum from 0, j = 0, 1, …), in exactly this order.
     *
     * @param a the inputs, rows × in
     * @param w the weights, out × in
     * @param g the output gradient, rows × out
     * @param ga the input gradient to add to, or null
     * @param gw the weight gradient to add to, or null
     * @param gb the bias gradient to add to, or null
     * @param rows the rows
     * @param in the inputs per row
     * @param out the outputs per row
     */
    default void affineBackward(T[] a, T[] w, T[] g, T[] ga, T[] gw, T[] gb, int rows, int in, int out) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                T gj = g[r * out + j];
                if (gw != null) {
                    for (int k = 0; k < in; k++) {
                        gw[j * in + k] = gw[j * in + k].add(gj.multiply(a[r * in + k]));
                    }
                }
                if (gb != null) {
                    gb[j] = gb[j].add(gj);
                }
            }
            if (ga != null) {
                for (int k = 0; k < in; k++) {
                    T acc = constant(0);
                    for (int j = 0; j < out; j++) {
                        acc = acc.add(w[j * in + k].multiply(g[r * out + j]));
                    }
                    ga[r * in + k] = ga[r * in + k].add(acc);
                }
            }
        }
    }

    /**
     * One entry of the affine map's weight gradient, {@code gw[j, k] = Σ_r g[r, j]·a[r, k]} accumulated from 0 row by
     * row: the number {@link #affineBackward} leaves in {@code gw[j·in + k]} of a zeroed weight gradient, bit for bit,
     * without a gradient array of out × in numbers (a million-parameter layer's gradient streams entry by entry).
     *
     * @param a the inputs, rows × in
     * @param g the output gradient, rows × out
     * @param rows the rows
     * @param in the inputs per row
     * @param out the outputs per row
     * @param j the output unit
     * @param k the input unit
     * @return ∂L/∂W[j, k]
     */
    default T affineWeightGradient(T[] a, T[] g, int rows, int in, int out, int j, int k) {
        T acc = constant(0);
        for (int r = 0; r < rows; r++) {
            acc = acc.add(g[r * out + j].multiply(a[r * in + k]));
        }
        return acc;
    }
}
