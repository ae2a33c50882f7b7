package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.render.VerificationRenderer;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Correct but inaccurate is not wrong. In {@code reference/saturated/} (make_saturated_reference.py) a sigmoid layer
 * saturates (z₃ ≈ 46): PyTorch's float64 autograd, with σ·(1 − σ), returns 0 for 15 entries whose exact values (SymPy,
 * 60 digits, which decides the truth here) are 8e−22 … 5e−20. Its gradients pass by default, those entries marked as
 * agreeing only within the rounding of the textbook formulas, with their exact values; {@code strict()} fails exactly
 * them; the blanket rule called them wrong; and chainproof's own gradient, with stable local derivatives, is held to
 * its own relative accuracy there.
 */
class SaturatedClaimTests {

    private static final Path DIR = Path.of("src/test/resources/reference/saturated");
    private static final Spec SPEC = SpecReader.readAny(DIR.resolve("saturated-sigmoid.spec.json"));
    private static final LossFunction F = LossFunctions.of(SPEC);

    private static double[] read(String file) {
        return GradientFileReader.readFlat(DIR.resolve(file), F.name(), F.tensors(new double[F.parameterNames().size()]));
    }

    @Test
    void the_complex_step_agrees_with_the_60_digit_values() {
        double[] exact = read("saturated-sigmoid.exact.json");
        VerificationReport own = new GradientVerifier().forOwnGradients().verify(F, F.gradient(F.point()));
        for (ParameterCheck c : own.checks()) {
            double e = exact[F.parameterNames().indexOf(c.parameter())];
            assertEquals(e, c.oracle().value(), 1e-13 * Math.abs(e), c.parameter());
        }
    }

    @Test
    void pytorchs_zeros_pass_marked_as_within_rounding_and_strict_fails_exactly_them() throws IOException {
        double[] torch = read("saturated-sigmoid.torch.json");
        double[] exact = read("saturated-sigmoid.exact.json");
        Set<String> lost = new TreeSet<>();
        for (int i = 0; i < torch.length; i++) {
            if (Math.abs(torch[i] - exact[i]) > 1e-3 * Math.abs(exact[i])) {
                lost.add(F.parameterNames().get(i));
            }
        }
        assertEquals(15, lost.size(), "PyTorch loses every digit of the 15 entries behind the saturated layer");

        VerificationReport report = new GradientVerifier().verify(F, torch);
        assertTrue(report.passed(), report.failures().toString());
        Set<String> marked = new TreeSet<>();
        report.checks().stream().filter(ParameterCheck::lostRelativeAccuracy).forEach(c -> marked.add(c.parameter()));
        assertEquals(lost, marked);
        String text = VerificationRenderer.text(report, "claimed");
        assertTrue(text.contains("NOTE: 15 gradients agree only within rounding"), text);
        assertTrue(text.contains("W1[0][0] = 1.19131475804783"), text);
        JsonNode json = new ObjectMapper().readTree(VerificationRenderer.json(report));
        assertEquals("float64", json.get("rule").asText());

        VerificationReport strict = new GradientVerifier().strict().verify(F, torch);
        Set<String> failing = new TreeSet<>();
        strict.failures().forEach(c -> failing.add(c.parameter()));
        assertEquals(lost, failing);

        assertFalse(new GradientVerifier().withTolerance(Tolerance.DEFAULT).verify(F, torch).passed(),
                "the blanket rule's 1e−8 relative calls them wrong");
    }

    @Test
    void chainproofs_own_gradient_is_held_to_its_stable_formulas_relative_accuracy() {
        double[] exact = read("saturated-sigmoid.exact.json");
        VerificationReport own = new GradientVerifier().forOwnGradients().verify(F, F.gradient(F.point()));
        assertTrue(own.passed(), own.failures().toString());
        List<String> loose = new ArrayList<>();
        for (ParameterCheck c : own.checks()) {
            double allowed = ((Verdict.Agrees) c.verdict()).allowed();
            double e = exact[F.parameterNames().indexOf(c.parameter())];
            if (!(allowed < 1e-9 * Math.abs(e))) {
                loose.add(c.parameter() + ": allowed " + allowed + " of " + e);
            }
            assertFalse(c.lostRelativeAccuracy(), c.parameter());
        }
        assertEquals(List.of(), loose);
    }
}
