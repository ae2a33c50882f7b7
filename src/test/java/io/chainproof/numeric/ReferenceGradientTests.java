package io.chainproof.numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The compiled symbolic gradient against gradients computed independently by PyTorch autograd (float64),
 * checked in under {@code src/test/resources/reference/} by {@code src/test/python/make_reference.py}.
 */
class ReferenceGradientTests {

    /** Agreement required with the outside reference: |ours − ref| ≤ 1e-9 · max(1, |ref|). */
    static final double REFERENCE_TOLERANCE = 1e-9;
    /** Relative agreement required on the saturated chain's tiny gradients (sympy-verified to 60 digits). */
    static final double TINY_RELATIVE_TOLERANCE = 1e-12;

    static final Path REFERENCE = Path.of("src/test/resources/reference");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> every_reference_spec_matches_pytorch_to_1e9_with_unrolled_code() throws IOException {
        return referenceTests(NetworkCompiler.Shape.UNROLLED);
    }

    @TestFactory
    Stream<DynamicTest> every_reference_spec_matches_pytorch_to_1e9_with_looped_code() throws IOException {
        return referenceTests(NetworkCompiler.Shape.LOOPED);
    }

    private Stream<DynamicTest> referenceTests(NetworkCompiler.Shape shape) throws IOException {
        List<Path> specs = specs();
        assertTrue(specs.size() >= 24, "expected at least 24 reference specs, found " + specs.size());
        return specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
            ComputationGraph graph = ComputationGraph.of(SpecReader.read(spec));
            CompiledNetwork.Evaluation e = NetworkCompiler.compile(graph, shape).evaluate();
            JsonNode expected = JSON.readTree(spec.resolveSibling(
                    spec.getFileName().toString().replace(".spec.json", ".expected.json")).toFile());
            assertClose("loss", expected.get("loss").asDouble(), e.loss());
            for (ParameterId id : graph.parameters()) {
                assertClose(id.name(), reference(expected, id), e.gradient(graph.offset(id)));
            }
        }));
    }

    @ParameterizedTest
    @EnumSource(NetworkCompiler.Shape.class)
    void the_saturated_lecture_chain_keeps_its_tiny_gradients_to_1e12_relative(NetworkCompiler.Shape shape) throws IOException {
        Path spec = REFERENCE.resolve("lecture-chain-saturated.spec.json");
        ComputationGraph graph = ComputationGraph.of(SpecReader.read(spec));
        CompiledNetwork.Evaluation e = NetworkCompiler.compile(graph, shape).evaluate();
        JsonNode expected = JSON.readTree(REFERENCE.resolve("lecture-chain-saturated.expected.json").toFile());
        for (String name : List.of("W1[0][0]", "b1[0]", "W2[0][0]", "b2[0]")) {
            ParameterId id = ParameterId.parse(name);
            double ref = reference(expected, id);
            double ours = e.gradient(graph.offset(id));
            assertTrue(ref != 0 && Math.abs(ref) < 1e-100, name + " reference should be tiny but non-zero: " + ref);
            double rel = Math.abs(ours - ref) / Math.abs(ref);
            assertTrue(rel <= TINY_RELATIVE_TOLERANCE, name + ": ours " + ours + " vs " + ref + ", relative error " + rel);
        }
    }

    static double reference(JsonNode expected, ParameterId id) {
        JsonNode t = expected.get("gradients").get(id.tensorName());
        return id.kind() == ParameterId.Kind.WEIGHT ? t.get(id.row()).get(id.column()).asDouble() : t.get(id.row()).asDouble();
    }

    static void assertClose(String what, double ref, double ours) {
        if (!Double.isFinite(ours)) {
            fail(what + ": ours is " + ours + ", reference " + ref);
        }
        double err = Math.abs(ours - ref) / Math.max(1.0, Math.abs(ref));
        assertTrue(err <= REFERENCE_TOLERANCE, what + ": ours " + ours + ", reference " + ref + ", error " + err);
    }

    @Test
    void a_spec_with_several_samples_averages_the_loss() throws IOException {
        NetworkSpec spec = SpecReader.read(REFERENCE.resolve("mlp-2-3-2-1.spec.json"));
        assertEquals(3, spec.data().samples());
        CompiledNetwork net = NetworkCompiler.compile(ComputationGraph.of(spec));
        double[] p = net.graph().parameterValues();
        double mean = 0;
        for (int s = 0; s < 3; s++) {
            NetworkSpec one = new NetworkSpec(spec.name(), spec.source(), spec.inputs(), spec.layers(), spec.loss(),
                    spec.parameters(), new io.chainproof.spec.Data(new double[][] {spec.data().x()[s]},
                    new double[][] {spec.data().y()[s]}));
            mean += NetworkCompiler.compile(ComputationGraph.of(one)).loss(p) / 3;
        }
        assertEquals(mean, net.loss(p), 1e-15);
    }
}
