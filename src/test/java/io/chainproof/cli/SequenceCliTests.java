package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on layered models with sequence layers (rnn, lstm, gru, attention), as a user runs them. */
class SequenceCliTests {

    private static final String DIR = "src/test/resources/reference/layered-sequence/";
    private static final String LSTM = DIR + "lstm-last.spec.json";
    private static final String GRU = DIR + "lstm-gru-stack.spec.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void verify_accepts_pytorchs_lstm_gradients_and_names_a_wrong_recurrent_weight(@TempDir Path dir) throws Exception {
        JsonNode expected = JSON.readTree(Path.of(DIR + "lstm-last.expected.json").toFile());
        Path right = dir.resolve("right.json");
        Files.writeString(right, expected.toString());
        CliTests.Run ok = CliTests.run("verify", LSTM, "--gradients", right.toString());
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("PASSED"), ok.out());
        ObjectNode claimed = expected.deepCopy();
        ArrayNode row = (ArrayNode) claimed.get("gradients").get("W_hh1").get(5);
        row.set(2, row.get(2).doubleValue() * (1 + 1e-6) + 1e-12);
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, claimed.toString());
        CliTests.Run r = CliTests.run("verify", LSTM, "--gradients", wrong.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("W_hh1[5][2]") && l.contains("WRONG")), r.out());
    }

    @Test
    void the_readmes_sequence_examples_accept_pytorchs_gradients() {
        for (String example : new String[] {"lstm-language-model", "transformer-block"}) {
            CliTests.Run r = CliTests.run("verify", "examples/" + example + ".json", "--gradients",
                    "examples/claimed/" + example + ".torch.json");
            assertEquals(0, r.exitCode(), example + ": " + r.out() + r.err());
            assertTrue(r.out().contains("PASSED: all"), r.out());
        }
    }

    @Test
    void gradient_check_and_bound_run_on_stacked_lstm_and_gru_layers() throws Exception {
        CliTests.Run g = CliTests.run("gradient", GRU, "--format", "json");
        assertEquals(0, g.exitCode(), g.err());
        JsonNode grads = JSON.readTree(g.out()).get("gradients");
        assertEquals(9, grads.get("W_ih2").size(), "a GRU's W_ih is [3·hidden][in], hidden 3");
        assertEquals(12, grads.get("W_hh1").size(), "an LSTM's W_hh is [4·hidden][hidden], hidden 3");
        for (String oracle : new String[] {"finite_difference", "complex_step", "forward_ad"}) {
            CliTests.Run c = CliTests.run("check", GRU, "--oracle", oracle);
            assertEquals(0, c.exitCode(), oracle + ": " + c.out() + c.err());
        }
        CliTests.Run b = CliTests.run("bound", GRU);
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().lines().anyMatch(l -> l.startsWith("1") && l.contains("lstm") && !l.contains("—")),
                "an lstm layer's row has its bounds: " + b.out());
        assertTrue(b.out().contains("layer 1 (lstm) cell path ∂c_T/∂c_1 = ∏_{t=2}^{T} diag(f_t)"), b.out());
        assertTrue(b.out().contains("layer 2 (gru) update path ∏_{t=2}^{T} diag(z_t)"), b.out());
        CliTests.Run json = CliTests.run("bound", GRU, "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode report = JSON.readTree(json.out());
        assertTrue(report.get("layers").get(0).get("certified").isNumber(), json.out());
        assertEquals(4, report.get("paths").size(), "cell and state paths of the lstm, update and state of the gru");
        for (JsonNode path : report.get("paths")) {
            assertTrue(path.get("actual").asDouble() <= path.get("atData").asDouble() * (1 + 1e-9), path.toString());
        }
    }

    /**
     * The README's pair: the same 50-step sequences through an rnn and an lstm (forget bias 3). The rnn's
     * ‖∂h_50/∂h_1‖₂ vanishes below 1e−10; the lstm's cell path ∏ f_t keeps above 0.1 and its whole state path above
     * 1e−3. PyTorch's gradients for both pass.
     */
    @Test
    void over_fifty_steps_the_rnns_gradient_vanishes_and_the_lstms_survives_through_the_cell_state() throws Exception {
        JsonNode rnn = JSON.readTree(CliTests.run("bound", "examples/remedies/rnn-tanh-50.json", "--format", "json").out());
        JsonNode lstm = JSON.readTree(CliTests.run("bound", "examples/remedies/lstm-50.json", "--format", "json").out());
        double recurrent = rnn.get("paths").get(0).get("actual").asDouble();
        double cell = lstm.get("paths").get(0).get("actual").asDouble();
        double state = lstm.get("paths").get(1).get("actual").asDouble();
        assertTrue(rnn.get("paths").get(0).get("path").asText().startsWith("recurrent path"), rnn.toString());
        assertTrue(lstm.get("paths").get(0).get("path").asText().startsWith("cell path"), lstm.toString());
        assertTrue(recurrent > 0 && recurrent < 1e-10, "rnn ‖∂h_50/∂h_1‖₂ = " + recurrent);
        assertTrue(cell > 0.1 && cell <= 1, "lstm cell path " + cell);
        assertTrue(state > 1e-3 && state > 1e8 * recurrent, "lstm ‖∂h_50/∂h_1‖₂ = " + state);
        for (String example : new String[] {"rnn-tanh-50", "lstm-50"}) {
            CliTests.Run r = CliTests.run("verify", "examples/remedies/" + example + ".json", "--gradients",
                    "examples/claimed/" + example + ".torch.json");
            assertEquals(0, r.exitCode(), example + ": " + r.out() + r.err());
            assertTrue(r.out().contains("PASSED: all"), r.out());
        }
    }

    @Test
    void sweep_sets_an_lstms_forget_gate_bias_and_the_cell_path_survives_as_it_grows(@TempDir Path dir) throws Exception {
        CliTests.Run r = CliTests.run("sweep", "examples/remedies/lstm-50.json", "--layer", "1", "--forget-bias",
                "--points", "5", "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("sweep of lstm-50: forget-gate bias b_ih1[f] set to -2.0 … 6.0, 5 points"), r.out());
        String csv = Files.readString(dir.resolve("lstm-50-sweep-layer1-forget-bias.csv"));
        java.util.List<String> lines = csv.lines().toList();
        assertEquals(6, lines.size(), csv);
        assertTrue(lines.get(0).endsWith(",state_path_norm_layer1"), csv);
        double previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double path = Double.parseDouble(cells[cells.length - 1]);
            assertTrue(path > previous, "the state path grows with the forget bias: " + csv);
            previous = path;
        }
        assertTrue(previous > 1e-2 && Double.parseDouble(lines.get(1).split(",")[lines.get(1).split(",").length - 1])
                < 1e-20, csv);
        assertTrue(Files.exists(dir.resolve("lstm-50-sweep-layer1-forget-bias.svg")), "the plot is written");
        CliTests.Run wrong = CliTests.run("sweep", "examples/remedies/rnn-tanh-50.json", "--layer", "1",
                "--forget-bias", "--output-dir", dir.toString());
        assertEquals(2, wrong.exitCode(), wrong.out());
        assertTrue(wrong.err().contains("--layer: <1> is not an lstm layer of rnn-tanh-50"), wrong.err());
        CliTests.Run mlp = CliTests.run("sweep", "examples/mlp-2-3-2-1.json", "--layer", "1", "--forget-bias",
                "--output-dir", dir.toString());
        assertEquals(2, mlp.exitCode(), mlp.out());
        assertTrue(mlp.err().contains("--forget-bias"), mlp.err());
    }

    @Test
    void a_causal_transformer_block_checks_with_every_oracle_and_derives_the_attention_chain_rule() {
        String block = DIR + "transformer-block.spec.json";
        for (String oracle : new String[] {"finite_difference", "complex_step", "forward_ad"}) {
            CliTests.Run c = CliTests.run("check", block, "--oracle", oracle);
            assertEquals(0, c.exitCode(), oracle + ": " + c.out() + c.err());
        }
        CliTests.Run d = CliTests.run("derive", block);
        assertEquals(0, d.exitCode(), d.err());
        assertTrue(d.out().contains("Self-attention: per head A = softmax(Q Kᵀ/√d), O = A V"), d.out());
        CliTests.Run b = CliTests.run("bound", block);
        assertEquals(0, b.exitCode(), b.err());
    }

    @Test
    void sweep_scales_a_recurrent_layers_w_hh(@TempDir Path dir) throws Exception {
        CliTests.Run r = CliTests.run("sweep", DIR + "lstm-long.spec.json", "--layer", "1", "--points", "3",
                "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("sweep of lstm-long: W_hh1 scaled by"), r.out());
        assertTrue(Files.exists(dir.resolve("lstm-long-sweep-layer1.csv")), "the CSV is written");
        String csv = Files.readString(dir.resolve("lstm-long-sweep-layer1.csv"));
        assertEquals(4, csv.lines().count(), csv);
    }

    @Test
    void derive_writes_backpropagation_through_time_in_every_format(@TempDir Path dir) throws Exception {
        for (String format : new String[] {"text", "markdown", "latex", "html"}) {
            Path file = dir.resolve("derive." + format);
            CliTests.Run r = CliTests.run("derive", GRU, "--format", format, "--output", file.toString());
            assertEquals(0, r.exitCode(), format + ": " + r.err());
            String text = Files.readString(file);
            assertTrue(text.contains("LSTM layer") && text.contains("GRU layer"), format);
            assertTrue(text.contains("f_t") || text.contains("f ⊙"), format + ": the forget gate's path");
            assertTrue(text.contains("Backpropagation through time for one weight"), format);
        }
    }

    /** The worked BPTT sum for one forget-gate weight: T·N terms whose sum is the reverse walk's gradient. */
    @Test
    void derive_works_backpropagation_through_time_for_one_forget_gate_weight() {
        CliTests.Run r = CliTests.run("derive", "examples/remedies/lstm-50.json");
        assertEquals(0, r.exitCode(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("the sum of the (\\d+) terms is (\\S+); the reverse "
                + "walk's W_hh1\\[(\\d+)\\]\\[\\d+\\] is (\\S+) \\(they differ by (\\S+),").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals("100", m.group(1), "50 steps, 2 samples");
        int row = Integer.parseInt(m.group(3));
        assertTrue(row >= 8 && row < 16, "a weight of the forget gate (rows 8–15 of W_hh1): " + row);
        assertEquals(m.group(4), m.group(2), "the sum is the walk's gradient");
        assertTrue(Double.parseDouble(m.group(5)) < 1e-15, m.group(0));
        assertTrue(r.out().contains("∂L/∂c_t[") && r.out().contains("f(1 − f)"), r.out());
    }
}
