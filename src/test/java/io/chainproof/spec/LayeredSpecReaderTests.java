package io.chainproof.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.ops.Activation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("LayeredSpecReader")
class LayeredSpecReaderTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "cnn.json";
    /** conv1d → max pool → flatten → residual (dense, layer norm) → batch norm → dense softmax, 3 samples. */
    private static final String GOOD = """
            { "name": "tiny-cnn", "inputs": [1, 6],
              "layers": [ {"type": "conv1d", "channels": 2, "kernel": 3, "padding": 1, "activation": "tanh"},
                          {"type": "max_pool1d", "kernel": 2}, {"type": "flatten"},
                          {"type": "residual", "layers": [{"type": "dense", "units": 6, "activation": "relu"},
                                                          {"type": "layer_norm"}]},
                          {"type": "batch_norm", "eps": 0.001},
                          {"units": 2, "activation": "softmax"} ],
              "loss": "cross_entropy",
              "parameters": { "W1": [[[0.1, 0.2, 0.3]], [[-0.2, 0.1, 0.05]]], "b1": [0.0, 0.1],
                              "W4.1": [[0.1,0.2,0.3,-0.1,0.2,0.1],[0.3,-0.2,0.1,0.2,0.1,-0.3],[0.2,0.1,-0.1,0.3,0.2,0.1],
                                       [0.1,0.1,0.1,0.1,-0.2,0.2],[-0.1,0.2,0.3,0.1,0.1,0.2],[0.2,-0.3,0.1,0.2,0.3,0.1]],
                              "b4.1": [0.1, 0.05, -0.05, 0.2, 0.1, 0.3],
                              "gamma4.2": [1,1,1,1,1,1], "beta4.2": [0,0,0,0,0,0],
                              "gamma5": [1,1.1,0.9,1,1,1], "beta5": [0,0.1,0,0,0,0],
                              "W6": [[0.5, -0.5, 0.25, 0.1, 0.2, 0.3], [0.1, 0.2, -0.3, 0.4, 0.1, 0.2]], "b6": [0.0, 0.1] },
              "data": { "x": [[[1, 2, 3, 4, 5, 6]], [[0, 1, 0, 1, 0, 1]], [[0.5, -1, 2, 0.3, 0.1, -0.4]]],
                        "y": [[1, 0], [0, 1], [1, 0]] } }
            """;

    private static final String EMBEDDING = """
            { "inputs": [4],
              "layers": [ {"type": "embedding", "vocabulary": 5, "dim": 2},
                          {"type": "flatten"}, {"type": "dense", "units": 1} ],
              "loss": "mse",
              "parameters": { "E1": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8], [0.9, 1.0]],
                              "W3": [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]], "b3": [0.0] },
              "data": { "x": [[0, 4, 4, 2], [1, 1, 3, 0]], "y": [[0.5], [0.1]] } }
            """;

    /** An LSTM over 3 steps of 2 features, its last hidden state to one output; parameters drawn by init. */
    private static final String LSTM = """
            { "inputs": [3, 2],
              "layers": [ {"type": "lstm", "hidden": 2, "return": "last"}, {"type": "dense", "units": 1} ],
              "loss": "mse", "init": {"scheme": "xavier_uniform", "seed": 4},
              "data": { "x": [[[0.1, 0.2], [0.3, -0.1], [0.0, 0.5]]], "y": [[0.2]] } }
            """;

    private static ObjectNode tree(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageOf(String text, Consumer<ObjectNode> change) {
        ObjectNode root = tree(text);
        change.accept(root);
        return assertThrows(SpecException.class, () -> LayeredSpecReader.read(SOURCE, root)).getMessage();
    }

    private static ObjectNode layer(ObjectNode root, int i) {
        return (ObjectNode) root.get("layers").get(i);
    }

    @Test
    void recurrent_layers_own_pytorchs_stacked_weights_and_give_a_sequence_or_the_last_state() {
        LayeredSpec spec = LayeredSpecReader.read(SOURCE, tree(LSTM));
        assertEquals(List.of("W_ih1", "W_hh1", "b_ih1", "b_hh1", "W2", "b2"), List.copyOf(spec.parameters().keySet()));
        assertArrayEquals(new int[] {8, 2}, spec.parameters().get("W_ih1").shape());
        assertArrayEquals(new int[] {8, 2}, spec.parameters().get("W_hh1").shape());
        assertArrayEquals(new int[] {1}, spec.outputShape());
        LayeredSpec sequence = LayeredSpecReader.read(SOURCE, tree(LSTM.replace("\"lstm\", \"hidden\": 2, \"return\": "
                + "\"last\"", "\"gru\", \"hidden\": 2").replace("\"y\": [[0.2]]", "\"y\": [[[0.2], [0.1], [0.0]]]")));
        assertArrayEquals(new int[] {6, 2}, sequence.parameters().get("W_ih1").shape());
        assertArrayEquals(new int[] {3, 1}, sequence.outputShape());
    }

    @Test
    void a_recurrent_layer_needs_a_sequence_and_an_rnn_only_tanh_or_relu() {
        String vector = messageOf(LSTM, r -> {
            r.putArray("inputs").add(2);
            ((ArrayNode) r.get("data").get("x")).removeAll().addArray().add(0.1).add(0.2);
        });
        assertTrue(vector.startsWith("cnn.json: layers[0].type: <lstm> needs samples of shape [T, F] (steps × features), "
                + "but layer 1 (lstm) receives samples of shape [2]"), vector);
        String sigmoid = messageOf(LSTM, r -> layer(r, 0).put("type", "rnn").put("activation", "sigmoid"));
        assertTrue(sigmoid.startsWith("cnn.json: layers[0].activation: <sigmoid> is not a nonlinearity of an rnn layer"),
                sigmoid);
        assertTrue(sigmoid.contains("use \"tanh\" (the default) or \"relu\""), sigmoid);
        String missing = messageOf(LSTM, r -> layer(r, 0).remove("hidden"));
        assertTrue(missing.contains("layers[0]") && missing.contains("hidden"), missing);
        String returns = messageOf(LSTM, r -> layer(r, 0).put("return", "all"));
        assertTrue(returns.startsWith("cnn.json: layers[0].return: <all>"), returns);
        assertTrue(returns.contains("sequence") && returns.contains("last"), returns);
    }

    @Test
    void attention_owns_pytorchs_projections_and_its_heads_must_divide_the_width() {
        String text = LSTM.replace("{\"type\": \"lstm\", \"hidden\": 2, \"return\": \"last\"}",
                "{\"type\": \"attention\", \"heads\": 2, \"causal\": true}, {\"type\": \"flatten\"}");
        LayeredSpec spec = LayeredSpecReader.read(SOURCE, tree(text));
        assertEquals(List.of("W_in1", "b_in1", "W_out1", "b_out1", "W3", "b3"), List.copyOf(spec.parameters().keySet()));
        assertArrayEquals(new int[] {6, 2}, spec.parameters().get("W_in1").shape());
        String odd = messageOf(text, r -> layer(r, 0).put("heads", 3));
        assertTrue(odd.startsWith("cnn.json: layers[0].heads: <3> does not divide the width 2"), odd);
        String causal = messageOf(text, r -> layer(r, 0).put("causal", "yes"));
        assertTrue(causal.startsWith("cnn.json: layers[0].causal: <\"yes\"> is not true or false"), causal);
    }

    @Test
    void reads_every_layer_its_parameters_and_data() {
        LayeredSpec spec = LayeredSpecReader.read(SOURCE, tree(GOOD));
        assertEquals("tiny-cnn", spec.name());
        assertArrayEquals(new int[] {1, 6}, spec.inputShape());
        assertEquals(List.of("conv1d", "max_pool1d", "flatten", "residual", "batch_norm", "dense"),
                spec.layers().stream().map(LayeredSpec.Layer::type).toList());
        LayeredSpec.Conv conv = assertInstanceOf(LayeredSpec.Conv.class, spec.layers().get(0));
        assertArrayEquals(new int[] {1}, conv.padding());
        assertArrayEquals(new int[] {1}, conv.stride());
        assertEquals(Activation.TANH, conv.activation());
        LayeredSpec.Pool pool = assertInstanceOf(LayeredSpec.Pool.class, spec.layers().get(1));
        assertArrayEquals(new int[] {2}, pool.stride(), "the stride defaults to the kernel");
        LayeredSpec.Residual residual = assertInstanceOf(LayeredSpec.Residual.class, spec.layers().get(3));
        assertEquals("4.2", residual.layers().get(1).position());
        assertEquals(0.001, ((LayeredSpec.Norm) spec.layers().get(4)).eps());
        assertEquals(List.of("W1", "b1", "W4.1", "b4.1", "gamma4.2", "beta4.2", "gamma5", "beta5", "W6", "b6"),
                List.copyOf(spec.parameters().keySet()));
        assertArrayEquals(new int[] {2, 1, 3}, spec.parameters().get("W1").shape());
        assertArrayEquals(new double[] {-0.2, 0.1, 0.05}, java.util.Arrays.copyOfRange(
                spec.parameters().get("W1").values(), 3, 6));
        assertEquals(3, spec.samples());
        assertArrayEquals(new int[] {2}, spec.outputShape());
        assertEquals(Activation.SOFTMAX, spec.outputActivation());
    }

    @Test
    void an_mlp_spec_stays_an_mlp_and_a_layer_type_or_a_shaped_input_makes_a_layered_model() {
        assertFalse(LayeredSpecReader.isLayered(tree("{\"inputs\": 2, \"layers\": [{\"units\": 1}]}")));
        assertTrue(LayeredSpecReader.isLayered(tree("{\"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"units\": 1}]}")));
        assertTrue(LayeredSpecReader.isLayered(tree("{\"inputs\": [2, 3], \"layers\": [{\"units\": 1}]}")));
    }

    @Test
    void a_residual_block_that_changes_the_shape_is_refused_with_both_shapes() {
        String m = messageOf(GOOD, r -> ((ObjectNode) layer(r, 3).get("layers").get(0)).put("units", 4));
        assertEquals("cnn.json: layers[3].layers: <[4]> is the shape the block gives, but a residual block must keep "
                + "its input's shape [6]; make the block's last layer give [6] (e.g. dense with units 6)", m);
    }

    @Test
    void a_kernel_larger_than_its_input_names_the_layer_the_shape_and_a_fix() {
        String m = messageOf(GOOD, r -> layer(r, 0).put("kernel", 9).put("padding", 0));
        assertEquals("cnn.json: layers[0].kernel: <9> spans 9 positions, more than the 6 of axis 1 (with padding 0) "
                + "that layer 1 (conv1d) receives samples of shape [1, 6]: it leaves 0 positions; use a kernel of "
                + "at most 6, or padding", m);
    }

    @Test
    void a_pooling_that_leaves_no_positions_is_refused() {
        String m = messageOf(GOOD, r -> layer(r, 1).put("kernel", 7));
        assertTrue(m.startsWith("cnn.json: layers[1].kernel: <7> spans 7 positions, more than the 6 of axis 1"), m);
        assertTrue(m.contains("layer 2 (max_pool1d) receives samples of shape [2, 6]"), m);
    }

    @Test
    void a_convolution_on_vectors_is_refused_with_the_shape_it_needs() {
        String m = messageOf(GOOD, r -> r.putArray("inputs").add(6));
        assertTrue(m.startsWith("cnn.json: layers[0].type: <conv1d> needs samples of shape [C, L], but layer 1 "
                + "(conv1d) receives samples of shape [6]"), m);
    }

    @Test
    void embedding_ids_must_be_whole_and_in_range() {
        String outOfRange = messageOf(EMBEDDING, r -> ((ArrayNode) r.get("data").get("x").get(1)).set(2, 5));
        assertEquals("cnn.json: data.x[1][2]: <5> is not an id of layer 1 (embedding): ids are whole numbers from 0 "
                + "to 4; use whole ids below the vocabulary 5, or enlarge the vocabulary", outOfRange);
        String fractional = messageOf(EMBEDDING, r -> ((ArrayNode) r.get("data").get("x").get(0)).set(0, 1.5));
        assertTrue(fractional.startsWith("cnn.json: data.x[0][0]: <1.5> is not an id of layer 1"), fractional);
        LayeredSpec spec = LayeredSpecReader.read(SOURCE, tree(EMBEDDING));
        assertArrayEquals(new int[] {1}, spec.outputShape());
    }

    @Test
    void an_embedding_must_come_first() {
        String m = messageOf(EMBEDDING, r -> {
            ArrayNode layers = (ArrayNode) r.get("layers");
            layers.insert(0, tree("{\"type\": \"dense\", \"units\": 4}"));
        });
        assertTrue(m.startsWith("cnn.json: layers[1].type: <embedding> must be the first layer"), m);
    }

    @Test
    void batch_norm_needs_two_values_per_channel() {
        String m = messageOf(GOOD, r -> {
            ((ArrayNode) r.get("data").get("x")).remove(2);
            ((ArrayNode) r.get("data").get("x")).remove(1);
            ((ArrayNode) r.get("data").get("y")).remove(2);
            ((ArrayNode) r.get("data").get("y")).remove(1);
        });
        assertEquals("cnn.json: data.x: <1 sample> give layer 5 (batch_norm) 1 value per channel; batch statistics "
                + "need 2 or more; give 2 or more samples (PyTorch refuses 1 in training mode)", m);
    }

    @Test
    void parameters_are_named_by_position_with_pytorch_shapes() {
        String wrongShape = messageOf(GOOD, r -> ((ObjectNode) r.get("parameters")).putArray("b1").add(0.0));
        assertEquals("cnn.json: parameters.b1: <[0.0]> has 1 entries, but its shape [2] needs 2 here (axis 1); "
                + "give a nested list of shape [2]", wrongShape);
        String unknown = messageOf(GOOD, r -> ((ObjectNode) r.get("parameters")).putArray("W2").add(0.0));
        assertTrue(unknown.startsWith("cnn.json: parameters.W2: <W2> is not a parameter of this model (its "
                + "parameters: W1, b1, W4.1, b4.1, gamma4.2, beta4.2, gamma5, beta5, W6, b6)"), unknown);
        String missing = messageOf(GOOD, r -> ((ObjectNode) r.get("parameters")).remove("gamma4.2"));
        assertEquals("cnn.json: parameters.gamma4.2: <missing> is required; add \"gamma4.2\" of shape [6]", missing);
    }

    @Test
    void layer_types_keys_and_activations_are_checked() {
        String type = messageOf(GOOD, r -> layer(r, 0).put("type", "conv3d"));
        assertTrue(type.startsWith("cnn.json: layers[0].type: <conv3d> is not a layer type"), type);
        String key = messageOf(GOOD, r -> layer(r, 2).put("units", 3));
        assertTrue(key.startsWith("cnn.json: layers[2].units: <units> is not a key of this layer"), key);
        String softmax = messageOf(GOOD, r -> layer(r, 0).put("activation", "softmax"));
        assertEquals("cnn.json: layers[0].activation: <softmax> is allowed only on the last layer; use softmax on the "
                + "last layer only, with a loss such as cross_entropy", softmax);
        String loss = messageOf(GOOD, r -> layer(r, 5).put("activation", "tanh"));
        assertTrue(loss.startsWith("cnn.json: loss: <cross_entropy> needs outputs in (0, 1), but layer 6 has "
                + "activation tanh"), loss);
    }

    @Test
    void a_model_without_parameters_has_nothing_to_check() {
        String m = messageOf("""
                { "inputs": [1, 4], "layers": [{"type": "max_pool1d", "kernel": 2}, {"type": "flatten"}],
                  "loss": "mse", "parameters": {}, "data": {"x": [[[1, 2, 3, 4]]], "y": [[1, 2]]} }
                """, r -> { });
        assertEquals("cnn.json: layers: <2 layers> have no parameters, so there is no gradient to compute; add a "
                + "layer with weights, such as {\"type\": \"dense\", \"units\": 1}", m);
    }

    @Test
    void init_draws_weights_by_position_and_starts_norms_at_one_and_zero() {
        ObjectNode root = tree(GOOD);
        root.remove("parameters");
        root.putObject("init").put("scheme", "he_uniform").put("seed", 7);
        LayeredSpec spec = LayeredSpecReader.read(SOURCE, root);
        assertEquals(List.of("W1", "b1", "W4.1", "b4.1", "gamma4.2", "beta4.2", "gamma5", "beta5", "W6", "b6"),
                List.copyOf(spec.parameters().keySet()));
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, spec.parameters().get("gamma4.2").values());
        assertArrayEquals(new double[6], spec.parameters().get("beta5").values());
        assertArrayEquals(new double[2], spec.parameters().get("b1").values());
        double[] w1 = spec.parameters().get("W1").values();
        double bound = Math.sqrt(6.0 / 3); // he_uniform: √(6 / fan-in), fan-in = 1 channel × kernel 3
        assertTrue(java.util.Arrays.stream(w1).allMatch(w -> Math.abs(w) <= bound) && w1[0] != w1[1],
                java.util.Arrays.toString(w1));
        assertArrayEquals(w1, LayeredSpecReader.read(SOURCE, root).parameters().get("W1").values(), "the seed fixes them");
        String both = messageOf(GOOD, r -> r.putObject("init").put("scheme", "he_uniform"));
        assertTrue(both.startsWith("cnn.json: init: "), both);
        assertTrue(both.contains("cannot be combined with \"parameters\""), both);
    }

    @Test
    void type_layered_names_a_layered_model_explicitly() {
        ObjectNode root = tree(GOOD);
        root.put("type", "layered");
        LayeredSpec spec = assertInstanceOf(LayeredSpec.class,
                SpecReader.parseAny(root.toString(), SOURCE, SpecFormat.JSON));
        assertEquals("tiny-cnn", spec.name());
    }

    @Test
    void a_convolution_whose_weights_overflow_a_long_is_refused_not_read_as_empty() {
        // W1 is [2^20][1][2^24][2^24] = 2^68 entries: the old count wrapped to 0 and the spec was read and checked
        String huge = """
                { "inputs": [1, 1, 1],
                  "layers": [ {"type": "conv2d", "channels": 1048576, "kernel": 16777216, "padding": 8388608},
                              {"type": "flatten"}, {"type": "dense", "units": 1} ],
                  "loss": "mse", "init": {"scheme": "he_normal"}, "data": { "x": [[[[1]]]], "y": [[1]] } }
                """;
        assertEquals("cnn.json: layers[0]: <9223372036854775807 or more parameters> are more than the 16777216 "
                + "chainproof checks whatever the heap (layer 1 (conv2d) alone has 9223372036854775807 or more); use "
                + "fewer or smaller layers", messageOf(huge, r -> { }));
    }

    @Test
    void the_samples_a_model_cannot_hold_are_refused_naming_the_widest_layer() {
        // self-attention over 4096 steps scores 4096² pairs per sample: a few samples fill any heap of a test run
        long heap = Runtime.getRuntime().maxMemory();
        long attention = 4096L * 4096 + 4 * 4096 + 4096;
        long perSample = attention + 4096;
        int samples = (int) (heap / (perSample * ModelSize.BYTES_PER_VALUE)) + 1;
        ObjectNode root = tree("""
                { "inputs": [4096, 1], "layers": [ {"type": "attention", "heads": 1}, {"type": "dense", "units": 1} ],
                  "loss": "mse", "init": {"scheme": "he_normal"}, "data": { "x": [], "y": [] } }
                """);
        for (int s = 0; s < samples; s++) {
            ((ArrayNode) root.get("data").get("x")).addArray().add(1);
            ((ArrayNode) root.get("data").get("y")).addArray().add(1);
        }
        long need = 10 * 160 + samples * perSample * ModelSize.BYTES_PER_VALUE;
        SpecException e = assertThrows(SpecException.class, () -> LayeredSpecReader.read(SOURCE, root));
        assertEquals("cnn.json: data.x: <" + samples + " samples> of " + perSample + " values each are more than "
                + "this JVM can check: at about 32 bytes per value they need " + ModelSize.bytes(need) + " of heap, and "
                + "it has " + ModelSize.bytes(heap) + " (layer 1 (attention) alone makes " + attention + " per sample); "
                + "give fewer samples or use smaller layers, or give Java more heap, e.g. java -Xmx"
                + ModelSize.gigabytesFor(need) + "g -jar chainproof.jar", e.getMessage());
    }

    @Test
    void a_message_lists_twenty_names_of_a_large_model_and_counts_the_rest() {
        // 30 dense layers: the message once listed all 60 names, twice; a model of hundreds, thousands of characters
        ObjectNode root = tree("""
                { "inputs": 1, "layers": [], "loss": "mse", "parameters": {"Wx": [[1]]}, "data": {"x": [[1]], "y": [[1]]} }
                """);
        for (int l = 0; l < 30; l++) {
            ((ArrayNode) root.get("layers")).addObject().put("type", "dense").put("units", 1);
        }
        StringBuilder first = new StringBuilder();
        for (int l = 1; l <= 10; l++) {
            first.append(l == 1 ? "" : ", ").append("W").append(l).append(", b").append(l);
        }
        String names = first + ", ... (60 in all)";
        SpecException e = assertThrows(SpecException.class, () -> LayeredSpecReader.read(SOURCE, root));
        assertEquals("cnn.json: parameters.Wx: <Wx> is not a parameter of this model (its parameters: " + names
                + "); remove it, or rename it (did you mean W1?)", e.getMessage());
    }
}
