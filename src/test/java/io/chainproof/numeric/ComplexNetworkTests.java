package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.InitScheme;
import io.chainproof.spec.InitSpec;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The complex-step evaluator: its two evaluation paths agree, it is independent of derivative code, it rejects bad input. */
class ComplexNetworkTests {

    private static final Path REFERENCE = Path.of("src/test/resources/reference");
    /** Rounded operations a value may differ by between the two paths, in units of ε·magnitude. */
    private static final double PATH_AGREEMENT = 64 * Math.ulp(1.0);

    @TestFactory
    Stream<DynamicTest> the_gradient_of_all_parameters_agrees_with_the_literal_complex_step_of_each() throws IOException {
        List<Path> specs;
        try (Stream<Path> files = Files.list(REFERENCE)) {
            specs = files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
        return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
            ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(SpecReader.read(spec)));
            double[] p = net.graph().parameterValues();
            assertPathsAgree(net, p, 1);
        }));
    }

    /** Every {@code stride}-th parameter: the literal complex step and the linear propagation agree. */
    private static void assertPathsAgree(ComplexNetwork net, double[] p, int stride) {
        ComplexGradient all = net.partials(p);
        for (int i = 0; i < p.length; i += stride) {
            ComplexDerivative one = net.partial(p, i, ComplexNetwork.STEP);
            String name = net.graph().parameters().get(i).name();
            assertEquals(one.value(), all.get(i).value(), PATH_AGREEMENT * one.magnitude(), name + " value");
            assertEquals(one.magnitude(), all.get(i).magnitude(), 1e-12 * one.magnitude(), name + " magnitude");
            assertEquals(one.nearKink(), all.get(i).nearKink(), name + " kink flag");
            assertTrue(one.magnitude() >= Math.abs(one.value()) * (1 - PATH_AGREEMENT), name + " magnitude below |value|");
        }
    }

    @Test
    void the_loss_is_the_compiled_symbolic_loss() throws IOException {
        for (String name : List.of("mlp-2-3-2-1", "random-03", "random-14", "softmax-classifier")) {
            ComputationGraph graph = ComputationGraph.of(SpecReader.read(REFERENCE.resolve(name + ".spec.json")));
            double[] p = graph.parameterValues();
            double expected = NetworkCompiler.compile(graph).loss(p);
            assertEquals(expected, ComplexNetworkCompiler.compile(graph).loss(p), 4 * Math.ulp(expected), name);
        }
    }

    @Test
    void above_the_parallel_threshold_the_gradient_is_deterministic_and_agrees_with_the_literal_complex_step() {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(mlp(64, List.of(64, 32, 1), 8, 3)));
        double[] p = net.graph().parameterValues();
        assertEquals(6273, p.length);
        assertTrue(p.length > ComplexNetwork.PARALLEL_THRESHOLD);
        assertArrayEquals(net.gradient(p), net.gradient(p), "two runs differ");
        assertPathsAgree(net, p, 97);
    }

    @Test
    void a_twelve_layer_chain_agrees_between_the_two_paths() {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(mlp(1, java.util.Collections.nCopies(12, 1), 2, 5)));
        assertPathsAgree(net, net.graph().parameterValues(), 1);
    }

    /** A sigmoid MLP with Xavier-uniform weights, Gaussian inputs, uniform targets, mse. */
    static NetworkSpec mlp(int inputs, List<Integer> widths, int samples, long seed) {
        List<LayerSpec> layers = widths.stream().map(n -> new LayerSpec(n, Activation.SIGMOID)).toList();
        Random r = new Random(seed);
        double[][] x = new double[samples][inputs];
        double[][] y = new double[samples][widths.get(widths.size() - 1)];
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < inputs; k++) {
                x[s][k] = r.nextGaussian();
            }
            for (int j = 0; j < y[s].length; j++) {
                y[s][j] = r.nextDouble();
            }
        }
        return new NetworkSpec("mlp", "<test>", inputs, layers, Loss.MSE,
                new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, seed).initialise(inputs, layers), new Data(x, y));
    }

    @Test
    void the_generated_code_evaluates_values_only_and_no_derivative_expression() throws IOException {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(SpecReader.read(
                REFERENCE.resolve("lecture-chain.spec.json"))));
        assertFalse(net.source().contains("StableFunctions.sigmoidPrime"), "σ' is the symbolic derivative; it must not appear");
        assertTrue(net.source().contains("ComplexFunctions.sigmoidSlope"), "σ of a complex argument");
        assertTrue(net.source().contains("implements io.chainproof.numeric.ComplexSampleKernel"));
    }

    @Test
    void a_directional_derivative_along_a_unit_vector_is_the_partial_derivative() throws IOException {
        ComplexNetwork net = ComplexNetworkCompiler.compile(ComputationGraph.of(SpecReader.read(
                REFERENCE.resolve("random-10.spec.json"))));
        double[] p = net.graph().parameterValues();
        for (int i = 0; i < p.length; i++) {
            double[] e = new double[p.length];
            e[i] = 1;
            assertEquals(net.derivative(p, i, ComplexNetwork.STEP), net.directional(p, e, ComplexNetwork.STEP).value(), 0.0);
        }
        assertEquals(new ComplexDerivative(0, 0, false), net.directional(p, new double[p.length], ComplexNetwork.STEP));
    }

    @Test
    void a_step_outside_the_first_order_range_is_rejected_with_the_rule() throws IOException {
        ComplexNetwork net = lectureChain();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.derivative(net.graph().parameterValues(), 0, 1e-3));
        assertEquals("Complex step <0.001> must be > 0 and ≤ 1.0E-10: the first-order complex kernels need h·|θ| far "
                + "below 1; use ComplexNetwork.STEP (1.0E-20)", e.getMessage());
    }

    @Test
    void an_index_outside_the_parameters_is_rejected_with_the_range() throws IOException {
        ComplexNetwork net = lectureChain();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.derivative(net.graph().parameterValues(), 6, ComplexNetwork.STEP));
        assertEquals("Parameter index <6> is outside 0..5 of network <lecture-chain>", e.getMessage());
    }

    @Test
    void a_vector_of_the_wrong_length_is_rejected_with_both_lengths() throws IOException {
        ComplexNetwork net = lectureChain();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.gradient(new double[5]));
        assertEquals("Parameter vector of length <5> does not match the <6> parameters of network <lecture-chain>",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> net.directional(net.graph().parameterValues(), new double[7], ComplexNetwork.STEP));
        assertEquals("Direction of length <7> does not match the <6> parameters of network <lecture-chain>", e.getMessage());
    }

    private static ComplexNetwork lectureChain() throws IOException {
        return ComplexNetworkCompiler.compile(ComputationGraph.of(SpecReader.read(REFERENCE.resolve("lecture-chain.spec.json"))));
    }

    @Test
    void a_gradient_copies_its_arrays_in_and_out() {
        double[] values = {1.0, 2.0};
        ComplexGradient g = new ComplexGradient(values, new double[] {1.0, 2.0}, new boolean[] {false, true});
        values[0] = 99;
        g.values()[1] = 99;
        assertArrayEquals(new double[] {1.0, 2.0}, g.values());
        assertEquals(new ComplexDerivative(2.0, 2.0, true), g.get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ComplexGradient(new double[2], new double[1], new boolean[2]));
        assertEquals("Arrays of lengths <2>, <1> and <2> must have one entry per parameter each", e.getMessage());
    }
}
