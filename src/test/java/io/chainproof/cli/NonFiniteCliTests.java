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

    /**
     * explain sweeps a range the user did not choose (10⁻³ … 10¹): with W2 = 1e308 it stops at the last scale whose
     * weights are finite, 10^0.2 ≈ 1.58 (the 33rd of 41 log-spaced points; 10^0.3 · 1e308 overflows), instead of
     * refusing with a message about a --to option explain does not have.
     */
    @Test
    void explain_of_a_weight_of_1e308_sweeps_up_to_the_last_finite_scale(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("w2-1e308.json");
        Files.writeString(spec, Files.readString(Path.of(CliTests.LECTURE)).replace("[[500.0]]", "[[1e308]]"));
        CliTests.Run r = CliTests.run("explain", spec.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("as W₂ is scaled by s from 0.001 to 1.58"), r.out());
    }

    /**
     * With b1 = 1e308 the zero-preactivation bias −s·W2·a of the softmax classifier overflows inside the sweep: the
     * message was {@code Parameters: b2[2]: <Infinity> is not finite}, naming a Java record and no file. explain now
     * sweeps up to the last finite scale; sweep, whose --to the user chose, names it.
     */
    @Test
    void a_zero_preactivation_bias_that_overflows_names_the_spec_and_the_option(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("b1-1e308.json");
        String text = Files.readString(Path.of("examples/softmax-classifier.json"));
        Files.writeString(spec, text.replaceFirst("\"b1\": \\[[^,\\]]+", "\"b1\": [1e308"));
        assertTrue(Files.readString(spec).contains("\"b1\": [1e308"), Files.readString(spec));

        CliTests.Run explain = CliTests.run("explain", spec.toString());
        assertFalse(explain.err().contains("Parameters"), explain.err());
        assertTrue(explain.out().contains("biases set so that every pre-activation of layer 2 is 0 for the first sample"), explain.out());

        CliTests.Run sweep = CliTests.run("sweep", spec.toString(), "--layer", "2", "--bias", "zero-preactivation",
                "--output-dir", dir.resolve("out").toString());
        assertEquals(Main.BAD_INPUT, sweep.exitCode(), sweep.err());
        assertTrue(sweep.err().startsWith("chainproof: " + spec + ": --to: <1000.0> makes layer 2's zero-preactivation "
                + "bias −s·W2·a leave the finite doubles at scale "), sweep.err());
        assertTrue(sweep.err().endsWith("; lower --to below it, or sweep with --bias keep\n"), sweep.err());
    }

    /**
     * A bias of 1e308 with a finite loss (4.9e307): central differences cannot bound their own error there (the
     * rounding estimate overflows), and treating that estimate as 0 called 14 correct gradients wrong. An oracle that
     * cannot bound its error refutes nothing: every row is unresolved, and the summary says nothing was checked.
     */
    @Test
    void an_oracle_that_cannot_bound_its_error_calls_nothing_wrong(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("b1-1e308.json");
        Files.writeString(spec, Files.readString(Path.of("examples/softmax-classifier.json"))
                .replaceFirst("\"b1\": \\[[^,\\]]+", "\"b1\": [1e308"));
        CliTests.Run check = CliTests.run("check", spec.toString());
        assertEquals(0, check.exitCode(), check.out() + check.err());
        assertFalse(check.out().contains("WRONG"), check.out());
        assertTrue(check.out().contains("NOTE: 31 gradients were not checked (marked unresolved): the oracle's error "
                + "estimate is not finite there"), check.out());
        assertTrue(check.out().contains("NOT CHECKED: finite differences could resolve none of the 31 gradients"),
                check.out());
    }

    /**
     * Found by CommandLineFuzzTests (seed 6): a weight of −1.8e308 made the singular value decomposition NaN, and a
     * product of norms that overflows times a derivative that rounds to 0 made the bound NaN; both were an
     * IllegalArgumentException, exit 3. The norm is now computed scaled, and 0·∞ in a product of bounds is ∞ (a bound,
     * if an uninformative one).
     */
    @Test
    void bounds_of_weights_near_the_largest_double_are_results(@TempDir Path dir) throws IOException {
        Path cnn = dir.resolve("cnn.json");
        String text = Files.readString(Path.of("examples/small-cnn.json"));
        assertTrue(text.contains("[0.1755, "), "W4[1][0] of the example");
        Files.writeString(cnn, text.replace("[0.1755, ", "[-1.7976931348623157E308, "));
        CliTests.Run r = CliTests.run("bound", cnn.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1.797693e+308"), r.out());

        Path chain = dir.resolve("w3-1e308.json");
        Files.writeString(chain, Files.readString(Path.of(CliTests.LECTURE)).replace("\"W3\": [[1.0]]",
                "\"W3\": [[1e308]]"));
        assertTrue(Files.readString(chain).contains("\"W3\": [[1e308]]"));
        CliTests.Run b = CliTests.run("bound", chain.toString());
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("\n    1   0.000000e+00       Infinity   0.000000e+00"), b.out());
    }
}
