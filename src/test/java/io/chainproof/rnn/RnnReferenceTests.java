package io.chainproof.rnn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.ReferenceAgreement;
import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.GradientChecker;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.RnnSpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The BPTT gradient of the unrolled RNN graph ({@link Models#rnn}, the reverse walk) against PyTorch {@code nn.RNN} autograd (float64), checked in under
 * {@code src/test/resources/reference/rnn/} by {@code src/test/python/make_rnn_reference.py}, entry by entry relative
 * to a floor from the two arithmetics' rounding bounds ({@link ReferenceAgreement}; the worst per-entry relative error
 * is printed), and against central differences.
 */
class RnnReferenceTests {

    /** Relative agreement required of the loss; the gradient entries follow {@link ReferenceAgreement}. */
    static final double LOSS_RELATIVE = 1e-12;
    /** The number of reference specs the script writes. */
    static final int REFERENCE_SPECS = 12;
    /** The gradient entries of the reference specs: a run that compares fewer has lost some. */
    static final int ENTRIES = 286;

    static final Path REFERENCE = Path.of("src/test/resources/reference/rnn");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(REFERENCE)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    static RnnSpec read(Path spec) throws IOException {
        return RnnSpecReader.read(spec.getFileName().toString(), JSON.readTree(spec.toFile()));
    }

    static JsonNode expected(Path spec) throws IOException {
        String name = spec.getFileName().toString().replace(".spec.json", ".expected.json");
        return JSON.readTree(spec.resolveSibling(name).toFile());
    }

    /** @return the reference gradient flattened in the RNN graph's layout Wh, Wx, b, Wy, by */
    static double[] flatGradient(JsonNode gradients) {
        List<Double> flat = new ArrayList<>();
        for (String name : List.of("Wh", "Wx", "b", "Wy", "by")) {
            for (JsonNode row : gradients.get(name)) {
                if (row.isArray()) {
                    row.forEach(v -> flat.add(v.doubleValue()));
                } else {
                    flat.add(row.doubleValue());
                }
            }
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void the_reference_set_covers_every_loss_at_and_hidden_activation() throws IOException {
        List<Path> specs = specs();
        assertEquals(REFERENCE_SPECS, specs.size(), "reference specs in " + REFERENCE);
        List<String> seen = new ArrayList<>();
        for (Path p : specs) {
            RnnSpec s = read(p);
            seen.add(s.activation().specName() + "/" + s.lossAt().specName());
        }
        for (String a : List.of("tanh", "relu", "sigmoid")) {
            for (String at : List.of("last", "every")) {
                assertTrue(seen.contains(a + "/" + at), "no reference spec with " + a + " and loss_at " + at);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> every_reference_rnn_matches_pytorch_entry_by_entry() throws IOException {
        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch nn.RNN float64 autograd");
        Stream<DynamicTest> each = specs().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model net = Models.rnn(read(p));
            JsonNode ref = expected(p);
            double[] theta = net.point();
            double refLoss = ref.get("loss").doubleValue();
            double loss = ModelEvaluator.loss(net, theta);
            assertEquals(refLoss, loss, LOSS_RELATIVE * Math.abs(refLoss), "loss");
            double[] want = flatGradient(ref.get("gradients"));
            double[] got = ModelEvaluator.gradient(net, theta);
            assertEquals(want.length, got.length, "gradient length");
            double[] floors = ReferenceAgreement.floors(net, ref.get("producer").asText());
            List<String> names = net.parameterNames();
            int before = agreement.disagreements().size();
            for (int i = 0; i < want.length; i++) {
                agreement.compare(p.getFileName() + " " + names.get(i), got[i], want[i], floors[i]);
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

    @TestFactory
    Stream<DynamicTest> every_reference_rnn_gradient_passes_the_central_difference_check() throws IOException {
        return specs().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Model net = Models.rnn(read(p));
            FunctionCheckReport report = GradientChecker.withNames(net.parameterNames())
                    .check(t -> ModelEvaluator.loss(net, t), t -> ModelEvaluator.gradient(net, t), net.point());
            assertTrue(report.passed(), report.text());
        }));
    }

    /** A second, absolute measure: the largest |ours − ref| / max(1, |ref|) over every entry stays below 1e−12. */
    @Test
    void the_largest_error_scaled_by_max_one_and_the_reference_stays_below_1e_minus_12() throws IOException {
        double worst = 0;
        for (Path p : specs()) {
            Model net = Models.rnn(read(p));
            double[] want = flatGradient(expected(p).get("gradients"));
            double[] got = ModelEvaluator.gradient(net, net.point());
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
            }
        }
        assertTrue(worst < 1e-12, "largest |ours − ref| / max(1, |ref|) against PyTorch: " + worst);
    }

    @Test
    void tensors_put_the_gradient_back_into_the_pytorch_layout() throws IOException {
        Path p = specs().get(1);
        Model net = Models.rnn(read(p));
        JsonNode want = expected(p).get("gradients");
        JsonNode got = JSON.valueToTree(net.tensors(ModelEvaluator.gradient(net, net.point())));
        assertEquals(List.of("Wh", "Wx", "b", "Wy", "by"), iterable(got));
        for (String name : iterable(got)) {
            assertEquals(want.get(name).size(), got.get(name).size(), name + " rows");
        }
        assertArrayEquals(flatGradient(want), flatGradient(got), 1e-12);
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertArrayEquals(double[] want, double[] got, double tolerance) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, tolerance);
    }
}
