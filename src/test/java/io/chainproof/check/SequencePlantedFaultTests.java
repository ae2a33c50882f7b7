package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.model.Models;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 */
class SequencePlantedFaultTests {

    private static final Path DIR = Path.of("src/test/resources/reference/layered-sequence-planted");
    private static final ObjectMapper JSON = new ObjectMapper();

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
