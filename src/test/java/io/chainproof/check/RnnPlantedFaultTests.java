package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Wrong RNN gradients from PyTorch ({@code src/test/python/make_rnn_planted.py}: truncated BPTT, a transposed W_h
 * gradient, the mean over sequences missing, sign flips, isolated entries, the hidden activation's derivative left
 * out, replaced by its value or taken at the output — at every step — and correct claims), verified through the op
 * graph by every oracle: each fault must be flagged and named, each correct claim accepted.
 */
class RnnPlantedFaultTests {

    private static final Path DIR = Path.of("src/test/resources/reference/rnn-planted");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The faults of the manifest and the localisation each must produce. */
    private static final Map<String, Localisation.Fault> NAMED = Map.of(
            "truncated_bptt", Localisation.Fault.TRUNCATED_BPTT,
            "transposed_wh", Localisation.Fault.TRANSPOSED,
            "mean_missing", Localisation.Fault.MEAN_OVER_SAMPLES_MISSING,
            "sign_flip", Localisation.Fault.SIGN_FLIPPED,
            "isolated_entry", Localisation.Fault.ISOLATED_ENTRIES,
            "missing_activation_derivative", Localisation.Fault.MISSING_ACTIVATION_DERIVATIVE,
            "activation_instead_of_derivative", Localisation.Fault.ACTIVATION_INSTEAD_OF_DERIVATIVE,
            "derivative_at_output", Localisation.Fault.DERIVATIVE_AT_OUTPUT);

    static List<JsonNode> cases() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases").forEach(cases::add);
        return cases;
    }

    @Test
    void the_manifest_covers_every_fault_and_correct_claims() throws IOException {
        List<String> faults = cases().stream().map(c -> c.get("fault").asText()).distinct().sorted().toList();
        assertEquals(List.of("activation_instead_of_derivative", "derivative_at_output", "isolated_entry", "mean_missing",
                "missing_activation_derivative", "none", "sign_flip", "transposed_wh", "truncated_bptt"), faults);
    }

    @TestFactory
    Stream<DynamicTest> every_fault_is_flagged_and_named_and_every_correct_claim_accepted() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases()) {
            for (Oracle oracle : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)) {
                tests.add(DynamicTest.dynamicTest(c.get("case").asText() + " by " + oracle.description(), () -> check(c, oracle)));
            }
        }
        return tests.stream();
    }

    private static void check(JsonNode c, Oracle oracle) {
        GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
        double[] claimed = GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(),
                f.tensors(new double[f.parameterNames().size()]));
        VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, claimed);
        String expect = c.get("expect").asText();
        boolean exact = oracle != Oracle.CENTRAL_DIFFERENCE;
        if (expect.equals("accepted") || (expect.equals("oracle-dependent") && !exact)) {
            if (expect.equals("accepted")) {
                assertTrue(report.passed(), () -> "a correct claim was rejected: " + report.failures());
            }
            return;
        }
        assertFalse(report.passed(), "the fault went unnoticed");
        Localisation where = report.localisation().orElseThrow(() -> new AssertionError("flagged but not localised"));
        Localisation.Fault fault = NAMED.get(c.get("fault").asText());
        assertEquals(fault, where.fault(), where.explanation());
        JsonNode detail = c.get("detail");
        switch (fault) {
            case TRUNCATED_BPTT -> assertEquals(detail.get("k").asInt(), (int) where.factor(), where.explanation());
            case TRANSPOSED -> assertTrue(where.explanation().startsWith("dense on Wh (every step):"), where.explanation());
            case MEAN_OVER_SAMPLES_MISSING -> assertEquals(c.get("samples").asInt(), where.factor(), 1e-9);
            case SIGN_FLIPPED -> assertTrue(detail.get("tensors").isTextual()
                    ? where.explanation().startsWith("every gradient")
                    : where.explanation().startsWith(detail.get("tensors").get(0).asText() + ":"), where.explanation());
            case ISOLATED_ENTRIES -> {
                String entry = detail.get("tensor").asText();
                for (JsonNode i : detail.get("index")) {
                    entry += "[" + i.asInt() + "]";
                }
                assertTrue(where.explanation().contains("(" + entry + ")"), where.explanation());
            }
            case MISSING_ACTIVATION_DERIVATIVE, ACTIVATION_INSTEAD_OF_DERIVATIVE, DERIVATIVE_AT_OUTPUT ->
                    // the hidden activation's backward rule, wrong at every step of the recurrence
                    assertTrue(where.explanation().startsWith(detail.get("activation").asText() + " (every step):"),
                            where.explanation());
            default -> throw new AssertionError("unexpected fault " + fault);
        }
    }
}
