package io.chainproof.numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.render.HeadlessChromium;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JavaScript an interactive page runs computes what the command line computes: headless Chromium evaluates the
 * emitted loss and gradient of every bundled MLP and of random networks of every activation, output and loss (small
 * ones unrolled, larger ones looped, as the compiler chooses), and each entry equals the compiled Java kernel's to a
 * few ulps of the tensor's scale — JavaScript's exp, log and tanh are not specified to the last bit, so bit for bit is
 * not promised there, and the largest difference seen is printed. The page's erf, made of +, −, ×, ÷ alone, is
 * required to return the Java erf's bits, and so are gelu networks' losses and gradients.
 */
class JavaScriptNetworkTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Allowed difference, relative to the largest |entry| of the gradient (or |L| for the loss). */
    private static final double RELATIVE = 1e-13;

    private static List<NetworkSpec> networks() throws IOException {
        List<NetworkSpec> specs = new ArrayList<>();
        for (String f : List.of("examples/lecture-chain.json", "examples/lecture-chain-saturated.json",
                "examples/mlp-2-3-2-1.json", "examples/softmax-classifier.json")) {
            specs.add((NetworkSpec) SpecReader.readAny(Path.of(f)));
        }
        Random random = new Random(20261202L);
        Object[][] outputs = {{Activation.IDENTITY, Loss.MSE}, {Activation.SIGMOID, Loss.BCE},
            {Activation.SOFTMAX, Loss.CROSS_ENTROPY}, {Activation.TANH, Loss.SSE}, {Activation.IDENTITY, Loss.HALF_SSE}};
        int n = 0;
        for (Activation hidden : Activation.values()) {
            if (hidden == Activation.SOFTMAX || hidden == Activation.GELU) {
                continue;
            }
            Object[] out = outputs[n % outputs.length];
            specs.add(random(random, "small-" + n, new int[] {3, 5, 4}, hidden, (Activation) out[0], (Loss) out[1]));
            specs.add(random(random, "large-" + n, new int[] {12, 20, 6}, hidden, (Activation) out[0], (Loss) out[1]));
            n++;
        }
        // gelu last, so that the networks above keep their draws
        specs.add(random(random, "small-gelu", new int[] {3, 5, 4}, Activation.GELU, Activation.IDENTITY, Loss.MSE));
        specs.add(random(random, "large-gelu", new int[] {12, 20, 6}, Activation.GELU, Activation.SIGMOID, Loss.BCE));
        return specs;
    }

    private static NetworkSpec random(Random r, String name, int[] widths, Activation hidden, Activation output, Loss loss) {
        List<LayerSpec> layers = List.of(new LayerSpec(widths[1], hidden), new LayerSpec(widths[2], output));
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 1; l < widths.length; l++) {
            double[][] w = new double[widths[l]][widths[l - 1]];
            for (double[] row : w) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = r.nextGaussian() * 1.5 / Math.sqrt(widths[l - 1]);
                }
            }
            double[] b = new double[widths[l]];
            for (int j = 0; j < b.length; j++) {
                b[j] = r.nextGaussian() * 0.3;
            }
            weights.add(w);
            biases.add(b);
        }
        int samples = 3;
        double[][] x = new double[samples][widths[0]];
        double[][] y = new double[samples][widths[2]];
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < widths[0]; k++) {
                x[s][k] = r.nextGaussian();
            }
            if (loss == Loss.CROSS_ENTROPY) {
                y[s][r.nextInt(widths[2])] = 1.0;
            } else {
                for (int j = 0; j < widths[2]; j++) {
                    y[s][j] = loss == Loss.BCE ? r.nextDouble() : r.nextGaussian();
                }
            }
        }
        return new NetworkSpec(name, "<random>", widths[0], layers, loss, new Parameters(weights, biases), new Data(x, y));
    }

    @Test
    void the_page_computes_the_command_lines_loss_and_gradient(@TempDir Path dir) throws IOException {
        List<NetworkSpec> specs = networks();
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><body><pre id=\"out\"></pre><script>\nconst results = [];\n");
        int looped = 0;
        for (NetworkSpec spec : specs) {
            ComputationGraph graph = ComputationGraph.of(spec);
            looped += UnrolledSource.suits(graph) ? 0 : 1;
            page.append("results.push((function () {\n").append(JavaScriptNetwork.of(graph))
                    .append("const g = new Float64Array(chainproofNetwork.parameters.length);\n")
                    .append("const loss = chainproofNetwork.lossAndGradient(chainproofNetwork.parameters, g);\n")
                    .append("return {loss: String(loss), gradient: Array.from(g, String), names: chainproofNetwork.names};\n")
                    .append("})());\n");
        }
        page.append("document.getElementById('out').textContent = JSON.stringify(results);\n</script></body></html>\n");
        assertTrue(looped >= 8, "the looped kernel is exercised: " + looped);
        Path html = dir.resolve("kernels.html");
        Files.writeString(html, page);
        String dom = HeadlessChromium.locate().dom(html);
        int start = dom.indexOf("<pre id=\"out\">") + "<pre id=\"out\">".length();
        JsonNode results = JSON.readTree(dom.substring(start, dom.indexOf("</pre>", start)).replace("&quot;", "\""));
        assertEquals(specs.size(), results.size());
        double worst = 0;
        String where = "none";
        for (int i = 0; i < specs.size(); i++) {
            ComputationGraph graph = ComputationGraph.of(specs.get(i));
            CompiledNetwork.Evaluation java = NetworkCompiler.compile(graph).evaluate();
            JsonNode js = results.get(i);
            String name = specs.get(i).name();
            double loss = Double.parseDouble(js.get("loss").asText());
            assertEquals(java.loss(), loss, RELATIVE * Math.abs(java.loss()), name + " loss");
            double scale = 0;
            for (double v : java.gradient()) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertEquals(graph.parameterNames().size(), js.get("gradient").size(), name);
            for (int p = 0; p < java.gradient().length; p++) {
                double v = Double.parseDouble(js.get("gradient").get(p).asText());
                assertEquals(graph.parameterNames().get(p), js.get("names").get(p).asText());
                assertEquals(java.gradient(p), v, RELATIVE * scale, name + " " + graph.parameterNames().get(p));
                if (Math.abs(java.gradient(p) - v) / scale > worst) {
                    worst = Math.abs(java.gradient(p) - v) / scale;
                    where = name + " " + graph.parameterNames().get(p);
                }
            }
        }
        System.out.printf("JavaScript vs Java kernels: %d networks, largest difference %.2g of the gradient's scale (%s)%n",
                specs.size(), worst, where);
    }

    /** Runs {@code body} (which fills the array {@code out} with strings) in headless Chromium; returns out. */
    private static JsonNode run(Path dir, String body) throws IOException {
        String page = "<!DOCTYPE html><html><body><pre id=\"out\"></pre><script>\n" + body
                + "document.getElementById('out').textContent = JSON.stringify(out);\n</script></body></html>\n";
        Path html = dir.resolve("page.html");
        Files.writeString(html, page);
        String dom = HeadlessChromium.locate().dom(html);
        int start = dom.indexOf("<pre id=\"out\">") + "<pre id=\"out\">".length();
        return JSON.readTree(dom.substring(start, dom.indexOf("</pre>", start)).replace("&quot;", "\""));
    }

    /**
     * The page's erf is the Java erf bit for bit: at the 9438 mpmath reference arguments (every branch and both sides
     * of each boundary, the subnormals) and 50,000 seeded random ones on [−7, 7] and [−1, 1], compared as the bits of
     * {@code Float64Array}s (so −0 and NaN count too).
     */
    @Test
    void the_pages_erf_returns_the_java_erfs_bits(@TempDir Path dir) throws IOException {
        List<Double> xs = new ArrayList<>();
        for (JsonNode p : JSON.readTree(Path.of("src/test/resources/reference/erf/erf.mpmath.json").toFile()).get("points")) {
            xs.add(Double.parseDouble(p.get(0).asText()));
        }
        Random random = new Random(20261203L);
        for (int i = 0; i < 50_000; i++) {
            xs.add(i % 2 == 0 ? 14 * random.nextDouble() - 7 : 2 * random.nextDouble() - 1);
        }
        StringBuilder bits = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) {
            bits.append(i == 0 ? "" : ",").append('"').append(Long.toHexString(Double.doubleToRawLongBits(xs.get(i))))
                    .append('"');
        }
        bits.append(",\"").append(Long.toHexString(Double.doubleToRawLongBits(-0.0))).append("\",\"")
                .append(Long.toHexString(Double.doubleToRawLongBits(Double.NaN))).append("\",\"")
                .append(Long.toHexString(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY))).append("\"]");
        xs.addAll(List.of(-0.0, Double.NaN, Double.NEGATIVE_INFINITY));
        // doubles cross as hexadecimal bits: a BigUint64Array over the same buffer as a Float64Array
        JsonNode out = run(dir, JavaScriptNetwork.STABLE_FUNCTIONS
                + "const hex = " + bits + ";\n"
                + "const f = new Float64Array(1), u = new BigUint64Array(f.buffer);\n"
                + "const out = hex.map(h => { u[0] = BigInt('0x' + h); f[0] = S.erf(f[0]); return u[0].toString(16); });\n");
        assertEquals(xs.size(), out.size());
        int differ = 0;
        String first = "";
        for (int i = 0; i < xs.size(); i++) {
            long java = Double.doubleToRawLongBits(StableFunctions.erf(xs.get(i)));
            long js = Long.parseUnsignedLong(out.get(i).asText(), 16);
            if (java != js) {
                differ++;
                first = first.isEmpty() ? "erf(" + xs.get(i) + ") ==> expected: <" + Double.longBitsToDouble(java)
                        + "> but was: <" + Double.longBitsToDouble(js) + ">" : first;
            }
        }
        System.out.printf("erf in Chromium vs Java: %d arguments, %d differ%n", xs.size(), differ);
        assertEquals(0, differ, first);
    }

    /**
     * Gelu networks, whose kernels call erf and e^{−z²/2} (Math.exp in both languages), small (unrolled) and large
     * (looped): the page's loss and every gradient entry equal the Java kernel's bit for bit.
     */
    @Test
    void a_gelu_networks_page_computes_the_command_lines_bits(@TempDir Path dir) throws IOException {
        Random random = new Random(20261204L);
        List<NetworkSpec> specs = List.of(
                random(random, "gelu-small-mse", new int[] {3, 5, 4}, Activation.GELU, Activation.IDENTITY, Loss.MSE),
                random(random, "gelu-small-bce", new int[] {2, 4, 1}, Activation.GELU, Activation.SIGMOID, Loss.BCE),
                random(random, "gelu-large-ce", new int[] {12, 20, 6}, Activation.GELU, Activation.SOFTMAX,
                        Loss.CROSS_ENTROPY),
                random(random, "gelu-large-sse", new int[] {12, 20, 6}, Activation.GELU, Activation.GELU, Loss.SSE));
        StringBuilder body = new StringBuilder("const out = [];\n");
        int looped = 0;
        for (NetworkSpec spec : specs) {
            ComputationGraph graph = ComputationGraph.of(spec);
            looped += UnrolledSource.suits(graph) ? 0 : 1;
            body.append("out.push((function () {\n").append(JavaScriptNetwork.of(graph))
                    .append("const g = new Float64Array(chainproofNetwork.parameters.length);\n")
                    .append("const loss = chainproofNetwork.lossAndGradient(chainproofNetwork.parameters, g);\n")
                    .append("return [String(loss)].concat(Array.from(g, String));\n")
                    .append("})());\n");
        }
        assertEquals(2, looped, "two looped kernels, two unrolled");
        JsonNode out = run(dir, body.toString());
        int entries = 0;
        for (int i = 0; i < specs.size(); i++) {
            ComputationGraph graph = ComputationGraph.of(specs.get(i));
            CompiledNetwork.Evaluation java = NetworkCompiler.compile(graph).evaluate();
            JsonNode js = out.get(i);
            String name = specs.get(i).name();
            assertEquals(java.loss(), Double.parseDouble(js.get(0).asText()), name + " loss");
            assertEquals(java.gradient().length + 1, js.size(), name);
            for (int p = 0; p < java.gradient().length; p++) {
                assertEquals(java.gradient(p), Double.parseDouble(js.get(p + 1).asText()),
                        name + " " + graph.parameterNames().get(p));
                entries++;
            }
        }
        System.out.printf("gelu networks in Chromium vs Java: %d networks, %d gradient entries, all bit for bit%n",
                specs.size(), entries);
    }
}
