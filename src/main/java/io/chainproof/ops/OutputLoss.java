package io.chainproof.ops;

import io.chainproof.expr.Expr;
import io.chainproof.number.Real;
import io.chainproof.number.RealEvaluator;
import io.chainproof.number.RealField;
import io.chainproof.number.SymbolicNumber;

import java.util.Arrays;
import java.util.List;

/**
 * The output activation and the loss, fused into one op so that both are evaluated in their stable forms:
 * {@code L = weight · Σ_rows r · Σ_j ℓ(φ(z_j), y_j)} with {@code r = 1/n} for a loss averaged over the n outputs,
 * else 1; {@code weight} is 1/N for the mean over N samples. Inputs: the pre-activations z and the targets y, both
 * {@code rows·n}; the output is the scalar loss.
 *
 * <p>Stable forms: for a sigmoid output {@code log a = −softplus(−z)}, {@code 1 − a = σ(−z)},
 * {@code log(1 − a) = −softplus(z)}; for softmax the log-softmax {@code z_j − m − log Σ e^{z_k − m}}. Backward:
 * the canonical pairs use their fused output error, finite where an output rounds to 0 — softmax with
 * cross-entropy {@code ∂ℓ/∂z_j = o_j·Σ_k y_k − y_j}, sigmoid with bce {@code ∂ℓ/∂z_j = o_j − y_j} (before the
 * mean); every other pair is {@code ∂ℓ/∂a} (derived by Symja from {@link LossTerm#term}) times the activation's
 * Jacobian. Instances are immutable.
 */
public final class OutputLoss implements Op {

    /** The output symbol of the loss's definition. */
    public static final String OUTPUT = "a";
    /** The target symbol of the loss's definition. */
    public static final String TARGET = "y";

    private final LossTerm loss;
    private final Activation activation;
    private final int rows;
    private final int width;
    private final double weight;
    private final Op activationOp;

    /**
     * @param loss       the per-output loss term
     * @param activation the output activation φ
     * @param rows       the number of rows (one per sample, or per step)
     * @param width      n, the number of outputs per row
     * @param weight     the factor of the sum over rows (1/N for the mean over N samples)
     */
    public OutputLoss(LossTerm loss, Activation activation, int rows, int width, double weight) {
        if (rows < 1 || width < 1) {
            throw new IllegalArgumentException("Loss over <" + rows + "> rows of <" + width + "> outputs; both must be ≥ 1");
        }
        this.loss = loss;
        this.activation = activation;
        this.rows = rows;
        this.width = width;
        this.weight = weight;
        this.activationOp = Activations.of(activation, width, width);
    }

    @Override
    public String kind() {
        return loss.kind();
    }

    /** @return the per-output loss term */
    public LossTerm loss() {
        return loss;
    }

    /** @return the output activation fused into this op */
    public Activation activation() {
        return activation;
    }

    /** @return the factor of the sum over rows */
    public double weight() {
        return weight;
    }

    /** @return the number of rows */
    public int rows() {
        return rows;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] z = inputs.get(0);
        T[] y = inputs.get(1);
        T total = field.constant(0);
        for (int r = 0; r < rows; r++) {
            T[] zr = Arrays.copyOfRange(z, r * width, (r + 1) * width);
            T[] a = outputs(field, zr);
            T sum = null;
            for (int j = 0; j < width; j++) {
                T t = loss.term(a[j], y[r * width + j], logOutput(field, zr, a, j), oneMinusOutput(zr, a, j),
                        logOneMinusOutput(zr, a, j));
                sum = sum == null ? t : sum.add(t);
            }
            total = total.add(loss.meanOverOutputs() ? sum.multiply(1.0 / width) : sum);
        }
        T[] out = field.array(1);
        out[0] = total.multiply(weight);
        return out;
    }

    private <T extends Real<T>> T[] outputs(RealField<T> field, T[] z) {
        return activationOp.forward(field, java.util.Collections.singletonList(z));
    }

    private <T extends Real<T>> T logOutput(RealField<T> field, T[] z, T[] a, int j) {
        return switch (activation) {
            case SIGMOID -> z[j].negate().softplus().negate();
            case SOFTMAX -> Softmax.logRow(field, z, 0, width)[j];
            default -> a[j].log();
        };
    }

    private <T extends Real<T>> T oneMinusOutput(T[] z, T[] a, int j) {
        return activation == Activation.SIGMOID ? z[j].negate().sigmoid() : a[j].negate().add(1);
    }

    private <T extends Real<T>> T logOneMinusOutput(T[] z, T[] a, int j) {
        return activation == Activation.SIGMOID ? z[j].softplus().negate() : a[j].negate().add(1).log();
    }

    /**
     * Whether this output and loss are a canonical pair whose ∂ℓ/∂z is computed fused: softmax with
     * cross-entropy, sigmoid with bce. Chaining ∂ℓ/∂a with ∂a/∂z gives the same value in exact arithmetic but
     * ∞·0 = NaN once an output rounds to 0.
     *
     * @return whether the backward rule is fused
     */
    public boolean fused() {
        return (activation == Activation.SOFTMAX && loss instanceof CrossEntropyLoss)
                || (activation == Activation.SIGMOID && loss instanceof BceLoss);
    }

    /**
     * ℓ as an expression over {@value #OUTPUT} and {@value #TARGET}, with the plain logarithms: what Symja
     * differentiates for ∂ℓ/∂a.
     *
     * @return ℓ(a, y)
     */
    public Expr definition() {
        SymbolicNumber a = SymbolicNumber.symbol(OUTPUT);
        SymbolicNumber oneMinusA = a.negate().add(1);
        return loss.term(a, SymbolicNumber.symbol(TARGET), a.log(), oneMinusA, oneMinusA.log()).expr();
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        backward(field, inputs, outputGradient, inputGradients, rules, fused() ? Step.FUSED : Step.JACOBIAN);
    }

    /** How ∂ℓ/∂a becomes ∂ℓ/∂z: correctly, or by one of the classic mistakes. */
    private enum Step { FUSED, JACOBIAN, MISSING, VALUE, AT_OUTPUT }

    /** This op with its backward step taken one way, in double precision (a fault's rule, or the row error). */
    private void backward(List<double[]> inputs, double[] outputGradient, List<double[]> inputGradients,
                          LocalRules rules, Step step) {
        OutputLoss self = this;
        Ops.backwardInDouble(new Op() {
            @Override
            public String kind() {
                return self.kind();
            }

            @Override
            public int outputSize() {
                return 1;
            }

            @Override
            public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> in) {
                return self.forward(field, in);
            }

            @Override
            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> in, T[] output, T[] gOut,
                                                     List<T[]> gIn, LocalRules r) {
                self.backward(field, in, gOut, gIn, r, step);
            }
        }, inputs, new double[] {0.0}, outputGradient, inputGradients, rules);
    }

    private <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] outputGradient,
                                              List<T[]> inputGradients, LocalRules rules, Step step) {
        T[] gz = inputGradients.get(0);
        if (gz == null) {
            return;
        }
        T[] z = inputs.get(0);
        T[] y = inputs.get(1);
        T scale = outputGradient[0].multiply(weight).multiply(loss.meanOverOutputs() ? 1.0 / width : 1.0);
        Expr dlda = step == Step.FUSED ? null : rules.derivative(definition(), OUTPUT);
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            T[] zr = Arrays.copyOfRange(z, from, from + width);
            T[] a = outputs(field, zr);
            if (step == Step.FUSED) {
                T ySum = field.constant(0);
                for (int j = 0; j < width; j++) {
                    ySum = ySum.add(y[from + j]);
                }
                for (int j = 0; j < width; j++) {
                    T error = activation == Activation.SOFTMAX ? a[j].multiply(ySum).subtract(y[from + j])
                            : a[j].subtract(y[from + j]);
                    gz[from + j] = gz[from + j].add(scale.multiply(error));
                }
                continue;
            }
            T[] ga = field.array(width);
            for (int j = 0; j < width; j++) {
                T aj = a[j];
                T yj = y[from + j];
                // the targets are data: a zero target's term is 0 whatever its factor (no 0·∞)
                boolean vanishes = loss instanceof CrossEntropyLoss && yj.value() == 0;
                ga[j] = vanishes ? field.constant(0)
                        : scale.multiply(RealEvaluator.evaluate(dlda, field, s -> s.equals(OUTPUT) ? aj : yj));
            }
            T[] gzr = field.constants(new double[width]);
            switch (step) {
                case JACOBIAN -> activationOp.backward(field, java.util.Collections.singletonList(zr), a, ga,
                        java.util.Collections.singletonList(gzr), rules);
                case MISSING -> System.arraycopy(ga, 0, gzr, 0, width);
                case VALUE -> {
                    for (int j = 0; j < width; j++) {
                        gzr[j] = ga[j].multiply(a[j]);
                    }
                }
                case AT_OUTPUT -> activationOp.backward(field, java.util.Collections.singletonList(a), a, ga,
                        java.util.Collections.singletonList(gzr), rules);
                default -> throw new IllegalStateException("step " + step + " is handled above");
            }
            for (int j = 0; j < width; j++) {
                gz[from + j] = gz[from + j].add(gzr[j]);
            }
        }
    }

    /**
     * The error one row's loss sends back, without the sample weight: for a canonical pair the exact fused
     * {@code ∂ℓ/∂z} ({@code r·(o·Σy − y)} or {@code r·(o − y)}), else {@code ∂ℓ/∂a}, before the output activation's
     * Jacobian (r = 1/n for a loss averaged over the outputs).
     *
     * @param z     the row's pre-activations
     * @param y     the row's targets
     * @param rules the local derivatives
     * @return the error vector
     */
    public double[] rowError(double[] z, double[] y, LocalRules rules) {
        double[] g = new double[width];
        OutputLoss single = new OutputLoss(loss, activation, 1, width, 1.0);
        if (fused()) {
            single.backward(List.of(z, y), new double[] {1.0}, java.util.Collections.singletonList(g), rules, Step.FUSED);
        } else {
            single.backward(List.of(z, y), new double[] {1.0}, java.util.Collections.singletonList(g), rules,
                    Step.MISSING);
        }
        return g;
    }

    /**
     * The output activation alone, for its Jacobian bounds.
     *
     * @return the activation's op on one row
     */
    public Op activationOp() {
        return activationOp;
    }

    /**
     * The output activation's classic backward mistakes, as for a hidden activation: its derivative (or softmax's
     * Jacobian) left out, so that ∂ℓ/∂a is taken for ∂ℓ/∂z; and for an elementwise output φ(z) used for φ'(z), or
     * φ'(a) for φ'(z).
     */
    @Override
    public List<OpFault> faults() {
        String phi = activationOp.symbol();
        List<OpFault> faults = new java.util.ArrayList<>();
        faults.add(new OpFault("MISSING_ACTIVATION_DERIVATIVE", "%s: the gradients equal ours without the output's "
                + (activation == Activation.SOFTMAX ? "softmax Jacobian ∂o/∂z" : phi + "'(z) factor")
                + ": ∂ℓ/∂z was taken to be ∂ℓ/∂o",
                (in, out, g, grads, rules) -> backward(in, g, grads, rules, Step.MISSING)));
        if (activation != Activation.SOFTMAX) {
            faults.add(new OpFault("ACTIVATION_INSTEAD_OF_DERIVATIVE", "%s: the gradients use " + phi + "(z) where "
                    + phi + "'(z) belongs at the output: the activation instead of its derivative",
                    (in, out, g, grads, rules) -> backward(in, g, grads, rules, Step.VALUE)));
            faults.add(new OpFault("DERIVATIVE_AT_OUTPUT", "%s: the gradients use " + phi + "'(o) instead of " + phi
                    + "'(z) at the output: the derivative is evaluated at the output instead of the pre-activation",
                    (in, out, g, grads, rules) -> backward(in, g, grads, rules, Step.AT_OUTPUT)));
        }
        return faults;
    }

    @Override
    public String toString() {
        return activation.specName() + "+" + loss.kind() + "[" + rows + "×" + width + "]";
    }
}
