package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.ComplexNetwork;
import io.chainproof.numeric.ComplexNetworkCompiler;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The complex-step oracle against the compiled symbolic gradient (itself checked against PyTorch) and,
 * on the saturated chain, against the sympy-verified reference values.
 */
class ComplexStepTests {

    /** Claimed accuracy on smooth networks: |complex step − symbolic| ≤ 1e−13·|symbolic|. */
    static final double SMOOTH_RELATIVE = 1e-13;
    /** Claimed accuracy on relu/leaky_relu networks away from kinks. */
    static final double PIECEWISE_RELATIVE = 1e-12;
    /** Claimed accuracy on the saturated chain's 1e−135 gradients. */
    static final double TINY_RELATIVE = 1e-12;
    /** Below this |gradient| relative errors are not meaningful in double; the error estimate is used instead. */
    static final double RELATIVE_FLOOR = 1e-300;

    static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    static boolean piecewise(NetworkSpec spec) {
        return spec.layers().stream().anyMatch(l -> l.activation() == Activation.RELU || l.activation() == Activation.LEAKY_RELU);
    }

    @TestFactory
    Stream<DynamicTest> every_smooth_reference_spec_agrees_with_the_symbolic_gradient_to_1e13_relative() throws IOException {
        List<Path> smooth = new ArrayList<>();
        for (Path p : specs()) {
            if (!piecewise(SpecReader.read(p))) {
                smooth.add(p);
            }
        }
        assertTrue(smooth.size() >= 13, "expected at least 13 smooth reference specs, found " + smooth.size());
        return smooth.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> assertAgrees(ComputationGraph.of(SpecReader.read(p)), SMOOTH_RELATIVE)));
    }

    @TestFactory
    Stream<DynamicTest> relu_and_leaky_reference_specs_agree_to_1e12_away_from_kinks() throws IOException {
        List<Path> kinked = new ArrayList<>();
        for (Path p : specs()) {
            if (piecewise(SpecReader.read(p))) {
                kinked.add(p);
            }
        }
        assertTrue(kinked.size() >= 10, "expected at least 10 relu/leaky reference specs, found " + kinked.size());
        return kinked.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> assertAgrees(ComputationGraph.of(SpecReader.read(p)), PIECEWISE_RELATIVE)));
    }

    /** Every parameter not near a kink within {@code relative} of the symbolic gradient, and within the error estimate. */
    private static void assertAgrees(ComputationGraph graph, double relative) {
        double[] p = graph.parameterValues();
        double[] symbolic = NetworkCompiler.compile(graph).evaluate(p).gradient();
        ComplexStep.Result[] complex = ComplexStep.gradient(ComplexNetworkCompiler.compile(graph), p);
        for (int i = 0; i < symbolic.length; i++) {
            String name = graph.spec().name() + " " + graph.parameters().get(i).name();
            assertFalse(complex[i].nearKink(), name + " is near a kink; the reference specs keep 1e-4 away");
            double error = Math.abs(complex[i].value() - symbolic[i]);
            if (Math.abs(symbolic[i]) > RELATIVE_FLOOR) {
                assertTrue(error <= relative * Math.abs(symbolic[i]), name + ": complex step " + complex[i].value()
                        + ", symbolic " + symbolic[i] + ", relative error " + error / Math.abs(symbolic[i]));
            }
            assertTrue(error <= complex[i].estimate().errorEstimate(), name + ": error " + error
                    + " exceeds the estimate " + complex[i].estimate().errorEstimate());
        }
    }

    @Test
    void the_saturated_chain_keeps_its_1e135_gradients_to_1e12_where_central_differences_return_0() throws IOException {
        NetworkSpec spec = SpecReader.read(REFERENCE.resolve("lecture-chain-saturated.spec.json"));
        ComputationGraph graph = ComputationGraph.of(spec);
        ComplexNetwork net = ComplexNetworkCompiler.compile(graph);
        CompiledNetwork symbolic = NetworkCompiler.compile(graph);
        double[] p = graph.parameterValues();
        JsonNode expected = JSON.readTree(REFERENCE.resolve("lecture-chain-saturated.expected.json").toFile());
        for (String name : List.of("W1[0][0]", "b1[0]", "W2[0][0]", "b2[0]")) {
            ParameterId id = ParameterId.parse(name);
            int i = graph.offset(id);
            JsonNode tensor = expected.get("gradients").get(id.tensorName());
            double ref = id.kind() == ParameterId.Kind.WEIGHT ? tensor.get(0).get(0).asDouble() : tensor.get(0).asDouble();
            assertTrue(ref != 0 && Math.abs(ref) < 1e-100, name + " reference should be tiny but non-zero: " + ref);
            for (ComplexStep.Result r : List.of(ComplexStep.derivative(net, p, i), ComplexStep.gradient(net, p)[i])) {
                double rel = Math.abs(r.value() - ref) / Math.abs(ref);
                assertTrue(rel <= TINY_RELATIVE, name + ": complex step " + r.value() + " vs " + ref + ", relative error " + rel);
                assertTrue(r.estimate().errorEstimate() < 1e-12 * Math.abs(ref), name + ": estimate " + r.estimate().errorEstimate());
            }
            Estimate fd = CentralDifference.derivative(t -> {
                double[] q = p.clone();
                q[i] = t;
                return symbolic.loss(q);
            }, p[i]);
            assertTrue(Math.abs(fd.value() - ref) >= 0.5 * Math.abs(ref), name + ": central difference " + fd.value()
                    + " unexpectedly resolves " + ref);
        }
    }

    @Test
    void saturated_log_loss_outputs_keep_their_closed_form_gradients() {
        // sigmoid output at z = −800 (a rounds to 0), bce with y = 1: L = softplus(800) = 800, ∂L/∂z = σ(z) − y = −1
        NetworkSpec bce = new NetworkSpec("bce-saturated", "<test>", 1, List.of(new LayerSpec(1, Activation.SIGMOID)),
                Loss.BCE, new Parameters(List.<double[][]>of(new double[][] {{-800.0}}), List.of(new double[] {0.0})),
                new Data(new double[][] {{1.0}}, new double[][] {{1.0}}));
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(bce));
        assertEquals(800.0, net.loss(net.graph().parameterValues()));
        for (ComplexStep.Result r : ComplexStep.gradient(net, net.graph().parameterValues())) {
            assertEquals(-1.0, r.value(), 1e-15);
        }
        // softmax output z = (800, −800), cross_entropy with y = (0, 1): ∂L/∂z = softmax(z) − y = (1, −1)
        NetworkSpec ce = new NetworkSpec("softmax-saturated", "<test>", 1, List.of(new LayerSpec(2, Activation.SOFTMAX)),
                Loss.CROSS_ENTROPY, new Parameters(List.<double[][]>of(new double[][] {{800.0}, {-800.0}}),
                List.of(new double[] {0.0, 0.0})), new Data(new double[][] {{1.0}}, new double[][] {{0.0, 1.0}}));
        net = ComplexNetworkCompiler.compile(ComputationGraph.of(ce));
        double[] g = net.gradient(net.graph().parameterValues());
        assertEquals(1600.0, net.loss(net.graph().parameterValues()));
        assertArrayEquals(new double[] {1.0, -1.0, 1.0, -1.0}, g, 1e-15, "W[0][0], W[1][0], b[0], b[1]");
    }

    @Test
    void a_relu_pre_activation_exactly_at_0_is_reported_near_a_kink_for_the_parameters_whose_path_crosses_it() {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(reluPair(-1.0, Activation.RELU)));
        double[] p = net.graph().parameterValues();
        Map<String, Boolean> expected = Map.of("W1[0][0]", true, "b1[0]", true, "W1[1][0]", false, "b1[1]", false,
                "W2[0][0]", false, "W2[0][1]", false, "b2[0]", false);
        ComplexStep.Result[] all = ComplexStep.gradient(net, p);
        for (Map.Entry<String, Boolean> e : expected.entrySet()) {
            int i = net.graph().offset(ParameterId.parse(e.getKey()));
            assertEquals(e.getValue(), all[i].nearKink(), e.getKey() + " (all parameters)");
            assertEquals(e.getValue(), ComplexStep.derivative(net, p, i).nearKink(), e.getKey() + " (one parameter)");
        }
        assertEquals(0.0, all[net.graph().offset(ParameterId.parse("b1[0]"))].value(),
                "at the kink the complex step takes the z ≤ 0 branch of relu, as the symbolic code does");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-12, -1e-12})
    void a_leaky_pre_activation_within_the_band_is_near_a_kink(double offset) {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(reluPair(-1.0 + offset, Activation.LEAKY_RELU)));
        int b = net.graph().offset(ParameterId.parse("b1[0]"));
        assertTrue(ComplexStep.derivative(net, net.graph().parameterValues(), b).nearKink());
    }

    @Test
    void a_pre_activation_outside_the_band_is_not_near_a_kink() {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(reluPair(-1.0 + 1e-6, Activation.RELU)));
        for (ComplexStep.Result r : ComplexStep.gradient(net, net.graph().parameterValues())) {
            assertFalse(r.nearKink());
        }
    }

    /** 1 input → 2 relu units (z₁,₀ = 1 + b) → 1 identity unit, mse, x = 1. */
    static NetworkSpec reluPair(double b, Activation activation) {
        return new NetworkSpec("relu-pair", "<test>", 1,
                List.of(new LayerSpec(2, activation), new LayerSpec(1, Activation.IDENTITY)), Loss.MSE,
                new Parameters(List.of(new double[][] {{1.0}, {1.0}}, new double[][] {{0.7, -0.3}}),
                        List.of(new double[] {b, 0.5}, new double[] {0.1})),
                new Data(new double[][] {{1.0}}, new double[][] {{0.2}}));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void on_seeded_random_networks_the_error_estimate_bounds_the_distance_to_the_symbolic_gradient(long seed) {
        ComputationGraph graph = ComputationGraph.of(randomNetwork(seed));
        double[] p = graph.parameterValues();
        double[] symbolic = NetworkCompiler.compile(graph).evaluate(p).gradient();
        ComplexStep.Result[] complex = ComplexStep.gradient(ComplexNetworkCompiler.compile(graph), p);
        for (int i = 0; i < symbolic.length; i++) {
            double error = Math.abs(complex[i].value() - symbolic[i]);
            assertTrue(error <= complex[i].estimate().errorEstimate(), graph.parameters().get(i).name() + " (seed " + seed
                    + "): complex step " + complex[i].value() + ", symbolic " + symbolic[i] + ", estimate "
                    + complex[i].estimate().errorEstimate());
        }
    }

    /** Smooth activations, every loss, widths 1–6, depth 1–4, weights up to ±20 (some units saturate), 1–4 samples. */
    static NetworkSpec randomNetwork(long seed) {
        Random r = new Random(seed);
        Activation[] hidden = {Activation.SIGMOID, Activation.TANH, Activation.SOFTPLUS, Activation.SILU, Activation.GELU,
                Activation.IDENTITY};
        Loss loss = Loss.values()[r.nextInt(Loss.values().length)];
        int inputs = 1 + r.nextInt(4);
        int depth = 1 + r.nextInt(4);
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 1; l < depth; l++) {
            layers.add(new LayerSpec(1 + r.nextInt(6), hidden[r.nextInt(hidden.length)]));
        }
        boolean logLoss = loss == Loss.BCE || loss == Loss.CROSS_ENTROPY;
        Activation out = logLoss ? (r.nextBoolean() ? Activation.SOFTMAX : Activation.SIGMOID) : hidden[r.nextInt(hidden.length)];
        layers.add(new LayerSpec(out == Activation.SOFTMAX ? 2 + r.nextInt(3) : 1 + r.nextInt(3), out));
        if (loss == Loss.BCE && out == Activation.SOFTMAX) {
            layers.set(layers.size() - 1, new LayerSpec(layers.get(layers.size() - 1).units(), Activation.SIGMOID));
        }
        double scale = r.nextInt(4) == 0 ? 20.0 : 1.5;
        List<double[][]> w = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        int in = inputs;
        for (LayerSpec layer : layers) {
            double[][] wl = new double[layer.units()][in];
            double[] bl = new double[layer.units()];
            for (int j = 0; j < layer.units(); j++) {
                for (int k = 0; k < in; k++) {
                    wl[j][k] = scale * (2 * r.nextDouble() - 1);
                }
                bl[j] = 2 * r.nextDouble() - 1;
            }
            w.add(wl);
            b.add(bl);
            in = layer.units();
        }
        int samples = 1 + r.nextInt(4);
        double[][] x = new double[samples][inputs];
        double[][] y = new double[samples][in];
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < inputs; k++) {
                x[s][k] = 4 * r.nextDouble() - 2;
            }
            for (int j = 0; j < in; j++) {
                y[s][j] = r.nextDouble();
            }
        }
        return new NetworkSpec("random-" + seed, "<test>", inputs, layers, loss, new Parameters(w, b), new Data(x, y));
    }

    @Test
    void the_directional_derivative_is_the_gradient_dotted_with_the_direction() throws IOException {
        ComputationGraph graph = ComputationGraph.of(SpecReader.read(REFERENCE.resolve("random-11.spec.json")));
        ComplexNetwork net = ComplexNetworkCompiler.compile(graph);
        double[] p = graph.parameterValues();
        double[] v = new Random(11).doubles(p.length, -1, 1).toArray();
        double[] g = NetworkCompiler.compile(graph).evaluate(p).gradient();
        double dot = 0;
        double magnitude = 0;
        for (int i = 0; i < p.length; i++) {
            dot += g[i] * v[i];
            magnitude += Math.abs(g[i] * v[i]);
        }
        ComplexStep.Result r = ComplexStep.directional(net, p, v);
        assertEquals(dot, r.value(), r.estimate().errorEstimate() + 1e-15 * magnitude);
        assertFalse(r.nearKink());
    }

    @Test
    void a_single_derivative_reports_the_step_it_used() throws IOException {
        ComputationGraph graph = ComputationGraph.of(SpecReader.read(REFERENCE.resolve("lecture-chain.spec.json")));
        ComplexStep.Result r = ComplexStep.derivative(ComplexNetworkCompiler.compile(graph), graph.parameterValues(), 0);
        assertEquals(ComplexStep.STEP, r.estimate().step());
        assertEquals(1e-20, ComplexStep.STEP);
    }
}
