package io.chainproof.bounds;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.Attention;
import io.chainproof.ops.ElementwiseOp;
import io.chainproof.ops.JacobianBound;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds of the gated recurrent layers and the paths the lecture follows through recurrent and attention layers
 * ({@code proofs/layered-jacobian-bounds.md}, items 7–10). A recurrent layer's Jacobian from its input sequence to its
 * outputs is block lower triangular, {@code ∂h_t/∂x_k = P_h J_t ⋯ J_{k+1} X_k} with {@code J_t = ∂s_t/∂s_{t−1}} the
 * step's Jacobian in the state {@code s_t} ({@code (c_t, h_t)} for an LSTM, {@code h_t} for a GRU) and
 * {@code X_k = ∂s_k/∂x_k}; with per-step bounds {@code ‖J_t‖ ≤ j_t}, {@code ‖X_k‖ ≤ x_k} its norm is at most the
 * sum over the block diagonals d of their largest block, {@code Σ_d max_t x_{t−d} ∏_{u=t−d+1}^{t} j_u} — the rnn
 * bound's sum with the steps' own factors. Built per model; not thread-safe.
 */
final class CellBounds {

    /** Above this many steps the sum over block diagonals uses the largest per-step factors (linear, not quadratic). */
    private static final int EXACT_SUM_STEPS = 4000;

    private final Model model;
    private final double[][] values;
    private final Map<String, Integer> index = new HashMap<>();
    final List<LayeredBounds.Path> paths = new ArrayList<>();

    CellBounds(Model model, double[][] values) {
        this.model = model;
        this.values = values;
        for (int t = 0; t < model.tensors().size(); t++) {
            index.put(model.tensor(t).name(), t);
        }
    }

    private double[] value(String name) {
        Integer t = index.get(name);
        if (t == null) {
            throw new IllegalStateException("model " + model.name() + " has no tensor " + name);
        }
        return values[t];
    }

    /** The state tensor {@code name} at step t (1-based), or the zero initial state at t = 0. */
    private double[] state(String name, String p, int t) {
        return t == 0 ? value(name + "0_" + p) : value(name + p + "[" + t + "]");
    }

    /** ‖rows {@code k·h … (k+1)·h − 1} of a {@code [gates·h][columns]} weight‖₂. */
    private double block(String weight, int k, int h) {
        double[] w = value(weight);
        int columns = columnsOf(weight);
        double[][] rows = new double[h][columns];
        for (int r = 0; r < h; r++) {
            System.arraycopy(w, (k * h + r) * columns, rows[r], 0, columns);
        }
        return MatrixNorms.spectralNorm(rows);
    }

    private int columnsOf(String weight) {
        int[] dims = model.tensor(index.get(weight)).shape().dims();
        return dims[dims.length - 1];
    }

    /** The steps of a recurrent layer: how many W_ih products its graph has. */
    private int steps(String p) {
        int t = 0;
        while (index.containsKey("h" + p + "[" + (t + 1) + "]")) {
            t++;
        }
        return t;
    }

    /** An rnn layer: its bound as the rnn rule gives it, and the recurrent path ∂h_T/∂h_1. */
    double[] rnn(LayeredSpec.Recurrent r, double[] bound) {
        String p = r.position();
        int steps = steps(p);
        double whh = MatrixNorms.spectralNorm(matrix("W_hh" + p));
        double[] here = new double[steps + 1];
        double gamma = 0;
        for (Node node : model.nodes()) {
            if (node.label().equals("layer " + p) && node.op() instanceof ElementwiseOp && node.step() > 0) {
                List<double[]> inputs = new ArrayList<>();
                for (int i = 0; i < node.inputCount(); i++) {
                    inputs.add(values[node.input(i)]);
                }
                JacobianBound b = node.op().jacobianBound(0, inputs, values[node.output()], SymbolicRules.instance())
                        .orElseThrow();
                here[node.step()] = Math.max(here[node.step()], b.here());
                gamma = Math.max(gamma, b.certified());
            }
        }
        double certified = 1;
        double atData = 1;
        for (int t = 2; t <= steps; t++) {
            certified *= gamma * whh;
            atData *= here[t] * whh;
        }
        paths.add(new LayeredBounds.Path(p, r.type(), "recurrent path ‖∂h_T/∂h_1‖₂ ≤ ∏_{t=2}^{T} c_t‖W_hh‖₂ over "
                + (steps - 1) + (steps == 2 ? " step" : " steps"), certified, atData,
                exact(state("h", p, 1), "h" + p + "[1]", "h" + p + "[" + steps + "]")));
        return bound;
    }

    /**
     * An lstm layer (item 8). Per step, with σ' = σ(1 − σ) and primes at the pre-activations,
     * <pre>
     *   ∂c_t/∂c_{t−1} = D(f)                 ∂c_t/∂h_{t−1} = D(c_{t−1}σ'_f)W_f + D(g σ'_i)W_i + D(i tanh'_g)W_g =: B
     *   ∂h_t/∂c_{t−1} = D(o tanh'(c_t) f)    ∂h_t/∂h_{t−1} = D(tanh(c_t) σ'_o)W_o + D(o tanh'(c_t)) B
     * </pre>
     * (W_· the gate blocks of W_hh; with W_ih's blocks for ∂s_t/∂x_t), each block bounded by its diagonal's largest
     * entry times ‖W‖₂ and the step by the spectral norm of the 2×2 matrix of block bounds. Certified: gates in
     * (0, 1), |g|, |tanh| &lt; 1, σ' ≤ 1/4, tanh' ≤ 1 and, from c_0 = 0, |c_{t−1}| ≤ t − 1. The cell path
     * {@code ∂c_T/∂c_1 = ∏_{t=2}^{T} D(f_t)} — no weight, no activation slope: the constant-error carousel — is
     * diagonal: its norm is exactly the largest product of one unit's forget gates.
     */
    double[] lstm(LayeredSpec.Recurrent r) {
        String p = r.position();
        int hidden = r.hidden();
        int steps = steps(p);
        String wih = "W_ih" + p;
        String whh = "W_hh" + p;
        double[] w = {block(whh, 0, hidden), block(whh, 1, hidden), block(whh, 2, hidden), block(whh, 3, hidden)};
        double[] v = {block(wih, 0, hidden), block(wih, 1, hidden), block(wih, 2, hidden), block(wih, 3, hidden)};
        double[] jCertified = new double[steps];
        double[] xCertified = new double[steps];
        double[] jHere = new double[steps];
        double[] xHere = new double[steps];
        Diagonal carousel = new Diagonal();
        for (int t = 1; t <= steps; t++) {
            double[] i = value("i" + p + "[" + t + "]");
            double[] f = value("f" + p + "[" + t + "]");
            double[] g = value("g" + p + "[" + t + "]");
            double[] o = value("o" + p + "[" + t + "]");
            double[] tc = value("tanh(c)" + p + "[" + t + "]");
            double[] cPrev = state("c", p, t - 1);
            double b = (t - 1) / 4.0 * w[1] + w[0] / 4 + w[2];
            double bx = (t - 1) / 4.0 * v[1] + v[0] / 4 + v[2];
            jCertified[t - 1] = norm2(1, b, 1, w[3] / 4 + b);
            xCertified[t - 1] = Math.hypot(bx, v[3] / 4 + bx);
            double sf = 0, si = 0, sg = 0, so = 0, kappa = 0, kappaF = 0, forget = 0;
            for (int k = 0; k < f.length; k++) {
                sf = Math.max(sf, Math.abs(cPrev[k] * f[k] * (1 - f[k])));
                si = Math.max(si, Math.abs(g[k] * i[k] * (1 - i[k])));
                sg = Math.max(sg, Math.abs(i[k] * (1 - g[k] * g[k])));
                so = Math.max(so, Math.abs(tc[k] * o[k] * (1 - o[k])));
                kappa = Math.max(kappa, Math.abs(o[k] * (1 - tc[k] * tc[k])));
                kappaF = Math.max(kappaF, Math.abs(o[k] * (1 - tc[k] * tc[k]) * f[k]));
                forget = Math.max(forget, f[k]);
            }
            double bh = sf * w[1] + si * w[0] + sg * w[2];
            double bxh = sf * v[1] + si * v[0] + sg * v[2];
            jHere[t - 1] = norm2(forget, bh, kappaF, so * w[3] + kappa * bh);
            xHere[t - 1] = Math.hypot(bxh, so * v[3] + kappa * bxh);
            if (t >= 2) {
                carousel.times(f);
            }
        }
        paths.add(carousel.path(p, r.type(), "cell path ∂c_T/∂c_1 = ∏_{t=2}^{T} diag(f_t) over " + (steps - 1)
                + (steps == 2 ? " step" : " steps") + " (the constant-error carousel)"));
        statePath(r, steps, jCertified, jHere, "‖∂h_T/∂h_1‖₂ ≤ ∏_{t=2}^{T} ‖∂(c_t, h_t)/∂(c_{t−1}, h_{t−1})‖₂");
        return new double[] {sequence(jCertified, xCertified), sequence(jHere, xHere)};
    }

    /**
     * A gru layer (item 9). Per step, with n's pre-activation {@code W_in x + b_in + r ⊙ (W_hn h + b_hn)},
     * <pre>
     *   ∂h_t/∂h_{t−1} = D(z) + D((h_{t−1} − n)σ'_z)W_z + D((1 − z)tanh'_n r)W_n + D((1 − z)tanh'_n (W_hn h + b_hn)σ'_r)W_r
     * </pre>
     * (and W_ih's blocks for the input, without D(z) and the r on W_in). Certified: from h_0 = 0 every h is a convex
     * combination of tanh values, so |h| ≤ 1, |h − n| ≤ 2 and |W_hn h + b_hn| ≤ ‖W_n‖₂√H + max|b_hn|. The update path
     * {@code ∏_{t=2}^{T} D(z_t)} (the part of ∂h_T/∂h_1 that skips every weight) is diagonal: its norm is exactly the
     * largest product of one unit's update gates.
     */
    double[] gru(LayeredSpec.Recurrent r) {
        String p = r.position();
        int hidden = r.hidden();
        int steps = steps(p);
        String wih = "W_ih" + p;
        String whh = "W_hh" + p;
        double[] w = {block(whh, 0, hidden), block(whh, 1, hidden), block(whh, 2, hidden)};
        double[] v = {block(wih, 0, hidden), block(wih, 1, hidden), block(wih, 2, hidden)};
        double[] bhh = value("b_hh" + p);
        double bn = 0;
        for (int k = 2 * hidden; k < 3 * hidden; k++) {
            bn = Math.max(bn, Math.abs(bhh[k]));
        }
        double ghn = w[2] * Math.sqrt(hidden) + bn;
        double jCert = 1 + 0.5 * w[1] + w[2] + ghn / 4 * w[0];
        double xCert = 0.5 * v[1] + v[2] + ghn / 4 * v[0];
        double[] jCertified = new double[steps];
        double[] xCertified = new double[steps];
        double[] jHere = new double[steps];
        double[] xHere = new double[steps];
        Diagonal update = new Diagonal();
        for (int t = 1; t <= steps; t++) {
            double[] reset = value("r" + p + "[" + t + "]");
            double[] z = value("z" + p + "[" + t + "]");
            double[] n = value("n" + p + "[" + t + "]");
            double[] gn = value("gh_n" + p + "[" + t + "]");
            double[] hPrev = state("h", p, t - 1);
            double sz = 0, sn = 0, snr = 0, sr = 0, zmax = 0;
            for (int k = 0; k < z.length; k++) {
                double through = (1 - z[k]) * (1 - n[k] * n[k]);
                sz = Math.max(sz, Math.abs((hPrev[k] - n[k]) * z[k] * (1 - z[k])));
                sn = Math.max(sn, Math.abs(through));
                snr = Math.max(snr, Math.abs(through * reset[k]));
                sr = Math.max(sr, Math.abs(through * gn[k] * reset[k] * (1 - reset[k])));
                zmax = Math.max(zmax, z[k]);
            }
            jCertified[t - 1] = jCert;
            xCertified[t - 1] = xCert;
            jHere[t - 1] = zmax + sz * w[1] + snr * w[2] + sr * w[0];
            xHere[t - 1] = sz * v[1] + sn * v[2] + sr * v[0];
            if (t >= 2) {
                update.times(z);
            }
        }
        paths.add(update.path(p, r.type(), "update path ∏_{t=2}^{T} diag(z_t) over " + (steps - 1)
                + (steps == 2 ? " step" : " steps") + " (the part of ∂h_T/∂h_1 that skips every weight)"));
        statePath(r, steps, jCertified, jHere, "‖∂h_T/∂h_1‖₂ ≤ ∏_{t=2}^{T} ‖∂h_t/∂h_{t−1}‖₂");
        return new double[] {sequence(jCertified, xCertified), sequence(jHere, xHere)};
    }

    /** The whole recurrent path from the first state to the last: the product of the step bounds, and exact. */
    private void statePath(LayeredSpec.Recurrent r, int steps, double[] jCertified, double[] jHere, String what) {
        String p = r.position();
        double certified = 1;
        double here = 1;
        for (int t = 1; t < steps; t++) {
            certified *= jCertified[t];
            here *= jHere[t];
        }
        paths.add(new LayeredBounds.Path(p, r.type(), "state path " + what + " over " + (steps - 1)
                + (steps == 2 ? " step" : " steps"), certified, here,
                exact(state("h", p, 1), "h" + p + "[1]", "h" + p + "[" + steps + "]")));
    }

    /**
     * An attention layer's softmax: per row, {@code J = diag(a) − a aᵀ}, symmetric positive semi-definite, with
     * ‖J‖₂ ≤ max_j 2a_j(1 − a_j) ≤ 1/2 by Gershgorin's discs; exact (its largest eigenvalue) for rows of up to 64
     * steps.
     */
    void attention(LayeredSpec.Attention a) {
        String p = a.position();
        for (Node node : model.nodes()) {
            if (!(node.op() instanceof Attention op) || !node.label().equals("layer " + p)) {
                continue;
            }
            double[] qkv = values[node.input(0)];
            double gershgorin = 0;
            double exact = 0;
            boolean small = true;
            for (int n = 0; n < op.samples(); n++) {
                for (int h = 0; h < op.heads(); h++) {
                    for (double[] row : op.weights(qkv, n, h)) {
                        for (double x : row) {
                            gershgorin = Math.max(gershgorin, 2 * x * (1 - x));
                        }
                        if (row.length > 64) {
                            small = false;
                        } else if (small) {
                            double[][] j = new double[row.length][row.length];
                            for (int x = 0; x < row.length; x++) {
                                for (int y = 0; y < row.length; y++) {
                                    j[x][y] = (x == y ? row[x] : 0) - row[x] * row[y];
                                }
                            }
                            exact = Math.max(exact, MatrixNorms.spectralNorm(j));
                        }
                    }
                }
            }
            paths.add(new LayeredBounds.Path(p, a.type(), "softmax Jacobian ‖diag(a) − a aᵀ‖₂ over every row", 0.5,
                    gershgorin, small ? exact : Double.NaN));
        }
    }

    /**
     * A product of diagonal matrices with entries in (0, 1) (gates): certified 1, bounded at the data by the product
     * of each factor's largest entry, and exactly the largest product of one entry's factors.
     */
    private static final class Diagonal {
        private double ofMaxima = 1;
        private double[] product;

        void times(double[] gate) {
            ofMaxima *= Arrays.stream(gate).max().orElse(0);
            if (product == null) {
                product = gate.clone();
            } else {
                for (int k = 0; k < gate.length; k++) {
                    product[k] *= gate[k];
                }
            }
        }

        LayeredBounds.Path path(String position, String type, String what) {
            double exact = product == null ? 1 : Arrays.stream(product).max().orElse(0);
            return new LayeredBounds.Path(position, type, what, 1, ofMaxima, exact);
        }
    }

    /** Σ over the block diagonals d of {@code max_t x_{t−d} ∏_{u=t−d+1}^{t} j_u} (j_u for the step into u). */
    static double sequence(double[] j, double[] x) {
        int steps = x.length;
        double sum = 0;
        if (steps > EXACT_SUM_STEPS) {
            double jMax = Arrays.stream(j).max().orElse(0);
            double xMax = Arrays.stream(x).max().orElse(0);
            double power = 1;
            for (int d = 0; d < steps; d++) {
                sum += xMax * power;
                power *= jMax;
            }
            return sum;
        }
        double[] best = new double[steps];
        for (int k = 0; k < steps; k++) {
            double product = x[k];
            for (int t = k; t < steps; t++) {
                best[t - k] = Math.max(best[t - k], product);
                if (t + 1 < steps) {
                    product *= j[t + 1];
                }
            }
        }
        for (double b : best) {
            sum += b;
        }
        return sum;
    }

    /** ‖[[a, b], [c, d]]‖₂ of a 2×2 matrix of non-negative block bounds. */
    static double norm2(double a, double b, double c, double d) {
        double s = a * a + b * b + c * c + d * d;
        double det = a * d - b * c;
        return Math.sqrt((s + Math.sqrt(Math.max(0, s * s - 4 * det * det))) / 2);
    }

    private double[][] matrix(String weight) {
        double[] w = value(weight);
        int columns = columnsOf(weight);
        double[][] rows = new double[w.length / columns][columns];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(w, r * columns, rows[r], 0, columns);
        }
        return rows;
    }

    /** The exact ‖∂to/∂from‖₂ at the data, or NaN when too large to form (or {@code from} is not computed). */
    private double exact(double[] fromValue, String from, String to) {
        Integer a = index.get(from);
        Integer b = index.get(to);
        if (a == null || b == null || fromValue.length > LayeredBounds.MAX_EXACT
                || values[b].length > LayeredBounds.MAX_EXACT) {
            return Double.NaN;
        }
        return MatrixNorms.spectralNorm(ModelEvaluator.jacobian(model, model.point(), a, b));
    }
}
