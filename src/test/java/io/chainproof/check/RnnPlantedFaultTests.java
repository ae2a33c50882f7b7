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
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrong RNN gradients from PyTorch ({@code src/test/python/make_rnn_planted.py}: truncated BPTT, a transposed W_h
 * gradient, the mean over sequences missing, sign flips, isolated entries, the hidden activation's derivative left
 * out, replaced by its value or taken at the output — at every step — and correct claims), verified through the op
 * graph by every oracle: each fault must be flagged and named, each correct claim accepted. A fault the manifest calls
 * oracle-dependent (a change below what central differences resolve) is required of the exact oracles only.
 *
 * <p>Besides the manifest's isolated entries (chosen by hand), one seeded random entry of every network whose true
 * gradient is not 0 is planted here, off by 1e−2 relative (every oracle) and by 1e−6 (the exact oracles), on
 * PyTorch's correct gradient; the failure list must be exactly that parameter.
 *
 * <p>The suite cannot pass vacuously ({@link PlantedCoverage}): each network class (the recurrence's activation) needs
 * as many faults that change the correct gradient they are planted on (the case's {@code correct}: PyTorch's autograd)
 * as the manifest plants today —
 * tanh 12, sigmoid 10, relu 10 (32) — and every case expected flagged must change it.
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
    /** Non-equivalent faults required per network class: the number planted when the guard was written. */
    static final Map<String, Integer> MINIMUM = Map.of("tanh", 12, "sigmoid", 10, "relu", 10);
    private static final long SEED = 18_018L;

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

    @Test
    void every_network_class_has_enough_faults_that_change_the_correct_gradient() throws IOException {
        List<PlantedCoverage.Planted> planted = planted();
        System.out.println("rnn planted faults per class: " + PlantedCoverage.counts(planted));
        assertEquals(List.of(), new PlantedCoverage(MINIMUM).problems(planted));
    }

    /** With every fault a no-op (each claim the correct gradient it is planted on), the guard fails in every class. */
    @Test
    void the_guard_fails_when_every_planted_fault_is_a_no_op() throws IOException {
        List<PlantedCoverage.Planted> noOps = planted().stream().map(PlantedCoverage.Planted::noOp).toList();
        List<String> problems = new PlantedCoverage(MINIMUM).problems(noOps);
        assertEquals(List.of("class <relu>: 0 non-equivalent planted faults, at least 10 required; the fault switches "
                + "change too little", "class <sigmoid>: 0 non-equivalent planted faults, at least 10 required; the fault "
                + "switches change too little", "class <tanh>: 0 non-equivalent planted faults, at least 12 required; the "
                + "fault switches change too little"), problems.subList(0, 3));
        assertEquals(3 + 32, problems.size(), problems::toString);
        assertTrue(problems.contains("PLANTS NOTHING rnn-02.isolated_entry-Wh-0-2-1e-09"), problems::toString);
    }

    /** Every case of the manifest as a planted fault, its class the recurrence's activation. */
    static List<PlantedCoverage.Planted> planted() throws IOException {
        List<PlantedCoverage.Planted> out = new ArrayList<>();
        for (JsonNode c : cases().stream().filter(c -> !c.get("fault").asText().equals("none")).toList()) {
            GraphFunction f = function(c);
            out.add(new PlantedCoverage.Planted(c.get("activation").asText(), c.get("case").asText(),
                    read(f, c.get("claimed").asText()), read(f, c.get("correct").asText()),
                    c.get("expect").asText().equals("accepted")));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> a_seeded_random_entry_off_by_1e2_or_1e6_is_flagged_as_exactly_that_parameter()
            throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<JsonNode> networks = cases().stream().filter(c -> seen.add(c.get("spec").asText())).toList();
        assertEquals(10, networks.size(), "networks of the manifest");
        for (int i = 0; i < networks.size(); i++) {
            JsonNode c = networks.get(i);
            GraphFunction f = function(c);
            double[] truth = read(f, c.get("correct").asText());
            int entry = PlantedCoverage.randomNonzeroEntry(truth, new Random(SEED + i));
            for (double relative : new double[] {1e-2, 1e-6}) {
                for (Oracle oracle : relative < 1e-4 ? List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD)
                        : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)) {
                    String name = f.parameterNames().get(entry);
                    tests.add(DynamicTest.dynamicTest(c.get("spec").asText() + " " + name + " × (1 + " + relative
                            + ") by " + oracle.description(), () -> {
                        double[] claimed = truth.clone();
                        claimed[entry] *= 1 + relative;
                        VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, claimed);
                        assertEquals(List.of(name), report.failures().stream().map(ParameterCheck::parameter).toList());
                        assertEquals(Localisation.Fault.ISOLATED_ENTRIES, report.localisation().map(Localisation::fault)
                                .orElse(null), () -> report.localisation().map(Localisation::explanation).orElse("-"));
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static GraphFunction function(JsonNode c) {
        return new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
    }

    private static double[] read(GraphFunction f, String file) {
        return GradientFileReader.readFlat(DIR.resolve(file), f.name(), f.tensors(new double[f.parameterNames().size()]));
    }

    @TestFactory
    Stream<DynamicTest> every_fault_is_flagged_and_named_and_every_correct_claim_accepted() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases()) {
            boolean resolvable = !c.get("expect").asText().equals("oracle-dependent");
            for (Oracle oracle : resolvable ? List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)
                    : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD)) {
                tests.add(DynamicTest.dynamicTest(c.get("case").asText() + " by " + oracle.description(), () -> check(c, oracle)));
            }
        }
        return tests.stream();
    }

    private static void check(JsonNode c, Oracle oracle) {
        GraphFunction f = function(c);
        VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, read(f, c.get("claimed").asText()));
        if (c.get("expect").asText().equals("accepted")) {
            assertTrue(report.passed(), () -> "a correct claim was rejected: " + report.failures());
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
