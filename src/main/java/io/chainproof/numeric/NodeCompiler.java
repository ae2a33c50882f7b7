package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.model.Tensor;
import io.chainproof.number.RealField;
import io.chainproof.ops.LocalRules;
import io.chainproof.ops.Op;
import io.chainproof.symbolic.SymbolicRules;
import org.codehaus.janino.SimpleCompiler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiles a model too large for {@link GraphCompiler}'s straight-line code, node by node, so that the code stays
 * within Janino's and the JIT's limits whatever the model's size. Every tensor is an array; each node's forward and
 * backward step is either straight-line code traced from its op's rules ({@link SourceNumber}, as
 * {@link GraphCompiler} does for a whole graph) where that takes at most {@code chunk} statements, or else a call of
 * the op's own rule on arrays ({@link Op#forward(List)}, {@link Op#backward(List, double[], double[], List,
 * LocalRules)}) — the loops of an affine map or a convolution, written once on primitives. Straight-line parts are
 * taken in graph order until {@code maxStatements} are used. Both kinds of step compute what the walk computes, in
 * the same order, so the result equals {@link ModelEvaluator}'s walk bit for bit ({@code GraphCompilerTests}).
 */
final class NodeCompiler {

    private static final AtomicInteger CLASS_COUNTER = new AtomicInteger();
    /**
     * The most nodes compiled: the glue code calls each node's step on one line, in two methods, which must stay
     * under the JVM's 64 KB of bytecode per method.
     */
    static final int MAX_NODES = 1000;
    /** A step whose inputs and output have more entries than this many per statement allowed is never traced. */
    private static final int ENTRIES_PER_STATEMENT = 4;

    private NodeCompiler() {
    }

    /**
     * The compiled model.
     *
     * @param model         the model
     * @param chunk         the most statements one node's step may take as straight-line code
     * @param maxStatements the most straight-line statements in all
     * @return the compiled loss and gradient
     */
    static CompiledGraph compile(Model model, int chunk, int maxStatements) {
        String className = "GeneratedNodes" + CLASS_COUNTER.incrementAndGet();
        String source = new Writer(model, chunk, maxStatements).write(className);
        try {
            SimpleCompiler compiler = new SimpleCompiler();
            compiler.setParentClassLoader(NodeCompiler.class.getClassLoader());
            compiler.cook(source);
            Class<?> type = compiler.getClassLoader().loadClass("io.chainproof.numeric.generated." + className);
            Op[] ops = model.nodes().stream().map(Node::op).toArray(Op[]::new);
            double[][] data = new double[model.tensors().size()][];
            for (int t = 0; t < data.length; t++) {
                if (model.tensor(t).role() == Tensor.Role.DATA) {
                    data[t] = model.value(t);
                }
            }
            GraphCompiler.Kernel kernel = (GraphCompiler.Kernel) type
                    .getDeclaredConstructor(Op[].class, double[][].class, LocalRules.class)
                    .newInstance(ops, data, SymbolicRules.instance());
            return new CompiledGraph(model, kernel, source);
        } catch (Exception e) {
            throw new IllegalStateException("generated code for model <" + model.name() + "> does not compile: "
                    + e.getMessage(), e);
        }
    }

    /** Writes the source of one model. */
    private static final class Writer {
        private final Model model;
        private final int chunk;
        private int budget;
        private final StringBuilder methods = new StringBuilder();

        Writer(Model model, int chunk, int maxStatements) {
            this.model = model;
            this.chunk = chunk;
            this.budget = maxStatements;
        }

        String write(String className) {
            List<Node> nodes = model.nodes();
            List<Tensor> tensors = model.tensors();
            StringBuilder s = new StringBuilder();
            s.append("package io.chainproof.numeric.generated;\n\n");
            s.append("public final class ").append(className)
                    .append(" implements io.chainproof.numeric.GraphCompiler.Kernel {\n\n");
            s.append("    private final io.chainproof.ops.Op[] ops;\n");
            s.append("    private final double[][] data;\n");
            s.append("    private final io.chainproof.ops.LocalRules rules;\n\n");
            s.append("    public ").append(className).append("(io.chainproof.ops.Op[] ops, double[][] data, ")
                    .append("io.chainproof.ops.LocalRules rules) {\n");
            s.append("        this.ops = ops;\n        this.data = data;\n        this.rules = rules;\n    }\n\n");
            s.append("    public double loss(final double[] p) {\n");
            s.append("        return values(p)[").append(model.loss()).append("][0];\n    }\n\n");
            s.append("    private double[][] values(final double[] p) {\n");
            s.append("        final double[][] v = new double[").append(tensors.size()).append("][];\n");
            for (Parameter p : model.parameters()) {
                s.append("        v[").append(p.tensor()).append("] = java.util.Arrays.copyOfRange(p, ")
                        .append(p.offset()).append(", ").append(p.offset() + p.size()).append(");\n");
            }
            for (int t = 0; t < tensors.size(); t++) {
                if (tensors.get(t).role() == Tensor.Role.DATA) {
                    s.append("        v[").append(t).append("] = data[").append(t).append("];\n");
                }
            }
            for (int k = 0; k < nodes.size(); k++) {
                s.append("        v[").append(nodes.get(k).output()).append("] = ").append(forward(k)).append(";\n");
            }
            s.append("        return v;\n    }\n\n");
            // which tensors the reverse walk reaches, as ModelEvaluator's walk decides it: from the structure alone
            boolean[] reached = new boolean[tensors.size()];
            reached[model.loss()] = true;
            s.append("    public double lossAndGradient(final double[] p, final double[] g) {\n");
            s.append("        final double[][] v = values(p);\n");
            s.append("        final double[][] d = new double[").append(tensors.size()).append("][];\n");
            s.append("        d[").append(model.loss()).append("] = new double[] {1.0};\n");
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node node = nodes.get(k);
                if (!reached[node.output()]) {
                    continue;
                }
                for (int i = 0; i < node.inputCount(); i++) {
                    int t = node.input(i);
                    if (tensors.get(t).role() != Tensor.Role.DATA && !reached[t]) {
                        reached[t] = true;
                        s.append("        d[").append(t).append("] = new double[").append(tensors.get(t).size())
                                .append("];\n");
                    }
                }
                s.append("        ").append(backward(k)).append(";\n");
            }
            for (Parameter p : model.parameters()) {
                if (reached[p.tensor()]) {
                    s.append("        for (int i = 0; i < ").append(p.size()).append("; i++) {\n");
                    s.append("            g[").append(p.offset()).append(" + i] += d[").append(p.tensor())
                            .append("][i];\n        }\n");
                }
            }
            s.append("        return v[").append(model.loss()).append("][0];\n    }\n\n");
            s.append(methods);
            s.append("}\n");
            return s.toString();
        }

        /** The expression that computes node k's output: its traced method, or its op's rule on arrays. */
        private String forward(int k) {
            Node node = model.nodes().get(k);
            if (entries(node) > (long) ENTRIES_PER_STATEMENT * Math.min(chunk, budget)) {
                return "ops[" + k + "].forward(java.util.Arrays.asList(" + arrays(node, "v") + "))";
            }
            SourceNumber.Tape tape = new SourceNumber.Tape(Math.min(chunk, budget));
            RealField<SourceNumber> field = tape.field();
            List<SourceNumber[]> inputs = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(leaves(tape, "x" + i, model.tensor(node.input(i)).size()));
            }
            SourceNumber[] out;
            try {
                out = node.op().forward(field, inputs);
            } catch (SourceNumber.Tape.TooLong e) {
                return "ops[" + k + "].forward(java.util.Arrays.asList(" + arrays(node, "v") + "))";
            }
            budget -= tape.statements().size();
            methods.append("    private static double[] forward").append(k).append("(final double[][] v) {\n");
            aliases(node, "x", "v");
            statements(tape);
            methods.append("        final double[] o = new double[").append(out.length).append("];\n");
            for (int j = 0; j < out.length; j++) {
                methods.append("        o[").append(j).append("] = ").append(ref(out[j])).append(";\n");
            }
            methods.append("        return o;\n    }\n\n");
            return "forward" + k + "(v)";
        }

        /** The statement that adds node k's vector–Jacobian products to its inputs' gradients. */
        private String backward(int k) {
            Node node = model.nodes().get(k);
            SourceNumber.Tape tape = new SourceNumber.Tape(
                    entries(node) > (long) ENTRIES_PER_STATEMENT * Math.min(chunk, budget) ? 0 : Math.min(chunk, budget));
            List<SourceNumber[]> inputs = new ArrayList<>();
            List<SourceNumber[]> grads = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                int size = model.tensor(node.input(i)).size();
                inputs.add(leaves(tape, "x" + i, size));
                grads.add(isData(node.input(i)) ? null : leaves(tape, "gx" + i, size));
            }
            int outSize = model.tensor(node.output()).size();
            try {
                node.op().backward(tape.field(), inputs, leaves(tape, "y", outSize), leaves(tape, "gy", outSize),
                        grads, SymbolicRules.instance());
            } catch (SourceNumber.Tape.TooLong e) {
                StringBuilder gradients = new StringBuilder();
                for (int i = 0; i < node.inputCount(); i++) {
                    gradients.append(i == 0 ? "" : ", ").append(isData(node.input(i)) ? "null" : "d[" + node.input(i) + "]");
                }
                return "ops[" + k + "].backward(java.util.Arrays.asList(" + arrays(node, "v") + "), v[" + node.output()
                        + "], d[" + node.output() + "], java.util.Arrays.asList(" + gradients + "), rules)";
            }
            budget -= tape.statements().size();
            methods.append("    private static void backward").append(k)
                    .append("(final double[][] v, final double[][] d) {\n");
            aliases(node, "x", "v");
            aliases(node, "gx", "d");
            methods.append("        final double[] y = v[").append(node.output()).append("];\n");
            methods.append("        final double[] gy = d[").append(node.output()).append("];\n");
            statements(tape);
            for (int i = 0; i < node.inputCount(); i++) {
                SourceNumber[] g = grads.get(i);
                if (g == null) {
                    continue;
                }
                for (int j = 0; j < g.length; j++) {
                    String target = "gx" + i + "[" + j + "]";
                    if (g[j].statement >= 0 || !target.equals(g[j].leaf)) {
                        methods.append("        ").append(target).append(" = ").append(ref(g[j])).append(";\n");
                    }
                }
            }
            methods.append("    }\n\n");
            return "backward" + k + "(v, d)";
        }

        /** The entries a step reads and writes: what tracing it costs before a statement is recorded. */
        private long entries(Node node) {
            long n = model.tensor(node.output()).size();
            for (int i = 0; i < node.inputCount(); i++) {
                n += model.tensor(node.input(i)).size();
            }
            return n;
        }

        private boolean isData(int tensor) {
            return model.tensor(tensor).role() == Tensor.Role.DATA;
        }

        private static SourceNumber[] leaves(SourceNumber.Tape tape, String array, int size) {
            SourceNumber[] a = new SourceNumber[size];
            for (int j = 0; j < size; j++) {
                a[j] = tape.read(array + "[" + j + "]");
            }
            return a;
        }

        private static String arrays(Node node, String from) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < node.inputCount(); i++) {
                s.append(i == 0 ? "" : ", ").append(from).append('[').append(node.input(i)).append(']');
            }
            return s.toString();
        }

        private void aliases(Node node, String prefix, String from) {
            for (int i = 0; i < node.inputCount(); i++) {
                methods.append("        final double[] ").append(prefix).append(i).append(" = ").append(from)
                        .append('[').append(node.input(i)).append("];\n");
            }
        }

        private void statements(SourceNumber.Tape tape) {
            List<SourceNumber.Tape.Statement> statements = tape.statements();
            for (int k = 0; k < statements.size(); k++) {
                SourceNumber.Tape.Statement st = statements.get(k);
                Object[] args = new Object[st.operands().length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = ref(st.operands()[i]);
                }
                methods.append("        final double v").append(k).append(" = ")
                        .append(String.format(st.pattern(), args)).append(";\n");
            }
        }

        private static String ref(SourceNumber x) {
            return x.statement < 0 ? x.leaf : "v" + x.statement;
        }
    }
}
