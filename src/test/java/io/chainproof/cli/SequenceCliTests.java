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
        assertTrue(b.out().lines().anyMatch(l -> l.startsWith("1") && l.contains("lstm") && l.contains("—")),
                "a recurrent layer's bound is not a product of op bounds, so none is claimed: " + b.out());
        CliTests.Run json = CliTests.run("bound", GRU, "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(JSON.readTree(json.out()).get("layers").get(0).get("certified").isNull(), json.out());
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
        }
    }
}
