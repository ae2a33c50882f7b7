package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * Scaled dot-product self-attention over the steps of each sample, every head at once, as PyTorch's
 * {@code MultiheadAttention} computes it between its input and output projections. The input is the projected
 * {@code [N][T][3D]} (q, k, v side by side, each {@code D} wide, head h in columns {@code h·d … h·d + d − 1} of each,
 * d = D/heads); per sample and head, {@code A = softmax(Q Kᵀ/√d)} row by row — with a causal mask, row i over steps
 * 0 … i only — and the output {@code O = A V}, the heads side by side in {@code [N][T][D]}. Backward, per row i:
 * {@code Ā = ḡ Vᵀ}, {@code V̄ += Aᵀ ḡ}, the softmax's {@code S̄_ij = A_ij (Ā_ij − Σ_l A_il Ā_il)}, then
 * {@code Q̄ += S̄ K/√d}, {@code K̄ += S̄ᵀ Q/√d}. Instances are immutable.
 */
public final class Attention implements Op {

    private final int samples;
    private final int steps;
    private final int width;
    private final int heads;
    private final boolean causal;

    /**
     * @param samples N; ≥ 1
     * @param steps   T; ≥ 1
     * @param width   D, the model width; a multiple of {@code heads}
     * @param heads   the number of heads; ≥ 1
     * @param causal  whether step i attends to steps 0 … i only
     */
    public Attention(int samples, int steps, int width, int heads, boolean causal) {
        if (samples < 1 || steps < 1 || heads < 1 || width < heads || width % heads != 0) {
            throw new IllegalArgumentException("Attention over <" + samples + "> samples of <" + steps + "> steps, width <"
                    + width + ">, <" + heads + "> heads: each must be ≥ 1 and the width a multiple of the heads");
        }
        this.samples = samples;
        this.steps = steps;
        this.width = width;
        this.heads = heads;
        this.causal = causal;
    }

    @Override
    public String kind() {
        return "attention";
    }

    @Override
    public int outputSize() {
        return samples * steps * width;
    }

    /** Per sample and head, the scores and the weighted sum: two T×T×d products. */
    @Override
    public double work(int[] inputSizes) {
        return 4.0 * samples * steps * steps * width;
    }

    private int at(int n, int t, int part, int c) {
        return (n * steps + t) * 3 * width + part * width + c;
    }

    /** The attention weights of row i of head h in sample n: softmax over the steps it may see. */
    private <T extends Real<T>> T[] weights(RealField<T> field, T[] qkv, int n, int h, int i) {
        int d = width / heads;
        double scale = 1 / Math.sqrt(d);
        int seen = causal ? i + 1 : steps;
        T[] scores = field.array(seen);
        for (int j = 0; j < seen; j++) {
            T dot = qkv[at(n, i, 0, h * d)].multiply(qkv[at(n, j, 1, h * d)]);
            for (int c = 1; c < d; c++) {
                dot = dot.add(qkv[at(n, i, 0, h * d + c)].multiply(qkv[at(n, j, 1, h * d + c)]));
            }
            scores[j] = dot.multiply(scale);
        }
        return Softmax.row(field, scores, 0, seen);
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] qkv = inputs.get(0);
        int d = width / heads;
        T[] o = field.array(outputSize());
        for (int n = 0; n < samples; n++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    T[] a = weights(field, qkv, n, h, i);
                    for (int c = 0; c < d; c++) {
                        T acc = a[0].multiply(qkv[at(n, 0, 2, h * d + c)]);
                        for (int j = 1; j < a.length; j++) {
                            acc = acc.add(a[j].multiply(qkv[at(n, j, 2, h * d + c)]));
                        }
                        o[(n * steps + i) * width + h * d + c] = acc;
                    }
                }
            }
        }
        return o;
    }

    /** The backward rule and the classic mistakes in it. */
    private enum Variant {
        TRUE, SCALE_MISSING, MASK_FORWARD_ONLY, SOFTMAX_TRANSPOSED, HEADS_REVERSED
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        backward(field, inputs, outputGradient, inputGradients, Variant.TRUE);
    }

    private <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] outputGradient,
                                              List<T[]> inputGradients, Variant variant) {
        T[] qkv = inputs.get(0);
        T[] g = inputGradients.get(0);
        if (g == null) {
            return;
        }
        int d = width / heads;
        double scale = variant == Variant.SCALE_MISSING ? 1 : 1 / Math.sqrt(d);
        Attention weighing = variant == Variant.MASK_FORWARD_ONLY ? new Attention(samples, steps, width, heads, false)
                : this;
        if (variant == Variant.SOFTMAX_TRANSPOSED) {
            backwardTransposed(field, qkv, outputGradient, g, scale);
            return;
        }
        for (int n = 0; n < samples; n++) {
            for (int h = 0; h < heads; h++) {
                int from = variant == Variant.HEADS_REVERSED ? heads - 1 - h : h;
                for (int i = 0; i < steps; i++) {
                    Row<T> r = row(field, weighing, qkv, outputGradient, g, n, h, from, i);
                    for (int j = 0; j < r.a().length; j++) {
                        scores(qkv, g, n, h, i, j, r.a()[j].multiply(r.abar()[j].subtract(r.dot())).multiply(scale));
                    }
                }
            }
        }
    }

    /** One row's weights A_i·, Ā_i· = ḡ_i Vᵀ and Σ_l A_il Ā_il, having added the row's A_ij ḡ_i to V̄_j. */
    private record Row<T>(T[] a, T[] abar, T dot) {
    }

    private <T extends Real<T>> Row<T> row(RealField<T> field, Attention weighing, T[] qkv, T[] outputGradient, T[] g,
                                           int n, int h, int from, int i) {
        int d = width / heads;
        T[] a = weighing.weights(field, qkv, n, h, i);
        int row = (n * steps + i) * width + from * d;
        T[] abar = field.array(a.length);
        T dot = field.constant(0);
        for (int j = 0; j < a.length; j++) {
            T s = outputGradient[row].multiply(qkv[at(n, j, 2, h * d)]);
            for (int c = 1; c < d; c++) {
                s = s.add(outputGradient[row + c].multiply(qkv[at(n, j, 2, h * d + c)]));
            }
            abar[j] = s;
            dot = dot.add(a[j].multiply(s));
            for (int c = 0; c < d; c++) {
                int v = at(n, j, 2, h * d + c);
                g[v] = g[v].add(a[j].multiply(outputGradient[row + c]));
            }
        }
        return new Row<>(a, abar, dot);
    }

    /** Adds score (i, j)'s gradient S̄_ij (scale included) to Q̄_i and K̄_j. */
    private <T extends Real<T>> void scores(T[] qkv, T[] g, int n, int h, int i, int j, T sbar) {
        int d = width / heads;
        for (int c = 0; c < d; c++) {
            int q = at(n, i, 0, h * d + c);
            int k = at(n, j, 1, h * d + c);
            g[q] = g[q].add(sbar.multiply(qkv[k]));
            g[k] = g[k].add(sbar.multiply(qkv[q]));
        }
    }

    /**
     * The backward rule with the softmax's vector–Jacobian product taken with the weights transposed:
     * {@code S̄_ij = A_ji (Ā_ji − Σ_l A_jl Ā_jl)} (rows for columns), the rest as in the true rule.
     */
    private <T extends Real<T>> void backwardTransposed(RealField<T> field, T[] qkv, T[] outputGradient, T[] g,
                                                        double scale) {
        for (int n = 0; n < samples; n++) {
            for (int h = 0; h < heads; h++) {
                List<Row<T>> rows = new java.util.ArrayList<>();
                for (int i = 0; i < steps; i++) {
                    rows.add(row(field, this, qkv, outputGradient, g, n, h, h, i));
                }
                for (int i = 0; i < steps; i++) {
                    for (int j = 0; j < steps; j++) {
                        Row<T> rj = rows.get(j);
                        if (i < rj.a().length) { // else A_ji is masked out: 0
                            T sbar = rj.a()[i].multiply(rj.abar()[i].subtract(rj.dot())).multiply(scale);
                            scores(qkv, g, n, h, i, j, sbar);
                        }
                    }
                }
            }
        }
    }

    /**
     * Attention's classic backward mistakes: the 1/√d scale left out of the scores' gradient; a causal mask applied
     * in the forward pass only (the backward pass recomputes the weights over every step); the softmax's
     * vector–Jacobian product taken with the weights transposed; each head's gradient read from another head's
     * columns (the heads concatenated in reverse order).
     */
    /**
     * The attention weights of one head in one sample at a point.
     *
     * @param qkv the projected input, {@code [N][T][3D]} flat
     * @param n   the sample
     * @param h   the head
     * @return row i: the softmax over the steps row i sees (i + 1 of them with a causal mask, else T)
     */
    public double[][] weights(double[] qkv, int n, int h) {
        io.chainproof.number.DoubleNumber[] boxed = new io.chainproof.number.DoubleNumber[qkv.length];
        for (int i = 0; i < qkv.length; i++) {
            boxed[i] = new io.chainproof.number.DoubleNumber(qkv[i]);
        }
        double[][] rows = new double[steps][];
        for (int i = 0; i < steps; i++) {
            io.chainproof.number.DoubleNumber[] a = weights(io.chainproof.number.DoubleNumber.FIELD, boxed, n, h, i);
            rows[i] = new double[a.length];
            for (int j = 0; j < a.length; j++) {
                rows[i][j] = a[j].value();
            }
        }
        return rows;
    }

    /** @return the number of samples N */
    public int samples() {
        return samples;
    }

    /** @return the number of heads */
    public int heads() {
        return heads;
    }

    /**
     * Bounds ‖∂O/∂qkv‖₂. Per sample and head, {@code dO = dA·V + A·dV} with {@code dA} the softmax's Jacobian
     * {@code J = diag(a) − a aᵀ} applied row by row to {@code dS = (dQ Kᵀ + Q dKᵀ)/√d}, so
     * {@code ‖dO‖ ≤ ‖A‖·‖dV‖ + (s‖V‖/√d)(‖K‖·‖dQ‖ + ‖Q‖·‖dK‖) ≤ √(‖A‖² + (s‖V‖/√d)²(‖K‖² + ‖Q‖²))·‖d(q, k, v)‖}
     * (Cauchy–Schwarz), with s ≥ ‖J‖₂ over the rows: by Gershgorin {@code max_j 2a_j(1 − a_j)} ≤ 1/2. Here Q, K, V
     * are bounded by their Frobenius norms and {@code ‖A‖₂ ≤ √(‖A‖₁‖A‖_∞) = √(max column sum)}. Heads and samples
     * read and write disjoint blocks: the largest of their bounds. No bound holds for every input — the output is
     * a product of the input with itself, not Lipschitz (Kim, Papamakarios and Mnih 2021) — so the certified one
     * is ∞.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                            LocalRules rules) {
        double[] qkv = inputs.get(0);
        int d = width / heads;
        double here = 0;
        for (int n = 0; n < samples; n++) {
            for (int h = 0; h < heads; h++) {
                double[] norms = new double[3];
                for (int t = 0; t < steps; t++) {
                    for (int part = 0; part < 3; part++) {
                        for (int c = 0; c < d; c++) {
                            double x = qkv[at(n, t, part, h * d + c)];
                            norms[part] += x * x;
                        }
                    }
                }
                double[] columns = new double[steps];
                double s = 0;
                for (double[] a : weights(qkv, n, h)) {
                    for (int j = 0; j < a.length; j++) {
                        columns[j] += a[j];
                        s = Math.max(s, 2 * a[j] * (1 - a[j]));
                    }
                }
                double columnSum = 0;
                for (double c : columns) {
                    columnSum = Math.max(columnSum, c);
                }
                double q = Math.sqrt(norms[0]);
                double k = Math.sqrt(norms[1]);
                double v = Math.sqrt(norms[2]);
                double through = s * v / Math.sqrt(d);
                here = Math.max(here, Math.sqrt(columnSum + through * through * (k * k + q * q)));
            }
        }
        return java.util.Optional.of(new JacobianBound(Double.POSITIVE_INFINITY, here));
    }

    @Override
    public List<OpFault> faults() {
        List<OpFault> faults = new java.util.ArrayList<>();
        faults.add(new OpFault("ATTENTION_SCALE_MISSING", "%s: the gradient through the attention scores leaves out "
                + "their 1/√d scale (d = " + width / heads + ")", variant(Variant.SCALE_MISSING)));
        if (causal) {
            faults.add(new OpFault("CAUSAL_MASK_FORWARD_ONLY", "%s: the causal mask is applied in the forward pass but "
                    + "not in the backward pass (the weights are recomputed over every step)",
                    variant(Variant.MASK_FORWARD_ONLY)));
        }
        if (steps > 1) {
            faults.add(new OpFault("SOFTMAX_JACOBIAN_TRANSPOSED", "%s: the softmax's vector–Jacobian product over the "
                    + "attention scores is taken with the weights transposed (rows for columns)",
                    variant(Variant.SOFTMAX_TRANSPOSED)));
        }
        if (heads > 1) {
            faults.add(new OpFault("HEADS_CONCATENATED_WRONG", "%s: each head's gradient is taken from another head's "
                    + "columns (the heads concatenated in the wrong order)", variant(Variant.HEADS_REVERSED)));
        }
        return faults;
    }

    private OpFault.Rule variant(Variant variant) {
        return Ops.inDouble(this, new Ops.Backward() {
            @Override
            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                                     T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                Attention.this.backward(field, inputs, outputGradient, inputGradients, variant);
            }
        });
    }

    @Override
    public String toString() {
        return "attention[" + samples + "×" + steps + "×" + width + ", " + heads + " heads" + (causal ? ", causal" : "")
                + "]";
    }
}
