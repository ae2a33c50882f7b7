package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * The affine map on the last axis, PyTorch's {@code Linear}: {@code z[r][j] = b_j + Σ_k W[j][k]·a[r][k]} for every
 * row r, with W {@code [out][in]} and b {@code [out]} (optional). Inputs, in order: a ({@code rows·in}), W
 * ({@code out·in}, row-major), and b ({@code out}) if the op has a bias. Its local derivatives are those of
 * {@code z = w·o + b} ({@code ∂z/∂w = o}, {@code ∂z/∂b = 1}, {@code ∂z/∂o = w}), so the backward rule is
 * {@code ḡ_W[j][k] += Σ_r ḡ_z[r][j]·a[r][k]}, {@code ḡ_b[j] += Σ_r ḡ_z[r][j]},
 * {@code ḡ_a[r][k] += Σ_j W[j][k]·ḡ_z[r][j]}. Instances are immutable.
 */
public final class Dense implements Op {

    private final int rows;
    private final int in;
    private final int out;
    private final boolean bias;

    /**
     * @param rows the number of rows (samples, or steps); ≥ 1
     * @param in   the length of the input's last axis; ≥ 1
     * @param out  the number of output units; ≥ 1
     * @param bias whether a bias vector b is the third input
     */
    public Dense(int rows, int in, int out, boolean bias) {
        if (rows < 1 || in < 1 || out < 1) {
            throw new IllegalArgumentException("Dense op of <" + rows + "> rows, <" + in + "> inputs and <" + out
                    + "> outputs; each must be ≥ 1");
        }
        this.rows = rows;
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public int outputSize() {
        return rows * out;
    }

    /** Two operations (a multiply and an add) per weight per row. */
    @Override
    public double work(int[] inputSizes) {
        return 2.0 * rows * out * in;
    }

    /** @return the length of the input's last axis */
    public int inputs() {
        return in;
    }

    /** @return the number of output units */
    public int outputs() {
        return out;
    }

    /** @return whether the op adds a bias */
    public boolean hasBias() {
        return bias;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        return field.affine(inputs.get(0), inputs.get(1), bias ? inputs.get(2) : null, rows, in, out);
    }

    /** {@link #forward(RealField, List)} on primitives: the same operations in the same order. */
    @Override
    public double[] forward(List<double[]> inputs) {
        double[] a = inputs.get(0);
        double[] w = inputs.get(1);
        double[] b = bias ? inputs.get(2) : null;
        double[] z = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double acc = b != null ? b[j] : w[j * in] * a[r * in];
                for (int k = b != null ? 0 : 1; k < in; k++) {
                    acc = acc + w[j * in + k] * a[r * in + k];
                }
                z[r * out + j] = acc;
            }
        }
        return z;
    }

    /** {@link #backward(RealField, List, Real[], Real[], List, LocalRules)} on primitives, operation for operation. */
    @Override
    public void backward(List<double[]> inputs, double[] output, double[] outputGradient, List<double[]> inputGradients,
                         LocalRules rules) {
        double[] a = inputs.get(0);
        double[] w = inputs.get(1);
        double[] ga = inputGradients.get(0);
        double[] gw = inputGradients.get(1);
        double[] gb = bias ? inputGradients.get(2) : null;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double g = outputGradient[r * out + j];
                if (gw != null) {
                    for (int k = 0; k < in; k++) {
                        gw[j * in + k] = gw[j * in + k] + g * a[r * in + k];
                    }
                }
                if (gb != null) {
                    gb[j] = gb[j] + g;
                }
            }
            if (ga != null) {
                for (int k = 0; k < in; k++) {
                    double acc = 0;
                    for (int j = 0; j < out; j++) {
                        acc = acc + w[j * in + k] * outputGradient[r * out + j];
                    }
                    ga[r * in + k] = ga[r * in + k] + acc;
                }
            }
        }
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        field.affineBackward(inputs.get(0), inputs.get(1), outputGradient, inputGradients.get(0), inputGradients.get(1),
                bias ? inputGradients.get(2) : null, rows, in, out);
    }

    /** The weights' (input 1) gradient, entry by entry: {@code Σ_r g[r, j]·a[r, k]} for W[j, k]. */
    @Override
    public boolean gradientByEntry(int input) {
        return input == 1;
    }

    @Override
    public <T extends Real<T>> T inputGradientEntry(RealField<T> field, List<T[]> inputs, T[] outputGradient, int input,
                                                    int entry) {
        if (input != 1) {
            return Op.super.inputGradientEntry(field, inputs, outputGradient, input, entry);
        }
        return field.affineWeightGradient(inputs.get(0), outputGradient, rows, in, out, entry / in, entry % in);
    }

    /**
     * With respect to its input a: the map a ↦ W·a on every row, whose spectral norm is ‖W‖₂ whatever a is.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        if (input != 0) {
            return java.util.Optional.empty();
        }
        double[] w = inputs.get(1);
        double[][] m = new double[out][in];
        for (int j = 0; j < out; j++) {
            System.arraycopy(w, j * in, m[j], 0, in);
        }
        double norm = SpectralNorm.of(m);
        return java.util.Optional.of(new JacobianBound(norm, norm));
    }

    /**
     * The affine map's classic backward mistakes: a square weight's gradient transposed
     * ({@code ḡ_W = a·ḡ_zᵀ}, rows and columns swapped) and the input gradient through W instead of Wᵀ.
     */
    @Override
    public List<OpFault> faults() {
        if (in != out) {
            return List.of();
        }
        return List.of(
                new OpFault("TRANSPOSED", "%s: the weight gradient is the transpose of the true one (rows and columns "
                        + "swapped)", (inputs, output, g, grads, rules) -> {
                            List<double[]> swapped = new java.util.ArrayList<>(grads);
                            double[] gw = grads.get(1);
                            double[] scratch = gw == null ? null : new double[gw.length];
                            swapped.set(1, scratch);
                            backward(inputs, output, g, swapped, rules);
                            if (gw != null) {
                                for (int j = 0; j < out; j++) {
                                    for (int k = 0; k < in; k++) {
                                        gw[k * in + j] += scratch[j * in + k];
                                    }
                                }
                            }
                        }),
                new OpFault("INPUT_GRADIENT_NOT_TRANSPOSED", "%s: the gradient passed back to the input uses W where Wᵀ "
                        + "belongs", (inputs, output, g, grads, rules) -> {
                            List<double[]> withoutInput = new java.util.ArrayList<>(grads);
                            withoutInput.set(0, null);
                            backward(inputs, output, g, withoutInput, rules);
                            double[] ga = grads.get(0);
                            double[] w = inputs.get(1);
                            if (ga != null) {
                                for (int r = 0; r < rows; r++) {
                                    for (int k = 0; k < in; k++) {
                                        double acc = 0;
                                        for (int j = 0; j < out; j++) {
                                            acc += w[k * in + j] * g[r * out + j];
                                        }
                                        ga[r * in + k] += acc;
                                    }
                                }
                            }
                        }));
    }

    @Override
    public String toString() {
        return "dense[" + rows + "×" + in + "→" + out + (bias ? "" : ", no bias") + "]";
    }
}
