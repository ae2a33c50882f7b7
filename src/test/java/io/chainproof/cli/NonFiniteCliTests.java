package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network that overflows is named as overflowing — layer, entry, the product that did it — by {@code gradient},
 * {@code check} and {@code verify}, with exit 1 and one line on stderr; never as wrong gradients, never with a
 * localised "fault".
 */
class NonFiniteCliTests {

    private static final String OVERFLOW = "src/test/resources/specs/nonfinite/overflow.json";
    private static final String FINDING = "overflow.json: the forward pass overflows: layer 2 (dense[1×1→1]) makes "
            + "z2[0][0] = Infinity";

    private static void assertOneLineFinding(CliTests.Run r) {
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("chainproof: src/test/resources/specs/nonfinite/" + FINDING), r.err());
        assertTrue(r.err().contains("W2[0][0]·o1[0][0] = 1.00e+200 × 1.00e+200 already overflows"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.out().contains("LIKELY CAUSE"), r.err() + r.out());
    }

    @Test
    void gradient_prints_the_numbers_it_computed_then_the_finding() {
        CliTests.Run r = CliTests.run("gradient", OVERFLOW);
        assertOneLineFinding(r);
        assertTrue(r.out().contains("loss = Infinity"), r.out());
    }

    @Test
    void gradient_as_json_prints_the_finding_in_place_of_numbers_json_cannot_hold() throws IOException {
        CliTests.Run r = CliTests.run("gradient", OVERFLOW, "--format", "json");
        assertOneLineFinding(r);
        assertEquals(1, r.out().strip().lines().count(), r.out());
        com.fasterxml.jackson.databind.JsonNode line = CliTests.JSON.readTree(r.out());
        assertEquals(OVERFLOW, line.get("file").asText());
        assertTrue(line.get("error").asText().contains(FINDING), r.out());
        assertFalse(line.has("gradients"), r.out());
    }

    @Test
    void check_reports_the_finding_instead_of_a_table_of_wrong_gradients() {
        for (String oracle : new String[] {"finite_difference", "complex_step"}) {
            CliTests.Run r = CliTests.run("check", OVERFLOW, "--oracle", oracle);
            assertOneLineFinding(r);
            assertFalse(r.out().contains("FAILED") || r.out().contains("NON-FINITE"), r.out());
        }
    }

    @Test
    void verify_reports_the_finding_for_any_claim(@TempDir Path dir) throws IOException {
        Path claimed = dir.resolve("claimed.json");
        Files.writeString(claimed, "{\"W1\": [[1.0]], \"b1\": [1.0], \"W2\": [[1.0]], \"b2\": [1.0]}");
        assertOneLineFinding(CliTests.run("verify", OVERFLOW, "--gradients", claimed.toString()));
    }

    @Test
    void a_finite_spec_in_the_same_batch_still_passes_and_the_batch_exits_1() {
        CliTests.Run r = CliTests.run("check", CliTests.LECTURE, OVERFLOW);
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("lecture-chain"), r.out());
        assertTrue(r.err().contains(FINDING), r.err());
    }

    @Test
    void bound_explain_derive_and_sweep_report_the_finding_before_computing_from_it(@TempDir Path dir) {
        for (String[] command : new String[][] {{"bound"}, {"explain"}, {"derive"},
            {"sweep", "--layer", "1", "--output-dir", dir.toString()}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of(OVERFLOW))
                    .toArray(String[]::new);
            assertOneLineFinding(CliTests.run(args));
        }
    }

    @Test
    void a_sweep_that_leaves_the_finite_numbers_says_at_which_scale(@TempDir Path dir) throws IOException {
        // W1 = W2 = 1e50 with identity layers: at scale s of W1 the output is s·1e100, so the loss (s·1e100 − 1)²
        // overflows once s·1e100 exceeds √(1.8e308) ≈ 1.3e154, i.e. s > 1.3e54; the 14th of 60 points from 1 to 1e250
        // is 1e250^(13/59) = 1.22e55
        CliTests.Run r = CliTests.run("sweep", "src/test/resources/specs/nonfinite/sweep-overflow.json", "--layer", "1",
                "--from", "1", "--to", "1e250", "--output-dir", dir.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("the sweep of layer 1 leaves the finite numbers at scale "
                + String.format(java.util.Locale.ROOT, "%.3g", Math.pow(1e250, 13.0 / 59)) + " (point 14 of 60; lower "
                + "--to below it), the forward pass overflows"), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing is written");
        }
    }

    @Test
    void a_sweep_whose_weights_would_overflow_is_bad_input() {
        CliTests.Run r = CliTests.run("sweep", CliTests.LECTURE, "--layer", "2", "--to", "1e306");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--to: <1.0E306> scales layer 2's largest weight 500.0 beyond the largest double; "
                + "give --to below " + String.format(java.util.Locale.ROOT, "%.3g", Double.MAX_VALUE / 500)), r.err());
    }
}
