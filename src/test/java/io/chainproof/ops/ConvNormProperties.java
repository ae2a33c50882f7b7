package io.chainproof.ops;

import io.chainproof.proofs.ConvolutionBoundLemma;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConvNorm}'s Fourier norm is the exact norm of a circular convolution — compared with the SVD of its
 * matrix, built entry by entry — and a zero-padded convolution's Jacobian (any stride, padding and dilation; its
 * matrix built column by column from the op's forward rule) never exceeds the bound {@link Conv#jacobianBound}
 * gives, which never exceeds the offset sum.
 */
class ConvNormProperties {

    @Property(tries = 150)
    @Tag("proof:layered-jacobian-bounds")
    void the_fourier_norm_is_the_circular_convolutions_norm(@ForAll @IntRange(min = 1, max = 3) int out,
            @ForAll @IntRange(min = 1, max = 3) int in, @ForAll @IntRange(min = 1, max = 2) int axes,
            @ForAll @IntRange(min = 1, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll @IntRange(min = 0, max = 3) int extra, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int span = dilation * (kernel - 1) + 1;
        int[] k = filled(axes, kernel);
        int[] d = filled(axes, dilation);
        int[] grid = filled(axes, span + extra);
        int offsets = product(k);
        int points = product(grid);
        double[] w = new double[out * in * offsets];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble(-2, 2);
        }
        double[][] m = new double[out * points][in * points];
        int[] q = new int[axes];
        int[] kk = new int[axes];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int at = 0; at < points; at++) {
                    unravel(at, grid, q);
                    for (int off = 0; off < offsets; off++) {
                        unravel(off, k, kk);
                        int p = 0;
                        for (int a = 0; a < axes; a++) {
                            p = p * grid[a] + Math.floorMod(q[a] + kk[a] * d[a], grid[a]);
                        }
                        m[o * points + at][c * points + p] += w[(o * in + c) * offsets + off];
                    }
                }
            }
        }
        double exact = new SingularValueDecomposition(MatrixUtils.createRealMatrix(m)).getNorm();
        double fourier = ConvNorm.circular(w, out, in, k, d, grid);
        assertTrue(fourier >= exact * (1 - 1e-14) && fourier <= exact * (1 + 1e-11),
                "Fourier " + fourier + ", matrix " + exact);
    }

    @Property(tries = 150)
    @Tag("proof:layered-jacobian-bounds")
    void a_zero_padded_convolution_stays_within_its_bound(@ForAll @IntRange(min = 1, max = 3) int out,
            @ForAll @IntRange(min = 1, max = 3) int in, @ForAll @IntRange(min = 1, max = 2) int axes,
            @ForAll @IntRange(min = 1, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 0, max = 2) int padding, @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll @IntRange(min = 0, max = 4) int extra, @ForAll long seed) {
        ConvolutionBoundLemma.assertJacobianWithinBound(ConvolutionBoundLemma.convolution(out, in, axes, kernel, stride,
                padding, dilation, extra, seed), c -> c.conv().jacobianBound(0, c.operands(), null, null).orElseThrow()
                .certified());
    }

    private static int[] filled(int axes, int value) {
        int[] a = new int[axes];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static int product(int[] a) {
        int p = 1;
        for (int v : a) {
            p *= v;
        }
        return p;
    }

    private static void unravel(int flat, int[] sizes, int[] into) {
        for (int a = sizes.length - 1; a >= 0; a--) {
            into[a] = flat % sizes[a];
            flat /= sizes[a];
        }
    }
}
