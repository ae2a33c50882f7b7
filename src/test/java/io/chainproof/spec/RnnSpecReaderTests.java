package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("RnnSpecReader")
class RnnSpecReaderTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "rnn.json";
    private static final String GOOD = """
            { "type": "rnn", "name": "tiny", "inputs": 1, "hidden": 2, "activation": "tanh",
              "outputs": 1, "output_activation": "identity", "loss": "mse", "loss_at": "every",
              "parameters": { "Wh": [[0.5, 0.1], [0.0, 0.4]], "Wx": [[1.0], [-1.0]], "b": [0.0, 0.1],
                              "Wy": [[1.0, 1.0]], "by": [0.0], "h0": [0.2, -0.2] },
              "data": { "x": [[[1.0], [0.5], [0.0]]], "y": [[[0.2], [0.1], [0.0]]] } }
            """;

    private static ObjectNode good() {
        try {
            return (ObjectNode) JSON.readTree(GOOD);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageOf(Consumer<ObjectNode> change) {
        ObjectNode root = good();
        change.accept(root);
        return assertThrows(SpecException.class, () -> RnnSpecReader.read(SOURCE, root)).getMessage();
    }

    private static ObjectNode parameters(ObjectNode root) {
        return (ObjectNode) root.get("parameters");
    }

    private static ObjectNode data(ObjectNode root) {
        return (ObjectNode) root.get("data");
    }

    @Test
    void reads_every_field_of_a_good_spec() {
        RnnSpec spec = RnnSpecReader.read(SOURCE, good());
        assertEquals("tiny", spec.name());
        assertEquals(SOURCE, spec.source());
        assertEquals(1, spec.inputs());
        assertEquals(2, spec.hidden());
        assertEquals(Activation.TANH, spec.activation());
        assertEquals(Activation.IDENTITY, spec.outputActivation());
        assertEquals(Loss.MSE, spec.loss());
        assertEquals(RnnSpec.LossAt.EVERY, spec.lossAt());
        assertArrayEquals(new double[][] {{0.5, 0.1}, {0.0, 0.4}}, spec.wh());
        assertArrayEquals(new double[] {0.2, -0.2}, spec.h0());
        assertEquals(1, spec.samples());
        assertEquals(3, spec.steps(0));
        assertArrayEquals(new double[] {0.1}, spec.y()[0][1]);
    }

    @Test
    void h0_defaults_to_zeros_and_the_name_to_the_file_name() {
        ObjectNode root = good();
        parameters(root).remove("h0");
        root.remove("name");
        RnnSpec spec = RnnSpecReader.read("dir/my-rnn.json", root);
        assertArrayEquals(new double[] {0.0, 0.0}, spec.h0());
        assertEquals("my-rnn", spec.name());
    }

    @Test
    void last_step_targets_are_one_row_per_sample() {
        ObjectNode root = good();
        root.put("loss_at", "last");
        data(root).set("y", JSON.createArrayNode().add(JSON.createArrayNode().add(0.7)));
        RnnSpec spec = RnnSpecReader.read(SOURCE, root);
        assertEquals(RnnSpec.LossAt.LAST, spec.lossAt());
        assertArrayEquals(new double[][][] {{{0.7}}}, spec.y());
    }

    @Test
    void arrays_are_copied_in_and_out() {
        RnnSpec spec = RnnSpecReader.read(SOURCE, good());
        spec.wh()[0][0] = 99;
        spec.x()[0][0][0] = 99;
        assertEquals(0.5, spec.wh()[0][0]);
        assertEquals(1.0, spec.x()[0][0][0]);
    }

    static Stream<Arguments> bad_specs() {
        return Stream.of(
                Arguments.of("unknown key", (Consumer<ObjectNode>) r -> r.put("layers", 1),
                        "rnn.json: layers: <layers> is not an rnn spec key; known: type, name, inputs, hidden, "
                                + "activation, outputs, output_activation, loss, loss_at, parameters, data"),
                Arguments.of("misspelt key", (Consumer<ObjectNode>) r -> r.set("hiden", r.remove("hidden")),
                        "rnn.json: hiden: <hiden> is not an rnn spec key; known: type, name, inputs, hidden, "
                                + "activation, outputs, output_activation, loss, loss_at, parameters, data "
                                + "(did you mean hidden?)"),
                Arguments.of("missing type", (Consumer<ObjectNode>) r -> r.remove("type"),
                        "rnn.json: type: <missing> is required; add \"type\": \"rnn\""),
                Arguments.of("wrong type", (Consumer<ObjectNode>) r -> r.put("type", "mlp"),
                        "rnn.json: type: <mlp> is not rnn; write \"type\": \"rnn\" for a recurrent network"),
                Arguments.of("missing loss_at", (Consumer<ObjectNode>) r -> r.remove("loss_at"),
                        "rnn.json: loss_at: <missing> is required; add \"loss_at\": \"last\" (loss at the last step) "
                                + "or \"every\" (summed over steps)"),
                Arguments.of("bad loss_at", (Consumer<ObjectNode>) r -> r.put("loss_at", "each"),
                        "rnn.json: loss_at: <each> is not a loss_at value; known: last, every"),
                Arguments.of("misspelt loss_at", (Consumer<ObjectNode>) r -> r.put("loss_at", "evry"),
                        "rnn.json: loss_at: <evry> is not a loss_at value; known: last, every (did you mean every?)"),
                Arguments.of("numeric loss_at", (Consumer<ObjectNode>) r -> r.put("loss_at", 1),
                        "rnn.json: loss_at: <1> is not text; write a loss_at value name such as \"every\""),
                Arguments.of("quoted hidden", (Consumer<ObjectNode>) r -> r.put("hidden", "2"),
                        "rnn.json: hidden: <\"2\"> is not a whole number; remove the quotes"),
                Arguments.of("zero hidden", (Consumer<ObjectNode>) r -> r.put("hidden", 0),
                        "rnn.json: hidden: <0> must be at least 1; give the number of hidden units, e.g. \"hidden\": 3"),
                Arguments.of("softmax hidden", (Consumer<ObjectNode>) r -> r.put("activation", "softmax"),
                        "rnn.json: activation: <softmax> is not a recurrent activation; use tanh, sigmoid or relu"),
                Arguments.of("bce without sigmoid", (Consumer<ObjectNode>) r -> r.put("loss", "bce"),
                        "rnn.json: loss: <bce> needs outputs in (0, 1), but output_activation is identity; "
                                + "use \"output_activation\": \"sigmoid\", or a loss such as mse"),
                Arguments.of("unknown parameter", (Consumer<ObjectNode>) r -> parameters(r).put("W1", 1),
                        "rnn.json: parameters.W1: <W1> is not a parameter of an rnn; an rnn has Wh, Wx, b, Wy, by "
                                + "(and optionally h0), not the layer names W1, b1, ... of an mlp"),
                Arguments.of("misspelt parameter", (Consumer<ObjectNode>) r -> parameters(r).put("Wyy", 1),
                        "rnn.json: parameters.Wyy: <Wyy> is not a parameter of an rnn; known: Wh, Wx, b, Wy, by, h0 "
                                + "(did you mean Wy?)"),
                Arguments.of("missing Wy", (Consumer<ObjectNode>) r -> parameters(r).remove("Wy"),
                        "rnn.json: parameters.Wy: <missing> is required; add \"Wy\" as a [1][2] matrix (outputs × hidden)"),
                Arguments.of("Wh with one row too few", (Consumer<ObjectNode>) r ->
                                ((ArrayNode) parameters(r).get("Wh")).remove(1),
                        "rnn.json: parameters.Wh: <1 rows> has the wrong shape, expected [2][2]; give Wh 2 rows "
                                + "(one per hidden unit) of 2 entries (one per hidden unit), the PyTorch layout"),
                Arguments.of("transposed Wx", (Consumer<ObjectNode>) r -> parameters(r).set("Wx",
                                JSON.createArrayNode().add(JSON.createArrayNode().add(1.0).add(-1.0))),
                        "rnn.json: parameters.Wx: <1 rows> has the wrong shape, expected [2][1]; give Wx 2 rows "
                                + "(one per hidden unit) of 1 entry (one per input), the PyTorch layout"),
                Arguments.of("short b", (Consumer<ObjectNode>) r -> ((ArrayNode) parameters(r).get("b")).remove(0),
                        "rnn.json: parameters.b: <[0.1]> has 1 entry, expected 2; give b one entry per hidden unit"),
                Arguments.of("long h0", (Consumer<ObjectNode>) r -> ((ArrayNode) parameters(r).get("h0")).add(0.0),
                        "rnn.json: parameters.h0: <[0.2, -0.2, 0.0]> has 3 entries, expected 2; give h0 one entry "
                                + "per hidden unit, or leave it out for zeros"),
                Arguments.of("x as a matrix", (Consumer<ObjectNode>) r -> data(r).set("x",
                                JSON.createArrayNode().add(1.0)),
                        "rnn.json: data.x: <[1.0]> is not a list of sequences; write x as one list of step rows "
                                + "per sample, e.g. [[[1.0], [0.5]]]"),
                Arguments.of("x step too wide", (Consumer<ObjectNode>) r ->
                                ((ArrayNode) data(r).get("x").get(0).get(1)).add(2.0),
                        "rnn.json: data.x[0][1]: <[0.5, 2.0]> has 2 entries, expected 1; every step of data.x "
                                + "needs one entry per input (inputs = 1)"),
                Arguments.of("y with fewer steps than x", (Consumer<ObjectNode>) r ->
                                ((ArrayNode) data(r).get("y").get(0)).remove(2),
                        "rnn.json: data.y[0]: <2 steps> does not match the 3 steps of data.x[0]; "
                                + "with \"loss_at\": \"every\" give one row of targets per step"),
                Arguments.of("last with per-step targets", (Consumer<ObjectNode>) r -> r.put("loss_at", "last"),
                        "rnn.json: data.y[0]: <[[0.2],[0.1],[0.0]]> is a sequence of targets, but loss_at is last; "
                                + "give one row of targets per sample ([samples][outputs]), or use \"loss_at\": \"every\""),
                Arguments.of("no samples", (Consumer<ObjectNode>) r -> {
                            data(r).set("x", JSON.createArrayNode());
                            data(r).set("y", JSON.createArrayNode());
                        },
                        "rnn.json: data.x: <[]> has no samples; add at least one sequence, e.g. [[[1.0], [0.5]]]"),
                Arguments.of("last-step targets that are an object (once a NullPointerException)",
                        (Consumer<ObjectNode>) r -> {
                            r.put("loss_at", "last");
                            data(r).putObject("y").put("scheme", "he_normal");
                        },
                        "rnn.json: data.y: <{\"scheme\":\"he_normal\"}> is not a list of rows; write y as a list of "
                                + "rows, e.g. [[0.5, -1.0]]"),
                Arguments.of("unknown data key", (Consumer<ObjectNode>) r -> data(r).put("z", 1),
                        "rnn.json: data.z: <z> is not a data key; known: x, y"),
                Arguments.of("root not an object", (Consumer<ObjectNode>) r -> r.removeAll(),
                        "rnn.json: type: <missing> is required; add \"type\": \"rnn\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad_specs")
    void each_broken_rule_gets_its_exact_message(String what, Consumer<ObjectNode> change, String message) {
        assertEquals(message, messageOf(change));
    }

    @Test
    void a_root_that_is_not_an_object_is_rejected_as_a_whole() {
        JsonNode root = JSON.createArrayNode();
        SpecException e = assertThrows(SpecException.class, () -> RnnSpecReader.read(SOURCE, root));
        assertEquals("rnn.json: (file): <[]> is not an object; write the RNN spec as an object with \"type\": "
                + "\"rnn\", inputs, hidden, ..., parameters and data", e.getMessage());
    }

    @Test
    void a_spec_built_in_code_is_checked_too() {
        SpecException e = assertThrows(SpecException.class, () -> new RnnSpec("n", "<string>", 1, 1,
                Activation.GELU, 1, Activation.IDENTITY, Loss.MSE, RnnSpec.LossAt.LAST, new double[][] {{0}},
                new double[][] {{0}}, new double[] {0}, new double[][] {{0}}, new double[] {0}, null,
                new double[][][] {{{0}}}, new double[][][] {{{0}}}));
        assertEquals("<string>: activation: <gelu> is not a recurrent activation; use tanh, sigmoid or relu",
                e.getMessage());
    }

    @Test
    void a_hidden_layer_too_large_for_any_heap_is_refused_before_its_parameters_are_read() {
        assertEquals("rnn.json: hidden: <4000000008000000001 parameters> are more than the 16777216 chainproof checks "
                + "whatever the heap (the hidden layer (Wh, Wx, b, h0) alone has 4000000006000000000); use fewer or "
                + "smaller layers", messageOf(r -> r.put("hidden", 2_000_000_000)));
    }

    @Test
    void more_steps_than_the_heap_holds_are_refused_naming_the_steps() {
        long heap = Runtime.getRuntime().maxMemory();
        int hidden = 4000;
        long perStep = 4L * hidden + 2;
        int steps = (int) (heap / (perStep * ModelSize.BYTES_PER_VALUE)) + 1;
        String message = messageOf(r -> {
            r.put("hidden", hidden);
            com.fasterxml.jackson.databind.node.ArrayNode sequence = data(r).putArray("x").addArray();
            for (int t = 0; t < steps; t++) {
                sequence.addArray().add(1.0);
            }
        });
        long parameters = (long) hidden * hidden + hidden + 2L * hidden + hidden + 1;
        long need = parameters * 160 + steps * perStep * ModelSize.BYTES_PER_VALUE;
        assertEquals("rnn.json: data.x: <" + steps + " steps> of " + perStep + " values each are more than this JVM "
                + "can check: at about 32 bytes per value they need " + ModelSize.bytes(need) + " of heap, and it has "
                + ModelSize.bytes(heap) + " (the hidden layer (Wh, Wx, b, h0) alone makes 16000 per step); give fewer "
                + "steps or use smaller layers, or give Java more heap, e.g. java -Xmx" + ModelSize.gigabytesFor(need)
                + "g -jar chainproof.jar", message);
    }
}
