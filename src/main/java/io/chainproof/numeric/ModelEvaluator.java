package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.model.Tensor;
import io.chainproof.number.DoubleNumber;
import io.chainproof.number.Real;
import io.chainproof.number.RealField;
import io.chainproof.ops.LocalRules;
import io.chainproof.ops.OpFault;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Evaluates any {@link Model} by walking its graph: forward in any arithmetic (double precision, the complex step,
 * dual numbers), and the gradient by the reverse walk — micrograd's {@code backward()}: the nodes in reverse
 * evaluation order, each adding its vector–Jacobian product to the gradients of the tensors it read, from the
 * local derivatives Symja derived for its op ({@link SymbolicRules}). For a recurrent network this walk is
 * backpropagation through time. Interpreted, not compiled: for models of up to a few thousand scalar operations.
 * Stateless and thread-safe.
 */
public final class ModelEvaluator {

    /** Which nodes the reverse walk passes through, for a seeded loss node: a way to compute a faulty hypothesis. */
    @FunctionalInterface
    public interface ReverseFilter {
        /**
         * @param lossNode the loss node whose gradient is being propagated
         * @param node     a node upstream of it
         * @return whether the gradient flows back through {@code node}
         */
        boolean passes(Node lossNode, Node node);

        /** The true gradient: every node passes. */
        ReverseFilter ALL = (lossNode, node) -> true;
    }

    private ModelEvaluator() {
    }

    /**
     * The loss in an arithmetic of choice.
     *
     * @param model     the model
     * @param field     the arithmetic
     * @param parameter the number for the flat parameter i (seeded or constant)
     * @param <T>       the number type
     * @return the loss
     */
    public static <T extends Real<T>> T loss(Model model, RealField<T> field, IntFunction<T> parameter) {
        return forward(model, field, parameter).get(model.loss())[0];
    }

    /**
     * The loss in double precision.
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @return L(θ)
     */
    public static double loss(Model model, double[] theta) {
        return values(model, theta)[model.loss()][0];
    }

    /**
     * The gradient by the reverse walk.
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @return ∂L/∂θ, flat layout
     */
    public static double[] gradient(Model model, double[] theta) {
        return gradient(model, theta, ReverseFilter.ALL, SymbolicRules.instance());
    }

    /**
     * The gradient by a reverse walk restricted by {@code filter}: with {@link ReverseFilter#ALL} the true gradient,
     * otherwise the gradient a faulty backward pass would compute (e.g. BPTT truncated to the last k steps).
     *
     * @param model  the model
     * @param theta  the parameters, flat layout; not modified
     * @param filter which nodes the gradient flows back through, per loss node
     * @param rules  the local derivatives of the ops
     * @return the walk's ∂L/∂θ, flat layout
     */
    public static double[] gradient(Model model, double[] theta, ReverseFilter filter, LocalRules rules) {
        return gradient(model, theta, filter, node -> null, rules);
    }

    /**
     * The gradient by a reverse walk in which some nodes use another backward rule than their op's: the gradient a
     * backward pass with that mistake computes (a localiser's hypothesis).
     *
     * @param model    the model
     * @param theta    the parameters, flat layout; not modified
     * @param filter   which nodes the gradient flows back through, per loss node
     * @param override the backward rule to use at a node, or null for its op's own
     * @param rules    the local derivatives of the ops
     * @return the walk's ∂L/∂θ, flat layout
     */
    public static double[] gradient(Model model, double[] theta, ReverseFilter filter,
                                    Function<Node, OpFault.Rule> override, LocalRules rules) {
        return gradient(model, theta, filter, override, node -> null, rules);
    }

    /**
     * The gradient by a reverse walk in which some nodes use another backward rule than their op's and some send
     * an input's gradient to another tensor than that input (a cell passing its h gradient back as its c gradient).
     *
     * @param model    the model
     * @param theta    the parameters, flat layout; not modified
     * @param filter   which nodes the gradient flows back through, per loss node
     * @param override the backward rule to use at a node, or null for its op's own
     * @param targets  per node, the tensor each input's gradient goes to (same sizes as the inputs; −1 for none: the
     *                 input detached), or null for the inputs themselves
     * @param rules    the local derivatives of the ops
     * @return the walk's ∂L/∂θ, flat layout
     */
    public static double[] gradient(Model model, double[] theta, ReverseFilter filter,
                                    Function<Node, OpFault.Rule> override, Function<Node, int[]> targets,
                                    LocalRules rules) {
        requireLength(model, theta);
        double[][] values = values(model, theta);
        List<Node> nodes = model.nodes();
        double[] result = new double[model.parameterCount()];
        List<Integer> seeds = filter == ReverseFilter.ALL ? List.of(-1) : lossNodes(model);
        for (int seed : seeds) {
            double[][] grads = new double[model.tensors().size()][];
            if (seed < 0) {
                grads[model.loss()] = new double[] {1.0};
            } else {
                grads[nodes.get(seed).output()] = new double[] {1.0};
            }
            Node lossNode = seed < 0 ? null : nodes.get(seed);
            reverse(model, values, grads, (seed < 0 ? nodes.size() : seed + 1) - 1, lossNode, filter, override, targets,
                    rules);
            for (Parameter p : model.parameters()) {
                double[] g = grads[p.tensor()];
                if (g != null) {
                    for (int i = 0; i < g.length; i++) {
                        result[p.offset() + i] += g[i];
                    }
                }
            }
        }
        return result;
    }

    /**
     * The gradient by the reverse walk in an arithmetic of choice: every op's backward rule run over {@link Real}
     * (as the compiler traces it). Seeded with a direction, it differentiates the gradient itself: in complex-step
     * or dual numbers {@code θ + (ih or ε)·v} gives the Hessian-vector product {@code H·v} as the imaginary part or
     * tangent of every entry — the second-order check's oracles.
     *
     * @param model     the model
     * @param field     the arithmetic
     * @param parameter the number for the flat parameter i
     * @param <T>       the number type
     * @return ∂L/∂θ in that arithmetic, flat layout
     */
    public static <T extends Real<T>> T[] gradient(Model model, RealField<T> field, IntFunction<T> parameter) {
        return gradient(model, field, parameter, SymbolicRules.instance());
    }

    /**
     * {@link #gradient(Model, RealField, IntFunction)} with other local derivative rules (the textbook formulas a
     * library writes, for the rounding error such a backward pass may make).
     *
     * @param model     the model
     * @param field     the arithmetic
     * @param parameter the number for the flat parameter i
     * @param rules     the local derivatives of the ops
     * @param <T>       the number type
     * @return ∂L/∂θ in that arithmetic, flat layout
     */
    public static <T extends Real<T>> T[] gradient(Model model, RealField<T> field, IntFunction<T> parameter,
                                                   LocalRules rules) {
        T[] result = field.array(model.parameterCount());
        gradient(model, field, parameter, rules, (i, value) -> result[i] = value);
        return result;
    }

    /** Receives the gradient's entries, each once, possibly from several threads at once. */
    @FunctionalInterface
    public interface GradientSink<T> {
        /**
         * Takes one entry.
         *
         * @param index the flat parameter index
         * @param value ∂L/∂θ_index
         */
        void accept(int index, T value);
    }

    /**
     * {@link #gradient(Model, RealField, IntFunction, LocalRules)} handed over entry by entry, the same numbers bit for
     * bit: a parameter tensor that one op alone reads and that op differentiates entry by entry
     * ({@link io.chainproof.ops.Op#gradientByEntry}: an affine map's weights) is never held whole, its entries are
     * computed on both cores and handed to {@code sink} as they come. So a bound computed from each entry (the
     * rounding a backward pass may make) costs a few numbers per parameter, not a gradient of objects.
     *
     * @param model     the model
     * @param field     the arithmetic
     * @param parameter the number for the flat parameter i
     * @param rules     the local derivatives of the ops
     * @param sink      receives every entry once; must be safe to call from several threads for different indices
     * @param <T>       the number type
     */
    public static <T extends Real<T>> void gradient(Model model, RealField<T> field, IntFunction<T> parameter,
                                                    LocalRules rules, GradientSink<T> sink) {
        List<T[]> values = forward(model, field, parameter);
        List<Node> nodes = model.nodes();
        int[] readers = new int[model.tensors().size()];
        for (Node node : nodes) {
            for (int i = 0; i < node.inputCount(); i++) {
                readers[node.input(i)]++;
            }
        }
        int[] offsets = new int[model.tensors().size()];
        java.util.Arrays.fill(offsets, -1);
        for (Parameter p : model.parameters()) {
            offsets[p.tensor()] = p.offset();
        }
        boolean[] streamed = new boolean[model.tensors().size()];
        List<T[]> grads = new ArrayList<>(java.util.Collections.nCopies(model.tensors().size(), null));
        T[] seed = field.array(1);
        seed[0] = field.constant(1);
        grads.set(model.loss(), seed);
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node node = nodes.get(k);
            T[] g = grads.get(node.output());
            if (g == null) {
                continue;
            }
            List<T[]> inputs = new ArrayList<>(node.inputCount());
            List<T[]> inputGrads = new ArrayList<>(node.inputCount());
            List<Integer> byEntry = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                int t = node.input(i);
                inputs.add(values.get(t));
                if (model.tensor(t).role() == Tensor.Role.DATA) {
                    inputGrads.add(null);
                } else if (offsets[t] >= 0 && readers[t] == 1 && node.op().gradientByEntry(i)) {
                    inputGrads.add(null);
                    byEntry.add(i);
                } else {
                    if (grads.get(t) == null) {
                        T[] zeros = field.array(model.tensor(t).size());
                        java.util.Arrays.fill(zeros, field.constant(0));
                        grads.set(t, zeros);
                    }
                    inputGrads.add(grads.get(t));
                }
            }
            node.op().backward(field, inputs, values.get(node.output()), g, inputGrads, rules);
            for (int i : byEntry) {
                int t = node.input(i);
                int offset = offsets[t];
                streamed[t] = true;
                int size = model.tensor(t).size();
                IntStream entries = IntStream.range(0, size);
                (size >= 1 << 12 ? entries.parallel() : entries).forEach(e ->
                        sink.accept(offset + e, node.op().inputGradientEntry(field, inputs, g, i, e)));
            }
        }
        for (Parameter p : model.parameters()) {
            if (streamed[p.tensor()]) {
                continue;
            }
            T[] g = grads.get(p.tensor());
            for (int i = 0; i < p.size(); i++) {
                sink.accept(p.offset() + i, g == null ? field.constant(0) : g[i]);
            }
        }
    }

    /**
     * ∂L/∂t for every tensor t the reverse walk reaches (intermediates and parameters; data get none): how the
     * gradient's size changes as it flows back through the layers.
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @return per tensor, indexed like {@link Model#tensors()}, its gradient, or null where the walk does not reach it
     */
    public static double[][] tensorGradients(Model model, double[] theta) {
        requireLength(model, theta);
        double[][] values = values(model, theta);
        List<Node> nodes = model.nodes();
        double[][] grads = new double[model.tensors().size()][];
        grads[model.loss()] = new double[] {1.0};
        reverse(model, values, grads, nodes.size() - 1, null, ReverseFilter.ALL, node -> null, node -> null,
                SymbolicRules.instance());
        return grads;
    }

    /**
     * The Jacobian {@code ∂to/∂from} between two tensors at {@code theta}, one reverse walk per entry of {@code to}
     * (from any tensor, data included: ∂h_T/∂h_0 of a recurrent network is a Jacobian in its initial state).
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @param from  the index of the tensor differentiated by
     * @param to    the index of the tensor differentiated, computed after {@code from}
     * @return the matrix {@code J[i][j] = ∂to_i/∂from_j}
     */
    public static double[][] jacobian(Model model, double[] theta, int from, int to) {
        requireLength(model, theta);
        double[][] values = values(model, theta);
        List<Node> nodes = model.nodes();
        int last = -1;
        for (int k = 0; k < nodes.size(); k++) {
            if (nodes.get(k).output() == to) {
                last = k;
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("Tensor <" + model.tensor(to).name() + "> is not computed by model <"
                    + model.name() + ">");
        }
        double[][] j = new double[model.tensor(to).size()][];
        for (int i = 0; i < j.length; i++) {
            double[][] grads = new double[model.tensors().size()][];
            grads[to] = new double[model.tensor(to).size()];
            grads[to][i] = 1.0;
            grads[from] = new double[model.tensor(from).size()];
            for (int k = last; k >= 0; k--) {
                Node node = nodes.get(k);
                double[] g = grads[node.output()];
                if (g == null) {
                    continue;
                }
                List<double[]> inputs = new ArrayList<>(node.inputCount());
                List<double[]> inputGrads = new ArrayList<>(node.inputCount());
                for (int n = 0; n < node.inputCount(); n++) {
                    int t = node.input(n);
                    inputs.add(values[t]);
                    boolean wanted = t == from || model.tensor(t).role() == Tensor.Role.INTERMEDIATE;
                    if (wanted && grads[t] == null) {
                        grads[t] = new double[model.tensor(t).size()];
                    }
                    inputGrads.add(wanted ? grads[t] : null);
                }
                node.op().backward(inputs, values[node.output()], g, inputGrads, SymbolicRules.instance());
            }
            j[i] = grads[from];
        }
        return j;
    }

    /**
     * Every tensor's value at {@code theta} in double precision: parameters, data and what each node computed.
     *
     * @param model the model
     * @param theta the parameters, flat layout; not modified
     * @return the values, indexed like {@link Model#tensors()}
     */
    public static double[][] values(Model model, double[] theta) {
        requireLength(model, theta);
        List<Tensor> tensors = model.tensors();
        double[][] v = new double[tensors.size()][];
        for (Parameter p : model.parameters()) {
            v[p.tensor()] = Arrays.copyOfRange(theta, p.offset(), p.offset() + p.size());
        }
        for (int t = 0; t < tensors.size(); t++) {
            if (tensors.get(t).role() == Tensor.Role.DATA) {
                v[t] = model.value(t);
            }
        }
        for (Node node : model.nodes()) {
            List<double[]> inputs = new ArrayList<>(node.inputCount());
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(v[node.input(i)]);
            }
            v[node.output()] = node.op().forward(inputs);
        }
        return v;
    }

    /**
     * The reverse walk from node {@code last} down to the first: each node whose output has a gradient (and that
     * {@code filter} lets through, for the loss node {@code lossNode}) adds its vector–Jacobian products to its
     * inputs' gradients, by its op's rule or the one {@code override} gives; data get none.
     */
    private static void reverse(Model model, double[][] values, double[][] grads, int last, Node lossNode,
                                ReverseFilter filter, Function<Node, OpFault.Rule> override,
                                Function<Node, int[]> targets, LocalRules rules) {
        List<Node> nodes = model.nodes();
        for (int k = last; k >= 0; k--) {
            Node node = nodes.get(k);
            double[] g = grads[node.output()];
            if (g == null || (lossNode != null && !filter.passes(lossNode, node))) {
                continue;
            }
            List<double[]> inputs = new ArrayList<>(node.inputCount());
            List<double[]> inputGrads = new ArrayList<>(node.inputCount());
            int[] to = targets.apply(node);
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(values[node.input(i)]);
                int t = to == null ? node.input(i) : to[i];
                if (t < 0 || model.tensor(t).role() == Tensor.Role.DATA) {
                    inputGrads.add(null);
                } else {
                    if (grads[t] == null) {
                        grads[t] = new double[model.tensor(t).size()];
                    }
                    inputGrads.add(grads[t]);
                }
            }
            OpFault.Rule wrong = override.apply(node);
            if (wrong != null) {
                wrong.backward(inputs, values[node.output()], g, inputGrads, rules);
            } else {
                node.op().backward(inputs, values[node.output()], g, inputGrads, rules);
            }
        }
    }

    /** The indices of the nodes that write a loss term (read by the final sum, or the loss itself). */
    private static List<Integer> lossNodes(Model model) {
        List<Node> nodes = model.nodes();
        List<Integer> terms = new ArrayList<>();
        Node last = nodes.get(nodes.size() - 1);
        boolean sum = last.output() == model.loss() && last.op() instanceof io.chainproof.ops.Add;
        for (int k = 0; k < nodes.size(); k++) {
            int out = nodes.get(k).output();
            if (sum ? Arrays.stream(last.inputs()).anyMatch(i -> i == out) : out == model.loss()) {
                terms.add(k);
            }
        }
        return terms;
    }

    static <T extends Real<T>> List<T[]> forward(Model model, RealField<T> field, IntFunction<T> parameter) {
        List<Tensor> tensors = model.tensors();
        List<T[]> v = new ArrayList<>(java.util.Collections.nCopies(tensors.size(), null));
        for (Parameter p : model.parameters()) {
            T[] a = field.array(p.size());
            for (int i = 0; i < a.length; i++) {
                a[i] = parameter.apply(p.offset() + i);
            }
            v.set(p.tensor(), a);
        }
        for (int t = 0; t < tensors.size(); t++) {
            if (tensors.get(t).role() == Tensor.Role.DATA) {
                v.set(t, field.constants(model.value(t)));
            }
        }
        for (Node node : model.nodes()) {
            List<T[]> inputs = new ArrayList<>(node.inputCount());
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(v.get(node.input(i)));
            }
            v.set(node.output(), node.op().forward(field, inputs));
        }
        return v;
    }

    private static void requireLength(Model model, double[] theta) {
        if (theta.length != model.parameterCount()) {
            throw new IllegalArgumentException("Parameter vector of length <" + theta.length + "> does not fit the <"
                    + model.parameterCount() + "> parameters of model <" + model.name() + ">");
        }
    }
}
