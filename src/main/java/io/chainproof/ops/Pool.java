package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * Pooling over 1 or 2 spatial axes, each channel of each sample on its own, PyTorch's {@code MaxPool}/{@code AvgPool}
 * (no padding, floor mode): the largest entry of each window, or its mean. Input x ({@code [N][C][spatial…]}),
 * output {@code [N][C][out…]}. The maximum is chosen by comparisons ({@link Real#ifPositive} on differences), so a
 * tie is a kink that the complex step and dual numbers mark; the backward rule routes each window's gradient to the
 * entry chosen (the first of equal ones), the mean's to every entry of the window, divided by its size. Instances
 * are immutable.
 */
public final class Pool implements Op {

    /** The two poolings. */
    public enum Kind {
        /** The largest entry. */
        MAX,
        /** The mean. */
        AVG
    }

    private final Kind kind;
    private final int samples;
    private final int channels;
    private final Window window;
    private final int[][] table;
    private final int inPositions;
    private final int outPositions;

    /**
     * @param kind     max or average
     * @param samples  N; ≥ 1
     * @param channels C; ≥ 1
     * @param window   the window's geometry (no padding, dilation 1)
     */
    public Pool(Kind kind, int samples, int channels, Window window) {
        if (samples < 1 || channels < 1) {
            throw new IllegalArgumentException("Pooling of <" + samples + "> samples of <" + channels
                    + "> channels; each must be ≥ 1");
        }
        this.kind = kind;
        this.samples = samples;
        this.channels = channels;
        this.window = window;
        this.table = window.table();
        this.inPositions = window.inPositions();
        this.outPositions = window.outPositions();
    }

    @Override
    public String kind() {
        return (kind == Kind.MAX ? "max_pool" : "avg_pool") + window.in().length + "d";
    }

    @Override
    public int outputSize() {
        return samples * channels * outPositions;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] x = inputs.get(0);
        T[] out = field.array(outputSize());
        double size = table.length == 0 ? 1 : table[0].length;
        for (int nc = 0; nc < samples * channels; nc++) {
            int base = nc * inPositions;
            for (int q = 0; q < outPositions; q++) {
                int[] reads = table[q];
                T acc = x[base + reads[0]];
                for (int k = 1; k < reads.length; k++) {
                    T v = x[base + reads[k]];
                    acc = kind == Kind.MAX ? v.subtract(acc).ifPositive(v, acc) : acc.add(v);
                }
                out[nc * outPositions + q] = kind == Kind.MAX ? acc : acc.divide(field.constant(size));
            }
        }
        return out;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        backward(field, inputs, outputGradient, inputGradients, kind);
    }

    /** The backward rule as if the pooling were {@code as} (a max pooling backpropagated as an average is a fault). */
    private <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] outputGradient,
                                              List<T[]> inputGradients, Kind as) {
        T[] gx = inputGradients.get(0);
        if (gx == null) {
            return;
        }
        T[] x = inputs.get(0);
        T zero = field.constant(0);
        T one = field.constant(1);
        double size = table.length == 0 ? 1 : table[0].length;
        for (int nc = 0; nc < samples * channels; nc++) {
            int base = nc * inPositions;
            for (int q = 0; q < outPositions; q++) {
                int[] reads = table[q];
                T g = outputGradient[nc * outPositions + q];
                if (as == Kind.AVG) {
                    T share = g.divide(field.constant(size));
                    for (int read : reads) {
                        gx[base + read] = gx[base + read].add(share);
                    }
                    continue;
                }
                // taken[k] = 1 where entry k replaced the running maximum; the window's maximum is the last entry
                // taken, so entry k receives the gradient when it was taken and no later entry was
                T[] taken = field.array(reads.length);
                T acc = x[base + reads[0]];
                taken[0] = one;
                for (int k = 1; k < reads.length; k++) {
                    T v = x[base + reads[k]];
                    T rise = v.subtract(acc);
                    taken[k] = rise.ifPositive(one, zero);
                    acc = rise.ifPositive(v, acc);
                }
                T later = one;
                for (int k = reads.length - 1; k >= 0; k--) {
                    T chosen = taken[k].multiply(later);
                    gx[base + reads[k]] = gx[base + reads[k]].add(g.multiply(chosen));
                    later = later.multiply(one.subtract(taken[k]));
                }
            }
        }
    }

    /**
     * With respect to its input: each output reads one entry (max) or the mean of k entries (avg) of its window, and
     * an input lies in at most c windows, so the Jacobian's rows have 1-norm 1 and its columns at most c (max) or
     * c/k (avg): {@code ‖J‖₂ ≤ √(‖J‖₁‖J‖∞) = √c} or {@code √(c/k)}, for every input.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        int[] windows = new int[inPositions];
        for (int[] reads : table) {
            for (int r : reads) {
                windows[r]++;
            }
        }
        int c = java.util.Arrays.stream(windows).max().orElse(1);
        double k = table.length == 0 ? 1 : table[0].length;
        double bound = kind == Kind.MAX ? Math.sqrt(c) : Math.sqrt(c / k);
        return java.util.Optional.of(new JacobianBound(bound, bound));
    }

    /**
     * Max pooling's classic backward mistakes: the gradient routed to the first entry of each window instead of its
     * maximum, or spread over the window as for an average.
     */
    @Override
    public List<OpFault> faults() {
        if (kind != Kind.MAX || table.length == 0 || table[0].length < 2) {
            return List.of();
        }
        return List.of(
                new OpFault("MAX_POOL_ROUTED_WRONG", "%s: max pooling's gradient goes to the first entry of each "
                        + "window instead of its maximum", Ops.inDouble(this, new Ops.Backward() {
                            @Override
                            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                    T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                                T[] gx = inputGradients.get(0);
                                if (gx == null) {
                                    return;
                                }
                                for (int nc = 0; nc < samples * channels; nc++) {
                                    for (int q = 0; q < outPositions; q++) {
                                        int at = nc * inPositions + table[q][0];
                                        gx[at] = gx[at].add(outputGradient[nc * outPositions + q]);
                                    }
                                }
                            }
                        })),
                new OpFault("MAX_POOL_SPREAD", "%s: max pooling's gradient is spread evenly over each window, as "
                        + "for an average pooling, instead of going to its maximum", Ops.inDouble(this,
                        new Ops.Backward() {
                            @Override
                            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                    T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                                Pool.this.backward(field, inputs, outputGradient, inputGradients, Kind.AVG);
                            }
                        })));
    }

    @Override
    public String toString() {
        return kind() + "[" + samples + "×" + channels + ", " + window + "]";
    }
}
