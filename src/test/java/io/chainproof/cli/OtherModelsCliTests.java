package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on the spec types beyond MLPs: {@code "type": "rnn"} and {@code "type": "formula"}. */
class OtherModelsCliTests {

    private static final String FORMULA = "examples/lecture-chain-formula.json";
    private static final String RNN = "examples/rnn-tanh-every.json";
    /** PyTorch's nn.RNN gradient of {@link #RNN} ({@code src/test/python/make_rnn_claimed_example.py}). */
    private static final String RNN_TORCH = "examples/claimed/rnn-tanh-every.torch.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Nested
    class Formula {

        @Test
        void the_lecture_chain_as_a_formula_has_the_mlps_gradient_bit_for_bit() throws Exception {
            CliTests.Run r = CliTests.run("gradient", FORMULA, "--format", "json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode g = JSON.readTree(r.out()).get("gradients");
            double[] formula = {g.get("w1").asDouble(), g.get("b1").asDouble(), g.get("w2").asDouble(), g.get("b2").asDouble(),
                    g.get("w3").asDouble(), g.get("b3").asDouble()};
            double[] mlp = NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(Path.of("examples/lecture-chain.json"))))
                    .evaluate().gradient();
            assertArrayEquals(mlp, formula, 0.0);
        }

        @Test
        void check_passes_and_derive_prints_symjas_derivatives() {
            CliTests.Run check = CliTests.run("check", FORMULA);
            assertEquals(0, check.exitCode(), check.err());
            assertTrue(check.out().endsWith("PASSED: all 6 gradients agree with finite differences\n"), check.out());
            CliTests.Run derive = CliTests.run("derive", FORMULA);
            assertEquals(0, derive.exitCode(), derive.err());
            assertTrue(derive.out().contains("    L = (σ(w3·σ(w2·σ(w1·x + b1) + b2) + b3) − y)²\n"), derive.out());
            assertTrue(derive.out().contains("At the spec's point it is −5.545216167164804; central differences give "), derive.out());
        }

        @Test
        void a_hostile_formula_exits_2_fast_with_the_function_and_its_column() {
            CliTests.Run r = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> CliTests.run("check", "examples/invalid/formula-urlfetch.json"));
            assertEquals(2, r.exitCode());
            assertTrue(r.err().startsWith("chainproof: examples/invalid/formula-urlfetch.json: formula: <URLFetch> at column "),
                    r.err());
            assertEquals("", r.out());
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
                "Get[\"/etc/passwd\"] + w                | formula: <Get> at column 1 is not an allowed function",
                "w := 1                                   | formula: <:=> at column 3 is not allowed",
                "While[True, w] + w                       | formula: <While> at column 1 is not an allowed function",
                "w*2^(10^8)                               | formula: <2^100000000> at column 4 is not finite"})
        void hostile_formulas_exit_2_within_a_second_and_touch_no_file(String formula, String message, @TempDir Path dir)
                throws Exception {
            Path spec = dir.resolve("hostile.json");
            Files.writeString(spec, JSON.writeValueAsString(java.util.Map.of("type", "formula", "formula", formula.strip(),
                    "parameters", java.util.Map.of("w", 0.5))));
            CliTests.Run r = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> CliTests.run("check", spec.toString()));
            assertEquals(2, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().startsWith("chainproof: " + spec + ": " + message), r.err());
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "only the spec file is in the directory");
            }
        }

        @Test
        void bound_and_a_named_parameter_are_for_networks_only() {
            CliTests.Run bound = CliTests.run("bound", FORMULA);
            assertEquals(2, bound.exitCode());
            assertEquals("chainproof: examples/lecture-chain-formula.json: type: <formula> has no layers or recurrence to bound; "
                    + "bound works on MLP and RNN specs; use gradient, check, verify or derive for a formula\n", bound.err());
            CliTests.Run derive = CliTests.run("derive", FORMULA, "--parameter", "w1");
            assertEquals(2, derive.exitCode());
            assertEquals("chainproof: examples/lecture-chain-formula.json: --parameter: <w1> selects a parameter of an MLP spec; "
                    + "leave it out: a formula or RNN derivation covers every parameter\n", derive.err());
        }
    }

    @Nested
    class Rnn {

        @Test
        void gradient_json_mirrors_the_parameters_and_check_passes() throws Exception {
            CliTests.Run r = CliTests.run("gradient", RNN, "--format", "json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode g = JSON.readTree(r.out()).get("gradients");
            assertEquals("[Wh, Wx, b, Wy, by]", iterator(g));
            CliTests.Run check = CliTests.run("check", RNN);
            assertEquals(0, check.exitCode(), check.err());
            assertTrue(check.out().endsWith("PASSED: all 11 gradients agree with finite differences\n"), check.out());
        }

        @Test
        void verify_catches_a_wrong_claimed_entry_and_accepts_the_right_ones(@TempDir Path dir) throws Exception {
            CliTests.Run right = CliTests.run("verify", RNN, "--gradients", RNN_TORCH);
            assertEquals(0, right.exitCode(), right.out() + right.err());
            JsonNode tree = JSON.readTree(Path.of(RNN_TORCH).toFile());
            ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("gradients").get("b")).set(0,
                    tree.get("gradients").get("b").get(0).asDouble() + 1e-3);
            Path wrong = Files.writeString(dir.resolve("wrong.json"), JSON.writeValueAsString(tree));
            CliTests.Run r = CliTests.run("verify", RNN, "--gradients", wrong.toString(), "--oracle", "finite_difference");
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().endsWith("FAILED: 1 of 11 gradients disagree with finite differences\n"), r.out());
        }

        @Test
        void every_oracle_checks_an_rnn_and_verify_decides_by_the_complex_step_by_default() throws Exception {
            for (String oracle : new String[] {"complex_step", "forward_ad", "finite_difference"}) {
                CliTests.Run r = CliTests.run("check", RNN, "--oracle", oracle, "--format", "json");
                assertEquals(0, r.exitCode(), r.out() + r.err());
                JsonNode report = JSON.readTree(r.out());
                assertEquals(11, report.get("parameters").size());
                for (JsonNode row : report.get("parameters")) {
                    assertEquals(OracleChoice.valueOf(oracle).oracle.name(), row.get("oracle").asText(), row.toString());
                }
            }
            CliTests.Run verify = CliTests.run("verify", RNN, "--gradients", RNN_TORCH, "--format", "json");
            assertEquals(0, verify.exitCode(), verify.out() + verify.err());
            assertEquals("COMPLEX_STEP", JSON.readTree(verify.out()).get("parameters").get(0).get("oracle").asText());
        }

        @Test
        void fast_mode_checks_random_directions_per_tensor() {
            CliTests.Run r = CliTests.run("check", RNN, "--fast", "--oracle", "complex_step", "--quiet");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("fast mode: random unit directions v per tensor"), r.out());
            assertTrue(r.out().endsWith("PASSED: all 15 directional derivatives agree (fast mode; no tensor needed an "
                    + "exhaustive check)\n"), r.out());
        }

        @Test
        void bound_prints_pascanus_bound_per_lag_and_it_holds() {
            CliTests.Run r = CliTests.run("bound", "examples/rnn-exploding.json");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("γ = sup|tanh'| = 1.0, ‖W_h‖₂ = 1.500000e+00, γ·‖W_h‖₂ = 1.500000e+00: exploding possible"),
                    r.out());
            assertTrue(!r.out().contains("  NO\n"), r.out());
        }

        @Test
        void sweep_writes_a_csv_over_the_spectral_norm_with_clipping(@TempDir Path dir) throws Exception {
            CliTests.Run r = CliTests.run("sweep", RNN, "--from", "0.1", "--to", "10", "--points", "5", "--clip", "1",
                    "--output-dir", dir.toString());
            assertEquals(0, r.exitCode(), r.err());
            java.util.List<String> csv = Files.readAllLines(dir.resolve("rnn-tanh-every-sweep-wh-norm.csv"));
            assertEquals(6, csv.size());
            String[] first = csv.get(1).split(",");
            assertEquals(0.1, Double.parseDouble(first[0]), 1e-15, "the first rescaled ‖W_h‖₂");
            assertEquals("vanishing", first[3]);
            assertEquals(10.0, Double.parseDouble(csv.get(5).split(",")[0]), 1e-12, "the last rescaled ‖W_h‖₂");
            assertEquals("exploding_possible", csv.get(5).split(",")[3]);
            byte[] png = Files.readAllBytes(dir.resolve("rnn-tanh-every-sweep-wh-norm.png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "a PNG plot is written");
            assertTrue(Files.readString(dir.resolve("rnn-tanh-every-sweep-wh-norm.svg")).contains("<svg"), "an SVG plot is written");
            for (String line : csv.subList(1, csv.size())) {
                assertTrue(Double.parseDouble(line.substring(line.lastIndexOf(',') + 1)) <= 1.0 + 1e-12, line);
            }
        }

        @Test
        void sweep_can_rescale_the_spectral_radius_instead(@TempDir Path dir) throws Exception {
            CliTests.Run r = CliTests.run("sweep", RNN, "--rescale", "radius", "--from", "0.5", "--to", "2", "--points", "3",
                    "--output-dir", dir.toString());
            assertEquals(0, r.exitCode(), r.err());
            java.util.List<String> csv = Files.readAllLines(dir.resolve("rnn-tanh-every-sweep-wh-radius.csv"));
            assertEquals(0.5, Double.parseDouble(csv.get(1).split(",")[1]), 1e-12, "ρ(W_h) of the first point");
            assertEquals(2.0, Double.parseDouble(csv.get(3).split(",")[1]), 1e-12, "ρ(W_h) of the last point");
            assertTrue(Double.parseDouble(csv.get(1).split(",")[0]) >= 0.5 - 1e-12, "‖W_h‖₂ ≥ ρ(W_h)");
        }

        @Test
        void a_nilpotent_w_h_cannot_be_rescaled_by_radius_and_says_what_to_do(@TempDir Path dir) throws Exception {
            JsonNode tree = JSON.readTree(Files.readString(Path.of(RNN)));
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("parameters")).set("Wh",
                    JSON.readTree("[[0.0, 1.0], [0.0, 0.0]]"));
            Path spec = Files.writeString(dir.resolve("nilpotent.json"), JSON.writeValueAsString(tree));
            CliTests.Run r = CliTests.run("sweep", spec.toString(), "--rescale", "radius", "--output-dir", dir.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertEquals("chainproof: " + spec + ": parameters.Wh: <spectral radius 0.0> cannot be rescaled (W_h has no "
                    + "direction to scale: a nilpotent or zero W_h has spectral radius 0); use --rescale norm, or give W_h a "
                    + "nonzero eigenvalue\n", r.err());
            assertEquals(0, CliTests.run("sweep", spec.toString(), "--points", "3", "--output-dir", dir.toString()).exitCode());
        }

        @Test
        void relu_pre_activations_at_zero_make_the_recurrent_parameters_kinks_not_failures() {
            // W_h = W_x = b = 0: every z_t is exactly 0, where relu' jumps; the claimed relu'(0) = 0 is one convention
            CliTests.Run r = CliTests.run("check", "src/test/resources/specs/rnn-relu-at-kink.json");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("KINK: Wx[0][0]: relu pre-activation z[1][1][0] (step 1 of sequence 1) is 0.0 and "
                    + "crosses 0 when Wx[0][0] moves by ±1.7e-07; not differentiable here\n"), r.out());
            assertTrue(!r.out().contains("KINK: Wy"), "the output layer is smooth: " + r.out());
            CliTests.Run tanh = CliTests.run("check", RNN);
            assertTrue(!tanh.out().contains("KINK"), tanh.out());
        }

        @Test
        void derive_writes_bptt_with_the_jacobian_products() {
            CliTests.Run r = CliTests.run("derive", RNN, "--format", "markdown");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("# Backpropagation through time — rnn-tanh-every\n"), r.out());
            assertTrue(r.out().contains("\\prod_{s=k+1}^{t} \\operatorname{diag}(\\varphi'(z_s)) W_h"), r.out());
        }

        private String iterator(JsonNode g) {
            java.util.List<String> names = new java.util.ArrayList<>();
            g.fieldNames().forEachRemaining(names::add);
            return names.toString();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gradient", "check", "verify", "derive", "explain", "bound", "sweep"})
    void every_command_shows_its_help_and_exits_0(String command) {
        CliTests.Run r = CliTests.run(command, "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Usage: chainproof " + command + " "), r.out());
        assertEquals("", r.err());
    }

    @Test
    void an_unknown_type_is_named_with_the_known_ones() {
        CliTests.Run r = CliTests.run("check", "src/test/resources/specs/unknown-type.json");
        assertEquals(2, r.exitCode());
        assertEquals("chainproof: src/test/resources/specs/unknown-type.json: type: <rnnn> is not a spec type; known: mlp, "
                + "layered, rnn, formula (did you mean rnn?); write \"type\": \"mlp\" (the default; layers with a \"type\" make "
                + "a layered model), \"layered\", \"rnn\" or \"formula\"\n", r.err());
    }
}
