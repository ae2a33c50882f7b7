package io.chainproof.check.planted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.ReferenceAgreement;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite's own backprop against the outside reference: PyTorch autograd gradients (float64) checked in
 * under {@code src/test/resources/reference/}. A planted-bug suite is only as good as its correct gradient.
 */
class ManualBackpropTests {

    /** Relative agreement required of the loss; the gradient entries follow {@link ReferenceAgreement}. */
    static final double LOSS_RELATIVE = 1e-12;
    /** Relative agreement on the saturated chain's tiny gradients (sympy-verified, see the README there). */
    static final double TINY_RELATIVE_TOLERANCE = 1e-12;

    static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> referenceSpecs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> the_manual_gradient_and_loss_match_pytorch_entry_by_entry_on_every_reference_spec()
            throws IOException {
        List<Path> specs = referenceSpecs();
        assertTrue(specs.size() >= 24, "expected at least 24 reference specs, found " + specs.size());
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (the manual backprop)");
        Stream<DynamicTest> each = specs.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            NetworkSpec spec = SpecReader.read(file);
            JsonNode expected = expected(file);
            double[] ours = ManualBackprop.gradient(spec);
            double loss = expected.get("loss").asDouble();
            assertEquals(loss, ManualBackprop.loss(spec), LOSS_RELATIVE * Math.abs(loss), spec.name() + " loss");
            Map<String, Double> floors = ReferenceAgreement.floors(spec, expected.get("producer").asText());
            ComputationGraph graph = ComputationGraph.of(spec);
            int before = agreement.disagreements().size();
            for (ParameterId id : graph.parameters()) {
                agreement.compare(spec.name() + " " + id.name(), ours[graph.offset(id)], reference(expected, id),
                        floors.get(id.name()));
            }
            List<String> wrong = agreement.disagreements();
            assertEquals(List.of(), wrong.subList(before, wrong.size()), "entries that disagree with PyTorch");
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("worst per-entry relative error", () -> {
            System.out.println(agreement.report());
            assertTrue(agreement.entries() > 0 && agreement.worstShare() <= 1, agreement.report());
        })));
    }

    @Test
    void the_saturated_lecture_chain_keeps_its_tiny_gradients_to_1e12_relative() throws IOException {
        Path file = REFERENCE.resolve("lecture-chain-saturated.spec.json");
        NetworkSpec spec = SpecReader.read(file);
        JsonNode expected = expected(file);
        double[] ours = ManualBackprop.gradient(spec);
        ComputationGraph graph = ComputationGraph.of(spec);
        for (String name : List.of("W1[0][0]", "b1[0]", "W2[0][0]", "b2[0]")) {
            ParameterId id = ParameterId.parse(name);
            double ref = reference(expected, id);
            double got = ours[graph.offset(id)];
            assertTrue(ref != 0 && Math.abs(ref) < 1e-100, name + " reference <" + ref + "> should be tiny, not 0");
            assertTrue(Math.abs(got - ref) <= TINY_RELATIVE_TOLERANCE * Math.abs(ref),
                    name + " ==> expected: <" + ref + "> but was: <" + got + ">");
        }
    }

    @Test
    void the_flat_layout_is_chainproofs_layout_on_every_zoo_network() {
        for (NetworkZoo.Network network : NetworkZoo.networks()) {
            ComputationGraph graph = ComputationGraph.of(network.spec());
            FlatLayout layout = FlatLayout.of(network.spec());
            assertEquals(graph.parameters().size(), layout.size(), network.label());
            for (ParameterId id : graph.parameters()) {
                assertEquals(id.name(), layout.name(graph.offset(id)), network.label() + " offset " + graph.offset(id));
            }
        }
    }

    private static JsonNode expected(Path spec) throws IOException {
        return JSON.readTree(spec.resolveSibling(
                spec.getFileName().toString().replace(".spec.json", ".expected.json")).toFile());
    }

    private static double reference(JsonNode expected, ParameterId id) {
        JsonNode tensor = expected.get("gradients").get(id.tensorName());
        return id.kind() == ParameterId.Kind.WEIGHT
                ? tensor.get(id.row()).get(id.column()).asDouble() : tensor.get(id.row()).asDouble();
    }
}
