package io.chainproof.bounds;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;

/** The matrix norms the bounds are made of, by Commons Math's decompositions. */
public final class MatrixNorms {

    private MatrixNorms() {
    }

    /**
     * @param matrix a non-empty rectangular matrix
     * @return its spectral norm ‖A‖₂ = σ_max(A), by {@link io.chainproof.ops.SpectralNorm} (scaled: no NaN from entries
     *         near the largest double)
     */
    public static double spectralNorm(double[][] matrix) {
        return io.chainproof.ops.SpectralNorm.of(matrix);
    }

    /**
     * @param matrix a square, non-empty matrix
     * @return ρ(A) = max |λ_i| over the (complex) eigenvalues
     */
    public static double spectralRadius(double[][] matrix) {
        EigenDecomposition e = new EigenDecomposition(MatrixUtils.createRealMatrix(matrix));
        double[] re = e.getRealEigenvalues();
        double[] im = e.getImagEigenvalues();
        double r = 0;
        for (int i = 0; i < re.length; i++) {
            r = Math.max(r, Math.hypot(re[i], im[i]));
        }
        return r;
    }
}
