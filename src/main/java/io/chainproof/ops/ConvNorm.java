package io.chainproof.ops;


/**
 * The spectral norm of a convolution's kernel as an operator, two ways. Kernel W has shape
 * {@code [O][C][κ…]}, W_κ the O×C matrix at offset κ.
 * <ul>
 *   <li>{@link #offsetSum}: Σ_κ ‖W_κ‖₂, a bound for any padding, stride and dilation (the triangle inequality on
 *       the sum of shifted channel maps).</li>
 *   <li>{@link #circular}: the exact norm of the <em>circular</em> convolution on a grid of L_a positions per axis,
 *       from its Fourier blocks (Sedghi, Gupta &amp; Long 2019): the DFT over positions, applied to every channel,
 *       turns it into the block-diagonal map with blocks K̂(ω) = Σ_κ W_κ·e^{2πi ω·κd/L}, so its norm is
 *       max_ω ‖K̂(ω)‖₂ over the L grid frequencies. A zero-padded convolution on inputs of n positions is the
 *       circular one on the padded grid L = n + 2·pad, with the input embedded (an isometry) and only the
 *       outputs at strided positions kept (a restriction): its window never wraps, so its norm is at most the
 *       circular norm — exact for circular padding, a bound (usually much tighter than the offset sum)
 *       otherwise.</li>
 * </ul>
 * Each ‖K̂(ω)‖₂ is the largest singular value of the real matrix [[A, −B], [B, A]] for K̂ = A + iB (whose singular
 * values are those of K̂, each twice), by Commons Math's SVD; the maximum is enlarged by a relative
 * {@code 64·ε·(offsets + O + C)} to cover the rounding of the sums and of the SVD, so that it stays a bound.
 */
public final class ConvNorm {

    /** The most scalar operations {@link #circular} may take; beyond, callers keep the offset sum. */
    public static final double MAX_WORK = 2e8;

    private ConvNorm() {
    }

    /**
     * Σ_κ ‖W_κ‖₂.
     *
     * @param w       the kernel, flat {@code [O][C][κ…]}
     * @param out     O
     * @param in      C
     * @param offsets the number of kernel offsets
     * @return the sum of the offsets' spectral norms
     */
    public static double offsetSum(double[] w, int out, int in, int offsets) {
        double sum = 0;
        for (int k = 0; k < offsets; k++) {
            double[][] m = new double[out][in];
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    m[o][c] = w[(o * in + c) * offsets + k];
                }
            }
            sum += SpectralNorm.of(m);
        }
        return sum;
    }

    /**
     * About how many scalar operations {@link #circular} takes.
     *
     * @param out    O
     * @param in     C
     * @param kernel the kernel size per axis
     * @param grid   L per axis
     * @return the estimate
     */
    public static double work(int out, int in, int[] kernel, int[] grid) {
        double points = 1;
        double offsets = 1;
        for (int a = 0; a < grid.length; a++) {
            points *= grid[a];
            offsets *= kernel[a];
        }
        double m = 2.0 * out;
        double n = 2.0 * in;
        return points * (offsets * out * in * 4 + 12 * m * n * Math.min(m, n));
    }

    /**
     * The norm of the circular convolution with kernel W, dilation d, on a grid of L positions per axis; at least
     * the norm of the zero-padded convolution whose padded input has L positions per axis, at any stride.
     *
     * @param w        the kernel, flat {@code [O][C][κ…]} (offsets row-major over the axes)
     * @param out      O
     * @param in       C
     * @param kernel   the kernel size per axis
     * @param dilation the dilation per axis
     * @param grid     L per axis; each ≥ the kernel's span there
     * @return max_ω ‖K̂(ω)‖₂, enlarged to cover rounding
     */
    public static double circular(double[] w, int out, int in, int[] kernel, int[] dilation, int[] grid) {
        int axes = grid.length;
        int offsets = 1;
        int points = 1;
        for (int a = 0; a < axes; a++) {
            offsets *= kernel[a];
            points *= grid[a];
        }
        int[] k = new int[axes];
        int[] omega = new int[axes];
        double[] phase = new double[offsets];
        double largest = 0;
        for (int f = 0; f < points; f++) {
            unravel(f, grid, omega);
            for (int o = 0; o < offsets; o++) {
                unravel(o, kernel, k);
                double turns = 0;
                for (int a = 0; a < axes; a++) {
                    // reduce ω·κ·d mod L exactly in integers before turning it into an angle
                    turns += (double) Math.floorMod((long) omega[a] * k[a] * dilation[a], (long) grid[a]) / grid[a];
                }
                phase[o] = 2 * Math.PI * turns;
            }
            double[][] m = new double[2 * out][2 * in];
            for (int r = 0; r < out; r++) {
                for (int c = 0; c < in; c++) {
                    double re = 0;
                    double im = 0;
                    for (int o = 0; o < offsets; o++) {
                        double v = w[(r * in + c) * offsets + o];
                        re += v * Math.cos(phase[o]);
                        im += v * Math.sin(phase[o]);
                    }
                    m[r][c] = re;
                    m[r][in + c] = -im;
                    m[out + r][c] = im;
                    m[out + r][in + c] = re;
                }
            }
            largest = Math.max(largest, SpectralNorm.of(m));
        }
        return largest * (1 + 64 * Math.ulp(1.0) * (offsets + out + in));
    }

    private static void unravel(int flat, int[] sizes, int[] into) {
        for (int a = sizes.length - 1; a >= 0; a--) {
            into[a] = flat % sizes[a];
            flat /= sizes[a];
        }
    }
}
