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
 * Wrong gradients of layered models from PyTorch ({@code src/test/python/make_layered_planted.py}: each the
 * gradient a buggy backward pass computes — a convolution's kernel not flipped, its padding or stride wrong in
 * backward, max pooling's gradient routed to the first entry or spread, a norm's statistics treated as constants or
 * its variance term missing, a residual block without its identity path, an embedding's repeated ids not
 * accumulated — and correct claims), verified through the op graph by every oracle: each fault must be flagged
 * and named at its layer, each correct claim accepted.
 *
 * <p>The suite cannot pass vacuously ({@link PlantedCoverage}): each network class (the spec's leading layer, the
 * prefix of its name) needs as many faults that change the gradient of the same code with the correct rule (the case's
 * {@code correct}, made beside the claim by PyTorch) as are planted today — conv1d 7, conv2d 6, embedding 3,
 * batchnorm 2, layernorm 2, residual 2 (22) — and every case expected flagged must change it.
 */
class LayeredPlantedFaultTests {

    private static final Path DIR = Path.of("src/test/resources/reference/layered-planted");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Localisation.Fault> NAMED = Map.of(
            "kernel_not_flipped", Localisation.Fault.KERNEL_NOT_FLIPPED,
            "backward_padding_wrong", Localisation.Fault.BACKWARD_PADDING_WRONG,
            "backward_stride_wrong", Localisation.Fault.BACKWARD_STRIDE_WRONG,
            "max_pool_routed_wrong", Localisation.Fault.MAX_POOL_ROUTED_WRONG,
            "max_pool_spread", Localisation.Fault.MAX_POOL_SPREAD,
            "norm_statistics_as_constants", Localisation.Fault.NORM_STATISTICS_AS_CONSTANTS,
            "norm_variance_term_missing", Localisation.Fault.NORM_VARIANCE_TERM_MISSING,
            "residual_identity_missing", Localisation.Fault.RESIDUAL_IDENTITY_MISSING,
            "embedding_not_accumulated", Localisation.Fault.EMBEDDING_NOT_ACCUMULATED);
    /** Non-equivalent faults required per network class: the number planted when the guard was written. */
    static final Map<String, Integer> MINIMUM = Map.of("conv1d", 7, "conv2d", 6, "embedding", 3, "batchnorm", 2,
            "layernorm", 2, "residual", 2);

    static List<JsonNode> cases() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        JSON.readTree(DIR.resolve("manifest.json").toFile()).get("cases").forEach(cases::add);
        return cases;
    }

    @Test
    void the_manifest_covers_every_fault_twice_and_correct_claims() throws IOException {
        for (String fault : NAMED.keySet()) {
            long n = cases().stream().filter(c -> c.get("fault").asText().equals(fault)).count();
            assertTrue(n >= 2, fault + " planted " + n + " times");
        }
        assertTrue(cases().stream().filter(c -> c.get("fault").asText().equals("none")).count() >= 4);
    }

    @Test
    void every_network_class_has_enough_faults_that_change_the_correct_gradient() throws IOException {
        List<PlantedCoverage.Planted> planted = planted();
        System.out.println("layered planted faults per class: " + PlantedCoverage.counts(planted));
        assertEquals(List.of(), new PlantedCoverage(MINIMUM).problems(planted));
    }

    /** With every fault a no-op (each claim its fault-free twin), the guard fails in every class. */
    @Test
    void the_guard_fails_when_every_planted_fault_is_a_no_op() throws IOException {
        List<PlantedCoverage.Planted> noOps = planted().stream().map(PlantedCoverage.Planted::noOp).toList();
        List<String> problems = new PlantedCoverage(MINIMUM).problems(noOps);
        assertEquals("class <batchnorm>: 0 non-equivalent planted faults, at least 2 required; the fault switches "
                + "change too little", problems.get(0));
        assertEquals(MINIMUM.size() + 22, problems.size(), problems::toString);
        assertTrue(problems.contains("PLANTS NOTHING conv1d-strided.kernel_not_flipped"), problems::toString);
    }

    /** Every case of the manifest as a planted fault, its class the spec name's prefix ({@code conv1d-strided}). */
    static List<PlantedCoverage.Planted> planted() throws IOException {
        List<PlantedCoverage.Planted> out = new ArrayList<>();
        for (JsonNode c : cases().stream().filter(c -> !c.get("fault").asText().equals("none")).toList()) {
            GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
            Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            String spec = c.get("spec").asText();
            out.add(new PlantedCoverage.Planted(spec.substring(0, spec.indexOf('-')), c.get("case").asText(),
                    GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(), template),
                    GradientFileReader.readFlat(DIR.resolve(c.get("correct").asText()), f.name(), template),
                    c.get("expect").asText().equals("accepted")));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> every_fault_is_flagged_and_named_at_its_layer_and_every_correct_claim_accepted()
            throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases()) {
            for (Oracle oracle : List.of(Oracle.COMPLEX_STEP, Oracle.FORWARD_AD, Oracle.CENTRAL_DIFFERENCE)) {
                tests.add(DynamicTest.dynamicTest(c.get("case").asText() + " by " + oracle.description(),
                        () -> check(c, oracle)));
            }
        }
        return tests.stream();
    }

    private static void check(JsonNode c, Oracle oracle) {
        GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(DIR.resolve(c.get("spec").asText()))));
        double[] claimed = GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(),
                f.tensors(new double[f.parameterNames().size()]));
        VerificationReport report = new GradientVerifier().withOracle(oracle).verify(f, claimed);
        if (c.get("expect").asText().equals("accepted")) {
            assertTrue(report.passed(), () -> "a correct claim was rejected: " + report.failures());
            return;
        }
        assertFalse(report.passed(), "the fault went unnoticed");
        Localisation where = report.localisation().orElseThrow(() -> new AssertionError("flagged but not localised"));
        assertEquals(NAMED.get(c.get("fault").asText()), where.fault(), where.explanation());
        String position = c.get("detail").get("position").asText();
        assertTrue(where.explanation().startsWith("layer " + position + ":"), where.explanation());
    }
}
