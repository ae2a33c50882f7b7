package io.chainproof.numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.ReferenceAgreement;
import io.chainproof.ReferenceData;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
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

/**
 * The compiled symbolic gradient against gradients computed independently by PyTorch autograd (float64),
 * checked in under {@code src/test/resources/reference/} by {@code src/test/python/make_reference.py}. Every gradient
 * entry must agree relative to itself, {@code |ours − ref| ≤ 1e−12·|ref| + floor}, the floor the two arithmetics'
 * rounding bounds for that entry ({@link ReferenceAgreement}); the loss to {@value #LOSS_RELATIVE} relative. The last
 * dynamic test of each factory prints the worst per-entry relative error over all specs.
 */
class ReferenceGradientTests {

    /** Relative agreement required of the loss (measured: at most 3.9e−16). */
    static final double LOSS_RELATIVE = 1e-12;
    /** Relative agreement required on the saturated chain's tiny gradients (sympy-verified to 60 digits). */
    static final double TINY_RELATIVE_TOLERANCE = 1e-12;
    /** The entries of every reference gradient: a run that compares fewer has lost specs. */
    static final int ENTRIES = 760;

    static final Path REFERENCE = Path.of("src/test/resources/reference");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> every_reference_spec_matches_pytorch_entry_by_entry_with_unrolled_code() throws IOException {
        return referenceTests(NetworkCompiler.Shape.UNROLLED);
    }

    @TestFactory
    Stream<DynamicTest> every_reference_spec_matches_pytorch_entry_by_entry_with_looped_code() throws IOException {
        return referenceTests(NetworkCompiler.Shape.LOOPED);
    }

    private Stream<DynamicTest> referenceTests(NetworkCompiler.Shape shape) throws IOException {
        List<Path> specs = specs();
        assertTrue(specs.size() >= 24, "expected at least 24 reference specs, found " + specs.size());
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (" + shape + " code)");
        Stream<DynamicTest> each = specs.stream().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
            NetworkSpec network = SpecReader.read(spec);
            ComputationGraph graph = ComputationGraph.of(network);
            CompiledNetwork.Evaluation e = NetworkCompiler.compile(graph, shape).evaluate();
            JsonNode expected = ReferenceData.expected(spec);
            double loss = expected.get("loss").asDouble();
            assertEquals(loss, e.loss(), LOSS_RELATIVE * Math.abs(loss), "loss");
            Model model = Models.mlp(network);
            double[] floors = ReferenceAgreement.floors(model, expected.get("producer").asText());
            List<String> names = model.parameterNames();
            int before = agreement.disagreements().size();
            for (int i = 0; i < names.size(); i++) {
                ParameterId id = ParameterId.parse(names.get(i));
                agreement.compare(spec.getFileName() + " " + id.name(), e.gradient(graph.offset(id)), reference(expected, id),
                        floors[i]);
            }
            List<String> wrong = agreement.disagreements();
            assertEquals(List.of(), wrong.subList(before, wrong.size()), "entries that disagree with PyTorch");
        }));
        Stream<DynamicTest> summary = Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            assertEquals(ENTRIES, agreement.entries(), "entries compared");
            assertTrue(agreement.worstShare() <= 1, agreement.report());
        }));
        return Stream.concat(each, summary);
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
