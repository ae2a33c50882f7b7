package io.chainproof.check;

import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opt-in rounding rule ({@link GradientVerifier#withPrecision}): no false alarm on PyTorch's float64 gradients of
 * the 94 reference models, nor on its float32 gradients of the 28 MLP references under float32; float32 gradients
 * fail under float64; a 1e−3 error in a float32 entry is flagged where float32 itself gives it to better than
 * 5e−4 (its worst-case bound is that wide in the lecture chains, σ near 1); and errors of 1e−9 and 1e−10 relative in the
 * largest entry of each MLP reference are flagged where the blanket rule lets many pass.
 */
class RoundingRuleTests {

    private static final List<Path> DIRS = List.of(Path.of("src/test/resources/reference"),
            Path.of("src/test/resources/reference/layered"), Path.of("src/test/resources/reference/layered-sequence"));
    private static final GradientVerifier FLOAT64 = new GradientVerifier().withPrecision(BackpropBound.FLOAT64);
    private static final GradientVerifier FLOAT32 = new GradientVerifier().withPrecision(BackpropBound.FLOAT32);
    private static final GradientVerifier BLANKET = new GradientVerifier().withTolerance(Tolerance.DEFAULT);

    private record Reference(Path spec, LossFunction function, double[] gradient) {
    }

    private static List<Reference> references(List<Path> dirs) throws IOException {
        List<Reference> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path spec : files.filter(p -> p.toString().endsWith(".spec.json")).sorted().toList()) {
                    Path expected = Path.of(spec.toString().replace(".spec.json", ".expected.json"));
                    if (Files.exists(expected)) {
                        out.add(load(spec, expected));
                    }
                }
            }
        }
        return out;
    }

    private static Reference load(Path specFile, Path claims) {
        Spec spec = SpecReader.readAny(specFile);
        LossFunction f = LossFunctions.of(spec);
        return new Reference(specFile, f, GradientFileReader.readFlat(claims, f.name(),
                f.tensors(new double[f.parameterNames().size()])));
    }

    @Test
    void pytorchs_float64_gradients_of_every_reference_model_pass() throws IOException {
        List<Reference> all = references(DIRS);
        assertTrue(all.size() >= 90, all.size() + " references");
        for (Reference r : all) {
            VerificationReport report = FLOAT64.verifyExhaustively(r.function(), r.gradient());
            assertTrue(report.passed(), r.spec() + ": " + report.failures());
        }
    }

    @Test
    void float32_gradients_pass_under_float32_fail_under_float64_and_a_float32_bug_is_seen() throws IOException {
        int failedUnder64 = 0;
        int count = 0;
        int seen = 0;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/reference/float32"))) {
            for (Path file : files.sorted().toList()) {
                Reference r = load(Path.of("src/test/resources/reference",
                        file.getFileName().toString().replace(".float32.json", ".spec.json")), file);
                assertTrue(FLOAT32.verifyExhaustively(r.function(), r.gradient()).passed(), file.toString());
                // under the default rule they fail, and the diagnosis says what they are and names the flag
                VerificationReport byDefault = new GradientVerifier().verifyExhaustively(r.function(), r.gradient());
                Localisation cause = byDefault.localisation().orElseThrow(() -> new AssertionError(file + ": no cause"));
                assertEquals(Localisation.Fault.FLOAT32_ROUNDING, cause.fault(), file + ": " + cause.explanation());
                assertTrue(cause.explanation().contains("--precision float32"), cause.explanation());
                failedUnder64 += FLOAT64.verifyExhaustively(r.function(), r.gradient()).passed() ? 0 : 1;
                double[] wrong = r.gradient().clone();
                int largest = largest(wrong);
                wrong[largest] *= 1 + 1e-3;
                // an entry whose float32 bound is near 1e−3 may err by that without a bug
                double bound = r.function().backpropBound(BackpropBound.FLOAT32)[largest];
                if (wrong[largest] != 0 && bound < 5e-4 * Math.abs(r.gradient()[largest])) {
                    VerificationReport bug = FLOAT32.verifyExhaustively(r.function(), wrong);
                    assertFalse(bug.passed(), file + ": a 1e−3 error in float32 went unnoticed");
                    seen++;
                }
                count++;
            }
        }
        assertEquals(28, count);
        assertTrue(seen >= 24, "a 1e−3 error checked in " + seen + " of 28 (well-conditioned in float32)");
        assertTrue(failedUnder64 >= 25, failedUnder64 + " of 28 float32 gradients fail under float64");
    }

    /**
     * The largest entry of PyTorch's gradient, perturbed by 1e−9 and by 1e−10 relative: the rounding rule flags every
     * one in the MLP references (the saturated chain aside, whose entries keep no relative accuracy); the blanket
     * rule's count is printed beside it.
     */
    @Test
    void tiny_errors_in_well_conditioned_entries_are_flagged() throws IOException {
        for (double relative : new double[] {1e-9, 1e-10}) {
            int flagged = 0;
            int blanket = 0;
            int total = 0;
            for (Reference r : references(List.of(DIRS.get(0)))) {
                if (r.spec().toString().contains("saturated")) {
                    continue;
                }
                double[] wrong = r.gradient().clone();
                wrong[largest(wrong)] *= 1 + relative;
                total++;
                flagged += FLOAT64.verifyExhaustively(r.function(), wrong).passed() ? 0 : 1;
                blanket += BLANKET.verifyExhaustively(r.function(), wrong).passed() ? 0 : 1;
            }
            System.out.printf("relative error %.0e: rounding rule flags %d of %d, blanket rule %d%n", relative, flagged,
                    total, blanket);
            assertEquals(27, total, "28 MLP references, the saturated chain aside");
            assertEquals(total, flagged, "errors of " + relative + " relative flagged by the rounding rule");
        }
    }

    @Test
    void central_differences_cannot_judge_by_rounding() throws IOException {
        Reference r = references(List.of(DIRS.get(0))).get(0);
        assertThrows(IllegalArgumentException.class, () -> FLOAT64.withOracle(Oracle.CENTRAL_DIFFERENCE)
                .verifyExhaustively(r.function(), r.gradient()));
        assertThrows(IllegalArgumentException.class, () -> new GradientVerifier().withPrecision(0));
    }

    /** A real bug is not taken for float32 rounding: the MLP example's missing σ'(z₂) keeps its diagnosis. */
    @Test
    void a_real_bug_is_not_taken_for_float32_rounding() {
        Reference r = load(Path.of("examples/mlp-2-3-2-1.json"),
                Path.of("examples/claimed/mlp-2-3-2-1.missing-sigmoid-derivative.json"));
        Localisation cause = new GradientVerifier().verifyExhaustively(r.function(), r.gradient()).localisation()
                .orElseThrow();
        assertEquals(Localisation.Fault.MISSING_ACTIVATION_DERIVATIVE, cause.fault(), cause.explanation());
    }

    private static int largest(double[] g) {
        int best = 0;
        for (int i = 1; i < g.length; i++) {
            if (Math.abs(g[i]) > Math.abs(g[best])) {
                best = i;
            }
        }
        return best;
    }
}
