package io.chainproof.model;

import java.util.Arrays;

/**
 * The dimensions of a tensor, row-major; rank 0 is a scalar. Instances are immutable.
 *
 * @param dims the dimensions, each ≥ 1; copied
 */
public record Shape(int[] dims) {

    /** The shape of a scalar. */
    public static final Shape SCALAR = new Shape(new int[0]);

    /**
     * Validates and copies the dimensions.
     *
     * @param dims the dimensions, each ≥ 1
     */
    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("Dimension <" + d + "> in shape " + Arrays.toString(dims) + " must be ≥ 1");
            }
        }
    }

    /**
     * @param dims the dimensions, each ≥ 1
     * @return the shape
     */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /** @return the dimensions (a copy) */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    /**
     * @param axis an axis, 0 ≤ axis &lt; rank
     * @return its length
     */
    public int dim(int axis) {
        return dims[axis];
    }

    /** @return the number of entries, the product of the dimensions (1 for a scalar) */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** @return {@code [2][3]}, or {@code scalar} */
    @Override
    public String toString() {
        if (dims.length == 0) {
            return "scalar";
        }
        StringBuilder b = new StringBuilder();
        for (int d : dims) {
            b.append('[').append(d).append(']');
        }
        return b.toString();
    }
}
