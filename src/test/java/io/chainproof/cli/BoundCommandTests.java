package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bound} as a user runs it, through picocli. */
class BoundCommandTests {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new BoundCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void prints_the_norm_used_and_one_row_per_layer() {
        Run r = run("examples/lecture-chain-saturated.json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("norm: spectral norm ‖W‖₂, Frobenius norm of the gradient\n"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("    1  ") && l.endsWith("vanishing")), r.out());
    }

    @Test
    void prints_one_json_object_per_spec() throws Exception {
        Run r = run("examples/lecture-chain.json", "examples/mlp-2-3-2-1.json", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals(3, first.get("layers").size());
        assertEquals("exploding", first.get("layers").get(0).get("regime").asText());
    }

    @Test
    void a_missing_file_exits_with_bad_input() {
        Run r = run("examples/no-such-spec.json");
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("chainproof: "), r.err());
    }
}
