package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds what is wrong with a claimed gradient of any op graph by comparing it with the gradients that known faults
 * would produce, each computed from the graph itself:
 * <pre>
 *   mean missing        claimed = N · true                       (summed over the N samples)
 *   scaled              claimed = c · true                       (a constant factor)
 *   sign flipped        claimed = −true, for every tensor or one
 *   truncated BPTT      claimed = the reverse walk in which every loss term flows back through its last k steps
 *                       only (k = 1 … T − 1): h_{t−k} treated as a constant
 *   transposed          claimed W = trueᵀ for a square weight (W_h)
 *   isolated entries    a few entries of one tensor wrong, the rest right
 * </pre>
 * Two tensors match as {@link Thresholds#matches} says.
 */
final class GraphLocaliser {

    private final Model model;
    private final double[] point;
    private final double[] truth;
    private final double[] claimed;

    private GraphLocaliser(Model model, double[] point, double[] truth, double[] claimed) {
        this.model = model;
        this.point = point;
        this.truth = truth;
        this.claimed = claimed;
    }

    static Optional<Localisation> localise(Model model, double[] point, double[] truth, double[] claimed,
                                           List<Integer> failing) {
        if (failing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GraphLocaliser(model, point, truth, claimed).find(failing));
    }

    private Localisation find(List<Integer> failing) {
        int samples = model.samples();
        if (Thresholds.DEFAULT.matches(claimed, scale(truth, -1))) {
            return new Localisation(0, Localisation.Fault.SIGN_FLIPPED, -1,
                    "every gradient has the wrong sign (the loss's gradient is negated at the start of the backward pass)");
        }
        if (samples > 1 && Thresholds.DEFAULT.matches(claimed, scale(truth, samples))) {
            return new Localisation(0, Localisation.Fault.MEAN_OVER_SAMPLES_MISSING, samples,
                    "every gradient is " + samples + " times too large: summed over the " + samples
                            + " samples instead of averaged (the loss is the mean over samples)");
        }
        double ratio = commonRatio();
        if (!Double.isNaN(ratio)) {
            return new Localisation(0, Localisation.Fault.SCALED, ratio, "every gradient is "
                    + String.format(java.util.Locale.ROOT, "%.6g", ratio) + " times the true one: a constant factor");
        }
        int steps = model.nodes().stream().mapToInt(Node::step).max().orElse(0);
        for (int k = 1; k < steps; k++) {
            int kept = k;
            double[] truncated = ModelEvaluator.gradient(model, point,
                    (loss, node) -> node.step() == 0 || node.step() > loss.step() - kept, SymbolicRules.instance());
            if (!Thresholds.DEFAULT.matches(truncated, truth) && Thresholds.DEFAULT.matches(claimed, truncated)) {
                return new Localisation(0, Localisation.Fault.TRUNCATED_BPTT, k, "the gradients equal backpropagation "
                        + "through time truncated to the last " + k + (k == 1 ? " step" : " steps")
                        + " of every loss term: the gradient through h_{t−" + k + "} and earlier states is missing"
                        + " (the recurrent path ∂h_t/∂h_{t−1} = diag(φ'(z_t))·W_h must be followed back to the first step)");
            }
        }
        List<Parameter> wrong = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (failing.stream().anyMatch(i -> i >= p.offset() && i < p.offset() + p.size())) {
                wrong.add(p);
            }
        }
        for (Parameter p : wrong) {
            double[] c = slice(claimed, p);
            double[] t = slice(truth, p);
            if (Thresholds.DEFAULT.matches(c, scale(t, -1))) {
                return new Localisation(0, Localisation.Fault.SIGN_FLIPPED, -1,
                        p.name() + ": the gradient has the wrong sign" + others(wrong, p));
            }
            if (p.shape().rank() == 2 && p.shape().dim(0) == p.shape().dim(1) && Thresholds.DEFAULT.matches(c, transpose(t, p))) {
                return new Localisation(0, Localisation.Fault.TRANSPOSED, 1, p.name() + ": the gradient is the transpose of "
                        + "the true one (rows and columns swapped: ∂L/∂" + p.name() + "[i][j] = Σ_t δ_t[i]·h_{t−1}[j])"
                        + others(wrong, p));
            }
        }
        List<Integer> entries = failing.stream().filter(i -> wrong.stream().anyMatch(p -> inside(p, i))).toList();
        int size = wrong.stream().mapToInt(Parameter::size).sum();
        if (entries.size() <= Math.max(2, (int) (Thresholds.DEFAULT.isolatedFraction() * size))) {
            List<String> names = model.parameterNames();
            String listed = entries.stream().map(names::get).collect(Collectors.joining(", "));
            return new Localisation(0, Localisation.Fault.ISOLATED_ENTRIES, 1, entries.size() + " isolated "
                    + (entries.size() == 1 ? "entry is" : "entries are") + " wrong (" + listed + ") while the rest of "
                    + wrong.stream().map(Parameter::name).collect(Collectors.joining(", ")) + " is right (an indexing or copy error?)");
        }
        return new Localisation(0, Localisation.Fault.UNKNOWN, 1, "the gradients of "
                + wrong.stream().map(Parameter::name).collect(Collectors.joining(", ")) + " are wrong; no known pattern fits");
    }

    private static String others(List<Parameter> wrong, Parameter p) {
        List<String> rest = wrong.stream().filter(q -> q != p).map(Parameter::name).toList();
        return rest.isEmpty() ? "" : " (also wrong: " + String.join(", ", rest) + ")";
    }

    /** The ratio claimed/true shared by every entry that is not tiny, or NaN if there is none (or it is 1). */
    private double commonRatio() {
        double max = Arrays.stream(truth).map(Math::abs).max().orElse(0);
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
        if (Double.isNaN(ratio) || Math.abs(ratio - 1) <= Thresholds.DEFAULT.match() || !Thresholds.DEFAULT.matches(claimed, scale(truth, ratio))) {
            return Double.NaN;
        }
        return ratio;
    }

    private static boolean inside(Parameter p, int i) {
        return i >= p.offset() && i < p.offset() + p.size();
    }

    private static double[] slice(double[] v, Parameter p) {
        return Arrays.copyOfRange(v, p.offset(), p.offset() + p.size());
    }

    private static double[] transpose(double[] m, Parameter p) {
        int n = p.shape().dim(0);
        double[] t = new double[m.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[i * n + j] = m[j * n + i];
            }
        }
        return t;
    }

    private static double[] scale(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }
}
