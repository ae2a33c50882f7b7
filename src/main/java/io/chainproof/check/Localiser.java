package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.symbolic.LocalDerivatives;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.function.BiFunction;

/**
 * Finds the layer and chain-rule factor behind a wrong gradient.
 *
 * <p>A backprop bug in layer l corrupts ∂L/∂z_l and, through it, every earlier layer, while later layers
 * stay right; so the culprit is the last layer with a wrong entry. There the claimed tensors are compared
 * with the gradients that each known fault would produce, computed from a correct {@link BackpropTrace}:
 * <pre>
 *   missing φ'          ∂L/∂b_l = Σ_s ∂L/∂o_l                 ∂L/∂W_l = Σ_s ∂L/∂o_l ⊗ o_{l−1}
 *   φ instead of φ'     ∂L/∂b_l = Σ_s ∂L/∂o_l · φ(z_l)        (likewise for W)
 *   φ'(o) for φ'(z)     ∂L/∂b_l = Σ_s ∂L/∂o_l · φ'(o_l)
 *   z for o             ∂L/∂W_l = Σ_s ∂L/∂z_l ⊗ z_{l−1}        (b right)
 *   one sample's bias   ∂L/∂b_l = ∂L/∂z_l of one sample s (with or without the 1/N)
 *   sign flipped        claimed tensor = −true tensor
 * </pre>
 * before that, a common ratio claimed/true across all layers reveals a missing mean over samples
 * (ratio N) or another constant factor.
 */
final class Localiser {

    private final ComputationGraph graph;
    private final double[] parameters;
    private final double[] truth;
    private final double[] claimed;
    /** Per flat entry, the difference its verdict allowed (NaN where it was not checked), or null if unknown. */
    private final double[] allowed;
    private final BackpropTrace trace;

    private Localiser(ComputationGraph graph, double[] parameters, double[] truth, double[] claimed, double[] allowed) {
        this.graph = graph;
        this.parameters = parameters;
        this.truth = truth;
        this.claimed = claimed;
        this.allowed = allowed;
        this.trace = BackpropTrace.of(graph, parameters);
    }

    /**
     * Localises the fault in {@code claimed}, given the {@code truth} and the parameters that failed.
     */
    static Optional<Localisation> localise(ComputationGraph graph, double[] parameters, double[] truth, double[] claimed,
                                           List<ParameterId> failing) {
        return localise(graph, parameters, truth, claimed, failing, null);
    }

    /**
     * Localises the fault in {@code claimed}; with {@code allowed} (per entry, the difference its verdict allowed, NaN
     * where unchecked) the wrong-constant family is tested too, to that precision.
     */
    static Optional<Localisation> localise(ComputationGraph graph, double[] parameters, double[] truth, double[] claimed,
                                           List<ParameterId> failing, double[] allowed) {
        int last = failing.stream().mapToInt(ParameterId::layer).max().orElse(0);
        if (last == 0) {
            return Optional.empty();
        }
        List<ParameterId> inLayer = failing.stream().filter(id -> id.layer() == last).toList();
        return Optional.of(new Localiser(graph, parameters, truth, claimed, allowed).find(last, inLayer));
    }

    private Localisation find(int l, List<ParameterId> failingInLayer) {
        int samples = graph.spec().data().samples();
        double ratio = commonRatio();
        if (!Double.isNaN(ratio)) {
            int last = graph.layerCount();
            if (samples > 1 && Math.abs(ratio - samples) <= Thresholds.DEFAULT.match() * samples) {
                return new Localisation(last, Localisation.Fault.MEAN_OVER_SAMPLES_MISSING, ratio,
                        "every gradient is " + samples + " times too large: summed over the " + samples
                                + " samples instead of averaged (the loss is the mean over samples)");
            }
            return new Localisation(last, Localisation.Fault.SCALED, ratio,
                    "every gradient is " + format(ratio) + " times the true one: a constant factor, e.g. in ∂L/∂o"
                            + Notation.subscript(last) + " (the loss derivative)");
        }
        int in = graph.units(l - 1);
        int n = graph.units(l);
        double[] w = slice(claimed, graph.weightOffset(l), n * in);
        double[] b = slice(claimed, graph.biasOffset(l), n);
        double[] wTrue = slice(truth, graph.weightOffset(l), n * in);
        double[] bTrue = slice(truth, graph.biasOffset(l), n);
        boolean wRight = matches(w, wTrue);
        boolean bRight = matches(b, bTrue);
        String layer = "layer " + l;
        String sub = Notation.subscript(l);
        if ((!wRight && matches(w, negate(wTrue))) || (!bRight && matches(b, negate(bTrue)))) {
            return new Localisation(l, Localisation.Fault.SIGN_FLIPPED, -1,
                    layer + ": the " + (wRight ? "bias" : bRight ? "weight" : "weight and bias") + " gradients have the wrong sign");
        }
        Activation act = graph.layer(l).activation();
        String phi = act.op(1, 1).symbol();
        if (matchesDelta(l, w, b, (s, j) -> trace.dLdo[s][l][j])) {
            return new Localisation(l, Localisation.Fault.MISSING_ACTIVATION_DERIVATIVE, 1, act == Activation.SOFTMAX
                    ? layer + " gradients equal ours without the softmax Jacobian ∂o" + sub + "/∂z" + sub
                            + ": ∂L/∂z" + sub + " was taken to be ∂L/∂o" + sub + " (∂o_i/∂z_j = o_i(δ_ij − o_j) is missing)"
                    : layer + " gradients equal ours without the " + phi + "'(z" + sub + ") factor: the activation derivative is missing ("
                            + derivativeRule(act, sub) + ")");
        }
        if (act != Activation.SOFTMAX) {
            if (matchesDelta(l, w, b, (s, j) -> trace.dLdo[s][l][j] * BackpropTrace.activationValue(act, trace.z[s][l][j]))) {
                return new Localisation(l, Localisation.Fault.ACTIVATION_INSTEAD_OF_DERIVATIVE, 1, layer
                        + " gradients use " + phi + "(z" + sub + ") where " + phi + "'(z" + sub + ") belongs: the activation instead of its derivative");
            }
            if (matchesDelta(l, w, b, (s, j) -> trace.dLdo[s][l][j] * BackpropTrace.activationDerivative(act, trace.o[s][l][j]))) {
                return new Localisation(l, Localisation.Fault.DERIVATIVE_AT_OUTPUT, 1, layer
                        + " gradients use " + phi + "'(o" + sub + ") instead of " + phi + "'(z" + sub
                        + "): the derivative is evaluated at the output instead of the pre-activation");
            }
        }
        double[] zWeights = l > 1 ? weightGradient(l, (s, k) -> trace.z[s][l - 1][k]) : null;
        if (!wRight && bRight && l > 1 && matches(w, zWeights) && !matches(zWeights, wTrue)) {
            return new Localisation(l, Localisation.Fault.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION, 1, layer
                    + " weight gradients use z" + Notation.subscript(l - 1) + " instead of o" + Notation.subscript(l - 1)
                    + ": ∂z" + sub + "/∂w" + sub + " is the previous layer's activation, not its pre-activation");
        }
        if (wRight && !bRight) {
            for (int s = 0; s < samples; s++) {
                double[] one = trace.dLdz[s][l];
                if (matches(b, one) && !matches(one, bTrue)
                        || matches(b, scale(one, samples)) && !matches(scale(one, samples), bTrue)) {
                    return new Localisation(l, Localisation.Fault.BIAS_FROM_ONE_SAMPLE, 1, layer
                            + " bias gradients come from sample " + (s + 1) + " only, not the mean over all " + samples + " samples");
                }
            }
        }
        Optional<Localisation> constant = wrongConstant(l);
        if (constant.isPresent()) {
            return constant.get();
        }
        int wrong = failingInLayer.size();
        if (wrong <= Math.max(2, (int) (Thresholds.DEFAULT.isolatedFraction() * (n * in + n)))) {
            String names = failingInLayer.stream().map(ParameterId::name).collect(Collectors.joining(", "));
            return new Localisation(l, Localisation.Fault.ISOLATED_ENTRIES, 1,
                    layer + ": " + wrong + " isolated " + (wrong == 1 ? "entry is" : "entries are") + " wrong (" + names
                            + ") while the rest of the layer is right (an indexing or copy error?)");
        }
        return new Localisation(l, Localisation.Fault.UNKNOWN, 1,
                layer + " is the last layer with wrong gradients (later layers are right), so the error is in its backward step;"
                        + " no known pattern fits");
    }

    /**
     * The wrong-constant family, tested to the verdicts' own precision: one activation's derivative (on its negative
     * or positive branch, or everywhere) multiplied by a constant k at the last wrong layer l — or at every layer with
     * that activation — or layer l's parameter gradients scaled by k. k is fitted to the claim by least squares, and
     * the hypothesis is named only if its gradient explains every checked entry within what its verdict allowed and
     * differs from the truth: so DL4J's leaky_relu slope 0.01f (k = 0.99999997764825821) is found, and a cause that
     * predicts the truth is never named.
     */
    private Optional<Localisation> wrongConstant(int l) {
        if (allowed == null) {
            return Optional.empty();
        }
        int layers = graph.layerCount();
        Activation act = graph.layer(l).activation();
        boolean piecewise = act == Activation.LEAKY_RELU || act == Activation.RELU || act == Activation.ELU;
        List<ConstantFit.Branch> branches = act == Activation.SOFTMAX ? List.of(ConstantFit.Branch.ALL)
                : piecewise ? List.of(ConstantFit.Branch.NEGATIVE, ConstantFit.Branch.POSITIVE, ConstantFit.Branch.ALL) : List.of(ConstantFit.Branch.ALL);
        boolean[] single = new boolean[layers + 1];
        single[l] = true;
        boolean[] shared = new boolean[layers + 1];
        int sharing = 0;
        for (int m = 1; m <= l; m++) {
            if (graph.layer(m).activation() == act) {
                shared[m] = true;
                sharing++;
            }
        }
        for (boolean[] set : sharing > 1 ? List.of(single, shared) : List.of(single)) {
            for (ConstantFit.Branch branch : branches) {
                double k = ConstantFit.along(truth, claimed, allowed, factor -> scaledBackward(set, branch, factor),
                        factor -> act == Activation.LEAKY_RELU && branch == ConstantFit.Branch.NEGATIVE
                                && ConstantFit.floatSlope(factor));
                if (!Double.isNaN(k)) {
                    return Optional.of(constantFinding(l, set == shared && sharing > 1, shared, branch, act, k));
                }
            }
        }
        // layer l's parameter gradients scaled, the gradient it passes on right
        double[] direction = new double[truth.length];
        int in = graph.units(l - 1);
        int n = graph.units(l);
        for (int i = graph.weightOffset(l); i < graph.weightOffset(l) + n * in; i++) {
            direction[i] = truth[i];
        }
        for (int i = graph.biasOffset(l); i < graph.biasOffset(l) + n; i++) {
            direction[i] = truth[i];
        }
        double k = ConstantFit.linear(truth, claimed, allowed, direction);
        if (!Double.isNaN(k)) {
            return Optional.of(l == layers && l == 1
                    ? scaledEverywhere(k)
                    : new Localisation(l, Localisation.Fault.WRONG_CONSTANT, k, "layer " + l + "'s weight and bias "
                    + "gradients are " + ConstantFit.fitted(k, k) + " times the true ones while the gradient it passes "
                    + "back is right: a wrong constant in ∂L/∂W" + Notation.subscript(l) + " and ∂L/∂b" + Notation.subscript(l)));
        }
        return Optional.empty();
    }

    /**
     * The gradient with the activation derivative of the {@code scaled} layers multiplied by {@code factor} where
     * {@code branch} holds — a backward pass from the trace's ∂L/∂o_L — or null where a softmax below a scaled layer
     * (its Jacobian is not kept) prevents it.
     */
    private double[] scaledBackward(boolean[] scaled, ConstantFit.Branch branch, double factor) {
        int layers = graph.layerCount();
        double[] out = new double[truth.length];
        for (int s = 0; s < trace.z.length; s++) {
            double[] up = trace.dLdo[s][layers];
            boolean changedAbove = false;
            for (int l = layers; l >= 1; l--) {
                int n = graph.units(l);
                int in = graph.units(l - 1);
                Activation act = graph.layer(l).activation();
                double[] dz = new double[n];
                for (int j = 0; j < n; j++) {
                    if (act == Activation.SOFTMAX) {
                        if (changedAbove || scaled[l] && branch != ConstantFit.Branch.ALL) {
                            return null;
                        }
                        dz[j] = trace.dLdz[s][l][j] * (scaled[l] ? factor : 1);
                    } else {
                        double slope = derivative(act, s, l, j);
                        dz[j] = up[j] * (scaled[l] && branch.holds(trace.z[s][l][j]) ? slope * factor : slope);
                    }
                }
                changedAbove |= scaled[l];
                int w = graph.weightOffset(l);
                int b = graph.biasOffset(l);
                double[] next = new double[in];
                for (int j = 0; j < n; j++) {
                    out[b + j] += dz[j];
                    for (int k = 0; k < in; k++) {
                        out[w + j * in + k] += dz[j] * trace.o[s][l - 1][k];
                        next[k] += dz[j] * parameters[w + j * in + k];
                    }
                }
                up = next;
            }
        }
        return out;
    }

    private double[][][] slopes;

    /** φ'(z) of sample s, layer l, unit j, evaluated once. */
    private double derivative(Activation act, int s, int l, int j) {
        if (slopes == null) {
            slopes = new double[trace.z.length][graph.layerCount() + 1][];
        }
        if (slopes[s][l] == null) {
            double[] d = new double[graph.units(l)];
            for (int u = 0; u < d.length; u++) {
                d[u] = BackpropTrace.activationDerivative(act, trace.z[s][l][u]);
            }
            slopes[s][l] = d;
        }
        return slopes[s][l][j];
    }

    private Localisation constantFinding(int l, boolean everyLayer, boolean[] shared, ConstantFit.Branch branch,
                                         Activation act, double k) {
        int layers = graph.layerCount();
        if (!everyLayer && l == layers && branch == ConstantFit.Branch.ALL) {
            return scaledEverywhere(k);
        }
        String phi = act == Activation.SOFTMAX ? "softmax" : act.op(1, 1).symbol();
        String sub = Notation.subscript(l);
        String where;
        if (everyLayer) {
            List<String> names = new java.util.ArrayList<>();
            for (int m = 1; m < shared.length; m++) {
                if (shared[m]) {
                    names.add(Integer.toString(m));
                }
            }
            where = "layers " + String.join(", ", names) + " (every " + phi + " layer)";
        } else {
            where = "layer " + l;
        }
        return ConstantFit.finding(l, where, phi, "z" + (everyLayer ? "" : sub), act == Activation.LEAKY_RELU,
                branch, k);
    }

    private Localisation scaledEverywhere(double k) {
        return new Localisation(graph.layerCount(), Localisation.Fault.SCALED, k, "every gradient is "
                + ConstantFit.fitted(k, k) + " times the true one: a constant factor, e.g. in ∂L/∂o" + Notation.subscript(graph.layerCount())
                + " (the loss derivative)");
    }

    private String derivativeRule(Activation act, String sub) {
        return "∂o" + sub + "/∂z" + sub + " = " + LocalDerivatives.activation(act).derivativeText().replace("z", "z" + sub);
    }

    private double commonRatio() {
        return commonRatio(claimed, truth);
    }

    /**
     * The ratio claimed/true shared by every entry that is not negligible ({@link Thresholds#negligible()} of the
     * largest), or NaN if there is none or it is 1 (to {@link Thresholds#match()}).
     *
     * @param claimed the claimed gradient
     * @param truth   the true gradient
     * @return the common ratio, or NaN
     */
    static double commonRatio(double[] claimed, double[] truth) {
        double max = 0;
        for (double t : truth) {
            max = Math.max(max, Math.abs(t));
        }
        double ratio = Double.NaN;
        for (int i = 0; i < truth.length; i++) {
            if (Math.abs(truth[i]) <= Thresholds.DEFAULT.negligible() * max) {
                continue;
            }
            double r = claimed[i] / truth[i];
            if (Double.isNaN(ratio)) {
                ratio = r;
            } else if (Math.abs(r - ratio) > Thresholds.DEFAULT.match() * Math.abs(ratio)) {
                return Double.NaN;
            }
        }
        return Double.isNaN(ratio) || Math.abs(ratio - 1) <= Thresholds.DEFAULT.match() ? Double.NaN : ratio;
    }

    /**
     * Whether W and b both match the gradients a replaced ∂L/∂z (per sample, per unit) would give — and that
     * hypothesis predicts something else than the true gradients: a cause that predicts the right answer (leaky
     * relu's slope at the output instead of the pre-activation, which share their sign) explains no difference.
     */
    private boolean matchesDelta(int l, double[] w, double[] b, BiFunction<Integer, Integer, Double> delta) {
        int n = graph.units(l);
        int samples = graph.spec().data().samples();
        double[] bAlt = new double[n];
        double[][] d = new double[samples][n];
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < n; j++) {
                d[s][j] = delta.apply(s, j);
                bAlt[j] += d[s][j];
            }
        }
        int in = graph.units(l - 1);
        double[] wAlt = new double[n * in];
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < in; k++) {
                    wAlt[j * in + k] += d[s][j] * trace.o[s][l - 1][k];
                }
            }
        }
        double[] wTrue = slice(truth, graph.weightOffset(l), n * in);
        double[] bTrue = slice(truth, graph.biasOffset(l), n);
        return matches(b, bAlt) && matches(w, wAlt) && !(matches(bAlt, bTrue) && matches(wAlt, wTrue));
    }

    private double[] weightGradient(int l, BiFunction<Integer, Integer, Double> input) {
        int n = graph.units(l);
        int in = graph.units(l - 1);
        double[] out = new double[n * in];
        for (int s = 0; s < graph.spec().data().samples(); s++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < in; k++) {
                    out[j * in + k] += trace.dLdz[s][l][j] * input.apply(s, k);
                }
            }
        }
        return out;
    }

    static boolean matches(double[] a, double[] b) {
        return Thresholds.DEFAULT.matches(a, b);
    }

    private static double[] slice(double[] v, int from, int length) {
        double[] out = new double[length];
        System.arraycopy(v, from, out, 0, length);
        return out;
    }

    private static double[] negate(double[] v) {
        return scale(v, -1);
    }

    private static double[] scale(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    private static String format(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
