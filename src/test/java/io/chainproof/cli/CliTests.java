package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them, through picocli, with exit codes and output. */
class CliTests {

    static final String LECTURE = "examples/lecture-chain.json";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The result of one command-line run. */
    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Nested
    class Gradient {

        @Test
        void prints_the_lecture_chain_gradient_as_the_json_contract() throws IOException {
            Run r = run("gradient", LECTURE, "--format", "json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode root = JSON.readTree(r.out());
            assertEquals(0.1425369565965509, root.get("loss").asDouble(), 1e-15);
            assertEquals(-5.545216167164803, root.get("gradients").get("W1").get(0).get(0).asDouble(), 1e-12);
            assertEquals(-0.1774469173492737, root.get("gradients").get("b3").get(0).asDouble(), 1e-12);
            assertEquals("[\"loss\",\"gradients\"]", JSON.writeValueAsString(root.fieldNames()));
        }

        @Test
        void prints_one_json_line_per_spec_in_order() {
            Run r = run("gradient", LECTURE, "examples/mlp-2-3-2-1.json", "--format", "json");
            assertEquals(0, r.exitCode(), r.err());
            String[] lines = r.out().strip().split("\n");
            assertEquals(2, lines.length);
            assertTrue(lines[1].contains("\"W3\":[["), lines[1]);
        }

        @Test
        void prints_text_with_the_lecture_notation() {
            Run r = run("gradient", LECTURE);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("lecture-chain (examples/lecture-chain.json)\nloss = 0.1425369565965509\n"), r.out());
            assertTrue(r.out().contains("∂L/∂W1[0][0]  w⁽¹⁾₁₁  -5.5452161671648"), r.out());
        }
    }

    @Nested
    class Check {

        @Test
        void passes_on_the_lecture_chain_with_exit_code_0() {
            Run r = run("check", LECTURE);
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("PASSED: all 6 gradients agree with finite differences"), r.out());
        }

        @Test
        void passes_on_every_example_in_json() throws IOException {
            Run r = run("check", LECTURE, "examples/lecture-chain-saturated.json", "examples/mlp-2-3-2-1.json",
                    "examples/softmax-classifier.json", "--format", "json");
            assertEquals(0, r.exitCode(), r.out() + r.err());
            for (String line : r.out().strip().split("\n")) {
                assertTrue(JSON.readTree(line).get("passed").asBoolean(), line);
            }
        }
    }

    @Nested
    class Derive {

        @Test
        void writes_the_lecture_chain_rule_for_w1_with_values_and_proof() {
            Run r = run("derive", LECTURE, "--parameter", "W1[0][0]");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("  • w₁ → o₁ → o₂ → o₃ → L contributes −5.545216167164804\n"), r.out());
            assertTrue(r.out().contains("\n    ∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁\n"), r.out());
            assertTrue(r.out().contains("  ∂o₂/∂o₁  σ'(z₂)·w₂    125.0\n"), r.out());
            assertTrue(r.out().contains("  ∂o₁/∂w₁  σ'(z₁)·x₁    0.25\n"), r.out());
            assertTrue(r.out().contains("\n    ∂L/∂w₁ = −5.545216167164804\n"), r.out());
            assertTrue(r.out().contains("Agreement with the direct derivative D[L, w₁]: proved by composition (the chain "
                    + "rule and the forward accumulation of Symja's local rules are identical at 3 random points"), r.out());
            assertTrue(r.out().contains("γ₂·|w₂| = 0.25·500.0 = 125.0  yes"), r.out());
        }

        @Test
        void prints_a_deep_closed_form_with_its_shared_parts_named(@TempDir Path dir) throws IOException {
            StringBuilder layers = new StringBuilder();
            StringBuilder parameters = new StringBuilder();
            for (int l = 1; l <= 12; l++) {
                layers.append(l > 1 ? ", " : "").append("{\"units\": 1, \"activation\": \"sigmoid\"}");
                parameters.append(l > 1 ? ", " : "").append("\"W").append(l).append("\": [[0.").append(l)
                        .append("]], \"b").append(l).append("\": [0.0]");
            }
            Path spec = dir.resolve("chain-12.json");
            Files.writeString(spec, "{\"name\": \"chain-12\", \"inputs\": 1, \"layers\": [" + layers
                    + "], \"loss\": \"sse\", \"parameters\": {" + parameters
                    + "}, \"data\": {\"x\": [[1.0]], \"y\": [[0.5]]}}");
            Run r = run("derive", spec.toString(), "--parameter", "W1[0][0]");
            assertEquals(0, r.exitCode(), r.err());
            String out = r.out();
            assertTrue(out.contains("with the parts it shares named"), out);
            assertTrue(out.contains("\n    ∂L/∂w₁ = 2·σ'(z₁₂)·w₁₂·σ'(z₁₁)·w₁₁·"), out);
            assertTrue(out.contains("\n    z₁ = w₁·x₁ + b₁\n"), out);
            assertTrue(out.contains("\n    z₁₂ = w₁₂·σ(z₁₁) + b₁₂\n"), out);
            assertTrue(out.contains("proved by composition"), out);
        }

        @Test
        void with_symja_proves_against_symjas_derivative_of_the_whole_loss() {
            Run r = run("derive", LECTURE, "--parameter", "W1[0][0]", "--symja");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Agreement with the direct derivative D[L, w₁]: proved by Symja "
                    + "(Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0)."), r.out());
        }

        @Test
        void derives_every_parameter_when_none_is_named_or_all_is_given() {
            Run r = run("derive", "examples/mlp-2-3-2-1.json");
            assertEquals(0, r.exitCode(), r.err());
            assertEquals(20, r.out().split("\n2. Chain rule\n").length - 1, r.out());
            Run all = run("derive", "examples/mlp-2-3-2-1.json", "--all");
            assertEquals(r.out(), all.out());
        }

        @Test
        void writes_a_latex_document() {
            Run r = run("derive", LECTURE, "--parameter", "b2[0]", "--format", "latex");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("\\documentclass[11pt]{article}"), r.out());
            assertTrue(r.out().strip().endsWith("\\end{document}"), r.out());
            assertTrue(r.out().contains("\\frac{\\partial L}{\\partial b_{2}}"), r.out());
        }

        @Test
        void writes_markdown_with_dollar_math() {
            Run r = run("derive", LECTURE, "--parameter", "W1[0][0]", "--format", "markdown");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("# Chain-rule derivation of ∂L/∂w₁ — lecture-chain\n"), r.out());
            assertTrue(r.out().contains("$$\n\\frac{\\partial L}{\\partial w_{1}} = \\frac{\\partial L}{\\partial o_{3}}"), r.out());
        }

        @Test
        void writes_html_to_the_output_file_and_nothing_to_stdout(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("sub/lecture.html");
            Run r = run("derive", LECTURE, "--parameter", "W2[0][0]", "--format", "html", "--output", file.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertEquals("", r.out());
            String html = Files.readString(file);
            assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
            assertTrue(html.contains("class=\"chainproof-graph\""));
        }

        @Test
        void an_unwritable_output_exits_2_naming_the_option(@TempDir Path dir) throws Exception {
            Path blocker = Files.writeString(dir.resolve("file"), "x");
            Run r = run("derive", LECTURE, "--parameter", "W1[0][0]", "--output", blocker.resolve("out.txt").toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.err().startsWith("chainproof: examples/lecture-chain.json: --output: <" + blocker.resolve("out.txt")
                    + "> cannot be written ("), r.err());
            assertTrue(r.err().endsWith("; give a writable file path\n"), r.err());
        }

        @Test
        void parameter_and_all_together_are_rejected() {
            Run r = run("derive", LECTURE, "--parameter", "W1[0][0]", "--all");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("--parameter=NAME, --all are mutually exclusive"), r.err());
        }

        @Test
        void an_unknown_format_is_rejected_with_the_known_ones() {
            Run r = run("derive", LECTURE, "--format", "pdf");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("Invalid value for option '--format': expected one of [text, markdown, latex, html]"
                    + " (case-sensitive) but was 'pdf'"), r.err());
        }

        @Test
        void an_unknown_parameter_exits_2_naming_the_range() {
            Run r = run("derive", LECTURE, "--parameter", "W4[0][0]");
            assertEquals(2, r.exitCode());
            assertEquals("chainproof: examples/lecture-chain.json: --parameter: <W4[0][0]> is not a parameter of lecture-chain; "
                    + "its parameters run from W1[0][0] to b3[0]\n", r.err());
        }

        @Test
        void a_malformed_parameter_name_exits_2() {
            Run r = run("derive", LECTURE, "--parameter", "w1");
            assertEquals(2, r.exitCode());
            assertEquals("chainproof: examples/lecture-chain.json: --parameter: <w1> is not a parameter name; "
                    + "write W<layer>[row][column] or b<layer>[row], e.g. W1[0][1] or b2[0]\n", r.err());
        }
    }

    @Nested
    class BadInput {

        @Test
        void an_unknown_activation_exits_2_with_the_message_and_no_stack_trace(@TempDir Path dir) throws IOException {
            Path bad = dir.resolve("bad.json");
            Files.writeString(bad, Files.readString(Path.of(LECTURE)).replaceFirst("\"sigmoid\"", "\"sigmod\""));
            Run r = run("gradient", bad.toString());
            assertEquals(2, r.exitCode());
            assertTrue(r.err().startsWith("chainproof: " + bad + ": layers[0].activation: <sigmod> is not an activation"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }

        @Test
        void a_missing_file_exits_2() {
            Run r = run("check", "no/such/spec.json");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().startsWith("chainproof: no/such/spec.json"), r.err());
        }

        @Test
        void debug_prints_the_stack_trace() {
            Run r = run("check", "no/such/spec.json", "--debug");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("\tat "), r.err());
        }

        @Test
        void an_unknown_option_exits_2_with_usage() {
            Run r = run("gradient", "--frmat", "json", LECTURE);
            assertEquals(2, r.exitCode());
            assertTrue(r.err().contains("Unknown option: '--frmat'"), r.err());
        }

        @Test
        void one_bad_spec_does_not_hide_the_others() {
            Run r = run("gradient", "no/such/spec.json", LECTURE, "--format", "json");
            assertEquals(2, r.exitCode());
            assertTrue(r.out().contains("\"loss\":0.1425369565965509"), r.out());
        }
    }

    @Nested
    class Explain {

        @Test
        void tells_the_lecture_story_in_text() {
            Run r = run("explain", LECTURE);
            assertEquals(0, r.exitCode(), r.err());
            for (String heading : List.of("Forward pass", "Check of every parameter", "Growth bounds", "Weight-scale sweeps")) {
                assertTrue(r.out().contains("\n" + heading + "\n" + "-".repeat(heading.length()) + "\n"), heading);
            }
            assertTrue(r.out().contains("\n∂L/∂w₁ (W1[0][0])\n"), r.out());
            assertTrue(r.out().contains("\n∂L/∂w₃ (W3[0][0])\n"), r.out());
            assertTrue(r.out().contains("Finite differences: all 6 agree. Complex step: all 6 agree."), r.out());
            assertTrue(r.out().contains("Layer 2 weights scaled by s, biases kept"), r.out());
        }

        @Test
        void embeds_the_graph_and_both_sweep_charts_in_html(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("story.html");
            Run r = run("explain", "examples/lecture-chain-saturated.json", "--format", "html", "--output", file.toString());
            assertEquals(0, r.exitCode(), r.err());
            String html = Files.readString(file);
            assertEquals(3, html.split("class=\"chainproof-graph", -1).length - 1);
            assertEquals(2, html.split("class=\"chainproof-sweep", -1).length - 1);
        }

        @Test
        void a_bad_spec_exits_2() {
            Run r = run("explain", "examples/invalid/typo-activation.json");
            assertEquals(2, r.exitCode());
            assertTrue(r.err().startsWith("chainproof: examples/invalid/typo-activation.json: layers[1].activation: <sigmod>"), r.err());
        }
    }
}
