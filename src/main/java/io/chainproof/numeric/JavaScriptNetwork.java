package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;

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
 * the same doubles. Every activation runs, gelu included: erf is chainproof's own
 * ({@link io.chainproof.expr.StableFunctions#erf}), made of +, −, ×, ÷ with fixed iteration counts, which both
 * languages round alike, so its twin returns the same bits. JavaScript's {@code Math.exp}, {@code log} and
 * {@code tanh} are not specified to the last bit (Chromium's {@code Math.exp} differs from Java's for about one
 * argument in 450), so page and command line agree to within an ulp or so per such call, not always bit for bit.
 */
public final class JavaScriptNetwork {

    /**
     * {@link io.chainproof.expr.StableFunctions} in JavaScript, formula for formula: σ, σ', softplus and sech on the
     * side of the argument where they do not overflow, and erf with its own exponential, operation for operation
     * and constant for constant, so that it returns the Java erf's bits (Java's and Chromium's {@code Math.exp}
     * differ in the last bit for about one argument in 450; erf uses neither).
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
                erf(x) {
                    const a = Math.abs(x);
                    if (a < 1.0) {
                        const z = x * x;
                        let p = ERF_TAYLOR[ERF_TAYLOR.length - 1];
                        for (let n = ERF_TAYLOR.length - 2; n >= 1; n--) {
                            p = p * z + ERF_TAYLOR[n];
                        }
                        return x + x * (0.1283791670955126 + z * p);
                    }
                    if (!(a < 6.0)) {
                        return x !== x ? x : x < 0 ? -1.0 : 1.0;
                    }
                    const hi = a * a;
                    const t = 134217729.0 * a;
                    const ah = t - (t - a);
                    const al = a - ah;
                    const lo = ((ah * ah - hi) + 2.0 * ah * al) + al * al;
                    const y = 2.0 * hi;
                    let k = y + (4 * 100 + 1);
                    for (let n = 100; n >= 1; n--) {
                        k = (y + (4 * n - 3)) - ((2 * n - 1) * (2 * n)) / k;
                    }
                    const r = 1.0 - 1.1283791670955126 * a * expMinus(hi, lo) / k;
                    return x < 0 ? -r : r;
                },
            };
            const ERF_TAYLOR = [1.1283791670955126, -0.37612638903183754, 0.11283791670955126,
                -0.026866170645131252, 0.005223977625442188, -0.0008548327023450853, 0.00012055332981789664,
                -1.492565035840625e-05, 1.6462114365889248e-06, -1.6365844691234924e-07, 1.4807192815879218e-08,
                -1.2290555301717928e-09, 9.422759064650411e-11, -6.7113668551641105e-12, 4.4632242632864775e-13,
                -2.7835162072109215e-14, 1.6342614095367152e-15, -9.063970842808673e-17, 4.763348040515068e-18,
                -2.3784598852774293e-19];
            function expMinus(hi, lo) {
                const k = Math.floor(hi * 1.4426950408889634 + 0.5);
                const s = -(((hi - k * 0.6931471805592082) - k * 7.371002565167799e-13) + lo);
                let e = 1.0;
                for (let m = 16; m >= 1; m--) {
                    e = 1.0 + e * s / m;
                }
                for (let i = 0; i < k; i++) {
                    e *= 0.5;
                }
                return e;
            }
            """;

    private JavaScriptNetwork() {
    }

    /**
     * The script for {@code graph} at its spec's parameters and data.
     *
     * @param graph the network
     * @return a self-contained script defining {@code chainproofNetwork}
     */
    public static String of(ComputationGraph graph) {
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
