package io.chainproof.number;

import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The loops of {@link RealField#affine} and {@link RealField#affineBackward} over a primitive accumulator, for the
 * number types whose arithmetic is simple enough to write out on local variables (the complex step with its
 * running error, variance-carrying dual numbers): the same operations in the same order as the generic loops, one
 * object per result instead of two per term. Layers of at least 65,536 weights run on every core; each output's sum
 * keeps its order, so the numbers do not depend on the split.
 */
final class AffineLoops {

    private AffineLoops() {
    }

    /**
     * One number being summed, held in primitives.
     *
     * @param <T> the number type
     */
    interface Accumulator<T> {

        /** this = x. */
        void set(T x);

        /** this = x·y, as {@code x.multiply(y)}. */
        void product(T x, T y);

        /** this = this + x·y, as {@code this.add(x.multiply(y))}. */
        void addProduct(T x, T y);

        /** The number held. */
        T number();
    }

    private static boolean parallel(int in, int out) {
        return (long) in * out >= 1 << 16;
    }

    static <T extends Real<T>> T[] forward(RealField<T> field, Supplier<Accumulator<T>> accumulator, T[] a, T[] w,
                                           T[] b, int rows, int in, int out) {
        T[] z = field.array(rows * out);
        IntStream outputs = IntStream.range(0, rows * out);
        (parallel(in, out) ? outputs.parallel() : outputs).forEach(i -> {
            int r = i / out;
            int j = i % out;
            Accumulator<T> acc = accumulator.get();
            if (b != null) {
                acc.set(b[j]);
            } else {
                acc.product(w[j * in], a[r * in]);
            }
            for (int k = b != null ? 0 : 1; k < in; k++) {
                acc.addProduct(w[j * in + k], a[r * in + k]);
            }
            z[i] = acc.number();
        });
        return z;
    }

    static <T extends Real<T>> void backward(RealField<T> field, Supplier<Accumulator<T>> accumulator, T[] a, T[] w,
                                             T[] g, T[] ga, T[] gw, T[] gb, int rows, int in, int out) {
        boolean parallel = parallel(in, out);
        for (int r = 0; r < rows; r++) {
            int row = r;
            if (gw != null) {
                // each weight's gradient is updated once per row: the rows of W split between the cores
                IntStream units = IntStream.range(0, out);
                (parallel ? units.parallel() : units).forEach(j -> {
                    Accumulator<T> acc = accumulator.get();
                    T gj = g[row * out + j];
                    for (int k = 0; k < in; k++) {
                        acc.set(gw[j * in + k]);
                        acc.addProduct(gj, a[row * in + k]);
                        gw[j * in + k] = acc.number();
                    }
                });
            }
            if (gb != null) {
                for (int j = 0; j < out; j++) {
                    gb[j] = gb[j].add(g[r * out + j]);
                }
            }
            if (ga != null) {
                T zero = field.constant(0);
                IntStream inputs = IntStream.range(0, in);
                (parallel ? inputs.parallel() : inputs).forEach(k -> {
                    Accumulator<T> acc = accumulator.get();
                    acc.set(zero);
                    for (int j = 0; j < out; j++) {
                        acc.addProduct(w[j * in + k], g[row * out + j]);
                    }
                    ga[row * in + k] = ga[row * in + k].add(acc.number());
                });
            }
        }
    }

    /** {@link RealField#affineWeightGradient}: the steps {@link #backward} takes for one weight, in its order. */
    static <T extends Real<T>> T weightGradient(RealField<T> field, Supplier<Accumulator<T>> accumulator, T[] a, T[] g,
                                                int rows, int in, int out, int j, int k) {
        Accumulator<T> acc = accumulator.get();
        T sum = field.constant(0);
        for (int r = 0; r < rows; r++) {
            acc.set(sum);
            acc.addProduct(g[r * out + j], a[r * in + k]);
            sum = acc.number();
        }
        return sum;
    }
}
