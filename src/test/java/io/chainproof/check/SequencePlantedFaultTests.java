package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.planted.PlantedCoverage;
import io.chainproof.model.Models;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence layers' classic backward mistakes, planted in gradients from outside chainproof
 * ({@code src/test/resources/reference/layered-sequence-planted/}, made by {@code make_sequence_reference.py}):
 * truncated backpropagation through time in an rnn, an lstm, a gru and an lstm after an embedding (PyTorch with the
 * state detached before the last k steps), and in chunks in layers returning every state (the state detached every
 * k steps, as a training loop carrying it across batches does), and attention's missing 1/√d scale, causal mask in the forward pass only,
 * transposed softmax product and reversed heads (a hand-written attention backward pass, which without the fault
 * equals PyTorch's to 1e−12), in a causal two-head layer, a four-head layer and a causal transformer block; and the
 * gated cells' (hand-written cells, equal to PyTorch's kernels to 1e−12 without a fault): an LSTM's forget path
 * through c left out of BPTT, its h and c gradients swapped between steps, its gates stacked in TensorFlow's, Caffe's
 * or ONNX's order, a GRU's in Keras' order, and a GRU resetting before {@code W_hn}, in LSTMs and GRUs returning
 * their sequence or their last state, after an embedding or a dense layer, and stacked. Verified by every oracle,
 * each is flagged and localised as its fault (a truncation with exactly its k steps).
 *
 * <p>The suite cannot pass vacuously ({@link PlantedCoverage}): each network class (attention if the spec has an
 * attention layer, else lstm, gru, rnn, the first it has) needs as many faults that change the gradient of the same
 * code without the fault (the case's {@code correct}: PyTorch's for the truncations, the hand-written code's for
 * attention and the cells) as are planted today — lstm 14, attention 9, gru 8, rnn 3 (34).
 */
class SequencePlantedFaultTests {

    private static final Path DIR = Path.of("src/test/resources/reference/layered-sequence-planted");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Non-equivalent faults required per network class: the number planted when the guard was written. */
    static final Map<String, Integer> MINIMUM = Map.of("lstm", 14, "attention", 9, "gru", 8, "rnn", 3);

    @Test
    void every_network_class_has_enough_faults_that_change_the_correct_gradient() throws IOException {
        List<PlantedCoverage.Planted> planted = planted();
        System.out.println("sequence planted faults per class: " + PlantedCoverage.counts(planted));
        assertEquals(List.of(), new PlantedCoverage(MINIMUM).problems(planted));
    }

    /** With every fault a no-op (each claim its fault-free twin), the guard fails in every class. */
    @Test
    void the_guard_fails_when_every_planted_fault_is_a_no_op() throws IOException {
        List<PlantedCoverage.Planted> noOps = planted().stream().map(PlantedCoverage.Planted::noOp).toList();
        List<String> problems = new PlantedCoverage(MINIMUM).problems(noOps);
        assertEquals("class <attention>: 0 non-equivalent planted faults, at least 9 required; the fault switches "
                + "change too little", problems.get(0));
        assertEquals(MINIMUM.size() + 34, problems.size(), problems::toString);
        assertTrue(problems.contains("PLANTS NOTHING lstm-last.forget.json"), problems::toString);
    }

    /** Every case of the manifest as a planted fault, none of which may leave the gradient unchanged. */
    static List<PlantedCoverage.Planted> planted() throws IOException {
        List<PlantedCoverage.Planted> out = new ArrayList<>();
        for (JsonNode c : JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases")) {
            Path spec = DIR.resolve(c.get("spec").asText());
            GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(spec)));
            Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            List<String> types = JSON.readTree(spec.toFile()).findValuesAsText("type");
            String networkClass = Stream.of("attention", "lstm", "gru", "rnn").filter(types::contains).findFirst()
                    .orElseThrow(() -> new AssertionError(spec + " has no sequence layer: " + types));
            out.add(new PlantedCoverage.Planted(networkClass, c.get("claimed").asText(),
                    GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(), template),
                    GradientFileReader.readFlat(DIR.resolve(c.get("correct").asText()), f.name(), template), false));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> every_planted_fault_is_flagged_and_localised() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases");
        assertTrue(cases.size() >= 34, "4 truncations, 5 chunked truncations, 9 attention and 16 cell faults planted, found " + cases.size());
        for (JsonNode c : cases) {
            for (Oracle oracle : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)) {
                tests.add(DynamicTest.dynamicTest(c.get("claimed").asText() + " by " + oracle.description(), () -> {
                    GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
                    double[] claimed = GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(),
                            f.tensors(new double[f.parameterNames().size()]));
                    VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, claimed);
                    assertFalse(report.passed(), "the fault went unnoticed");
                    Localisation where = report.localisation().orElseThrow(() -> new AssertionError("not localised"));
                    assertEquals(Localisation.Fault.valueOf(c.get("fault").asText()), where.fault(), where.explanation());
                    if (c.has("kept")) {
                        assertEquals(c.get("kept").asInt(), (int) where.factor(), where.explanation());
                    }
                }));
            }
        }
        return tests.stream();
    }
}
