package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches of specs: with {@code --format json}, line i of stdout belongs to spec i, a failed spec's line being
 * {@code {"file": …, "error": …}}; the message also goes to stderr, and the exit code is the worst of the batch.
 */
class SpecBatchTests {

    private static final String GOOD = CliTests.LECTURE;
    private static final String OTHER = "examples/mlp-2-3-2-1.json";
    private static final String BAD = "examples/invalid/typo-activation.json";
    private static final String MISSING = "no/such/spec.json";

    /** Each command that takes several specs: good, bad, good, missing, good. */
    @ParameterizedTest
    @ValueSource(strings = {"gradient", "check", "bound"})
    void a_failed_spec_keeps_its_line_in_json_lines(String command) throws Exception {
        CliTests.Run batch = CliTests.run(command, GOOD, BAD, OTHER, MISSING, GOOD, "--format", "json");

        List<String> lines = batch.out().lines().toList();
        assertEquals(5, lines.size(), batch.out());
        assertEquals(Main.BAD_INPUT, batch.exitCode(), "the worst of the batch");
        assertEquals(single(command, GOOD), lines.get(0));
        assertEquals(single(command, OTHER), lines.get(2));
        assertEquals(single(command, GOOD), lines.get(4));
        List<String> messages = batch.err().lines().filter(l -> l.startsWith("chainproof: ")).toList();
        assertEquals(2, messages.size(), batch.err());
        for (int i = 0; i < 2; i++) {
            String file = i == 0 ? BAD : MISSING;
            JsonNode error = Json.mapper().readTree(lines.get(1 + 2 * i));
            assertEquals(List.of("file", "error"), fieldNames(error), lines.get(1 + 2 * i));
            assertEquals(file, error.get("file").asText());
            assertEquals(messages.get(i), "chainproof: " + error.get("error").asText(), "stdout's and stderr's message");
            assertTrue(error.get("error").asText().startsWith(file + ": "), error.toString());
        }
        assertTrue(messages.get(0).startsWith("chainproof: " + BAD + ": layers[1].activation: <sigmod> is not an "
                + "activation"), messages.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gradient", "check", "bound"})
    void in_text_a_failed_spec_prints_nothing_on_stdout(String command) {
        CliTests.Run batch = CliTests.run(command, BAD, GOOD);

        assertEquals(Main.BAD_INPUT, batch.exitCode());
        assertEquals(CliTests.run(command, GOOD).out(), batch.out());
        assertTrue(batch.err().startsWith("chainproof: " + BAD + ": "), batch.err());
    }

    @Test
    void an_internal_error_of_one_spec_keeps_its_line_and_the_batch_goes_on() {
        SpecFiles files = new SpecFiles();
        files.format = OutputFormat.json;
        files.specs = List.of(Path.of("a.json"), Path.of("b.json"), Path.of("c.json"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = SpecBatch.run(files, new PrintWriter(out), new PrintWriter(err), new CommonOptions(), spec -> {
            if (spec.toString().equals("b.json")) {
                throw new IllegalStateException("broken <b>");
            }
            out.write("{\"ok\":\"" + spec + "\"}\n");
            return spec.toString().equals("c.json") ? Main.CHECK_FAILED : 0;
        });

        assertEquals(Main.INTERNAL_ERROR, code, "the worst of 0, 3 and 1");
        assertEquals("{\"ok\":\"a.json\"}\n{\"file\":\"b.json\",\"error\":\"internal error: java.lang.IllegalStateException: "
                + "broken <b> (run with --debug for the stack trace)\"}\n{\"ok\":\"c.json\"}\n", out.toString());
        assertEquals("chainproof: internal error: java.lang.IllegalStateException: broken <b> (run with --debug for the "
                + "stack trace)\n", err.toString());
    }

    @Test
    void a_message_with_quotes_and_newlines_stays_one_line_of_json() throws Exception {
        String line = SpecBatch.errorLine(Path.of("dir/\"odd\".json"), "line one\nline \"two\"\t\\");

        assertEquals(1, line.lines().count(), line);
        JsonNode error = Json.mapper().readTree(line);
        assertEquals("dir/\"odd\".json", error.get("file").asText());
        assertEquals("line one\nline \"two\"\t\\", error.get("error").asText());
    }

    /** The same command's output for the spec alone. */
    private static String single(String command, String spec) {
        CliTests.Run alone = CliTests.run(command, spec, "--format", "json");
        assertEquals(1, alone.out().lines().count(), alone.out());
        return alone.out().strip();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
