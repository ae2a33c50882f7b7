package io.chainproof.ops;

import java.util.Arrays;

/**
 * The geometry of a sliding window over the spatial axes of a {@code [channels][spatial…]} tensor, as PyTorch's
 * convolutions and pooling lay it out: per axis a kernel size, stride, zero padding and dilation; the output has
 * {@code ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1} positions along it. For every output position
 * and kernel offset it gives the input position read, or −1 where the window lies in the padding. Immutable.
 *
 * @param in       the input's spatial sizes, one per axis (1 axis for 1d, 2 for 2d)
 * @param kernel   the kernel size per axis; ≥ 1
 * @param stride   the stride per axis; ≥ 1
 * @param padding  the zero padding per axis, on both sides; ≥ 0
 * @param dilation the dilation per axis; ≥ 1
 */
public record Window(int[] in, int[] kernel, int[] stride, int[] padding, int[] dilation) {

    /**
     * Validates the geometry.
     *
     * @param in       the input's spatial sizes, one per axis (1 axis for 1d, 2 for 2d)
     * @param kernel   the kernel size per axis; ≥ 1
     * @param stride   the stride per axis; ≥ 1
     * @param padding  the zero padding per axis, on both sides; ≥ 0
     * @param dilation the dilation per axis; ≥ 1
     */
    public Window {
        in = in.clone();
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
        int axes = in.length;
        if (axes < 1 || kernel.length != axes || stride.length != axes || padding.length != axes
                || dilation.length != axes) {
            throw new IllegalArgumentException("Window over " + Arrays.toString(in) + " needs kernel, stride, padding "
                    + "and dilation for each of its " + axes + " axes");
        }
        for (int a = 0; a < axes; a++) {
            if (in[a] < 1 || kernel[a] < 1 || stride[a] < 1 || padding[a] < 0 || dilation[a] < 1) {
                throw new IllegalArgumentException("Window axis " + a + ": input " + in[a] + ", kernel " + kernel[a]
                        + ", stride " + stride[a] + ", padding " + padding[a] + ", dilation " + dilation[a]
                        + " must be ≥ 1 (padding ≥ 0)");
            }
            if (outputSize(in[a], kernel[a], stride[a], padding[a], dilation[a]) < 1) {
                throw new IllegalArgumentException("Window axis " + a + ": a kernel spanning "
                        + (dilation[a] * (kernel[a] - 1) + 1) + " positions does not fit the " + in[a]
                        + " positions with padding " + padding[a]);
            }
        }
    }

    /**
     * The output size along one axis, as PyTorch computes it (floor mode); ≤ 0 where the kernel does not fit.
     *
     * @param in       the input size
     * @param kernel   the kernel size
     * @param stride   the stride
     * @param padding  the padding on each side
     * @param dilation the dilation
     * @return the number of output positions
     */
    public static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        int span = in + 2 * padding - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** @return the input size per axis (a copy) */
    @Override
    public int[] in() {
        return in.clone();
    }

    /** @return the kernel per axis (a copy) */
    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    /** @return the stride per axis (a copy) */
    @Override
    public int[] stride() {
        return stride.clone();
    }

    /** @return the padding per axis (a copy) */
    @Override
    public int[] padding() {
        return padding.clone();
    }

    /** @return the dilation per axis (a copy) */
    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    /** @return the output's spatial sizes */
    public int[] out() {
        int[] out = new int[in.length];
        for (int a = 0; a < in.length; a++) {
            out[a] = outputSize(in[a], kernel[a], stride[a], padding[a], dilation[a]);
        }
        return out;
    }

    /** @return the number of input positions (the product of {@link #in()}) */
    public int inPositions() {
        return product(in);
    }

    /** @return the number of output positions */
    public int outPositions() {
        return product(out());
    }

    /** @return the number of kernel offsets */
    public int kernelPositions() {
        return product(kernel);
    }

    /**
     * The input position (row-major over the spatial axes) read at every output position and kernel offset.
     *
     * @return {@code table[q][κ]}: the flat input position, or −1 in the padding
     */
    public int[][] table() {
        return table(stride, padding);
    }

    /**
     * {@link #table()} for this window's output positions but another stride and padding in the mapping: what a
     * backward pass that gets them wrong reads.
     *
     * @param stride  the stride per axis used in the mapping
     * @param padding the padding per axis used in the mapping
     * @return {@code table[q][κ]}: the flat input position, or −1 outside the input
     */
    public int[][] table(int[] stride, int[] padding) {
        int[] out = out();
        int positions = product(out);
        int offsets = product(kernel);
        int[][] table = new int[positions][offsets];
        int axes = in.length;
        int[] q = new int[axes];
        int[] k = new int[axes];
        for (int p = 0; p < positions; p++) {
            unravel(p, out, q);
            for (int o = 0; o < offsets; o++) {
                unravel(o, kernel, k);
                int flat = 0;
                for (int a = 0; a < axes && flat >= 0; a++) {
                    int at = q[a] * stride[a] - padding[a] + k[a] * dilation[a];
                    flat = at < 0 || at >= in[a] ? -1 : flat * in[a] + at;
                }
                table[p][o] = flat;
            }
        }
        return table;
    }

    private static void unravel(int flat, int[] sizes, int[] into) {
        for (int a = sizes.length - 1; a >= 0; a--) {
            into[a] = flat % sizes[a];
            flat /= sizes[a];
        }
    }

    private static int product(int[] sizes) {
        int n = 1;
        for (int s : sizes) {
            n *= s;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && Arrays.equals(in, w.in) && Arrays.equals(kernel, w.kernel)
                && Arrays.equals(stride, w.stride) && Arrays.equals(padding, w.padding)
                && Arrays.equals(dilation, w.dilation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(in), Arrays.hashCode(kernel), Arrays.hashCode(stride),
                Arrays.hashCode(padding), Arrays.hashCode(dilation)});
    }

    @Override
    public String toString() {
        return "window(in " + Arrays.toString(in) + ", kernel " + Arrays.toString(kernel) + ", stride "
                + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                + Arrays.toString(dilation) + ")";
    }
}
