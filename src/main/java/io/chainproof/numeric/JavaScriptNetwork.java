package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;

import java.util.List;
import java.util.Locale;

/**
 * An MLP's loss and gradient as JavaScript, written by the same emitter as the Java kernel the command line compiles
 * ({@link NetworkCompiler}): the same shape of code (unrolled for small networks, looped otherwise), the same
 * operations in the same order, the same stable functions. An interactive page evaluates it when a slider moves, so
 * the page shows what {@code chainproof gradient} prints at that weight.
 *
 * <p>The script defines one constant, {@code chainproofNetwork}, with {@code parameters} (a {@code Float64Array} of the
 * spec's flat parameters), {@code names} (their names, flat order), the data {@code x} and {@code y},
 * {@code lossAndGradient(p, g)} (writes ∂L/∂θ into the {@code Float64Array g}, overwriting it, and returns the mean
 * loss — {@code CompiledNetwork}'s method, line for line) and {@code forward(p, x, y)} (one sample's forward pass
 * with the same statements: every layer's z, o and φ'(z), the sample's loss and ∂ℓ/∂o_L). Numbers are written with Java's shortest round-trip form, which JavaScript reads back to
 * the same doubles. JavaScript's {@code Math.exp}, {@code log} and {@code tanh} are not specified to the last bit, so
 * page and command line agree to within an ulp or so per operation, not always bit for bit.
 */
public final class JavaScriptNetwork {

    /**
     * {@link io.chainproof.expr.StableFunctions} in JavaScript, formula for formula: σ, σ', softplus and sech on the
     * side of the argument where they do not overflow.
     */
    static final String STABLE_FUNCTIONS = """
            const S = {
                sigmoid(x) {
                    if (x >= 0) {
                        return 1.0 / (1.0 + Math.exp(-x));
                    }
                    const e = Math.exp(x);
                    return e / (1.0 + e);
                },
                sigmoidPrime(x) {
                    const e = Math.exp(-Math.abs(x));
                    const d = 1.0 + e;
                    return e / (d * d);
                },
                softplus(x) {
                    return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
                },
                sech(x) {
                    const e = Math.exp(-Math.abs(x));
                    return 2.0 * e / (1.0 + e * e);
                },
            };
            """;

    private JavaScriptNetwork() {
    }

    /**
     * Whether a network can be written as JavaScript: every activation but gelu, whose error function has no
     * JavaScript twin of Commons Math's here.
     *
     * @param graph the network
     * @return true if {@link #of} accepts it
     */
    public static boolean supports(ComputationGraph graph) {
        for (int l = 1; l <= graph.layerCount(); l++) {
            if (graph.layer(l).activation() == Activation.GELU) {
                return false;
            }
        }
        return true;
    }

    /**
     * The script for {@code graph} at its spec's parameters and data.
     *
     * @param graph the network
     * @return a self-contained script defining {@code chainproofNetwork}
     * @throws IllegalArgumentException if a layer uses gelu ({@link #supports})
     */
    public static String of(ComputationGraph graph) {
        if (!supports(graph)) {
            throw new IllegalArgumentException("Network <" + graph.spec().name() + "> uses gelu, whose error function "
                    + "has no JavaScript twin; interactive pages support the other activations");
        }
        String kernel = UnrolledSource.suits(graph)
                ? new UnrolledSource(graph, "kernel", Dialect.JAVASCRIPT).write()
                : new LoopedSource(graph, "kernel", Dialect.JAVASCRIPT).write();
        StringBuilder s = new StringBuilder();
        s.append("const chainproofNetwork = (function () {\n");
        s.append(indent(STABLE_FUNCTIONS));
        s.append("    const kernel = ").append(indent(kernel).strip()).append("(S);\n");
        s.append("    const x = ").append(matrix(graph.spec().data().x())).append(";\n");
        s.append("    const y = ").append(matrix(graph.spec().data().y())).append(";\n");
        s.append(indent(new LoopedSource(graph, "forward", Dialect.JAVASCRIPT).writeForwardFunction()));
        s.append("    function lossAndGradient(p, g) {\n");
        s.append("        g.fill(0.0);\n");
        s.append("        const weight = 1.0 / x.length;\n");
        s.append("        let sum = 0;\n");
        s.append("        for (let s = 0; s < x.length; s++) {\n");
        s.append("            sum += kernel(p, x[s], y[s], weight, g);\n");
        s.append("        }\n");
        s.append("        return sum / x.length;\n");
        s.append("    }\n");
        s.append("    return {\n");
        s.append("        parameters: Float64Array.from(").append(vector(graph.parameterValues())).append("),\n");
        s.append("        names: ").append(names(graph.parameterNames())).append(",\n");
        s.append("        x,\n        y,\n        lossAndGradient,\n        forward,\n");
        s.append("    };\n");
        s.append("})();\n");
        return s.toString();
    }

    private static String indent(String code) {
        StringBuilder s = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            s.append(line.isEmpty() ? "" : "    " + line).append('\n');
        }
        return s.substring(0, s.length() - 1);
    }

    private static String matrix(double[][] rows) {
        StringBuilder s = new StringBuilder("[");
        for (int r = 0; r < rows.length; r++) {
            s.append(r == 0 ? "" : ", ").append(vector(rows[r]));
        }
        return s.append(']').toString();
    }

    private static String vector(double[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return s.append(']').toString();
    }

    /** Java's shortest round-trip decimal, which JavaScript parses to the same double. */
    private static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Number <" + v + "> has no JSON literal; specs hold finite numbers");
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    private static String names(List<String> names) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ", ").append('"');
            for (char c : names.get(i).toCharArray()) {
                if (c == '"' || c == '\\' || c == '<' || c < 0x20) {
                    s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    s.append(c);
                }
            }
            s.append('"');
        }
        return s.append(']').toString();
    }
}
