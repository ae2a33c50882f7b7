package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.model.Tensor;
import io.chainproof.number.RealField;
import io.chainproof.symbolic.SymbolicRules;
import org.codehaus.janino.SimpleCompiler;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiles any {@link Model}'s loss and gradient into Java bytecode, once: the forward rules and then the reverse
 * walk of the graph (backpropagation; through time for a recurrent network) are run in an arithmetic that writes
 * code ({@link SourceNumber}), which gives straight-line Java with common subexpressions computed once — the same
 * operations, in the same order, as {@link ModelEvaluator}'s walk in double precision, so the compiled loss and
 * gradient equal the walk's bit for bit. The code is split into methods of at most {@value #CHUNK} statements:
 * HotSpot compiles no method of more than 8,000 bytes of bytecode to machine code (its {@code HugeMethodLimit}), and
 * a method the JIT skips runs 20× slower. Values that one method computes and a later one reads pass through a
 * scratch array. Data values are constants of the code.
 *
 * <p>Straight-line code suits small graphs, where it beats looped code (the lecture chain: 30 ns against the looped
 * MLP kernel's 33 ns; a 2-3-2-1 MLP: 234 ns against 272 ns), and grows with the model: at 153 parameters it is
 * 1.6× slower than loops, at 2,145 3.7×, and it compiles in about a second per 50,000 statements. A model whose walk
 * records more than {@value #MAX_STATEMENTS} statements is compiled node by node instead ({@link NodeCompiler}):
 * straight-line code for the small steps, the ops' own loops on arrays for the large ones — up to
 * {@value NodeCompiler#MAX_NODES} nodes, whose calls the glue code lists one by one; a longer graph is walked.
 */
public final class GraphCompiler {

    /** Statements per generated method. */
    static final int CHUNK = 400;
    /** The largest walk compiled, in statements. */
    public static final int MAX_STATEMENTS = 50_000;
    /**
     * Heap Janino takes per character of source while compiling it, measured: about 250 bytes (600 MB for the 2.4 MB
     * of a 20-block residual MLP); with a margin. A source that would need more than the free heap is not compiled.
     */
    static final long COMPILER_BYTES_PER_CHARACTER = 320;

    /** The generated source would need more heap to compile than this JVM has free: the walk serves instead. */
    public static final class TooLargeToCompile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeToCompile(String message) {
            super(message);
        }
    }

    private static final AtomicInteger CLASS_COUNTER = new AtomicInteger();

    /** The compiled loss and gradient of one model; instances are stateless and thread-safe. */
    public interface Kernel {
        /**
         * @param parameters the flat parameters
         * @return L(θ)
         */
        double loss(double[] parameters);

        /**
         * Adds ∂L/∂θ to {@code gradient} and returns L(θ).
         *
         * @param parameters the flat parameters
         * @param gradient   accumulator, same layout
         * @return L(θ)
         */
        double lossAndGradient(double[] parameters, double[] gradient);
    }

    private GraphCompiler() {
    }

    /**
     * The generated source and compiled kernel of {@code model}: straight-line, or node by node where the walk is
     * longer than {@value #MAX_STATEMENTS} statements.
     *
     * @param model the model
     * @return the compiled model
     * @throws IllegalArgumentException if it does not compile ({@link #compiles})
     */
    public static CompiledGraph compile(Model model) {
        return compile(model, CHUNK, MAX_STATEMENTS);
    }

    /**
     * Whether {@link #compile(Model)} compiles {@code model}: a graph of at most {@value NodeCompiler#MAX_NODES} nodes,
     * or one whose walk fits in straight-line code. A longer graph — a sequence unrolled over thousands of steps — is
     * left to the walk, whose large ops run their own loops on primitive arrays anyway.
     *
     * @param model the model
     * @return whether it compiles
     */
    public static boolean compiles(Model model) {
        if (model.nodes().size() <= NodeCompiler.MAX_NODES) {
            return true;
        }
        try {
            trace(model, new SourceNumber.Tape(MAX_STATEMENTS));
            return true;
        } catch (SourceNumber.Tape.TooLong e) {
            return false;
        }
    }

    /** {@link #compile(Model)} with other limits (tests split tiny models into many methods). */
    static CompiledGraph compile(Model model, int chunk, int maxStatements) {
        SourceNumber.Tape tape = new SourceNumber.Tape(maxStatements);
        Trace trace;
        try {
            trace = trace(model, tape);
        } catch (SourceNumber.Tape.TooLong e) {
            if (model.nodes().size() > NodeCompiler.MAX_NODES) {
                throw new IllegalArgumentException("Model <" + model.name() + "> has " + model.nodes().size()
                        + " nodes, more than the " + NodeCompiler.MAX_NODES + " the node-by-node compiler writes code "
                        + "for (see compiles()); its walk serves it");
            }
            return NodeCompiler.compile(model, chunk, maxStatements);
        }
        String className = "GeneratedGraph" + CLASS_COUNTER.incrementAndGet();
        String source = write(className, tape.statements(), trace, chunk);
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if ((long) source.length() * COMPILER_BYTES_PER_CHARACTER > free) {
            throw new TooLargeToCompile("Model <" + model.name() + ">'s " + source.length() + " characters of code would "
                    + "need about " + ((long) source.length() * COMPILER_BYTES_PER_CHARACTER >> 20) + " MB to compile, "
                    + "and " + (free >> 20) + " MB of heap are free");
        }
        try {
            SimpleCompiler compiler = new SimpleCompiler();
            compiler.setParentClassLoader(GraphCompiler.class.getClassLoader());
            compiler.cook(source);
            Class<?> type = compiler.getClassLoader().loadClass("io.chainproof.numeric.generated." + className);
            Kernel kernel = (Kernel) type.getDeclaredConstructor().newInstance();
            return new CompiledGraph(model, kernel, source);
        } catch (Exception e) {
            throw new IllegalStateException("generated code for model <" + model.name() + "> does not compile: "
                    + e.getMessage(), e);
        }
    }

    /** The loss and each parameter entry's gradient as recorded numbers. */
    private record Trace(SourceNumber loss, SourceNumber[] gradient) {
    }

    /** Records the forward rules and the reverse walk as {@link ModelEvaluator#gradient} runs them (the tape throws
     * once it is too long). */
    private static Trace trace(Model model, SourceNumber.Tape tape) {
        RealField<SourceNumber> field = tape.field();
        List<Tensor> tensors = model.tensors();
        List<SourceNumber[]> v = new ArrayList<>(Collections.nCopies(tensors.size(), null));
        for (Parameter p : model.parameters()) {
            SourceNumber[] a = field.array(p.size());
            for (int i = 0; i < a.length; i++) {
                a[i] = tape.read("p[" + (p.offset() + i) + "]");
            }
            v.set(p.tensor(), a);
        }
        for (int t = 0; t < tensors.size(); t++) {
            if (tensors.get(t).role() == Tensor.Role.DATA) {
                v.set(t, field.constants(model.value(t)));
            }
        }
        for (Node node : model.nodes()) {
            List<SourceNumber[]> inputs = new ArrayList<>(node.inputCount());
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(v.get(node.input(i)));
            }
            v.set(node.output(), node.op().forward(field, inputs));
        }
        SourceNumber loss = v.get(model.loss())[0];
        SourceNumber[][] grads = new SourceNumber[tensors.size()][];
        grads[model.loss()] = new SourceNumber[] {field.constant(1.0)};
        List<Node> nodes = model.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node node = nodes.get(k);
            SourceNumber[] g = grads[node.output()];
            if (g == null) {
                continue;
            }
            List<SourceNumber[]> inputs = new ArrayList<>(node.inputCount());
            List<SourceNumber[]> inputGrads = new ArrayList<>(node.inputCount());
            for (int i = 0; i < node.inputCount(); i++) {
                int t = node.input(i);
                inputs.add(v.get(t));
                if (tensors.get(t).role() == Tensor.Role.DATA) {
                    inputGrads.add(null);
                } else {
                    if (grads[t] == null) {
                        grads[t] = field.constants(new double[tensors.get(t).size()]);
                    }
                    inputGrads.add(grads[t]);
                }
            }
            node.op().backward(field, inputs, v.get(node.output()), g, inputGrads, SymbolicRules.instance());
        }
        SourceNumber[] gradient = new SourceNumber[model.parameterCount()];
        for (Parameter p : model.parameters()) {
            SourceNumber[] g = grads[p.tensor()];
            for (int i = 0; i < p.size(); i++) {
                gradient[p.offset() + i] = g == null ? null : g[i];
            }
        }
        return new Trace(loss, gradient);
    }

    private static String write(String className, List<SourceNumber.Tape.Statement> statements, Trace trace,
                                int chunk) {
        StringBuilder s = new StringBuilder();
        s.append("package io.chainproof.numeric.generated;\n\n");
        s.append("public final class ").append(className).append(" implements io.chainproof.numeric.GraphCompiler.Kernel {\n\n");
        List<SourceNumber> lossOnly = List.of(trace.loss());
        List<SourceNumber> all = new ArrayList<>(lossOnly);
        for (SourceNumber g : trace.gradient()) {
            if (g != null) {
                all.add(g);
            }
        }
        s.append("    public double loss(final double[] p) {\n");
        method(s, "lossPart", statements, reachable(statements, lossOnly), trace.loss(), null, chunk);
        s.append("    public double lossAndGradient(final double[] p, final double[] g) {\n");
        method(s, "gradientPart", statements, reachable(statements, all), trace.loss(), trace.gradient(),
                chunk);
        s.append("}\n");
        return s.toString();
    }

    /** The statements that {@code outputs} depend on. */
    private static BitSet reachable(List<SourceNumber.Tape.Statement> statements, List<SourceNumber> outputs) {
        BitSet needed = new BitSet(statements.size());
        for (SourceNumber o : outputs) {
            if (o.statement >= 0) {
                needed.set(o.statement);
            }
        }
        for (int k = statements.size() - 1; k >= 0; k--) {
            if (needed.get(k)) {
                for (SourceNumber o : statements.get(k).operands()) {
                    if (o.statement >= 0) {
                        needed.set(o.statement);
                    }
                }
            }
        }
        return needed;
    }

    /**
     * Writes the body of a public method (already opened) that runs the needed statements in parts of at most
     * {@code chunk} statements, adds the gradient (if any) to {@code g} and returns the loss; then the parts as
     * private static methods.
     */
    private static void method(StringBuilder s, String partName, List<SourceNumber.Tape.Statement> statements,
                               BitSet needed, SourceNumber loss, SourceNumber[] gradient, int chunk) {
        int[] order = needed.stream().toArray();
        List<SourceNumber> finals = new ArrayList<>();
        finals.add(loss);
        List<Integer> outputs = new ArrayList<>();
        if (gradient != null) {
            for (int i = 0; i < gradient.length; i++) {
                if (gradient[i] != null && !gradient[i].isPlusZeroConstant()) {
                    finals.add(gradient[i]);
                    outputs.add(i);
                }
            }
        }
        boolean split = order.length + outputs.size() > chunk;
        int[] part = new int[statements.size()];
        for (int i = 0; i < order.length; i++) {
            part[order[i]] = split ? i / chunk : 0;
        }
        int parts = split ? (order.length + chunk - 1) / chunk : 1;
        // a value read in a later part than the one that computes it, or after the parts, lives in the scratch array
        int[] slot = new int[statements.size()];
        java.util.Arrays.fill(slot, -1);
        int slots = 0;
        for (int k : order) {
            for (SourceNumber o : statements.get(k).operands()) {
                if (o.statement >= 0 && part[o.statement] != part[k] && slot[o.statement] < 0) {
                    slot[o.statement] = slots++;
                }
            }
        }
        if (split) {
            for (SourceNumber f : finals) {
                if (f.statement >= 0 && slot[f.statement] < 0) {
                    slot[f.statement] = slots++;
                }
            }
        }
        boolean scratch = slots > 0;
        String params = "(final double[] p" + (scratch ? ", final double[] t" : "") + ")";
        String args = "(p" + (scratch ? ", t" : "") + ")";
        if (scratch) {
            s.append("        final double[] t = new double[").append(slots).append("];\n");
        }
        StringBuilder bodies = new StringBuilder();
        if (!split) {
            for (int k : order) {
                statement(s, statements.get(k), k, slot, part);
            }
            for (int i : outputs) {
                s.append("        g[").append(i).append("] += ").append(ref(gradient[i], slot, part, 0)).append(";\n");
            }
            s.append("        return ").append(ref(loss, slot, part, 0)).append(";\n");
        } else {
            for (int q = 0; q < parts; q++) {
                s.append("        ").append(partName).append(q).append(args).append(";\n");
                bodies.append("    private static void ").append(partName).append(q).append(params).append(" {\n");
                for (int i = q * chunk; i < Math.min(order.length, (q + 1) * chunk); i++) {
                    statement(bodies, statements.get(order[i]), order[i], slot, part);
                }
                bodies.append("    }\n\n");
            }
            // after the parts a part's locals are out of scope: the outputs read the scratch array (part −1)
            for (int q = 0; q * chunk < outputs.size(); q++) {
                s.append("        ").append(partName).append("Out").append(q).append("(p, ").append(scratch ? "t, " : "")
                        .append("g);\n");
                bodies.append("    private static void ").append(partName).append("Out").append(q)
                        .append("(final double[] p, ").append(scratch ? "final double[] t, " : "")
                        .append("final double[] g) {\n");
                for (int n = q * chunk; n < Math.min(outputs.size(), (q + 1) * chunk); n++) {
                    int i = outputs.get(n);
                    bodies.append("        g[").append(i).append("] += ").append(ref(gradient[i], slot, part, -1))
                            .append(";\n");
                }
                bodies.append("    }\n\n");
            }
            s.append("        return ").append(ref(loss, slot, part, -1)).append(";\n");
        }
        s.append("    }\n\n");
        s.append(bodies);
    }

    private static void statement(StringBuilder s, SourceNumber.Tape.Statement st, int k, int[] slot, int[] part) {
        Object[] args = new Object[st.operands().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = ref(st.operands()[i], slot, part, part[k]);
        }
        s.append("        final double v").append(k).append(" = ").append(String.format(st.pattern(), args)).append(";\n");
        if (slot[k] >= 0) {
            s.append("        t[").append(slot[k]).append("] = v").append(k).append(";\n");
        }
    }

    /**
     * How code in part {@code here} reads {@code x}: a leaf's text, the local {@code v12} of a value computed in the
     * same part, or else its scratch slot {@code t[3]}.
     */
    private static String ref(SourceNumber x, int[] slot, int[] part, int here) {
        if (x.statement < 0) {
            return x.leaf;
        }
        return part[x.statement] == here ? "v" + x.statement : "t[" + slot[x.statement] + "]";
    }
}
