package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * A convolution over 1 or 2 spatial axes, PyTorch's {@code Conv1d}/{@code Conv2d} (cross-correlation, zero
 * padding): {@code z[n][o][q] = b[o] + Σ_c Σ_κ W[o][c][κ]·x[n][c][q·s − p + κ·d]}, the sum over the kernel offsets κ
 * whose input position lies inside x. Inputs, in order: x ({@code [N][C][spatial…]}), W ({@code [O][C][kernel…]}),
 * b ({@code [O]}). Backward: each weight gathers {@code ḡ_z·x} over every output position it touched, the input
 * gathers {@code W·ḡ_z} over every window that read it (the "flipped" kernel), the bias sums {@code ḡ_z}.
 * Instances are immutable.
 */
public final class Conv implements Op {

    private final int samples;
    private final int inChannels;
    private final int outChannels;
    private final Window window;
    private final int[][] table;
    private final int inPositions;
    private final int outPositions;
    private final int offsets;

    /**
     * @param samples     N, the number of samples; ≥ 1
     * @param inChannels  C; ≥ 1
     * @param outChannels O; ≥ 1
     * @param window      the kernel's geometry over the spatial axes
     */
    public Conv(int samples, int inChannels, int outChannels, Window window) {
        if (samples < 1 || inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Convolution of <" + samples + "> samples, <" + inChannels + "> → <"
                    + outChannels + "> channels; each must be ≥ 1");
        }
        this.samples = samples;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.table = window.table();
        this.inPositions = window.inPositions();
        this.outPositions = window.outPositions();
        this.offsets = window.kernelPositions();
    }

    @Override
    public String kind() {
        return "conv" + window.in().length + "d";
    }

    @Override
    public int outputSize() {
        return samples * outChannels * outPositions;
    }

    /** Two operations per kernel offset, input channel and output entry. */
    @Override
    public double work(int[] inputSizes) {
        return 2.0 * outputSize() * inChannels * offsets;
    }

    /** @return the kernel's geometry */
    public Window window() {
        return window;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] x = inputs.get(0);
        T[] w = inputs.get(1);
        T[] b = inputs.get(2);
        T[] z = field.array(outputSize());
        for (int n = 0; n < samples; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int q = 0; q < outPositions; q++) {
                    T acc = b[o];
                    for (int c = 0; c < inChannels; c++) {
                        int xBase = (n * inChannels + c) * inPositions;
                        int wBase = (o * inChannels + c) * offsets;
                        int[] reads = table[q];
                        for (int k = 0; k < offsets; k++) {
                            if (reads[k] >= 0) {
                                acc = acc.add(w[wBase + k].multiply(x[xBase + reads[k]]));
                            }
                        }
                    }
                    z[(n * outChannels + o) * outPositions + q] = acc;
                }
            }
        }
        return z;
    }

    /** {@link #forward(RealField, List)} on primitives: the same operations in the same order. */
    @Override
    public double[] forward(List<double[]> inputs) {
        double[] x = inputs.get(0);
        double[] w = inputs.get(1);
        double[] b = inputs.get(2);
        double[] z = new double[outputSize()];
        for (int n = 0; n < samples; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int q = 0; q < outPositions; q++) {
                    double acc = b[o];
                    int[] reads = table[q];
                    for (int c = 0; c < inChannels; c++) {
                        int xBase = (n * inChannels + c) * inPositions;
                        int wBase = (o * inChannels + c) * offsets;
                        for (int k = 0; k < offsets; k++) {
                            if (reads[k] >= 0) {
                                acc = acc + w[wBase + k] * x[xBase + reads[k]];
                            }
                        }
                    }
                    z[(n * outChannels + o) * outPositions + q] = acc;
                }
            }
        }
        return z;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        backward(inputs, outputGradient, inputGradients, table, false);
    }

    /** The backward rule on primitives, operation for operation (the faults keep the generic path). */
    @Override
    public void backward(List<double[]> inputs, double[] output, double[] outputGradient, List<double[]> inputGradients,
                         LocalRules rules) {
        double[] x = inputs.get(0);
        double[] w = inputs.get(1);
        double[] gx = inputGradients.get(0);
        double[] gw = inputGradients.get(1);
        double[] gb = inputGradients.get(2);
        for (int n = 0; n < samples; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int q = 0; q < outPositions; q++) {
                    double g = outputGradient[(n * outChannels + o) * outPositions + q];
                    if (gb != null) {
                        gb[o] = gb[o] + g;
                    }
                    int[] reads = table[q];
                    for (int c = 0; c < inChannels; c++) {
                        int xBase = (n * inChannels + c) * inPositions;
                        int wBase = (o * inChannels + c) * offsets;
                        for (int k = 0; k < offsets; k++) {
                            int at = reads[k];
                            if (at < 0) {
                                continue;
                            }
                            if (gw != null) {
                                gw[wBase + k] = gw[wBase + k] + g * x[xBase + at];
                            }
                            if (gx != null) {
                                gx[xBase + at] = gx[xBase + at] + w[wBase + k] * g;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The backward rule reading input positions through {@code map} (output position → kernel offset → input
     * position), with the kernel reversed for the input
     * gradient when {@code unflipped} (the classic mistakes are this rule with the wrong table or kernel).
     */
    private <T extends Real<T>> void backward(List<T[]> inputs, T[] outputGradient, List<T[]> inputGradients,
                                              int[][] map, boolean unflipped) {
        T[] x = inputs.get(0);
        T[] w = inputs.get(1);
        T[] gx = inputGradients.get(0);
        T[] gw = inputGradients.get(1);
        T[] gb = inputGradients.get(2);
        for (int n = 0; n < samples; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int q = 0; q < outPositions; q++) {
                    T g = outputGradient[(n * outChannels + o) * outPositions + q];
                    if (gb != null) {
                        gb[o] = gb[o].add(g);
                    }
                    int[] reads = map[q];
                    for (int c = 0; c < inChannels; c++) {
                        int xBase = (n * inChannels + c) * inPositions;
                        int wBase = (o * inChannels + c) * offsets;
                        for (int k = 0; k < offsets; k++) {
                            int at = reads[k];
                            if (at < 0) {
                                continue;
                            }
                            if (gw != null) {
                                gw[wBase + k] = gw[wBase + k].add(g.multiply(x[xBase + at]));
                            }
                            if (gx != null) {
                                int kk = unflipped ? offsets - 1 - k : k;
                                gx[xBase + at] = gx[xBase + at].add(w[wBase + kk].multiply(g));
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * With respect to its input x: the convolution is linear in x, so its Jacobian is the same map at every x, and
     * its norm is bounded two ways ({@link ConvNorm}): Σ_κ ‖W_κ‖₂ (the sum over kernel offsets of the channel maps,
     * each shifted and stride-sampled with norm ≤ 1), and the exact norm of the circular convolution on the padded
     * grid (Sedghi et al. 2019), which the zero-padded one embeds in — the smaller of the two, the second taken
     * where its Fourier blocks cost at most {@value ConvNorm#MAX_WORK} operations. For circular padding the second
     * would be exact; for the zero padding of PyTorch's layers both are upper bounds.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        if (input != 0) {
            return java.util.Optional.empty();
        }
        double[] w = inputs.get(1);
        double bound = ConvNorm.offsetSum(w, outChannels, inChannels, offsets);
        int[] grid = window.in();
        int[] padding = window.padding();
        for (int a = 0; a < grid.length; a++) {
            grid[a] += 2 * padding[a];
        }
        if (offsets > 1 && ConvNorm.work(outChannels, inChannels, window.kernel(), grid) <= ConvNorm.MAX_WORK) {
            bound = Math.min(bound, ConvNorm.circular(w, outChannels, inChannels, window.kernel(), window.dilation(),
                    grid));
        }
        return java.util.Optional.of(new JacobianBound(bound, bound));
    }

    /**
     * A convolution's classic backward mistakes: the input gradient computed with the kernel not flipped (each
     * window's weights taken in reverse order), and a backward pass that maps output to input positions without the
     * padding, or with stride 1 — as if the forward pass had neither.
     */
    @Override
    public List<OpFault> faults() {
        List<OpFault> faults = new java.util.ArrayList<>();
        if (offsets > 1) {
            faults.add(new OpFault("KERNEL_NOT_FLIPPED", "%s: the gradient passed back to the convolution's input "
                    + "uses the kernel in the wrong orientation (not flipped: each window's weights in reverse order)",
                    variant(table, true)));
        }
        int axes = window.in().length;
        if (java.util.Arrays.stream(window.padding()).anyMatch(p -> p > 0)) {
            faults.add(new OpFault("BACKWARD_PADDING_WRONG", "%s: the convolution's backward pass ignores its "
                    + "padding " + java.util.Arrays.toString(window.padding()) + ": every gradient read or written "
                    + "at input positions shifted by the padding", variant(window.table(window.stride(), new int[axes]),
                    false)));
        }
        if (java.util.Arrays.stream(window.stride()).anyMatch(s -> s > 1)) {
            int[] one = new int[axes];
            java.util.Arrays.fill(one, 1);
            faults.add(new OpFault("BACKWARD_STRIDE_WRONG", "%s: the convolution's backward pass uses stride 1 "
                    + "where the forward pass used " + java.util.Arrays.toString(window.stride()),
                    variant(window.table(one, window.padding()), false)));
        }
        return faults;
    }

    private OpFault.Rule variant(int[][] reads, boolean unflipped) {
        return Ops.inDouble(this, new Ops.Backward() {
            @Override
            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                                     T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                Conv.this.backward(inputs, outputGradient, inputGradients, reads, unflipped);
            }
        });
    }

    @Override
    public String toString() {
        return kind() + "[" + samples + "×" + inChannels + "→" + outChannels + ", " + window + "]";
    }
}
