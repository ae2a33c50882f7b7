package io.chainproof.check;

import io.chainproof.model.GraphFault;
import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.model.Tensor;
import io.chainproof.ops.Op;
import io.chainproof.ops.OpFault;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 *                       only (k = 1 … min(T − 1, 128)): h_{t−k} treated as a constant
 *   an op's own faults  the reverse walk with one of {@link Op#faults()} in place of the op's backward rule, on the
 *                       nodes of one layer or on one op at every step (φ' missing, φ for φ', φ'(o) for φ'(z), …)
 *   isolated entries    a few entries of one tensor wrong, the rest right
 * </pre>
 * Two gradients match when each parameter tensor matches as {@link Thresholds#matches} says, at its own scale.
 */
final class GraphLocaliser {

    /** The longest truncation of backpropagation through time tried as a hypothesis, in steps. */
    static final int MAX_TRUNCATION = 128;

    private final Model model;
    private final double[] point;
    private final double[] truth;
    private final double[] claimed;
    /** Per entry, what its verdict allowed (NaN where unchecked), or null: the wrong-constant family needs it. */
    private final double[] allowed;

    private GraphLocaliser(Model model, double[] point, double[] truth, double[] claimed, double[] allowed) {
        this.model = model;
        this.point = point;
        this.truth = truth;
        this.claimed = claimed;
        this.allowed = allowed;
    }

    static Optional<Localisation> localise(Model model, double[] point, double[] truth, double[] claimed,
                                           List<Integer> failing) {
        return localise(model, point, truth, claimed, failing, null);
    }

    static Optional<Localisation> localise(Model model, double[] point, double[] truth, double[] claimed,
                                           List<Integer> failing, double[] allowed) {
        if (failing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GraphLocaliser(model, point, truth, claimed, allowed).find(failing));
    }

    private Localisation find(List<Integer> failing) {
        int samples = model.samples();
        if (matches(claimed, scale(truth, -1))) {
            return new Localisation(0, Localisation.Fault.SIGN_FLIPPED, -1,
                    "every gradient has the wrong sign (the loss's gradient is negated at the start of the backward pass)");
        }
        if (samples > 1 && matches(claimed, scale(truth, samples))) {
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
        // a loss at a step (an RNN's loss terms) is truncated from its own step; a loss after the steps (a layered
        // model's recurrent layer returning its last state) from the last step
        boolean fromLast = model.nodes().get(model.nodes().size() - 1).step() == 0;
        // truncations of up to MAX_TRUNCATION steps (each hypothesis is a reverse walk; a 20,000-step model would
        // otherwise take 20,000 of them)
        for (int k = 1; k < Math.min(steps, MAX_TRUNCATION + 1); k++) {
            int kept = k;
            double[] truncated = ModelEvaluator.gradient(model, point, (loss, node) -> node.step() == 0
                    || node.step() > (fromLast && loss.step() == 0 ? steps : loss.step()) - kept, SymbolicRules.instance());
            if (!matches(truncated, truth) && matches(claimed, truncated)) {
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
        }
        Optional<Localisation> op = opFault().or(this::graphFault).or(this::wrongConstant);
        if (op.isPresent()) {
            return op.get();
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

    /**
     * Each op's own classic faults ({@link Op#faults()}), tried on every group of nodes that a backward pass would
     * get wrong together: the nodes of one label (a layer) and the nodes of one op reading the same parameters
     * (a recurrent cell's op at every step).
     */
    private Optional<Localisation> opFault() {
        List<Node> nodes = model.nodes();
        Map<String, List<Node>> groups = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.op().faults().isEmpty()) {
                continue;
            }
            groups.computeIfAbsent(node.op().kind() + " in " + node.label(), k -> new ArrayList<>()).add(node);
            groups.computeIfAbsent(node.op().kind() + " reading " + parametersRead(node), k -> new ArrayList<>()).add(node);
        }
        Set<Set<Node>> tried = new HashSet<>();
        for (Map.Entry<String, List<Node>> group : groups.entrySet()) {
            Set<Node> members = Set.copyOf(group.getValue());
            if (!tried.add(members)) {
                continue;
            }
            for (OpFault fault : group.getValue().get(0).op().faults()) {
                double[] hypothesis = ModelEvaluator.gradient(model, point, ModelEvaluator.ReverseFilter.ALL,
                        node -> members.contains(node) ? fault(node, fault.name()) : null, SymbolicRules.instance());
                if (!matches(hypothesis, truth) && matches(claimed, hypothesis)) {
                    return Optional.of(new Localisation(0, kind(fault.name()), 1,
                            String.format(java.util.Locale.ROOT, fault.description(), where(group.getValue()))));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The multi-node mistakes the model's builder declared ({@link Model#faults()}): another library's reading of
     * a layer (its gate order) or a layer's faulty backward pass (the cell-state path left out).
     */
    private Optional<Localisation> graphFault() {
        for (GraphFault fault : model.faults()) {
            double[] hypothesis = fault.variant() != null
                    ? ModelEvaluator.gradient(fault.variant().get(), point)
                    : ModelEvaluator.gradient(model, point, ModelEvaluator.ReverseFilter.ALL,
                            node -> fault.rules().get(node.output()), node -> fault.targets().get(node.output()),
                            SymbolicRules.instance());
            if (!matches(hypothesis, truth) && matches(claimed, hypothesis)) {
                return Optional.of(new Localisation(0, kind(fault.name()), fault.factor(), fault.description()));
            }
        }
        return Optional.empty();
    }

    /**
     * The wrong-constant family ({@link ConstantFit}), tested to the verdicts' own precision: every gradient scaled by
     * k (a loss scale), or one activation's derivative — on its negative or positive branch, or everywhere — scaled
     * by k on the nodes of one layer or of every layer with that activation.
     */
    private Optional<Localisation> wrongConstant() {
        if (allowed == null) {
            return Optional.empty();
        }
        double scale = ConstantFit.linear(truth, claimed, allowed, truth);
        if (!Double.isNaN(scale)) {
            return Optional.of(new Localisation(0, Localisation.Fault.SCALED, scale, "every gradient is "
                    + ConstantFit.fitted(scale, scale) + " times the true one: a constant factor, e.g. in the loss "
                    + "derivative"));
        }
        Map<String, List<Node>> groups = new LinkedHashMap<>();
        for (Node node : model.nodes()) {
            if (node.op() instanceof io.chainproof.ops.ElementwiseOp) {
                groups.computeIfAbsent(node.op().kind() + " in " + node.label(), k -> new ArrayList<>()).add(node);
                groups.computeIfAbsent(node.op().kind(), k -> new ArrayList<>()).add(node);
            }
        }
        Set<Set<Node>> tried = new HashSet<>();
        for (List<Node> group : groups.values()) {
            Set<Node> members = Set.copyOf(group);
            if (!tried.add(members)) {
                continue;
            }
            io.chainproof.ops.Op op = group.get(0).op();
            boolean leaky = op instanceof io.chainproof.ops.LeakyRelu;
            boolean piecewise = leaky || op instanceof io.chainproof.ops.Relu || op instanceof io.chainproof.ops.Elu;
            for (ConstantFit.Branch branch : piecewise ? List.of(ConstantFit.Branch.NEGATIVE, ConstantFit.Branch.POSITIVE,
                    ConstantFit.Branch.ALL) : List.of(ConstantFit.Branch.ALL)) {
                double k = ConstantFit.along(truth, claimed, allowed, factor -> scaledWalk(members, branch, factor),
                        factor -> leaky && branch == ConstantFit.Branch.NEGATIVE && ConstantFit.floatSlope(factor));
                if (!Double.isNaN(k)) {
                    List<String> labels = group.stream().map(Node::label).distinct().toList();
                    String where = labels.size() == 1 ? labels.get(0)
                            : String.join(", ", labels) + " (every " + op.kind() + ")";
                    return Optional.of(ConstantFit.finding(0, where, op.symbol(), "z", leaky, branch, k));
                }
            }
        }
        return Optional.empty();
    }

    /** The reverse walk with the derivative of {@code members}' elementwise ops multiplied by {@code factor} on a branch. */
    private double[] scaledWalk(Set<Node> members, ConstantFit.Branch branch, double factor) {
        return ModelEvaluator.gradient(model, point, ModelEvaluator.ReverseFilter.ALL, node -> !members.contains(node) ? null
                : (in, out, g, grads, rules) -> {
                    double[] gz = grads.get(0);
                    if (gz == null) {
                        return;
                    }
                    double[] plain = new double[gz.length];
                    List<double[]> into = new ArrayList<>(grads.size());
                    into.add(plain);
                    for (int i = 1; i < grads.size(); i++) {
                        into.add(null);
                    }
                    node.op().backward(in, out, g, into, rules);
                    double[] z = in.get(0);
                    for (int j = 0; j < gz.length; j++) {
                        gz[j] += branch.holds(z[j]) ? plain[j] * factor : plain[j];
                    }
                }, SymbolicRules.instance());
    }

    /** The rule of the fault named {@code name} for {@code node}'s own op (the ops of a group may differ in size). */
    private static OpFault.Rule fault(Node node, String name) {
        return node.op().faults().stream().filter(f -> f.name().equals(name)).findFirst().map(OpFault::rule).orElse(null);
    }

    private String parametersRead(Node node) {
        List<String> read = new ArrayList<>();
        for (int i = 0; i < node.inputCount(); i++) {
            if (model.tensor(node.input(i)).role() == Tensor.Role.PARAMETER) {
                read.add(model.tensor(node.input(i)).name());
            }
        }
        return read.isEmpty() ? "no parameters, size " + node.op().outputSize() : String.join(", ", read);
    }

    /** {@code layer 2}, or for a group across steps {@code tanh (every step)} / {@code dense on Wh (every step)}. */
    private String where(List<Node> group) {
        if (group.stream().map(Node::label).distinct().count() == 1) {
            return group.get(0).label();
        }
        Node first = group.get(0);
        String read = parametersRead(first);
        return first.op().kind() + (read.startsWith("no parameters") ? "" : " on " + read)
                + (first.step() > 0 ? " (every step)" : " (every node)");
    }

    private static Localisation.Fault kind(String name) {
        for (Localisation.Fault f : Localisation.Fault.values()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return Localisation.Fault.UNKNOWN;
    }

    private static String others(List<Parameter> wrong, Parameter p) {
        List<String> rest = wrong.stream().filter(q -> q != p).map(Parameter::name).toList();
        return rest.isEmpty() ? "" : " (also wrong: " + String.join(", ", rest) + ")";
    }

    /** {@link Localiser#commonRatio}, kept only when it explains every tensor at its own scale. */
    private double commonRatio() {
        double ratio = Localiser.commonRatio(claimed, truth);
        return Double.isNaN(ratio) || !matches(claimed, scale(truth, ratio)) ? Double.NaN : ratio;
    }

    /**
     * Whether two gradients match tensor by tensor ({@link Thresholds#matches} on each parameter tensor): a layer
     * whose gradients are 1e−135 is compared at its own scale, not drowned by another layer's 0.1.
     */
    private boolean matches(double[] a, double[] b) {
        for (Parameter p : model.parameters()) {
            if (!Thresholds.DEFAULT.matches(slice(a, p), slice(b, p))) {
                return false;
            }
        }
        return true;
    }

    private static boolean inside(Parameter p, int i) {
        return i >= p.offset() && i < p.offset() + p.size();
    }

    private static double[] slice(double[] v, Parameter p) {
        return Arrays.copyOfRange(v, p.offset(), p.offset() + p.size());
    }


    private static double[] scale(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }
}
