package io.chainproof.spec;

import io.chainproof.ops.Activation;
import java.util.Set;

/**
 * A validated vanilla recurrent network (Elman RNN) with an output layer, exactly as the user specified it.
 * For each sample the network reads the sequence x_1, …, x_T (T is the length of that sample's sequence)
 * and computes
 * <pre>
 *   h_t = φ(W_h·h_{t−1} + W_x·x_t + b),   t = 1 … T,   h_0 given (default 0),
 *   o_t = ψ(W_y·h_t + b_y),
 * </pre>
 * with φ the hidden {@code activation} (tanh, sigmoid or relu) and ψ the {@code outputActivation}. The shapes
 * follow PyTorch: W_h is {@code [hidden][hidden]}, W_x {@code [hidden][inputs]} (as {@code nn.RNN}'s
 * {@code weight_hh_l0} and {@code weight_ih_l0}), b {@code [hidden]} (PyTorch's {@code b_ih + b_hh}), W_y
 * {@code [outputs][hidden]}, b_y {@code [outputs]} (an {@code nn.Linear}). The loss is the per-step
 * {@link Loss} ℓ, reduced by {@link LossAt}:
 * <pre>
 *   LAST:   L = (1/N)·Σ_s ℓ(o_T^{(s)}, y^{(s)})
 *   EVERY:  L = (1/N)·Σ_s Σ_{t=1}^{T} ℓ(o_t^{(s)}, y_t^{(s)})     (sum over steps, mean over samples)
 * </pre>
 * Instances are immutable: arrays are copied in and out.
 *
 * <p>The constructor checks, in this order and failing at the first broken rule: source and name; inputs,
 * hidden, outputs ≥ 1; the hidden activation is tanh, sigmoid or relu; softmax output needs 2 or more
 * outputs; bce and cross_entropy need a sigmoid or softmax output; loss_at is present; the shapes and
 * finiteness of Wh, Wx, b, Wy, by, h0; data.x (at least one sample, each at least one step of
 * {@code inputs} entries); data.y (one entry per sample: for EVERY one row of {@code outputs} targets per
 * step, for LAST one row); targets in [0, 1] for bce and ≥ 0 for cross_entropy. Messages use the source
 * and the field paths of the spec file, e.g. {@code rnn.json: parameters.Wh: <[2][3]> has the wrong shape…}.
 *
 * @param name             the network's name (default in files: the file name without extension)
 * @param source           where the spec came from, for messages: a file name or {@code <string>}
 * @param inputs           the number of input features per step
 * @param hidden           the number of hidden units
 * @param activation       φ, the hidden activation: tanh, sigmoid or relu
 * @param outputs          the number of output units
 * @param outputActivation ψ, the output activation (softmax allowed with 2 or more outputs)
 * @param loss             the per-step loss ℓ
 * @param lossAt           whether the loss is taken at the last step only or summed over every step
 * @param wh               W_h, {@code [hidden][hidden]}
 * @param wx               W_x, {@code [hidden][inputs]}
 * @param b                b, {@code [hidden]}
 * @param wy               W_y, {@code [outputs][hidden]}
 * @param by               b_y, {@code [outputs]}
 * @param h0               the initial state h_0, {@code [hidden]}
 * @param x                the input sequences, {@code [samples][T_s][inputs]}
 * @param y                the targets, {@code [samples][T_s][outputs]} for EVERY and {@code [samples][1][outputs]}
 *                         for LAST (the file writes {@code [samples][outputs]} for LAST)
 */
public record RnnSpec(String name, String source, int inputs, int hidden, Activation activation, int outputs,
                      Activation outputActivation, Loss loss, LossAt lossAt, double[][] wh, double[][] wx,
                      double[] b, double[][] wy, double[] by, double[] h0, double[][][] x, double[][][] y) implements Spec {

    /** Where the loss is taken: the spec key {@code "loss_at"} with the lower-case constant names. */
    public enum LossAt {
        /** Only at the last step: {@code L = (1/N)·Σ_s ℓ(o_T, y)}; targets {@code [samples][outputs]}. */
        LAST,
        /** At every step, summed over steps and averaged over samples; targets {@code [samples][T][outputs]}. */
        EVERY;

        /** @return the name used in spec files: {@code "last"} or {@code "every"} */
        public String specName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The hidden activations an RNN spec allows. */
    public static final Set<Activation> HIDDEN_ACTIVATIONS = Set.of(Activation.TANH, Activation.SIGMOID, Activation.RELU);

    /**
     * Validates the components and copies the arrays.
     *
     * @param name             the network's name
     * @param source           where the spec came from
     * @param inputs           the number of input features per step
     * @param hidden           the number of hidden units
     * @param activation       the hidden activation
     * @param outputs          the number of output units
     * @param outputActivation the output activation
     * @param loss             the per-step loss
     * @param lossAt           last step or every step
     * @param wh               W_h
     * @param wx               W_x
     * @param b                b
     * @param wy               W_y
     * @param by               b_y
     * @param h0               h_0, or {@code null} for zeros
     * @param x                the input sequences
     * @param y                the targets
     * @throws SpecException at the first rule (in the order above) the parts break
     */
    public RnnSpec {
        SpecRules.sourceAndName(source, name);
        positive(source, "inputs", inputs, "give the number of input features per step, e.g. \"inputs\": 2");
        positive(source, "hidden", hidden, "give the number of hidden units, e.g. \"hidden\": 3");
        positive(source, "outputs", outputs, "give the number of output units, e.g. \"outputs\": 1");
        if (activation == null) {
            throw missing(source, "activation", "pass tanh, sigmoid or relu");
        }
        if (!HIDDEN_ACTIVATIONS.contains(activation)) {
            throw new SpecException(source, "activation", activation.specName(),
                    "is not a recurrent activation", "use tanh, sigmoid or relu");
        }
        if (outputActivation == null) {
            throw missing(source, "output_activation", "pass one of " + String.join(", ", Activation.specNames()));
        }
        if (outputActivation == Activation.SOFTMAX && outputs == 1) {
            throw new SpecException(source, "output_activation", "softmax",
                    "on a single output always gives 1 (its gradient is zero)",
                    "use sigmoid for one output, or give 2 or more outputs");
        }
        if (loss == null) {
            throw missing(source, "loss", "pass one of " + String.join(", ", Loss.specNames()));
        }
        boolean probabilities = outputActivation == Activation.SIGMOID || outputActivation == Activation.SOFTMAX;
        if ((loss == Loss.BCE || loss == Loss.CROSS_ENTROPY) && !probabilities) {
            throw new SpecException(source, "loss", loss.specName(),
                    "needs outputs in (0, 1), but output_activation is " + outputActivation.specName(),
                    "use \"output_activation\": \"" + (loss == Loss.BCE ? "sigmoid" : "softmax")
                            + "\", or a loss such as mse");
        }
        if (lossAt == null) {
            throw missing(source, "loss_at", "pass last or every");
        }
        wh = matrix(source, "Wh", wh, hidden, hidden, "one per hidden unit", "one per hidden unit");
        wx = matrix(source, "Wx", wx, hidden, inputs, "one per hidden unit", "one per input");
        b = vector(source, "parameters.b", b, hidden, "give b one entry per hidden unit");
        wy = matrix(source, "Wy", wy, outputs, hidden, "one per output", "one per hidden unit");
        by = vector(source, "parameters.by", by, outputs, "give by one entry per output");
        h0 = h0 == null ? new double[hidden] : vector(source, "parameters.h0", h0, hidden,
                "give h0 one entry per hidden unit, or leave it out for zeros");
        x = sequences(source, x, inputs);
        y = targets(source, y, x, outputs, lossAt, loss);
    }

    /** @return the number of samples (sequences) */
    public int samples() {
        return x.length;
    }

    /**
     * @param sample a sample index, 0 to {@link #samples()} − 1
     * @return T, the number of steps of that sample's sequence
     */
    public int steps(int sample) {
        return x[sample].length;
    }

    /** @return a copy of W_h */
    @Override
    public double[][] wh() {
        return copy(wh);
    }

    /** @return a copy of W_x */
    @Override
    public double[][] wx() {
        return copy(wx);
    }

    /** @return a copy of b */
    @Override
    public double[] b() {
        return b.clone();
    }

    /** @return a copy of W_y */
    @Override
    public double[][] wy() {
        return copy(wy);
    }

    /** @return a copy of b_y */
    @Override
    public double[] by() {
        return by.clone();
    }

    /** @return a copy of h_0 (zeros when the spec gave none) */
    @Override
    public double[] h0() {
        return h0.clone();
    }

    /** @return a copy of the input sequences, {@code [samples][T_s][inputs]} */
    @Override
    public double[][][] x() {
        return copy(x);
    }

    /** @return a copy of the targets: {@code [samples][T_s][outputs]} for EVERY, {@code [samples][1][outputs]} for LAST */
    @Override
    public double[][][] y() {
        return copy(y);
    }

    /**
     * The same network with another recurrent matrix, for sweeps over ‖W_h‖₂.
     *
     * @param newWh the new W_h, {@code [hidden][hidden]}
     * @return a validated copy of this spec with W_h replaced
     * @throws SpecException if newWh has the wrong shape or a non-finite entry
     */
    public RnnSpec withWh(double[][] newWh) {
        return new RnnSpec(name, source, inputs, hidden, activation, outputs, outputActivation, loss, lossAt,
                newWh, wx, b, wy, by, h0, x, y);
    }

    // ---- rules -----------------------------------------------------------------------------------

    private static SpecException missing(String source, String path, String fix) {
        return new SpecException(source, path, "null", "is required", fix);
    }

    private static void positive(String source, String path, int value, String fix) {
        if (value < 1) {
            throw new SpecException(source, path, Integer.toString(value), "must be at least 1", fix);
        }
    }

    private static double[][] matrix(String source, String name, double[][] m, int rows, int columns,
                                     String rowMeaning, String columnMeaning) {
        String path = "parameters." + name;
        String fix = "give " + name + " " + ValueText.count(rows, "row", "rows") + " (" + rowMeaning + ") of "
                + ValueText.count(columns, "entry", "entries") + " (" + columnMeaning + "), the PyTorch layout";
        if (m == null) {
            throw missing(source, path, fix);
        }
        if (m.length != rows) {
            throw new SpecException(source, path, m.length + " rows", "has the wrong shape, expected "
                    + ValueText.shape(rows, columns), fix);
        }
        double[][] copy = new double[rows][];
        for (int i = 0; i < rows; i++) {
            if (m[i] == null || m[i].length != columns) {
                throw new SpecException(source, path + "[" + i + "]", m[i] == null ? "null" : ValueText.of(m[i]),
                        "has " + (m[i] == null ? "no entries" : ValueText.count(m[i].length, "entry", "entries"))
                                + ", expected " + columns, fix);
            }
            copy[i] = finite(source, path + "[" + i + "]", m[i]);
        }
        return copy;
    }

    private static double[] vector(String source, String path, double[] v, int length, String fix) {
        if (v == null) {
            throw missing(source, path, fix);
        }
        if (v.length != length) {
            throw new SpecException(source, path, ValueText.of(v), "has " + ValueText.count(v.length, "entry", "entries")
                    + ", expected " + length, fix);
        }
        return finite(source, path, v);
    }

    private static double[] finite(String source, String path, double[] v) {
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw new SpecException(source, path + "[" + j + "]", ValueText.of(v[j]), "is not finite",
                        "replace it with a finite number");
            }
        }
        return v.clone();
    }

    private static double[][][] sequences(String source, double[][][] x, int inputs) {
        if (x == null) {
            throw missing(source, "data.x", "pass one sequence of input rows per sample");
        }
        if (x.length == 0) {
            throw new SpecException(source, "data.x", "[]", "has no samples",
                    "add at least one sequence, e.g. [[[1.0], [0.5]]]");
        }
        double[][][] copy = new double[x.length][][];
        for (int s = 0; s < x.length; s++) {
            String path = "data.x[" + s + "]";
            if (x[s] == null || x[s].length == 0) {
                throw new SpecException(source, path, x[s] == null ? "null" : "[]", "has no steps",
                        "give each sample a sequence of at least one step of " + ValueText.count(inputs, "input", "inputs"));
            }
            copy[s] = new double[x[s].length][];
            for (int t = 0; t < x[s].length; t++) {
                copy[s][t] = vector(source, path + "[" + t + "]", x[s][t], inputs,
                        "every step of data.x needs one entry per input (inputs = " + inputs + ")");
            }
        }
        return copy;
    }

    private static double[][][] targets(String source, double[][][] y, double[][][] x, int outputs, LossAt lossAt,
                                        Loss loss) {
        String shape = lossAt == LossAt.EVERY ? "[samples][steps][outputs]" : "[samples][outputs]";
        if (y == null) {
            throw missing(source, "data.y", "pass the targets as " + shape);
        }
        if (y.length != x.length) {
            throw new SpecException(source, "data.y", ValueText.count(y.length, "sample", "samples"),
                    "does not match the " + ValueText.count(x.length, "sample", "samples") + " of data.x",
                    "give one target entry per sample, as " + shape);
        }
        double[][][] copy = new double[y.length][][];
        for (int s = 0; s < y.length; s++) {
            int rows = lossAt == LossAt.EVERY ? x[s].length : 1;
            if (y[s] == null || y[s].length != rows) {
                throw new SpecException(source, "data.y[" + s + "]",
                        ValueText.count(y[s] == null ? 0 : y[s].length, "step", "steps"),
                        "does not match the " + ValueText.count(x[s].length, "step", "steps") + " of data.x[" + s + "]",
                        "with \"loss_at\": \"every\" give one row of targets per step");
            }
            copy[s] = new double[rows][];
            for (int t = 0; t < rows; t++) {
                String path = lossAt == LossAt.EVERY ? "data.y[" + s + "][" + t + "]" : "data.y[" + s + "]";
                copy[s][t] = vector(source, path, y[s][t], outputs,
                        "every target row needs one entry per output (outputs = " + outputs + ")");
                for (int j = 0; j < outputs; j++) {
                    double v = copy[s][t][j];
                    if (loss == Loss.BCE && (v < 0 || v > 1)) {
                        throw new SpecException(source, path + "[" + j + "]", ValueText.of(v),
                                "is outside [0, 1] (bce targets are probabilities)",
                                "use a target between 0 and 1, or a loss such as mse");
                    }
                    if (loss == Loss.CROSS_ENTROPY && v < 0) {
                        throw new SpecException(source, path + "[" + j + "]", ValueText.of(v),
                                "is negative (cross_entropy targets are class probabilities)",
                                "use targets ≥ 0, e.g. one-hot labels");
                    }
                }
            }
        }
        return copy;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static double[][][] copy(double[][][] m) {
        double[][][] c = new double[m.length][][];
        for (int i = 0; i < m.length; i++) {
            c[i] = copy(m[i]);
        }
        return c;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.rnn(this);
    }
}
