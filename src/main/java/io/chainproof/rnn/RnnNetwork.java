package io.chainproof.rnn;

import io.chainproof.spec.RnnSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The numeric RNN of an {@link RnnSpec}: loss, gradient by backpropagation through time (BPTT) and the
 * hidden-state Jacobians, all in double precision. Instances are immutable; methods never modify their
 * arguments.
 *
 * <p><b>Flat parameter layout.</b> θ is W_h (row-major, {@code hidden × hidden}), then W_x (row-major,
 * {@code hidden × inputs}), b ({@code hidden}), W_y (row-major, {@code outputs × hidden}), b_y ({@code outputs}),
 * named {@code Wh[i][j]}, {@code Wx[i][j]}, {@code b[i]}, {@code Wy[i][j]}, {@code by[i]} (0-based; row i is
 * the unit the weight feeds, as in PyTorch). h_0 is data, not a parameter.
 *
 * <p><b>BPTT</b> (Pascanu, Mikolov, Bengio 2013, eq. (5)–(7)). With z_t = W_h h_{t−1} + W_x x_t + b,
 * D_t = diag(φ'(z_t)) and ℒ_t the loss at step t,
 * <pre>
 *   ∂L/∂W_h = Σ_t Σ_{k≤t} (∂ℒ_t/∂h_t · ∂h_t/∂h_k) · ∂⁺h_k/∂W_h,    ∂h_t/∂h_k = D_t W_h D_{t−1} W_h ⋯ D_{k+1} W_h,
 * </pre>
 * evaluated backwards as δh_t = W_yᵀ δu_t + W_hᵀ δz_{t+1}, δz_t = φ'(z_t) ⊙ δh_t, ∂L/∂W_h += δz_t h_{t−1}ᵀ,
 * ∂L/∂W_x += δz_t x_tᵀ, ∂L/∂b += δz_t, each sample weighted 1/N. Cost O(N·T·(hidden² + hidden·(inputs +
 * outputs))) per gradient. Against PyTorch {@code nn.RNN} float64 autograd on the 12 checked-in references
 * ({@code src/test/resources/reference/rnn/}, T 1–6, hidden 1–4) the largest error, relative to max(1, |ref|),
 * is 7.2e−16 for the gradient and 1.1e−16 for the loss.
 */
public final class RnnNetwork {

    private final RnnSpec spec;
    private final int n;
    private final int in;
    private final int out;
    private final RnnOutput output;
    private final double[][][] x;
    private final double[][][] y;
    private final double[] h0;

    /**
     * @param spec the validated spec
     */
    public RnnNetwork(RnnSpec spec) {
        this.spec = spec;
        this.n = spec.hidden();
        this.in = spec.inputs();
        this.out = spec.outputs();
        this.output = new RnnOutput(spec.outputActivation(), spec.loss());
        this.x = spec.x();
        this.y = spec.y();
        this.h0 = spec.h0();
    }

    /** @return the spec this network computes */
    public RnnSpec spec() {
        return spec;
    }

    /** @return the length of θ: hidden² + hidden·inputs + hidden + outputs·hidden + outputs */
    public int parameterCount() {
        return n * n + n * in + n + out * n + out;
    }

    /** @return the names of θ's entries in layout order: {@code Wh[0][0]}, …, {@code by[outputs−1]} */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        matrixNames(names, "Wh", n, n);
        matrixNames(names, "Wx", n, in);
        vectorNames(names, "b", n);
        matrixNames(names, "Wy", out, n);
        vectorNames(names, "by", out);
        return Collections.unmodifiableList(names);
    }

    /** @return θ of the spec, in the flat layout */
    public double[] parameters() {
        double[] theta = new double[parameterCount()];
        int o = put(theta, 0, spec.wh());
        o = put(theta, o, spec.wx());
        o = put(theta, o, new double[][] {spec.b()});
        o = put(theta, o, spec.wy());
        put(theta, o, new double[][] {spec.by()});
        return theta;
    }

    /**
     * Splits a flat vector (θ or a gradient) into the parameter tensors of the spec file.
     *
     * @param flat a vector of length {@link #parameterCount()}
     * @return {@code Wh}, {@code Wx}, {@code b}, {@code Wy}, {@code by} in that order, as {@code double[][]} or
     *         {@code double[]} — the layout of {@code {name: p.grad}} in PyTorch
     */
    public Map<String, Object> tensors(double[] flat) {
        checkLength(flat);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Wh", block(flat, whOffset(), n, n));
        m.put("Wx", block(flat, wxOffset(), n, in));
        m.put("b", block(flat, bOffset(), 1, n)[0]);
        m.put("Wy", block(flat, wyOffset(), out, n));
        m.put("by", block(flat, byOffset(), 1, out)[0]);
        return m;
    }

    /**
     * @param theta parameters in the flat layout
     * @return L(θ): the per-step loss at the last step or summed over every step, averaged over samples
     */
    public double loss(double[] theta) {
        checkLength(theta);
        double total = 0;
        for (int s = 0; s < x.length; s++) {
            total += sample(theta, s, null);
        }
        return total / x.length;
    }

    /**
     * @param theta parameters in the flat layout
     * @return ∇L(θ) in the flat layout, by BPTT
     */
    public double[] gradient(double[] theta) {
        checkLength(theta);
        double[] g = new double[theta.length];
        for (int s = 0; s < x.length; s++) {
            sample(theta, s, g);
        }
        for (int i = 0; i < g.length; i++) {
            g[i] /= x.length;
        }
        return g;
    }

    /**
     * @param theta  parameters in the flat layout
     * @param sample a sample index
     * @return the hidden states h_0, h_1, …, h_T of that sample, {@code [T + 1][hidden]}
     */
    public double[][] hiddenStates(double[] theta, int sample) {
        return forward(theta, sample)[1];
    }

    /**
     * @param theta  parameters in the flat layout
     * @param sample a sample index
     * @return the pre-activations z_1, …, z_T of that sample as rows 1 … T of a {@code [T + 1][hidden]} array
     *         (row 0 is unused and zero)
     */
    public double[][] preActivations(double[] theta, int sample) {
        return forward(theta, sample)[0];
    }

    /**
     * ∂h_t/∂h_k = D_t W_h D_{t−1} W_h ⋯ D_{k+1} W_h with D_s = diag(φ'(z_s)); the identity for t = k.
     *
     * @param theta  parameters in the flat layout
     * @param sample a sample index
     * @param t      the later step, 0 ≤ k ≤ t ≤ T
     * @param k      the earlier step
     * @return the {@code hidden × hidden} Jacobian
     */
    public double[][] hiddenJacobian(double[] theta, int sample, int t, int k) {
        checkLength(theta);
        int steps = x[sample].length;
        if (k < 0 || k > t || t > steps) {
            throw new IllegalArgumentException("Steps <t = " + t + ", k = " + k + "> must satisfy 0 ≤ k ≤ t ≤ T = "
                    + steps);
        }
        double[][] z = forward(theta, sample)[0];
        double[][] j = new double[n][n];
        for (int i = 0; i < n; i++) {
            j[i][i] = 1;
        }
        for (int s = k + 1; s <= t; s++) {
            double[][] next = new double[n][n];
            for (int r = 0; r < n; r++) {
                double d = RnnActivations.derivative(spec.activation(), z[s][r]);
                for (int c = 0; c < n; c++) {
                    double acc = 0;
                    for (int m = 0; m < n; m++) {
                        acc += theta[whOffset() + r * n + m] * j[m][c];
                    }
                    next[r][c] = d * acc;
                }
            }
            j = next;
        }
        return j;
    }

    /**
     * @param matrix a non-empty rectangular matrix
     * @return its spectral norm ‖A‖₂ = σ_max(A), by Commons Math's SVD
     */
    public static double spectralNorm(double[][] matrix) {
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(matrix)).getNorm();
    }

    /**
     * @param theta parameters in the flat layout
     * @return W_h of θ, {@code [hidden][hidden]}
     */
    public double[][] wh(double[] theta) {
        checkLength(theta);
        return block(theta, whOffset(), n, n);
    }

    /** @return the offset of W_h in θ (0) */
    public int whOffset() {
        return 0;
    }

    /** @return the offset of W_x in θ */
    public int wxOffset() {
        return n * n;
    }

    /** @return the offset of b in θ */
    public int bOffset() {
        return n * n + n * in;
    }

    /** @return the offset of W_y in θ */
    public int wyOffset() {
        return bOffset() + n;
    }

    /** @return the offset of b_y in θ */
    public int byOffset() {
        return wyOffset() + out * n;
    }

    // ---- internals ---------------------------------------------------------------------------------

    /** @return {z, h}: z[t] for t = 1…T (z[0] unused), h[t] for t = 0…T */
    private double[][][] forward(double[] theta, int s) {
        int steps = x[s].length;
        double[][] z = new double[steps + 1][n];
        double[][] h = new double[steps + 1][];
        h[0] = h0.clone();
        for (int t = 1; t <= steps; t++) {
            h[t] = new double[n];
            double[] xt = x[s][t - 1];
            for (int i = 0; i < n; i++) {
                double acc = theta[bOffset() + i];
                for (int j = 0; j < n; j++) {
                    acc += theta[whOffset() + i * n + j] * h[t - 1][j];
                }
                for (int j = 0; j < in; j++) {
                    acc += theta[wxOffset() + i * in + j] * xt[j];
                }
                z[t][i] = acc;
                h[t][i] = RnnActivations.value(spec.activation(), acc);
            }
        }
        return new double[][][] {z, h};
    }

    /** Loss of one sample; if g is not null, adds its (unscaled) gradient to g. */
    private double sample(double[] theta, int s, double[] g) {
        double[][][] zh = forward(theta, s);
        double[][] z = zh[0];
        double[][] h = zh[1];
        int steps = x[s].length;
        boolean every = spec.lossAt() == RnnSpec.LossAt.EVERY;
        double loss = 0;
        double[] carry = new double[n];
        double[] du = new double[out];
        for (int t = steps; t >= 1; t--) {
            double[] dh = carry.clone();
            if (every || t == steps) {
                double[] u = new double[out];
                for (int i = 0; i < out; i++) {
                    double acc = theta[byOffset() + i];
                    for (int j = 0; j < n; j++) {
                        acc += theta[wyOffset() + i * n + j] * h[t][j];
                    }
                    u[i] = acc;
                }
                loss += output.lossAndError(u, y[s][every ? t - 1 : 0], g == null ? null : du);
                if (g != null) {
                    for (int i = 0; i < out; i++) {
                        g[byOffset() + i] += du[i];
                        for (int j = 0; j < n; j++) {
                            g[wyOffset() + i * n + j] += du[i] * h[t][j];
                            dh[j] += theta[wyOffset() + i * n + j] * du[i];
                        }
                    }
                }
            }
            if (g == null) {
                continue;
            }
            double[] dz = new double[n];
            for (int i = 0; i < n; i++) {
                dz[i] = dh[i] * RnnActivations.derivative(spec.activation(), z[t][i]);
                g[bOffset() + i] += dz[i];
                for (int j = 0; j < n; j++) {
                    g[whOffset() + i * n + j] += dz[i] * h[t - 1][j];
                }
                for (int j = 0; j < in; j++) {
                    g[wxOffset() + i * in + j] += dz[i] * x[s][t - 1][j];
                }
            }
            carry = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += theta[whOffset() + i * n + j] * dz[i];
                }
                carry[j] = acc;
            }
        }
        return loss;
    }

    private void checkLength(double[] theta) {
        if (theta == null || theta.length != parameterCount()) {
            throw new IllegalArgumentException("Parameter vector length <" + (theta == null ? "null" : theta.length)
                    + "> must be " + parameterCount() + " (Wh, Wx, b, Wy, by of " + spec.name() + ")");
        }
    }

    private static double[][] block(double[] flat, int offset, int rows, int columns) {
        double[][] m = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, offset + i * columns, m[i], 0, columns);
        }
        return m;
    }

    private static int put(double[] flat, int offset, double[][] m) {
        int o = offset;
        for (double[] row : m) {
            System.arraycopy(row, 0, flat, o, row.length);
            o += row.length;
        }
        return o;
    }

    private static void matrixNames(List<String> names, String name, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                names.add(name + "[" + i + "][" + j + "]");
            }
        }
    }

    private static void vectorNames(List<String> names, String name, int length) {
        for (int i = 0; i < length; i++) {
            names.add(name + "[" + i + "]");
        }
    }
}
