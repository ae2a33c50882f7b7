package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * Entries picked from one or more tensors: {@code o[j] = x_{s(j)}[i(j)]} — one time step out of a sequence, a gate's
 * slice out of stacked gates, the steps' outputs stacked back into a sequence. Backward: each output's gradient is
 * added to the entry it came from. Instances are immutable.
 */
public final class Gather implements Op {

    private final String kind;
    private final int[] sizes;
    private final int[] source;
    private final int[] index;

    /**
     * @param kind   the op's name in reports, e.g. {@code step}, {@code slice}, {@code stack}
     * @param sizes  the sizes of the inputs, in order
     * @param source for every output entry, the input it is taken from
     * @param index  for every output entry, the entry of that input
     */
    public Gather(String kind, int[] sizes, int[] source, int[] index) {
        if (sizes.length < 1 || source.length < 1 || source.length != index.length) {
            throw new IllegalArgumentException("Gather of <" + source.length + "> entries from <" + sizes.length
                    + "> tensors needs at least one of each and a source and an index per entry");
        }
        for (int j = 0; j < source.length; j++) {
            if (source[j] < 0 || source[j] >= sizes.length || index[j] < 0 || index[j] >= sizes[source[j]]) {
                throw new IllegalArgumentException("Gather entry " + j + " reads entry " + index[j] + " of input "
                        + source[j] + ", outside the inputs of sizes " + java.util.Arrays.toString(sizes));
            }
        }
        this.kind = kind;
        this.sizes = sizes.clone();
        this.source = source.clone();
        this.index = index.clone();
    }

    /**
     * Entries {@code from} … {@code from + width − 1} of every row of one tensor of {@code rows} rows of
     * {@code stride} entries.
     *
     * @param kind   the op's name in reports
     * @param rows   the number of rows
     * @param stride the entries per row of the input
     * @param from   the first entry taken from each row
     * @param width  the entries taken from each row
     * @return the op
     */
    public static Gather columns(String kind, int rows, int stride, int from, int width) {
        int[] source = new int[rows * width];
        int[] index = new int[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                index[r * width + c] = r * stride + from + c;
            }
        }
        return new Gather(kind, new int[] {rows * stride}, source, index);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int outputSize() {
        return source.length;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] o = field.array(source.length);
        for (int j = 0; j < o.length; j++) {
            o[j] = inputs.get(source[j])[index[j]];
        }
        return o;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        for (int j = 0; j < source.length; j++) {
            T[] g = inputGradients.get(source[j]);
            if (g != null) {
                g[index[j]] = g[index[j]].add(outputGradient[j]);
            }
        }
    }

    /**
     * {@link #forward(RealField, List)} on primitives: without boxing every input entry, which for one step gathered
     * out of a long sequence would cost the whole sequence at every step.
     */
    @Override
    public double[] forward(List<double[]> inputs) {
        double[] o = new double[source.length];
        for (int j = 0; j < o.length; j++) {
            o[j] = inputs.get(source[j])[index[j]];
        }
        return o;
    }

    /** The backward rule on primitives, operation for operation. */
    @Override
    public void backward(List<double[]> inputs, double[] output, double[] outputGradient, List<double[]> inputGradients,
                         LocalRules rules) {
        for (int j = 0; j < source.length; j++) {
            double[] g = inputGradients.get(source[j]);
            if (g != null) {
                g[index[j]] = g[index[j]] + outputGradient[j];
            }
        }
    }

    /**
     * With respect to one input, J has one 1 per output row taken from it and as many ones in a column as outputs
     * read that entry (c at most): ‖J‖₂ ≤ √(‖J‖₁‖J‖∞) = √c — 1 for a step, a slice or a stack.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        int[] reads = new int[sizes[input]];
        int most = 0;
        for (int j = 0; j < source.length; j++) {
            if (source[j] == input) {
                most = Math.max(most, ++reads[index[j]]);
            }
        }
        double bound = Math.sqrt(most);
        return java.util.Optional.of(new JacobianBound(bound, bound));
    }

    @Override
    public double work(int[] inputSizes) {
        return source.length;
    }

    @Override
    public String toString() {
        return kind + "[" + source.length + " of " + java.util.Arrays.toString(sizes) + "]";
    }
}
