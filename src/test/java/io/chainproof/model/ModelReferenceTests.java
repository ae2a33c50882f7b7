package io.chainproof.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.DualNumber;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every reference spec — 26 MLPs, 12 RNNs and 6 RNNs whose sequences differ in length, PyTorch float64 autograd,
 * checked in by {@code src/test/python/make_reference.py}, {@code make_rnn_reference.py} and
 * {@code make_rnn_ragged_reference.py} — built as an op graph and
 * differentiated three independent ways: the reverse walk of the graph (backpropagation, through time for the
 * RNNs), the complex step and forward-mode dual numbers through the ops' forward rules. Each entry must agree with
 * PyTorch per entry: {@code |ours − ref| ≤ RELATIVE·|ref| + FLOOR·max_θ|ref_θ|}, the floor being the rounding two
 * float64 backprops that sum in different orders can differ by.
 */
class ModelReferenceTests {

    /** Relative agreement required per entry (measured worst: see the assertion messages). */
    static final double RELATIVE = 1e-12;
    /** Absolute floor, as a fraction of the spec's largest reference gradient entry. */
    static final double FLOOR = 1e-14;
    /** Agreement required of the loss, relative. */
    static final double LOSS_RELATIVE = 1e-14;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MLP = Path.of("src/test/resources/reference");
    private static final Path RNN = Path.of("src/test/resources/reference/rnn");
    private static final Path RAGGED = Path.of("src/test/resources/reference/rnn-ragged");

    static List<Path> specs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    static JsonNode expected(Path spec) throws IOException {
        return JSON.readTree(spec.resolveSibling(spec.getFileName().toString().replace(".spec.json", ".expected.json"))
                .toFile());
    }

    /** The reference gradient in the model's flat layout, tensor by tensor in the model's order. */
    static double[] flatten(Model model, JsonNode gradients) {
        List<Double> flat = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            collect(gradients.get(p.name()), flat);
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, into));
        } else {
            into.add(node.doubleValue());
        }
    }

    @TestFactory
    Stream<DynamicTest> the_reverse_walk_matches_pytorch() throws IOException {
        return references().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            JsonNode ref = expected(p);
            double[] theta = model.point();
            double loss = ModelEvaluator.loss(model, theta);
            double refLoss = ref.get("loss").doubleValue();
            assertAgrees("loss", refLoss, loss, LOSS_RELATIVE * Math.abs(refLoss) + Double.MIN_NORMAL);
            compare(model, flatten(model, ref.get("gradients")), ModelEvaluator.gradient(model, theta), "reverse walk");
        }));
    }

    @TestFactory
    Stream<DynamicTest> the_complex_step_through_the_forward_rules_matches_pytorch() throws IOException {
        return references().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            double[] theta = model.point();
            double[] g = partials(theta, i -> ModelEvaluator.loss(model, ComplexStepNumber.FIELD,
                    k -> k == i ? ComplexStepNumber.seed(theta[k], 1) : ComplexStepNumber.FIELD.constant(theta[k])).derivative());
            compare(model, flatten(model, expected(p).get("gradients")), g, "complex step");
        }));
    }

    @TestFactory
    Stream<DynamicTest> forward_mode_dual_numbers_match_pytorch() throws IOException {
        return references().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            double[] theta = model.point();
            double[] g = partials(theta, i -> ModelEvaluator.loss(model, DualNumber.FIELD,
                    k -> k == i ? DualNumber.seed(theta[k], 1) : DualNumber.FIELD.constant(theta[k])).tangent());
            compare(model, flatten(model, expected(p).get("gradients")), g, "forward AD");
        }));
    }

    /** One seeded pass per parameter. */
    private static double[] partials(double[] theta, java.util.function.IntToDoubleFunction seededPass) {
        double[] g = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            g[i] = seededPass.applyAsDouble(i);
        }
        return g;
    }

    private static Stream<Path> references() throws IOException {
        return Stream.of(specs(MLP), specs(RNN), specs(RAGGED)).flatMap(List::stream)
                .filter(p -> !p.getFileName().toString().startsWith("lecture-chain-saturated"));
    }

    private static void compare(Model model, double[] want, double[] got, String method) {
        assertEquals(want.length, got.length, "gradient length");
        double max = 0;
        for (double w : want) {
            max = Math.max(max, Math.abs(w));
        }
        List<String> names = model.parameterNames();
        for (int i = 0; i < want.length; i++) {
            assertAgrees(method + " " + names.get(i), want[i], got[i], RELATIVE * Math.abs(want[i]) + FLOOR * max);
        }
    }

    private static void assertAgrees(String what, double want, double got, double allowed) {
        if (!(Math.abs(got - want) <= allowed)) {
            fail(what + " ==> expected: <" + want + "> but was: <" + got + ">, error " + Math.abs(got - want)
                    + " > allowed " + allowed);
        }
    }

}
