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
 * Truncated backpropagation through time in layered models' recurrent layers, planted in PyTorch's own gradients
 * ({@code src/test/resources/reference/layered-sequence-planted/}, made by {@code make_sequence_reference.py}: an rnn,
 * an lstm, a gru and an lstm after an embedding, each returning its last state, with the state detached before the
 * last k steps): verified by every oracle, each is flagged and localised as BPTT truncated to exactly k steps.
 */
class SequencePlantedFaultTests {

    private static final Path DIR = Path.of("src/test/resources/reference/layered-sequence-planted");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> truncated_bptt_is_flagged_and_localised_with_its_steps() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases");
        assertTrue(cases.size() >= 4, "four planted cases");
        for (JsonNode c : cases) {
            for (Oracle oracle : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)) {
                tests.add(DynamicTest.dynamicTest(c.get("claimed").asText() + " by " + oracle.description(), () -> {
                    GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
                    double[] claimed = GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(),
                            f.tensors(new double[f.parameterNames().size()]));
                    VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, claimed);
                    assertFalse(report.passed(), "the truncation went unnoticed");
                    Localisation where = report.localisation().orElseThrow(() -> new AssertionError("not localised"));
                    assertEquals(Localisation.Fault.TRUNCATED_BPTT, where.fault(), where.explanation());
                    assertEquals(c.get("kept").asInt(), (int) where.factor(), where.explanation());
                }));
            }
        }
        return tests.stream();
    }
}
