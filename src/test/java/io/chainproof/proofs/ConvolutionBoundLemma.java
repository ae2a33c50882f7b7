package io.chainproof.proofs;

import io.chainproof.ops.Conv;
import io.chainproof.ops.ConvNorm;
import io.chainproof.ops.Window;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item 1 of {@code proofs/layered-jacobian-bounds.md} on one zero-padded convolution: its Jacobian, built column by
 * column from the op's forward rule, has spectral norm (by SVD) at most the bound under test, which is at most the
 * offset sum Σ_κ ‖W_κ‖₂. The bound under test is chainproof's {@link Conv#jacobianBound} in
 * {@code io.chainproof.ops.ConvNormProperties}, broken ones in {@link LemmaSensitivityTests}.
 */
public final class ConvolutionBoundLemma {

    private ConvolutionBoundLemma() {
    }

    /**
     * One convolution with its weights: kernel W [out][in][κ…] flattened as {@code w[(o·in + c)·offsets + κ]}.
     *
     * @param conv   the op
     * @param window its geometry
     * @param out    output channels
     * @param in     input channels
     * @param w      the kernel
     * @param b      the bias
     */
    public record Case(Conv conv, Window window, int out, int in, double[] w, double[] b) {

        /** The op's operands at input 0 (the bound does not depend on the input: the map is linear). */
        public List<double[]> operands() {
            return List.of(new double[in * window.inPositions()], w, b);
        }

        /** ‖W_κ‖₂ of the out × in matrix at kernel offset κ. */
        public double offsetNorm(int offset) {
            int offsets = window.kernelPositions();
            double[][] m = new double[out][in];
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    m[o][c] = w[(o * in + c) * offsets + offset];
                }
            }
            return new SingularValueDecomposition(MatrixUtils.createRealMatrix(m)).getNorm();
        }
    }

    /** The implementation under test: a bound on ‖J‖₂ of a convolution. */
    @FunctionalInterface
    public interface Bound {
        /**
         * @param c the convolution
         * @return the bound
         */
        double of(Case c);
    }

    /**
     * The convolution with {@code axes} axes of the given sizes, weights uniform in [−2, 2] from {@code seed}, and
     * an input just large enough for the kernel plus {@code extra} positions per axis.
     */
    public static Case convolution(int out, int in, int axes, int kernel, int stride, int padding, int dilation,
                                   int extra, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int span = dilation * (kernel - 1) + 1;
        int size = Math.max(1, span - 2 * padding) + extra;
        Window window = new Window(filled(axes, size), filled(axes, kernel), filled(axes, stride),
                filled(axes, padding), filled(axes, dilation));
        Conv conv = new Conv(1, in, out, window);
        double[] w = new double[out * in * window.kernelPositions()];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextDouble(-2, 2);
        }
        return new Case(conv, window, out, in, w, new double[out]);
    }

    /**
     * ‖J‖₂ ≤ bound ≤ Σ_κ ‖W_κ‖₂ for one convolution.
     *
     * @param c     the convolution
     * @param bound the bound under test
     */
    public static void assertJacobianWithinBound(Case c, Bound bound) {
        int inputs = c.in() * c.window().inPositions();
        double[][] jacobian = new double[c.conv().outputSize()][inputs];
        for (int j = 0; j < inputs; j++) {
            double[] e = new double[inputs];
            e[j] = 1;
            double[] column = c.conv().forward(List.of(e, c.w(), c.b()));
            for (int r = 0; r < column.length; r++) {
                jacobian[r][j] = column[r];
            }
        }
        double exact = new SingularValueDecomposition(MatrixUtils.createRealMatrix(jacobian)).getNorm();
        double bounded = bound.of(c);
        double sum = ConvNorm.offsetSum(c.w(), c.out(), c.in(), c.window().kernelPositions());
        assertTrue(exact <= bounded * (1 + 1e-13), "‖J‖₂ " + exact + " above the bound " + bounded + " (" + c.window()
                + ")");
        assertTrue(bounded <= sum * (1 + 1e-13), "bound " + bounded + " above the offset sum " + sum);
    }

    private static int[] filled(int axes, int value) {
        int[] a = new int[axes];
        Arrays.fill(a, value);
        return a;
    }
}
