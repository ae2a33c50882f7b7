package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Tensor;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.Dense;
import io.chainproof.ops.ElementwiseOp;
import io.chainproof.ops.ExpressionOp;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a model's numbers stop being finite: the first node of the forward pass whose output overflows or becomes
 * NaN although its inputs are finite, or, with a finite forward pass, the first node of the backward pass that
 * passes back a non-finite gradient from a finite one. A network whose loss or gradient is ±∞ or NaN at the spec's
 * point has no gradient to check there; saying which layer, which unit, which value and which sum made it is a
 * finding, where a verdict per parameter ("every gradient is wrong") or a localisation of a "wrong sign" would be
 * noise.
 */
public final class NonFiniteValues {

    /** How many of a sum's terms a finding lists. */
    private static final int TERMS_SHOWN = 3;

    private NonFiniteValues() {
    }

    /**
     * Where the numbers of a model stop being finite.
     *
     * @param backward whether the backward pass (a gradient) rather than the forward pass (a value) overflows
     * @param node     the node that made the first non-finite number, as the model labels it (e.g. "layer 2")
     * @param entry    the tensor entry, e.g. {@code z2[0][1]} or {@code ∂L/∂o1[0][0]}
     * @param value    the non-finite value (±∞ or NaN)
     * @param cause    how the node made it from finite numbers: the sum's largest terms, the argument, the inputs
     * @param fix        what to do about it
     */
    public record Finding(boolean backward, String node, String entry, double value, String cause, String fix) {

        /**
         * The finding as one message: what overflowed where, from what, and what to do.
         *
         * @return the message, one line
         */
        public String message() {
            String what = Double.isNaN(value) ? "becomes NaN" : "overflows";
            return "the " + (backward ? "backward" : "forward") + " pass " + what + ": " + node + " makes " + entry
                    + " = " + value + " " + cause + "; no gradient is defined at this point, so none is checked. Fix: "
                    + fix;
        }
    }

    /** The fix for a network whose sums overflow. */
    private static final String SCALE_DOWN = "scale the weights or the inputs down so that every sum stays below "
            + String.format(Locale.ROOT, "%.3g", Double.MAX_VALUE) + " (chainproof bound shows how the gradient grows "
            + "with the weights), or check at another point";
    /** The fix for a formula that is not finite or not differentiable at the spec's point. */
    private static final String MOVE_POINT = "give parameters (or inputs) where the formula is finite and "
            + "differentiable, away from its poles and indeterminate forms";

    /**
     * The first non-finite number of {@code model}'s forward pass, else of its backward pass, at {@code theta}.
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @return where it is, or empty if the loss and every gradient entry of the walk are finite
     */
    public static Optional<Finding> find(Model model, double[] theta) {
        double[][] values = ModelEvaluator.values(model, theta);
        for (Node node : model.nodes()) {
            if (!allFinite(values, node.inputs())) {
                continue;
            }
            double[] out = values[node.output()];
            int e = firstNonFinite(out);
            if (e >= 0) {
                boolean formula = node.op() instanceof ExpressionOp;
                return Optional.of(new Finding(false, describe(node), entry(model.tensor(node.output()), e), out[e],
                        formula ? atPoint(model, node, values, "a pole, an indeterminate form or an overflow")
                                : forwardCause(model, node, values, e), formula ? MOVE_POINT : SCALE_DOWN));
            }
        }
        double[][] grads = ModelEvaluator.tensorGradients(model, theta);
        for (int k = model.nodes().size() - 1; k >= 0; k--) {
            Node node = model.nodes().get(k);
            double[] g = grads[node.output()];
            if (g == null || firstNonFinite(g) >= 0) {
                continue;
            }
            for (int i = 0; i < node.inputCount(); i++) {
                int t = node.input(i);
                double[] gi = grads[t];
                int e = gi == null ? -1 : firstNonFinite(gi);
                if (e >= 0) {
                    boolean formula = node.op() instanceof ExpressionOp;
                    return Optional.of(new Finding(true, describe(node), "∂L/∂" + entry(model.tensor(t), e), gi[e],
                            formula ? atPoint(model, node, values, "where the formula is not differentiable, or its "
                                    + "derivative overflows") : backwardCause(model, node, values, g, i, e),
                            formula ? MOVE_POINT : SCALE_DOWN));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The finding for a function's loss and gradient, if either is not finite: found in its op graph where it has
     * one, else stated from the numbers.
     *
     * @param function the model's loss
     * @param point    the parameters
     * @param loss     the loss there
     * @param gradient the gradient there, layout order
     * @return the finding, or empty if the loss and the gradient are finite
     */
    public static Optional<Finding> find(LossFunction function, double[] point, double loss, double[] gradient) {
        int bad = firstNonFinite(gradient);
        if (Double.isFinite(loss) && bad < 0) {
            return Optional.empty();
        }
        Optional<Model> model = function.opGraph();
        if (model.isPresent()) {
            Optional<Finding> found = find(model.get(), point);
            if (found.isPresent()) {
                return found;
            }
        }
        // no op graph, or its walk stays finite where the compiled code does not: say what is known
        return Optional.of(Double.isFinite(loss)
                ? new Finding(true, "the gradient", "∂L/∂" + function.parameterNames().get(bad), gradient[bad],
                "although the loss " + loss + " is finite", SCALE_DOWN)
                : new Finding(false, "the model", function.valueName(), loss, "at the spec's parameters", SCALE_DOWN));
    }

    private static String describe(Node node) {
        return node.op() instanceof ExpressionOp ? "the formula" : node.label() + " (" + node.op() + ")";
    }

    /** "at the spec's point w = 0.5, x = 1.0 (why)": a formula's scalar inputs, or its inputs' largest entries. */
    private static String atPoint(Model model, Node node, double[][] values, String why) {
        StringBuilder s = new StringBuilder("at the spec's point ");
        for (int i = 0; i < node.inputCount(); i++) {
            Tensor t = model.tensor(node.input(i));
            double[] v = values[node.input(i)];
            s.append(i > 0 ? ", " : "").append(t.name()).append(v.length == 1 ? " = " + v[0] : largest(v, t));
        }
        return s.append(" (").append(why).append(")").toString();
    }

    /** Why a node's output entry e is not finite, its inputs being finite. */
    private static String forwardCause(Model model, Node node, double[][] values, int e) {
        if (node.op() instanceof Dense dense) {
            return denseCause(model, node, dense, values, e);
        }
        if (node.op() instanceof ElementwiseOp && node.inputCount() == 1) {
            Tensor in = model.tensor(node.input(0));
            return "from its argument " + entry(in, e) + " = " + number(values[node.input(0)][e]);
        }
        return "from the finite inputs " + inputsText(model, node, values);
    }

    /** Why a node passes back a non-finite entry e of input i's gradient from its finite output gradient g. */
    private static String backwardCause(Model model, Node node, double[][] values, double[] g, int i, int e) {
        Tensor out = model.tensor(node.output());
        if (node.op() instanceof Dense dense && (i == 0 || i == 1)) {
            int in = dense.inputs();
            int units = dense.outputs();
            int rows = g.length / units;
            double[] a = values[node.input(0)];
            double[] w = values[node.input(1)];
            Tensor at = model.tensor(node.input(0));
            Tensor wt = model.tensor(node.input(1));
            // ∂L/∂W[j][k] = Σ_r ∂L/∂z[r][j]·a[r][k]; ∂L/∂a[r][k] = Σ_j W[j][k]·∂L/∂z[r][j]
            int terms = i == 1 ? rows : units;
            for (int n = 0; n < terms; n++) {
                int gIndex = i == 1 ? n * units + e / in : e / in * units + n;
                double other = i == 1 ? a[n * in + e % in] : w[n * in + e % in];
                String otherName = i == 1 ? entry(at, n * in + e % in) : entry(wt, n * in + e % in);
                double product = g[gIndex] * other;
                if (!Double.isFinite(product)) {
                    return "from a sum of " + terms + (terms == 1 ? " product" : " products") + " ∂L/∂"
                            + entry(out, gIndex) + "·" + otherName + ", where " + number(g[gIndex]) + " × "
                            + number(other) + " already " + (Double.isNaN(product) ? "is NaN" : "overflows");
                }
            }
            return "from a sum of " + terms + " finite products ∂L/∂" + out.name() + "·" + (i == 1 ? at : wt).name()
                    + " whose total overflows (∂L/∂" + out.name() + largest(g, out) + ")";
        }
        return "from the finite ∂L/∂" + out.name() + largest(g, out) + " and the finite values "
                + inputsText(model, node, values);
    }

    /** The affine map's sum b_j + Σ_k W[j][k]·a[r][k] for output entry e: which term or which sum overflows. */
    private static String denseCause(Model model, Node node, Dense dense, double[][] values, int e) {
        int in = dense.inputs();
        int out = dense.outputs();
        int r = e / out;
        int j = e % out;
        double[] a = values[node.input(0)];
        double[] w = values[node.input(1)];
        Tensor at = model.tensor(node.input(0));
        Tensor wt = model.tensor(node.input(1));
        String sum = (dense.hasBias() ? entry(model.tensor(node.input(2)), j) + " + " : "") + "Σ_k "
                + wt.name() + "[" + j + "][k]·" + at.name() + (at.shape().rank() > 1 ? "[" + r + "][k]" : "[k]")
                + " (" + in + (in == 1 ? " term)" : " terms)");
        for (int k = 0; k < in; k++) {
            double product = w[j * in + k] * a[r * in + k];
            if (!Double.isFinite(product)) {
                return "from the sum " + sum + ", where " + entry(wt, j * in + k) + "·" + entry(at, r * in + k)
                        + " = " + number(w[j * in + k]) + " × " + number(a[r * in + k]) + " already "
                        + (Double.isNaN(product) ? "is NaN" : "overflows");
            }
        }
        // every term finite: list the largest
        Integer[] order = new Integer[in];
        for (int k = 0; k < in; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(Math.abs(w[j * in + y] * a[r * in + y]),
                Math.abs(w[j * in + x] * a[r * in + x])));
        StringBuilder s = new StringBuilder("from the sum " + sum + " of finite terms whose total overflows; the largest: ");
        for (int n = 0; n < Math.min(TERMS_SHOWN, in); n++) {
            int k = order[n];
            s.append(n > 0 ? ", " : "").append(entry(wt, j * in + k)).append("·").append(entry(at, r * in + k))
                    .append(" = ").append(number(w[j * in + k] * a[r * in + k]));
        }
        return s.toString();
    }

    private static String inputsText(Model model, Node node, double[][] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < node.inputCount(); i++) {
            Tensor t = model.tensor(node.input(i));
            s.append(i > 0 ? ", " : "").append(t.name()).append(largest(values[node.input(i)], t));
        }
        return s.toString();
    }

    /** " (largest |entry| v at [i][j])" of a finite tensor. */
    private static String largest(double[] v, Tensor t) {
        int at = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[at])) {
                at = i;
            }
        }
        if (v.length == 1) {
            return " = " + number(v[0]);
        }
        return v.length == 0 ? "" : " (largest |entry| " + number(Math.abs(v[at])) + " at " + index(t, at) + ")";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String entry(Tensor t, int flat) {
        return t.name() + index(t, flat);
    }

    /** A flat index as the tensor's multi-index, e.g. [0][2]; nothing for a scalar. */
    private static String index(Tensor t, int flat) {
        int[] dims = t.shape().dims();
        String[] parts = new String[dims.length];
        int rest = flat;
        for (int a = dims.length - 1; a >= 0; a--) {
            parts[a] = "[" + rest % dims[a] + "]";
            rest /= dims[a];
        }
        return String.join("", parts);
    }

    private static boolean allFinite(double[][] values, int[] tensors) {
        for (int t : tensors) {
            if (firstNonFinite(values[t]) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonFinite(double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
