package io.chainproof.ops;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The spectral norm ‖A‖₂ = σ_max(A) of a matrix of any finite entries, computed as s·‖A/s‖₂ with s = max |a_ij|:
 * Commons Math's singular value decomposition squares entries, so an entry near 1e308 made it NaN (an internal error
 * in {@code bound}); scaled, the result is σ_max to rounding, or +∞ when σ_max itself is beyond the largest double.
 */
public final class SpectralNorm {

    private SpectralNorm() {
    }

    /**
     * @param matrix a non-empty rectangular matrix
     * @return ‖A‖₂; +∞ if an entry is infinite or σ_max overflows, NaN if an entry is NaN
     */
    public static double of(double[][] matrix) {
        double largest = 0;
        for (double[] row : matrix) {
            for (double a : row) {
                largest = Double.isNaN(a) ? Double.NaN : Math.max(largest, Math.abs(a));
                if (Double.isNaN(largest)) {
                    return largest;
                }
            }
        }
        if (largest == 0 || !Double.isFinite(largest)) {
            return largest;
        }
        double[][] scaled = new double[matrix.length][];
        for (int i = 0; i < matrix.length; i++) {
            scaled[i] = new double[matrix[i].length];
            for (int j = 0; j < matrix[i].length; j++) {
                scaled[i][j] = matrix[i][j] / largest;
            }
        }
        return largest * new SingularValueDecomposition(MatrixUtils.createRealMatrix(scaled)).getNorm();
    }
}
