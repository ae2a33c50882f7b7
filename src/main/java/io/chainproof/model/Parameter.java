package io.chainproof.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parameter tensor of a model with its place in the flat layout and the names of its entries as the spec
 * writes them: {@code W1[0][1]} (0-based, the PyTorch layout), {@code v[1]} (1-based, as a formula's
 * {@code v[[1]]}), or the bare name of a scalar. Instances are immutable.
 *
 * @param tensor    the index of its tensor in the model
 * @param name      the tensor's name
 * @param shape     its shape
 * @param offset    the flat index of its first entry
 * @param indexBase 0 or 1: how its entries' indices are written
 */
public record Parameter(int tensor, String name, Shape shape, int offset, int indexBase) {

    /**
     * Validates the components.
     *
     * @param tensor    the tensor index
     * @param name      the name
     * @param shape     the shape
     * @param offset    the flat offset
     * @param indexBase 0 or 1
     */
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (indexBase != 0 && indexBase != 1) {
            throw new IllegalArgumentException("Index base <" + indexBase + "> must be 0 or 1");
        }
    }

    /** @return the number of entries */
    public int size() {
        return shape.size();
    }

    /** @return the entries' names in row-major order, e.g. {@code W1[0][0]}, {@code W1[0][1]}, … */
    public List<String> entryNames() {
        List<String> names = new ArrayList<>(size());
        int[] dims = shape.dims();
        int[] index = new int[dims.length];
        for (int k = 0; k < size(); k++) {
            StringBuilder b = new StringBuilder(name);
            for (int i : index) {
                b.append('[').append(i + indexBase).append(']');
            }
            names.add(b.toString());
            for (int a = dims.length - 1; a >= 0; a--) {
                if (++index[a] < dims[a]) {
                    break;
                }
                index[a] = 0;
            }
        }
        return names;
    }

    /**
     * The entries of a flat vector that belong to this tensor, shaped as the spec writes it: a {@code Double} for a
     * scalar, a {@code double[]} for a vector, a {@code double[][]} for a matrix (higher ranks nest further).
     *
     * @param flat a vector in the model's layout
     * @return this tensor's part of it
     */
    public Object shaped(double[] flat) {
        if (shape.rank() == 0) {
            return flat[offset];
        }
        return nest(flat, offset, 0);
    }

    private Object nest(double[] flat, int from, int axis) {
        int n = shape.dim(axis);
        if (axis == shape.rank() - 1) {
            double[] v = new double[n];
            System.arraycopy(flat, from, v, 0, n);
            return v;
        }
        int stride = 1;
        for (int a = axis + 1; a < shape.rank(); a++) {
            stride *= shape.dim(a);
        }
        Object first = nest(flat, from, axis + 1);
        Object[] rows = (Object[]) java.lang.reflect.Array.newInstance(first.getClass(), n);
        rows[0] = first;
        for (int i = 1; i < n; i++) {
            rows[i] = nest(flat, from + i * stride, axis + 1);
        }
        return rows;
    }
}
