package io.chainproof.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lecture page's slider, moved in headless Chromium by the browser's own key events: the weight, the gradient and
 * the chain-rule factor the page then shows are what the command line computes at that weight, to the digits shown
 * (and to an ulp or so in the page's full values); the γ bound and its attainment follow the chain-bound proof.
 */
class InteractivePageTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    /** What the page shows for v: v.toPrecision(6), as JavaScript writes it. */
    private static String shown(double v) {
        String s = new BigDecimal(v).round(new MathContext(InteractivePanel.DIGITS)).toString();
        return s.contains("E") ? s.replace("E", "e") : s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void moving_the_lecture_weight_shows_the_command_lines_gradient_and_factor(@TempDir Path dir) throws Exception {
        // the committed lecture page (GoldenFileTests regenerates it), and the page the command line writes
        Path written = dir.resolve("lecture.html");
        run("explain", "examples/lecture-chain.json", "--format", "html", "--interactive", "--output", written.toString());
        for (Path page : new Path[] {Path.of("examples/lecture/lecture-chain.html"), written}) {
            moveTheLectureWeight(page, dir);
        }
    }

    private static void moveTheLectureWeight(Path page, Path dir) throws Exception {
        try (DevToolsPage browser = DevToolsPage.open(HeadlessChromium.locate(), page)) {
            assertEquals(1, browser.evaluate("Number(document.getElementById('chainproof-panel').dataset.updates)").asInt());
            assertEquals("125.000", browser.evaluate("document.getElementById('readout-factor-2').textContent").asText());
            browser.evaluate("document.getElementById('slider-0').focus()");
            int presses = 7;
            for (int i = 0; i < presses; i++) {
                browser.press("ArrowRight", 39);
            }
            assertEquals(1 + presses, browser.evaluate(
                    "Number(document.getElementById('chainproof-panel').dataset.updates)").asInt(), "one update per key");
            double w2 = Double.parseDouble(browser.evaluate("document.getElementById('slider-0').value").asText());
            assertEquals(500 + presses, w2, "the slider's step is 1 on [−500, 1500]");

            // the command line at that weight
            ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/lecture-chain.json")));
            ((ArrayNode) ((ObjectNode) spec.get("parameters")).get("W2").get(0)).set(0, JSON.getNodeFactory().numberNode(w2));
            Path moved = dir.resolve("moved.json");
            Files.writeString(moved, JSON.writeValueAsString(spec));
            JsonNode cli = JSON.readTree(run("gradient", moved.toString(), "--format", "json"));
            double[] expected = {cli.get("gradients").get("W1").get(0).get(0).asDouble(),
                cli.get("gradients").get("W2").get(0).get(0).asDouble(), cli.get("gradients").get("b2").get(0).asDouble()};
            String[] cells = {"readout-gradient-0", "readout-gradient-2", "readout-gradient-3"};
            for (int i = 0; i < cells.length; i++) {
                JsonNode text = browser.evaluate("document.getElementById('" + cells[i] + "').textContent");
                double full = browser.evaluate("Number(document.getElementById('" + cells[i] + "').dataset.value)")
                        .asDouble();
                assertEquals(shown(expected[i]), text.asText(), cells[i]);
                assertEquals(expected[i], full, 1e-13 * Math.abs(expected[i]), cells[i]);
            }
            assertEquals(shown(cli.get("loss").asDouble()),
                    browser.evaluate("document.getElementById('readout-loss').textContent").asText());

            // the factor σ'(z2)·w2 computed here from the spec: z1 = 0.5·1 − 0.5 = 0, o1 = 1/2, z2 = w2/2 − 250
            double z2 = w2 * sigmoid(0) - 250;
            double factor = sigmoid(z2) * (1 - sigmoid(z2)) * w2;
            assertEquals(shown(factor), browser.evaluate("document.getElementById('readout-factor-2').textContent")
                    .asText());
            // z2 ≠ 0 now: the bound is no longer attained
            assertEquals("no", browser.evaluate("document.getElementById('readout-attained').textContent").asText());
            double bound = browser.evaluate("Number(document.getElementById('readout-bound').dataset.value)").asDouble();
            assertTrue(Math.abs(expected[0]) <= bound, "|∂L/∂w1| " + expected[0] + " ≤ bound " + bound);
        }
    }

    @Test
    void the_scale_slider_moves_the_marker_along_the_first_sweep_plot(@TempDir Path dir) throws Exception {
        // a 2-3-2-1 MLP whose swept layer has several weights: s scales all of them at once, as the sweep does
        Path page = dir.resolve("mlp.html");
        run("explain", "examples/mlp-2-3-2-1.json", "--format", "html", "--interactive", "--output", page.toString());
        io.chainproof.spec.NetworkSpec spec = io.chainproof.spec.SpecReader.read(Path.of("examples/mlp-2-3-2-1.json"));
        io.chainproof.model.Model model = io.chainproof.model.Models.of(spec);
        int layer = Integer.parseInt(Files.readString(page).replaceAll("(?s).*scale s of W(\\d+).*", "$1"));
        try (DevToolsPage browser = DevToolsPage.open(HeadlessChromium.locate(), page)) {
            // at s = 1 the marker sits on the plot's ‖∂L/∂W₁‖_F at the spec's weights
            double[] theta = model.point();
            assertMarker(browser, 1.0, norm(model, theta), true);
            browser.evaluate("document.getElementById('scale-slider').focus()");
            int presses = 150;
            for (int i = 0; i < presses; i++) {
                browser.press("ArrowLeft", 37);
            }
            double s = browser.evaluate("Number(document.querySelector('svg.chainproof-sweep circle.marker')"
                    + ".dataset.scale)").asDouble();
            double log = Double.parseDouble(browser.evaluate("document.getElementById('scale-slider').value").asText());
            assertEquals(Math.pow(10, log), s, 1e-15 * s, "the marker's scale is the slider's 10^value");
            assertTrue(s < 0.9, "150 steps to the left scale down, s = " + s);
            // the command line's arithmetic at W_l·s: the same gradient, computed here by the Java model
            double[] scaled = theta.clone();
            for (io.chainproof.model.Parameter p : model.parameters()) {
                if (p.name().equals("W" + layer)) {
                    for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                        scaled[i] = s * theta[i];
                    }
                }
            }
            assertMarker(browser, s, norm(model, scaled), true);
            // moving one weight leaves the sweep: the marker says so and fades
            browser.evaluate("document.getElementById('slider-0').focus()");
            browser.press("ArrowRight", 39);
            assertEquals("false", browser.evaluate(
                    "document.querySelector('svg.chainproof-sweep circle.marker').dataset.onSweep").asText());
        }
    }

    @Test
    void a_wide_mlps_page_recomputes_every_layers_bound_and_growth_as_the_command_line_does(@TempDir Path dir)
            throws Exception {
        Path page = dir.resolve("mlp.html");
        run("explain", "examples/mlp-2-3-2-1.json", "--format", "html", "--interactive", "--output", page.toString());
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/mlp-2-3-2-1.json")));
        try (DevToolsPage browser = DevToolsPage.open(HeadlessChromium.locate(), page)) {
            assertLayers(browser, spec, dir);
            // move W2[0][0] (the first weight slider) well away: the bounds follow
            browser.evaluate("document.getElementById('slider-0').focus()");
            for (int i = 0; i < 300; i++) {
                browser.press("ArrowRight", 39);
            }
            double w = Double.parseDouble(browser.evaluate("document.getElementById('slider-0').value").asText());
            int index = Integer.parseInt(browser.evaluate("document.getElementById('slider-0').dataset.index").asText());
            assertEquals(2 * 3 + 3, index, "the first slider is W2[0][0], after W1 and b1");
            ((ArrayNode) ((ObjectNode) spec.get("parameters")).get("W2").get(0)).set(0, JSON.getNodeFactory().numberNode(w));
            assertLayers(browser, spec, dir);
        }
    }

    /** Every layer's ‖∂L/∂W_l‖_F, growth word and γ bound in the page against GrowthBounds at the same weights. */
    private static void assertLayers(DevToolsPage browser, ObjectNode spec, Path dir) throws Exception {
        Path file = dir.resolve("at.json");
        Files.writeString(file, JSON.writeValueAsString(spec));
        io.chainproof.bounds.BoundReport report = io.chainproof.bounds.GrowthBounds.of(
                io.chainproof.spec.SpecReader.read(file));
        io.chainproof.bounds.LayerBound last = report.layers().get(report.layers().size() - 1);
        // sample 1's forward pass and the factors of ∂ℓ₁/∂W1[0][0], from the Java model's values and reverse walk
        io.chainproof.spec.NetworkSpec network = io.chainproof.spec.SpecReader.read(file);
        io.chainproof.model.Model model = io.chainproof.model.Models.of(network);
        double[][] values = io.chainproof.numeric.ModelEvaluator.values(model, model.point());
        double[][] grads = io.chainproof.numeric.ModelEvaluator.tensorGradients(model, model.point());
        int samples = network.data().samples();
        assertEquals(io.chainproof.ops.Activation.IDENTITY, network.layers().get(network.layerCount() - 1).activation());
        for (int l = 1; l <= network.layerCount(); l++) {
            for (int j = 0; j < Math.min(network.units(l), InteractivePanel.FORWARD_UNITS); j++) {
                for (String t : new String[] {"z", "o"}) {
                    // the last layer's activation is fused into the loss node; in this spec it is the identity
                    String tensor = t.equals("o") && l == network.layerCount() ? "z" + l : t + l;
                    double expected = values[model.tensorIndex(tensor)][j];
                    double page = browser.evaluate("Number(document.getElementById('readout-" + t + "-" + l + "-" + j
                            + "').dataset.value)").asDouble();
                    assertEquals(expected, page, 1e-15 * Math.abs(expected), t + l + "[" + j + "] of sample 1");
                }
            }
        }
        double upstream = samples * grads[model.tensorIndex("o1")][0];
        double factor = browser.evaluate("Number(document.getElementById('readout-wide-factor-output').dataset.value)")
                .asDouble();
        assertEquals(upstream, factor, 1e-13 * Math.abs(upstream), "∂ℓ₁/∂o₁,₁ backpropagated in the page");
        double slope = browser.evaluate("Number(document.getElementById('readout-wide-factor-slope').dataset.value)")
                .asDouble();
        double z11 = values[model.tensorIndex("z1")][0];
        assertEquals(1 - Math.tanh(z11) * Math.tanh(z11), slope, 1e-15, "tanh'(z₁,₁), layer 1 is tanh");
        for (io.chainproof.bounds.LayerBound layer : report.layers()) {
            int l = layer.layer();
            String cell = "document.getElementById('readout-%s-" + l + "')";
            double norm = browser.evaluate("Number(" + cell.formatted("norm-layer") + ".dataset.value)").asDouble();
            assertEquals(layer.actual(), norm, 1e-13 * layer.actual(), "‖∂L/∂W" + l + "‖_F");
            assertEquals(io.chainproof.bounds.Growth.across(layer, last).word(),
                    browser.evaluate(cell.formatted("growth") + ".dataset.regime").asText(), "regime of layer " + l);
            double bound = browser.evaluate("Number(" + cell.formatted("gamma-bound") + ".dataset.value)").asDouble();
            assertEquals(layer.gammaBound(), bound, 1e-12 * layer.gammaBound(), "γ bound of layer " + l);
            assertEquals(shown(layer.gammaBound()), browser.evaluate(cell.formatted("gamma-bound") + ".textContent")
                    .asText(), "γ bound of layer " + l + " as shown");
            assertEquals(layer.actual() >= layer.gammaBound() * (1 - 1e-12) ? "yes" : "no",
                    browser.evaluate(cell.formatted("gamma-attained") + ".textContent").asText());
        }
    }

    /** ‖∂L/∂W₁‖_F at theta, by the Java model. */
    private static double norm(io.chainproof.model.Model model, double[] theta) {
        double[] g = io.chainproof.numeric.ModelEvaluator.gradient(model, theta);
        double squares = 0;
        for (io.chainproof.model.Parameter p : model.parameters()) {
            if (p.name().equals("W1")) {
                for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                    squares += g[i] * g[i];
                }
            }
        }
        return Math.sqrt(squares);
    }

    /** The marker shows (s, ‖∂L/∂W₁‖_F) and stands where the chart's log axes put that point. */
    private static void assertMarker(DevToolsPage browser, double s, double norm, boolean onSweep) throws Exception {
        String marker = "document.querySelector('svg.chainproof-sweep circle.marker')";
        assertEquals(norm, browser.evaluate("Number(" + marker + ".dataset.value)").asDouble(), 1e-13 * norm);
        assertEquals(shown(norm), browser.evaluate("document.getElementById('readout-norm-1').textContent").asText());
        assertEquals(String.valueOf(onSweep), browser.evaluate(marker + ".dataset.onSweep").asText());
        assertEquals("false", browser.evaluate(marker + ".dataset.clipped").asText());
        String area = "document.querySelector('svg.chainproof-sweep rect.plot-area')";
        String[] x = browser.evaluate(area + ".dataset.xDecades").asText().split(" ");
        String[] y = browser.evaluate(area + ".dataset.yDecades").asText().split(" ");
        double left = browser.evaluate("Number(" + area + ".getAttribute('x'))").asDouble();
        double top = browser.evaluate("Number(" + area + ".getAttribute('y'))").asDouble();
        double width = browser.evaluate("Number(" + area + ".getAttribute('width'))").asDouble();
        double height = browser.evaluate("Number(" + area + ".getAttribute('height'))").asDouble();
        double cx = left + (Math.log10(s) - Double.parseDouble(x[0])) / (Double.parseDouble(x[1]) - Double.parseDouble(x[0]))
                * width;
        double cy = top + height - (Math.log10(norm) - Double.parseDouble(y[0]))
                / (Double.parseDouble(y[1]) - Double.parseDouble(y[0])) * height;
        assertEquals(cx, browser.evaluate("Number(" + marker + ".getAttribute('cx'))").asDouble(), 1e-6);
        assertEquals(cy, browser.evaluate("Number(" + marker + ".getAttribute('cy'))").asDouble(), 1e-6);
    }

    @Test
    void the_zero_preactivation_lecture_chain_attains_nothing_until_every_z_is_zero(@TempDir Path dir)
            throws Exception {
        // a two-layer sigmoid chain with z1 = z2 = 0 at the spec's point: the γ bound is attained there
        Path spec = dir.resolve("zero.json");
        Files.writeString(spec, "{\"name\": \"zero\", \"inputs\": 1, \"layers\": [{\"units\": 1, \"activation\": "
                + "\"sigmoid\"}, {\"units\": 1, \"activation\": \"sigmoid\"}], \"loss\": \"mse\", \"parameters\": "
                + "{\"W1\": [[2.0]], \"b1\": [-2.0], \"W2\": [[4.0]], \"b2\": [-2.0]}, \"data\": {\"x\": [[1.0]], "
                + "\"y\": [[0.0]]}}");
        Path page = dir.resolve("zero.html");
        run("explain", spec.toString(), "--format", "html", "--interactive", "--output", page.toString());
        try (DevToolsPage browser = DevToolsPage.open(HeadlessChromium.locate(), page)) {
            assertEquals("yes", browser.evaluate("document.getElementById('readout-attained').textContent").asText());
            browser.evaluate("document.getElementById('slider-1').focus()");
            browser.press("ArrowLeft", 37);
            assertEquals("no", browser.evaluate("document.getElementById('readout-attained').textContent").asText());
        }
    }
}
