package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code chainproof verify}: gradients from elsewhere, with exit codes and messages. */
class VerifyCommandTests {

    static final String MLP = "examples/mlp-2-3-2-1.json";
    static final String CLAIMED = "src/test/resources/claimed/";
    /** PyTorch's float64 autograd gradient of {@link #MLP} ({@code src/test/python/make_claimed_examples.py}). */
    static final Path TORCH = Path.of("examples/claimed/mlp-2-3-2-1.torch.json");
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * PyTorch's gradient of {@link #MLP} — a claim from outside chainproof, correct to float64 rounding — optionally
     * edited, written as the gradients object alone.
     */
    static Path claimed(Path dir, String name, java.util.function.Consumer<JsonNode> edit) throws IOException {
        JsonNode root = JSON.readTree(TORCH.toFile());
        edit.accept(root.get("gradients"));
        Path file = dir.resolve(name);
        Files.writeString(file, JSON.writeValueAsString(root.get("gradients")));
        return file;
    }

    @Nested
    class Verdicts {

        @Test
        void correct_gradients_pass_with_exit_0(@TempDir Path dir) throws IOException {
            CliTests.Run r = CliTests.run("verify", MLP, "--gradients", claimed(dir, "ok.json", g -> { }).toString());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("PASSED: all 20 gradients agree with"), r.out());
        }

        @Test
        void a_sign_flipped_layer_fails_with_exit_1_and_is_localised(@TempDir Path dir) throws IOException {
            Path file = claimed(dir, "flip.json", g -> {
                for (JsonNode row : g.get("W2")) {
                    for (int k = 0; k < row.size(); k++) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) row).set(k, -row.get(k).asDouble());
                    }
                }
            });
            CliTests.Run r = CliTests.run("verify", MLP, "--gradients", file.toString());
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("LIKELY CAUSE: layer 2: the weight gradients have the wrong sign\n"), r.out());
            assertTrue(r.out().contains("FAILED: 6 of 20 gradients disagree"), r.out());
        }

        @Test
        void one_entry_off_by_1e_minus_6_relative_is_caught_and_named(@TempDir Path dir) throws IOException {
            Path file = claimed(dir, "entry.json", g -> {
                var row = (com.fasterxml.jackson.databind.node.ArrayNode) g.get("W1").get(0);
                row.set(1, row.get(1).asDouble() * (1 + 1e-6));
            });
            CliTests.Run r = CliTests.run("verify", MLP, "--gradients", file.toString(), "--format", "json");
            assertEquals(1, r.exitCode(), r.out() + r.err());
            JsonNode report = JSON.readTree(r.out());
            assertEquals("ISOLATED_ENTRIES", report.get("localisation").get("fault").asText());
            assertEquals(1, report.get("localisation").get("layer").asInt());
            assertTrue(report.get("localisation").get("explanation").asText().contains("(W1[0][1])"), r.out());
        }

        @Test
        void nan_in_the_claimed_gradients_is_reported_not_passed() {
            CliTests.Run r = CliTests.run("verify", MLP, "--gradients", CLAIMED + "mlp-nan.json");
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("NON-FINITE (claimed value is NaN)"), r.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mlp-missing-b2.json    | b2: <missing> is required; add it with shape [2]
            mlp-extra-W4.json      | gradients.W4: <W4> is not a parameter of mlp-2-3-2-1; its parameters are W1, b1, W2, b2, W3, b3; remove or rename it
            mlp-transposed-W1.json | W1: <[[0,0,0],[0,0,0]]> has shape [2][3], not [3][2]; give 3 rows of 2 numbers (row = output unit, column = input unit, as in PyTorch)
            mlp-string.json        | W1[0][1]: <"x"> is not a number; write a number (NaN and Infinity are allowed and reported as non-finite)
            """)
    void bad_gradient_files_exit_2_with_the_exact_message(String file, String message) {
        CliTests.Run r = CliTests.run("verify", MLP, "--gradients", CLAIMED + file);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals("chainproof: " + CLAIMED + file + ": " + message + "\n", r.err());
    }

    @Test
    void the_gradients_option_is_required_unless_a_hessian_vector_product_is_given() {
        CliTests.Run r = CliTests.run("verify", MLP);
        assertEquals(2, r.exitCode());
        assertEquals("chainproof: " + MLP + ": --gradients: <missing> is required (or --hvp); give the claimed "
                + "gradients, e.g. --gradients claimed.json, or a Hessian-vector product with --hvp hvp.json\n", r.err());
    }

    /** {@code --precision}: float32 claims pass under float32 and fail under float64; finite differences are refused. */
    @Test
    void precision_judges_by_the_rounding_of_the_claims_arithmetic() {
        String spec = "src/test/resources/reference/mlp-2-3-2-1.spec.json";
        String float32 = "src/test/resources/reference/float32/mlp-2-3-2-1.float32.json";
        CliTests.Run pass = CliTests.run("verify", spec, "--gradients", float32, "--precision", "float32");
        assertEquals(0, pass.exitCode(), pass.out() + pass.err());
        CliTests.Run fail = CliTests.run("verify", spec, "--gradients", float32, "--precision", "float64");
        assertEquals(1, fail.exitCode(), fail.out());
        CliTests.Run hint = CliTests.run("verify", spec, "--gradients", float32);
        assertEquals(1, hint.exitCode(), hint.out());
        assertTrue(hint.out().contains("these look like gradients computed in float32 — judge them with --precision "
                + "float32"), hint.out());
        CliTests.Run torch = CliTests.run("verify", MLP, "--gradients", "examples/claimed/mlp-2-3-2-1.torch.json",
                "--precision", "float64");
        assertEquals(0, torch.exitCode(), torch.out() + torch.err());
        CliTests.Run fd = CliTests.run("verify", spec, "--gradients", float32, "--precision", "float32", "--oracle",
                "finite_difference");
        assertEquals(2, fd.exitCode(), fd.out());
        assertTrue(fd.err().contains("--precision: <float32> judges by rounding bounds, which need an exact oracle"),
                fd.err());
        CliTests.Run bad = CliTests.run("verify", spec, "--gradients", float32, "--precision", "float16");
        assertEquals(2, bad.exitCode(), bad.out());
    }

    /**
     * PyTorch's float64 gradients of a saturated sigmoid, 0 where the exact values are ~1e−20: they pass by default
     * with a note naming the entries and their exact values; {@code --strict} fails them; {@code --blanket-tolerance}
     * (the old rule) fails them too; the two rules cannot be combined, and {@code --strict} needs an exact oracle.
     */
    @Test
    void saturated_entries_pass_with_a_note_strict_demands_relative_accuracy() {
        String spec = "src/test/resources/reference/saturated/saturated-sigmoid.spec.json";
        String torch = "src/test/resources/reference/saturated/saturated-sigmoid.torch.json";
        CliTests.Run pass = CliTests.run("verify", spec, "--gradients", torch);
        assertEquals(0, pass.exitCode(), pass.out() + pass.err());
        assertTrue(pass.out().contains("rule: allowed = 10 × the oracle's error + 2 × bound, the rounding a correct "
                + "float64 backward pass with the textbook formulas"), pass.out());
        assertTrue(pass.out().contains("NOTE: 15 gradients agree only within rounding (marked rounding)"), pass.out());
        assertTrue(pass.out().contains("ok (rounding)"), pass.out());
        CliTests.Run strict = CliTests.run("verify", spec, "--gradients", torch, "--strict");
        assertEquals(1, strict.exitCode(), strict.out());
        assertTrue(strict.out().contains("FAILED: 15 of 17 gradients disagree"), strict.out());
        assertTrue(strict.out().contains("at most √u = 1.05e-8 relative (strict)"), strict.out());
        CliTests.Run blanket = CliTests.run("verify", spec, "--gradients", torch, "--blanket-tolerance");
        assertEquals(1, blanket.exitCode(), blanket.out());
        assertTrue(blanket.out().contains("(the blanket rule)"), blanket.out());
        CliTests.Run both = CliTests.run("verify", spec, "--gradients", torch, "--blanket-tolerance", "--strict");
        assertEquals(2, both.exitCode(), both.out());
        assertTrue(both.err().contains("--blanket-tolerance: <with --strict> the blanket rule replaces the rounding "
                + "rule that --strict sets"), both.err());
        CliTests.Run fd = CliTests.run("verify", spec, "--gradients", torch, "--strict", "--oracle", "finite_difference");
        assertEquals(2, fd.exitCode(), fd.out());
    }

    /** The DL4J leaky_relu case: a slope of 0.01f in layer 1 is flagged and diagnosed as that constant. */
    @Test
    void a_float32_slope_is_named_as_a_wrong_constant() {
        String dir = "src/test/resources/reference/constant-planted/";
        CliTests.Run r = CliTests.run("verify", dir + "slope-layer1-00.spec.json", "--gradients",
                dir + "slope-layer1-00.claimed.json");
        assertEquals(1, r.exitCode(), r.out());
        assertTrue(r.out().contains("LIKELY CAUSE: layer 1 gradients use leaky_relu's slope (float) 0.01 = "
                + "0.0099999997764825821 for z₁ < 0 instead of 0.01: a wrong constant, the slope stored as a float32 "
                + "(factor 0.99999997764825821 = (float) 0.01 / 0.01)"), r.out());
    }
}
