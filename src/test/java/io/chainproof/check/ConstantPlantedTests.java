package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.planted.PlantedCoverage;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.NetworkSpec;
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
 * The wrong-constant family on PyTorch's float64 gradients with a planted constant ({@code reference/constant-planted/},
 * make_constant_reference.py): leaky_relu's slope taken as the float 0.01f, as Deeplearning4j computes it, in layer 1
 * or in every leaky_relu layer, and the mean over 3 samples taken with a float32 1/3 (factor 1.0000000298023224). Each is flagged by the default
 * rule and diagnosed as that constant — the factor to 1e−12 of its distance from 1, and for the slope the float32
 * rounding named — never as a fault that predicts the correct gradient; the correct claims pass. Both localisers: the
 * MLP's and the op graph's (the same specs walked as op graphs).
 *
 * <p>The suite cannot pass vacuously ({@link PlantedCoverage}): the one network class, MLPs, needs as many planted
 * constants that change PyTorch's correct gradient of the same spec ({@code <case>.expected.json}) as are planted
 * today — 9 (five slopes in layer 1, two in every layer, two loss scales).
 */
class ConstantPlantedTests {

    private static final Path DIR = Path.of("src/test/resources/reference/constant-planted");
    /** Non-equivalent faults required per network class: the number planted when the guard was written. */
    static final Map<String, Integer> MINIMUM = Map.of("mlp", 9);

    @Test
    void enough_planted_constants_change_the_correct_gradient() throws IOException {
        List<PlantedCoverage.Planted> planted = planted();
        System.out.println("constant planted faults per class: " + PlantedCoverage.counts(planted));
        assertEquals(List.of(), new PlantedCoverage(MINIMUM).problems(planted));
    }

    /** With every constant a no-op (each claim PyTorch's correct gradient), the guard fails. */
    @Test
    void the_guard_fails_when_every_planted_constant_is_a_no_op() throws IOException {
        List<PlantedCoverage.Planted> noOps = planted().stream().map(PlantedCoverage.Planted::noOp).toList();
        List<String> problems = new PlantedCoverage(MINIMUM).problems(noOps);
        assertEquals("class <mlp>: 0 non-equivalent planted faults, at least 9 required; the fault switches change too "
                + "little", problems.get(0));
        assertEquals(1 + 9, problems.size(), problems::toString);
        assertTrue(problems.contains("PLANTS NOTHING loss-scale-00"), problems::toString);
    }

    /** Every planted constant of the manifest (the correct claims left out). */
    static List<PlantedCoverage.Planted> planted() throws IOException {
        List<PlantedCoverage.Planted> out = new ArrayList<>();
        for (JsonNode c : new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile()).get("cases")) {
            if (c.get("fault").asText().equals("none")) {
                continue;
            }
            LossFunction f = LossFunctions.of(SpecReader.read(DIR.resolve(c.get("spec").asText())));
            Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            out.add(new PlantedCoverage.Planted("mlp", c.get("case").asText(),
                    GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(), template),
                    GradientFileReader.readFlat(DIR.resolve(c.get("expected").asText()), f.name(), template), false));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> every_wrong_constant_is_flagged_and_named_with_its_factor() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        for (JsonNode c : manifest.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("case").asText() + " (MLP localiser)", () -> check(c, false)));
            tests.add(DynamicTest.dynamicTest(c.get("case").asText() + " (op-graph localiser)", () -> check(c, true)));
        }
        assertEquals(24, tests.size());
        return tests.stream();
    }

    private static void check(JsonNode c, boolean graph) {
        NetworkSpec spec = SpecReader.read(DIR.resolve(c.get("spec").asText()));
        LossFunction f = graph ? new GraphFunction(io.chainproof.model.Models.mlp(spec)) : LossFunctions.of(spec);
        double[] claimed = GradientFileReader.readFlat(DIR.resolve(c.get("claimed").asText()), f.name(),
                f.tensors(new double[f.parameterNames().size()]));
        VerificationReport report = new GradientVerifier().verify(f, claimed);
        String fault = c.get("fault").asText();
        if (fault.equals("none")) {
            assertTrue(report.passed(), report.failures().toString());
            return;
        }
        assertFalse(report.passed(), "a wrong constant went unnoticed");
        Localisation where = report.localisation().orElseThrow(() -> new AssertionError("flagged but not localised"));
        double factor = c.get("factor").asDouble();
        // the fit fixes k − 1 to the claims' rounding, a few parts in 1e8 of 2.2e−8; the float32 slope is then named exactly
        assertEquals(factor, where.factor(), fault.startsWith("slope") ? 0 : 1e-14, where.explanation());
        switch (fault) {
            case "slope-layer1" -> {
                assertEquals(Localisation.Fault.WRONG_CONSTANT, where.fault(), where.explanation());
                assertEquals(graph ? 0 : 1, where.layer(), where.explanation());
                assertTrue(where.explanation().startsWith("layer 1 gradients use leaky_relu's slope (float) 0.01 = "
                        + "0.0099999997764825821 for z" + (graph ? "" : "₁") + " < 0 instead of 0.01"), where.explanation());
            }
            case "slope-every" -> {
                assertEquals(Localisation.Fault.WRONG_CONSTANT, where.fault(), where.explanation());
                assertTrue(where.explanation().contains(graph ? "(every leaky_relu)" : "(every leaky_relu layer)"),
                        where.explanation());
                assertTrue(where.explanation().contains("(float) 0.01"), where.explanation());
            }
            case "loss-scale" -> {
                assertEquals(Localisation.Fault.SCALED, where.fault(), where.explanation());
                assertTrue(where.explanation().startsWith("every gradient is 1.00000002980232 times"), where.explanation());
            }
            default -> throw new AssertionError("unexpected fault " + fault);
        }
    }
}
