package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions the fuzzers found ({@link SpecReaderFuzzProperties}), each as its minimal document with the exact
 * refusal: parser limits instead of a stack overflow or a heap exhausted, YAML aliases, one-line messages whatever
 * the file contains, and the size a spec's shapes imply refused before anything of that size exists.
 */
@DisplayName("SpecReader refuses hostile input")
class SpecReaderLimitsTests {

    /** A valid MLP spec around a replaceable layer list, for the size checks. */
    private static final String MLP = "{\"inputs\": %s, \"layers\": [{\"units\": %s, \"activation\": \"sigmoid\"}], "
            + "\"loss\": \"mse\", \"init\": {\"scheme\": \"he_normal\"}, \"data\": {\"x\": [[1]], \"y\": [[1]]}}";
    private static final String LECTURE = "{\"inputs\": 1, \"layers\": [{\"units\": 1, \"activation\": \"ACTIVATION\"}],"
            + " \"loss\": \"mse\", \"init\": {\"scheme\": \"he_normal\"}, \"data\": {\"x\": [[1]], \"y\": [[1]]}}";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String messageOf(Path file) {
        return assertThrows(SpecException.class, () -> SpecReader.readAny(file)).getMessage();
    }

    @Nested
    class ParserLimits {

        @Test
        void ten_thousand_nested_lists_are_refused_at_the_first_level_too_deep() throws IOException {
            for (String name : new String[] {"deep.json", "deep.yaml"}) {
                Path file = write(name, "[".repeat(10_000) + "]".repeat(10_000));
                assertEquals(file + ": line 1, column 102: <..." + "[".repeat(60) + "...> nests lists and objects more "
                        + "than 100 levels deep (a spec needs a few); look for brackets opened by mistake, or nest fewer "
                        + "levels", messageOf(file));
            }
        }

        @Test
        void deeply_indented_yaml_is_refused_like_brackets() throws IOException {
            StringBuilder text = new StringBuilder();
            for (int level = 0; level < 200; level++) {
                text.append(" ".repeat(level)).append("a:\n");
            }
            Path file = write("indented.yaml", text.toString());
            assertEquals(file + ": line 101, column 101: <..." + " ".repeat(58) + "a:> nests lists and objects more "
                    + "than 100 levels deep (a spec needs a few); look for brackets opened by mistake, or nest fewer "
                    + "levels", messageOf(file));
        }

        @Test
        void a_number_of_more_than_a_thousand_digits_is_refused() throws IOException {
            Path file = write("long.json", "{\"inputs\": 1" + "0".repeat(1000) + "}");
            assertEquals(file + ": line 1, column 1013: <..." + "0".repeat(59) + "}> has a number longer than 1000 "
                    + "characters; write it with fewer digits, e.g. 1.5e300", messageOf(file));
        }

        @Test
        void a_text_of_more_than_a_million_characters_is_refused() throws IOException {
            Path file = write("long.json", "{\"name\": \"" + "x".repeat(1_000_001) + "\"}");
            assertEquals(file + ": line 1, column 1000013: <..." + "x".repeat(58) + "\"}> has a text longer than "
                    + "1000000 characters; shorten the text", messageOf(file));
        }

        @Test
        void a_key_of_more_than_a_thousand_characters_is_refused() throws IOException {
            Path file = write("long.json", "{\"" + "k".repeat(1001) + "\": 1}");
            assertEquals(file + ": line 1, column 1005: <..." + "k".repeat(55) + "\": 1}> has a key longer than 1000 "
                    + "characters; shorten the key", messageOf(file));
        }

        @Test
        void a_device_is_refused_before_it_is_read_without_end() throws IOException {
            Path zero = Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero"));
            assertEquals(zero + ": (file): <" + zero.toAbsolutePath() + "> is not a regular file (it is a device, a "
                    + "pipe or a socket); give the path of a spec file", messageOf(zero));
        }

        @Test
        void a_file_larger_than_half_the_heap_is_refused_before_it_is_read() throws IOException {
            Path file = dir.resolve("huge.json");
            long heap = Runtime.getRuntime().maxMemory();
            try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
                sparse.setLength(heap / 2 + 1);
            }
            SpecException e = assertThrows(SpecException.class, () -> SpecReader.readAny(file));
            assertEquals(file + ": (file): <" + ModelSize.bytes(heap / 2 + 1) + "> is too large to read with the "
                    + ModelSize.bytes(heap) + " of heap this JVM has (a file needs twice its size or more while it is "
                    + "read); give Java more heap, e.g. java -Xmx" + ModelSize.gigabytesFor(3 * (heap / 2 + 1))
                    + "g -jar chainproof.jar", e.getMessage());
        }
    }

    @Nested
    class YamlAliases {

        @Test
        void a_character_outside_the_basic_plane_at_the_parsers_buffer_boundary_is_read() throws IOException {
            // SnakeYAML 2.3 read one character past its 1,024-character buffer when a surrogate pair straddled it
            String sigma = "\uD835\uDF0E";
            Path file = write("boundary.yaml", "name: " + "x".repeat(1017) + sigma + "\n" + "inputs: 0\n");
            assertEquals(file + ": layers: <missing> is required; add \"layers\", e.g. \"layers\": [{\"units\": 1, "
                    + "\"activation\": \"sigmoid\"}]", messageOf(file));
        }

        @Test
        void an_alias_is_refused_where_it_stands() throws IOException {
            Path file = write("alias.yaml", "name: lc\ninputs: 1\nlayers: [{units: 1, activation: sigmoid}]\nloss: mse\n"
                    + "init: {scheme: he_normal}\ndata: {x: &rows [[1]], y: *rows}\n");
            assertEquals(file + ": line 6, column 27: <data: {x: &rows [[1]], y: *rows}> has the YAML alias *rows (a "
                    + "reference to the value marked &rows), which a spec may not use; write the value out in full",
                    messageOf(file));
        }

        @Test
        void a_billion_laughs_are_refused_at_the_first_alias_at_once() throws IOException {
            StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (int i = 1; i < 10; i++) {
                laughs.append("a").append(i).append(": &a").append(i).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
            }
            Path file = write("laughs.yaml", laughs.toString());
            String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> messageOf(file));
            assertEquals(file + ": line 2, column 10: <a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]> has the "
                    + "YAML alias *a0 (a reference to the value marked &a0), which a spec may not use; write the value "
                    + "out in full", message);
        }

        @Test
        void an_alias_as_a_key_is_refused_in_plain_words() throws IOException {
            Path file = write("key.yaml", "*alias : 1\n");
            assertEquals(file + ": line 1, column 7: <*alias : 1> is not valid YAML: a key is the alias *alias, and a "
                    + "spec may not use aliases; check the indentation (spaces only), brackets and quotes just before "
                    + "this point", messageOf(file));
        }

        @Test
        void yaml_of_more_than_three_million_characters_is_refused_in_plain_words() throws IOException {
            // SnakeYAML's own limit said "The incoming YAML document exceeds the limit: 3145728 code points."
            Path file = write("long.yaml", "name: " + "x".repeat(3_200_000) + "\n");
            assertEquals(file + ": (file): <3200007 characters> is longer than the 3145728 characters a YAML spec may "
                    + "have (YAML is read about a hundred times slower than JSON); write the spec as JSON, which has no "
                    + "such limit", messageOf(file));
        }

        @Test
        void a_yaml_text_or_key_is_held_to_the_limits_of_json() throws IOException {
            Path text = write("text.yaml", "name: " + "x".repeat(1_000_001) + "\n");
            assertEquals(text + ": line 1, column 1000008: <..." + "x".repeat(60) + "> has a text longer than 1000000 "
                    + "characters; shorten the text", messageOf(text));
            Path key = write("key.yaml", "k".repeat(1001) + ": 1\n");
            assertEquals(key + ": line 1, column 1002: <..." + "k".repeat(57) + ": 1> has a key longer than 1000 "
                    + "characters; shorten the key", messageOf(key));
        }
    }

    @Nested
    class MessagesAreOneLine {

        @Test
        void control_characters_in_a_value_are_escaped() throws IOException {
            Path file = write("ansi.json", LECTURE.replace("ACTIVATION", "sig\\nmoid\\u001b[31m"));
            assertEquals(file + ": layers[0].activation: <sig\\nmoid\\u001B[31m> is not an activation; known: identity,"
                    + " sigmoid, tanh, relu, leaky_relu, softplus, silu, gelu, elu, softsign, softmax", messageOf(file));
        }

        @Test
        void a_line_break_and_a_direction_override_in_a_key_are_escaped() throws IOException {
            Path file = write("key.json", LECTURE.replace("\"loss\"", "\"lo\\nss\\u202e\""));
            assertEquals(file + ": lo\\nss\\u202E: <lo\\nss\\u202E> is not a spec key; known: name, inputs, layers, "
                    + "loss, parameters, init, data", messageOf(file));
        }

        @Test
        void an_empty_key_is_shown_in_quotes() throws IOException {
            Path file = write("empty-key.json", "{\"type\": \"formula\", \"\": 1}");
            assertEquals(file + ": \"\": <> is not a formula spec key; known: type, name, formula, parameters, inputs",
                    messageOf(file));
        }

        @Test
        void an_init_written_as_long_text_is_not_repeated_in_the_fix() throws IOException {
            // the fix once said: write "init": {"scheme": "<the whole text>"}
            Path file = write("init.json", LECTURE.replace("ACTIVATION", "sigmoid")
                    .replace("{\"scheme\": \"he_normal\"}", "\"" + "x".repeat(10_000) + "\""));
            assertEquals(file + ": init: <\"" + "x".repeat(59) + "...> is not an object; write \"init\": {\"scheme\": "
                    + "\"xavier_uniform\"}", messageOf(file));
        }

        @Test
        void a_long_misspelt_name_is_cut_and_compared_at_once() throws IOException {
            Path file = write("long-activation.json", LECTURE.replace("ACTIVATION", "s".repeat(900_000)));
            String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> messageOf(file));
            assertEquals(file + ": layers[0].activation: <" + "s".repeat(200) + "...> is not an activation; known: "
                    + "identity, sigmoid, tanh, relu, leaky_relu, softplus, silu, gelu, elu, softsign, softmax", message);
        }
    }

    @Nested
    class SizesAreCheckedBeforeAllocation {

        @Test
        void an_mlp_of_a_billion_units_with_init_is_refused_by_the_most_parameters() throws IOException {
            Path file = write("huge.json", String.format(MLP, 1_000_000, 1_000_000_000));
            assertEquals(file + ": layers[0].units: <1000001000000000 parameters> are more than the 2147483639 "
                    + "chainproof checks whatever the heap (layer 1 alone has 1000001000000000); use fewer or smaller "
                    + "layers", messageOf(file));
        }

        @Test
        void an_mlp_past_the_heap_is_refused_with_the_heap_it_needs() throws IOException {
            Path file = write("big.json", String.format(MLP, 40_000, 40_000));
            long parameters = 40_000L * 40_000 + 40_000;
            long need = parameters * ModelSize.MLP.bytesPerParameter() + 2 * 40_000 * ModelSize.BYTES_PER_VALUE;
            assertEquals(file + ": layers[0].units: <" + parameters + " parameters> are more than this JVM can check: "
                    + "at about 48 bytes each they need " + ModelSize.bytes(need) + " of heap, and it has "
                    + ModelSize.bytes(Runtime.getRuntime().maxMemory()) + " (layer 1 alone has " + parameters + "); use "
                    + "fewer or smaller layers, or give Java more heap, e.g. java -Xmx" + ModelSize.gigabytesFor(need)
                    + "g -jar chainproof.jar", messageOf(file));
        }
    }
}
