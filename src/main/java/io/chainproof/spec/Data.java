package io.chainproof.spec;

import java.util.Arrays;

/**
 * The samples the loss is averaged over: row {@code i} of {@code x} is the input of sample {@code i},
 * row {@code i} of {@code y} its target. Whether the row widths fit the network is checked by
 * {@link NetworkSpec}. Instances are immutable: arrays are deep-copied in and out.
 *
 * @param x inputs, {@code [samples][inputs]}, every entry finite
 * @param y targets, {@code [samples][outputs]}, every entry finite
 */
public record Data(double[][] x, double[][] y) {

    /**
     * Validates the components.
     *
     * @param x inputs, {@code [samples][inputs]}, every entry finite
     * @param y targets, {@code [samples][outputs]}, every entry finite
     * @throws SpecException if an array is null, there are no samples, x and y differ in row count, or an
     *                       entry is not finite
     */
    public Data {
        SpecRules.data(x, y);
        x = Parameters.copy(x);
        y = Parameters.copy(y);
    }

    /** @return a copy of the inputs */
    @Override
    public double[][] x() {
        return Parameters.copy(x);
    }

    /** @return a copy of the targets */
    @Override
    public double[][] y() {
        return Parameters.copy(y);
    }

    /** @return the number of samples (rows of x) */
    public int samples() {
        return x.length;
    }

    /** Equal when x and y are equal ({@link Arrays#deepEquals}). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Data that && Arrays.deepEquals(x, that.x) && Arrays.deepEquals(y, that.y);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(x) + Arrays.deepHashCode(y);
    }

    /** @return e.g. {@code Data[x=[[1.0]], y=[[1.0]]]} */
    @Override
    public String toString() {
        return "Data[x=" + Arrays.deepToString(x) + ", y=" + Arrays.deepToString(y) + "]";
    }
}
