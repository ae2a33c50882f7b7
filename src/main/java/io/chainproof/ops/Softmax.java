package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * Softmax over the last axis, {@code o_j = e^{z_j − m} / Σ_k e^{z_k − m}} per row with {@code m} the row's largest
 * value (a constant shift: it changes neither the value nor the derivative, and no {@code e^z} overflows). Its
 * Jacobian {@code ∂o_i/∂z_j = o_i(δ_ij − o_j)} (proved by Symja in {@code LocalDerivatives.softmax()}) gives the
 * backward rule {@code ḡ_z_j = o_j·(ḡ_o_j − Σ_i ḡ_o_i·o_i)}. Instances are immutable.
 */
public final class Softmax implements Op {

    /**
     * A certified bound of every softmax Jacobian's spectral norm: {@code diag(o) − ooᵀ} is symmetric, so by
     * Gershgorin its norm is at most its largest absolute row sum {@code o_i(1 − o_i) + o_i·Σ_{j≠i} o_j =
     * 2·o_i(1 − o_i) ≤ 1/2}.
     */
    public static final double JACOBIAN_BOUND = 0.5;

    private final int rows;
    private final int width;

    /**
     * @param rows  the number of rows; ≥ 1
     * @param width the length of the last axis, over which each row is normalised; ≥ 1
     */
    public Softmax(int rows, int width) {
        if (rows < 1 || width < 1) {
            throw new IllegalArgumentException("Softmax of <" + rows + "> rows of width <" + width + ">; both must be ≥ 1");
        }
        this.rows = rows;
        this.width = width;
    }

    @Override
    public String kind() {
        return "softmax";
    }

    @Override
    public int outputSize() {
        return rows * width;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] z = inputs.get(0);
        T[] o = field.array(rows * width);
        for (int r = 0; r < rows; r++) {
            T[] row = Softmax.row(field, z, r * width, width);
            System.arraycopy(row, 0, o, r * width, width);
        }
        return o;
    }

    /**
     * The softmax of {@code z[from … from + width)} and, for stable logarithms, {@code log o_j = z_j − m − log Σ e^{z_k − m}}.
     *
     * @param field the arithmetic
     * @param z     the pre-activations
     * @param from  the first entry of the row
     * @param width the row's length
     * @param <T>   the number type
     * @return the row's outputs
     */
    static <T extends Real<T>> T[] row(RealField<T> field, T[] z, int from, int width) {
        T[] e = shiftedExponentials(field, z, from, width);
        T sum = e[0];
        for (int j = 1; j < width; j++) {
            sum = sum.add(e[j]);
        }
        T[] o = field.array(width);
        for (int j = 0; j < width; j++) {
            o[j] = e[j].divide(sum);
        }
        return o;
    }

    /**
     * {@code log o_j = (z_j − m) − log Σ_k e^{z_k − m}} for one row: finite where {@code o_j} itself rounds to 0.
     *
     * @param field the arithmetic
     * @param z     the pre-activations
     * @param from  the first entry of the row
     * @param width the row's length
     * @param <T>   the number type
     * @return the row's log-outputs
     */
    static <T extends Real<T>> T[] logRow(RealField<T> field, T[] z, int from, int width) {
        T[] e = shiftedExponentials(field, z, from, width);
        T sum = e[0];
        for (int j = 1; j < width; j++) {
            sum = sum.add(e[j]);
        }
        T logSum = sum.log();
        T max = max(z, from, width);
        T[] log = field.array(width);
        for (int j = 0; j < width; j++) {
            log[j] = z[from + j].subtract(max).subtract(logSum);
        }
        return log;
    }

    private static <T extends Real<T>> T[] shiftedExponentials(RealField<T> field, T[] z, int from, int width) {
        T max = max(z, from, width);
        T[] e = field.array(width);
        for (int j = 0; j < width; j++) {
            e[j] = z[from + j].subtract(max).exp();
        }
        return e;
    }

    /** The row's maximum as a constant shift ({@link Real#shiftMax}); a symbolic row is not shifted. */
    private static <T extends Real<T>> T max(T[] z, int from, int width) {
        T max = z[from].shiftMax(z[from]);
        for (int j = 1; j < width; j++) {
            max = max.shiftMax(z[from + j]);
        }
        return max;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        T[] gz = inputGradients.get(0);
        if (gz == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            T dot = field.constant(0);
            for (int i = 0; i < width; i++) {
                dot = dot.add(outputGradient[from + i].multiply(output[from + i]));
            }
            for (int j = 0; j < width; j++) {
                gz[from + j] = gz[from + j].add(output[from + j].multiply(outputGradient[from + j].subtract(dot)));
            }
        }
    }

    /** The largest softmax Jacobian exactly here; certified {@value #JACOBIAN_BOUND} for every input. */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        double here = 0;
        for (int r = 0; r < rows; r++) {
            here = Math.max(here, jacobianNorm(java.util.Arrays.copyOfRange(output, r * width, (r + 1) * width)));
        }
        return java.util.Optional.of(new JacobianBound(JACOBIAN_BOUND, here));
    }

    /**
     * ‖diag(o) − ooᵀ‖₂ of one row's outputs.
     *
     * @param o the row's outputs
     * @return the spectral norm of its Jacobian
     */
    public static double jacobianNorm(double[] o) {
        double[][] j = new double[o.length][o.length];
        for (int r = 0; r < o.length; r++) {
            for (int c = 0; c < o.length; c++) {
                j[r][c] = (r == c ? o[r] : 0) - o[r] * o[c];
            }
        }
        return new org.apache.commons.math3.linear.SingularValueDecomposition(
                org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(j)).getNorm();
    }

    @Override
    public String toString() {
        return "softmax[" + rows + "×" + width + "]";
    }
}
