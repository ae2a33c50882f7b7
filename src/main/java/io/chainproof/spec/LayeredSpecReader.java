package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.ops.Activation;
import io.chainproof.ops.Normalization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the parsed tree of a layered spec (an MLP-style spec whose layers carry a {@code "type"}, or whose
 * {@code "inputs"} is a shape) into a {@link LayeredSpec}, failing at the first broken rule with a
 * {@link SpecException} in the house format {@code <source>: <field>: <value> <rule>; <fix>}. The contract is
 * {@code ../shared/DESIGN.md}, "Layered models".
 *
 * <pre>{@code
 * { "name": "tiny-cnn", "inputs": [1, 6],
 *   "layers": [ {"type": "conv1d", "channels": 2, "kernel": 3, "activation": "relu"},
 *               {"type": "max_pool1d", "kernel": 2}, {"type": "flatten"}, {"type": "dense", "units": 1} ],
 *   "loss": "mse",
 *   "parameters": { "W1": [[[0.1, 0.2, 0.3]], [[-0.2, 0.1, 0.0]]], "b1": [0.0, 0.1],
 *                   "W4": [[0.5, -0.5, 0.25, 0.1]], "b4": [0.0] },
 *   "data": { "x": [[[1, 2, 3, 4, 5, 6]], [[0, 1, 0, 1, 0, 1]]], "y": [[0.5], [0.1]] } }
 * }</pre>
 *
 * <p>Order of checks: unknown top-level keys; the required keys inputs, layers, loss, parameters (or init, not
 * both), data; name;
 * inputs; each layer in order (its type, known keys, numbers, activation — softmax only last —, then whether it
 * fits the shape it receives, named with its position and that shape); the loss against the last activation; the
 * size the shapes imply (parameters and values against the heap); parameters (unknown names, missing ones, then each one's shape and entries) or init (scheme, scale, seed); data (x and y per sample in the input
 * and output shapes; embedding ids whole and in range; batch norm with 2 or more values per channel; targets for
 * bce in [0, 1], for cross_entropy ≥ 0); names (each maps another library's name to one of the parameters).
 */
public final class LayeredSpecReader {

    private static final List<String> KEYS = List.of("type", "name", "inputs", "layers", "loss", "parameters", "init",
            "data", "names");
    private static final List<String> TYPES = List.of("dense", "conv1d", "conv2d", "max_pool1d", "avg_pool1d",
            "max_pool2d", "avg_pool2d", "flatten", "layer_norm", "batch_norm", "residual", "embedding", "rnn", "lstm", "gru", "attention");
    private static final List<String> DATA_KEYS = List.of("x", "y");
    /** The most entries of one sample's tensor, and the largest size of a layer. */
    private static final int MAX_SIZE = 1 << 24;

    private final String source;
    private final JsonFields fields;

    private LayeredSpecReader(String source) {
        this.source = source;
        this.fields = new JsonFields(source);
    }

    /**
     * Whether a spec tree is layered: a layer carries a {@code "type"}, or {@code "inputs"} is a shape (a list).
     *
     * @param root the parsed tree of a spec without a {@code "type"} other than {@code mlp}
     * @return whether {@link #read} should read it
     */
    public static boolean isLayered(JsonNode root) {
        if (!root.isObject()) {
            return false;
        }
        if (root.path("inputs").isArray()) {
            return true;
        }
        for (JsonNode layer : root.path("layers")) {
            if (layer.isObject() && layer.has("type")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads and validates a layered spec.
     *
     * @param source the file name or {@code <string>}, for messages and the default name
     * @param root   the parsed JSON (or YAML) tree of the whole file
     * @return the validated spec
     * @throws SpecException at the first broken rule, naming the field, its value, the rule and a fix
     */
    public static LayeredSpec read(String source, JsonNode root) {
        return new LayeredSpecReader(source).spec(root);
    }

    private LayeredSpec spec(JsonNode root) {
        fields.requireKnownKeys(root, "", KEYS, "a layered spec key");
        fields.require(root, "", "inputs", "add \"inputs\" with the shape of one sample, e.g. [3, 8] for conv1d");
        fields.require(root, "", "layers", "add \"layers\", e.g. [{\"type\": \"dense\", \"units\": 1}]");
        fields.require(root, "", "loss", "add \"loss\", one of " + String.join(", ", Loss.specNames()));
        if (!root.has("parameters") && !root.has("init")) {
            throw new SpecException(source, "parameters", JsonFields.MISSING, "is required",
                    "add \"parameters\" with each layer's weights, named by position (W1, b1, ...), or \"init\", "
                            + "e.g. \"init\": {\"scheme\": \"he_uniform\", \"seed\": 1}");
        }
        if (root.has("parameters") && root.has("init")) {
            throw new SpecException(source, "init", ValueText.of(root.get("init")),
                    "cannot be combined with \"parameters\"", "keep either the explicit parameters or the init scheme");
        }
        fields.require(root, "", "data", "add \"data\" with \"x\" (samples) and \"y\" (targets)");
        String name = root.has("name") ? fields.text(root.get("name"), "name", "write a name such as \"tiny-cnn\"")
                : SpecDocument.defaultName(source);
        int[] inputs = inputShape(root.get("inputs"));

        JsonNode layersNode = root.get("layers");
        if (!layersNode.isArray() || layersNode.isEmpty()) {
            throw new SpecException(source, "layers", ValueText.of(layersNode), "is not a non-empty list of layers",
                    "write \"layers\": [{\"type\": \"dense\", \"units\": 1}]");
        }
        List<LayeredSpec.Layer> layers = new ArrayList<>();
        int[] shape = inputs;
        for (int i = 0; i < layersNode.size(); i++) {
            boolean last = i == layersNode.size() - 1;
            LayeredSpec.Layer layer = layer(layersNode.get(i), "layers[" + i + "]", Integer.toString(i + 1), last);
            shape = fit(layer, "layers[" + i + "]", shape, i == 0);
            layers.add(layer);
        }
        Loss loss = fields.named(root.get("loss"), "loss", "a loss", Loss.specNames(), Loss::fromSpecName, "mse");
        Activation lastActivation = layers.get(layers.size() - 1).activation();
        if ((loss == Loss.BCE || loss == Loss.CROSS_ENTROPY)
                && lastActivation != Activation.SIGMOID && lastActivation != Activation.SOFTMAX) {
            throw new SpecException(source, "loss", loss.specName(), "needs outputs in (0, 1), but layer "
                    + layers.size() + " has activation " + lastActivation.specName(),
                    "use " + (loss == Loss.BCE ? "sigmoid" : "softmax") + " on the last layer, or a loss such as mse");
        }
        Map<String, int[]> expected = new LinkedHashMap<>();
        expectedParameters(layers, inputs, expected);
        ModelSize size = new ModelSize(source, ModelSize.GRAPH);
        measure(layers, "layers", inputs, size);
        JsonNode samples = root.path("data").path("x");
        size.check("data.x", samples.isArray() ? samples.size() : 0, "sample");
        if (expected.isEmpty()) {
            throw new SpecException(source, "layers", ValueText.count(layers.size(), "layer", "layers"),
                    "have no parameters, so there is no gradient to compute",
                    "add a layer with weights, such as {\"type\": \"dense\", \"units\": 1}");
        }
        Map<String, LayeredSpec.Weights> parameters = root.has("parameters")
                ? parameters(root.get("parameters"), expected)
                : initialise(InitSpec.read(source, fields, root.get("init")), expected);

        JsonNode d = root.get("data");
        if (!d.isObject()) {
            throw new SpecException(source, "data", ValueText.of(d), "is not an object",
                    "write \"data\": {\"x\": [...one sample per entry...], \"y\": [...one target per sample...]}");
        }
        fields.requireKnownKeys(d, "data", DATA_KEYS, "a data key");
        fields.require(d, "data", "x", "add \"x\" with one sample of shape " + ValueText.shape(inputs) + " per entry");
        int[] outputs = shape;
        fields.require(d, "data", "y", "add \"y\" with one target of shape " + ValueText.shape(outputs) + " per sample");
        double[][] x = samples(d.get("x"), "data.x", inputs, "the input shape (inputs)");
        double[][] y = samples(d.get("y"), "data.y", outputs, "the final output's shape");
        if (x.length != y.length) {
            throw new SpecException(source, "data.y", ValueText.count(y.length, "target", "targets"),
                    "does not match the " + ValueText.count(x.length, "sample", "samples") + " of data.x",
                    "give one target per sample");
        }
        if (layers.get(0) instanceof LayeredSpec.Embedding e) {
            ids(x, e);
        }
        batchStatistics(layers, inputs, x.length);
        targets(y, loss);
        Map<String, String> names = root.has("names")
                ? GradientFileReader.names(source, root.get("names"), "names", expected.keySet()) : Map.of();
        return new LayeredSpec(name, source, inputs, layers, loss, parameters, x, y, names);
    }

    // ---- inputs and layers ---------------------------------------------------------------------------------------

    private int[] inputShape(JsonNode node) {
        if (node.isNumber()) {
            return new int[] {whole(node, "inputs", 1)};
        }
        if (!node.isArray() || node.isEmpty() || node.size() > 3) {
            throw new SpecException(source, "inputs", ValueText.of(node), "is not a shape of 1 to 3 sizes",
                    "write the shape of one sample: 8, [3, 8] (conv1d), [3, 8, 8] (conv2d), [5] (ids) or [5, 4] (steps)");
        }
        int[] shape = new int[node.size()];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = whole(node.get(a), "inputs[" + a + "]", 1);
        }
        checkSize(shape, "inputs");
        return shape;
    }

    private LayeredSpec.Layer layer(JsonNode node, String path, String position, boolean last) {
        if (!node.isObject()) {
            throw new SpecException(source, path, ValueText.of(node), "is not an object",
                    "write a layer such as {\"type\": \"dense\", \"units\": 2, \"activation\": \"tanh\"}");
        }
        String type = node.has("type") ? fields.named(node.get("type"), path + ".type", "a layer type", TYPES,
                t -> TYPES.contains(t) ? java.util.Optional.of(t) : java.util.Optional.empty(), "dense") : "dense";
        Activation activation = node.has("activation")
                ? fields.named(node.get("activation"), path + ".activation", "an activation", Activation.specNames(),
                        Activation::fromSpecName, "relu")
                : Activation.IDENTITY;
        if (activation == Activation.SOFTMAX && !last) {
            throw new SpecException(source, path + ".activation", "softmax", "is allowed only on the last layer",
                    "use softmax on the last layer only, with a loss such as cross_entropy");
        }
        return switch (type) {
            case "dense" -> {
                known(node, path, "units");
                fields.require(node, path, "units", "add \"units\", the number of output features");
                yield new LayeredSpec.Dense(position, whole(node.get("units"), path + ".units", 1), activation);
            }
            case "conv1d", "conv2d" -> {
                int axes = type.equals("conv1d") ? 1 : 2;
                known(node, path, "channels", "kernel", "stride", "padding", "dilation");
                fields.require(node, path, "channels", "add \"channels\", the number of output channels");
                fields.require(node, path, "kernel", "add \"kernel\", the kernel size");
                yield new LayeredSpec.Conv(position, axes, whole(node.get("channels"), path + ".channels", 1),
                        sizes(node, path, "kernel", axes, 1, null), sizes(node, path, "stride", axes, 1, 1),
                        sizes(node, path, "padding", axes, 0, 0), sizes(node, path, "dilation", axes, 1, 1),
                        activation);
            }
            case "max_pool1d", "avg_pool1d", "max_pool2d", "avg_pool2d" -> {
                int axes = type.endsWith("1d") ? 1 : 2;
                known(node, path, "kernel", "stride");
                fields.require(node, path, "kernel", "add \"kernel\", the window size");
                int[] kernel = sizes(node, path, "kernel", axes, 1, null);
                int[] stride = node.has("stride") ? sizes(node, path, "stride", axes, 1, 1) : kernel;
                yield new LayeredSpec.Pool(position, type.startsWith("max"), axes, kernel, stride, activation);
            }
            case "flatten" -> {
                known(node, path);
                yield new LayeredSpec.Flatten(position, activation);
            }
            case "layer_norm", "batch_norm" -> {
                known(node, path, "eps");
                double eps = node.has("eps") ? fields.number(node.get("eps"), path + ".eps") : Normalization.DEFAULT_EPS;
                if (!(eps > 0) || !Double.isFinite(eps)) {
                    throw new SpecException(source, path + ".eps", ValueText.of(eps), "is not a finite number > 0",
                            "use a small positive ε such as 1e-5 (PyTorch's default)");
                }
                yield new LayeredSpec.Norm(position, type.equals("batch_norm"), eps, activation);
            }
            case "residual" -> {
                known(node, path, "layers");
                fields.require(node, path, "layers", "add \"layers\", the block's layers (it must keep the shape)");
                JsonNode inner = node.get("layers");
                if (!inner.isArray() || inner.isEmpty()) {
                    throw new SpecException(source, path + ".layers", ValueText.of(inner),
                            "is not a non-empty list of layers", "write the block, e.g. [{\"type\": \"dense\", \"units\": 4}]");
                }
                List<LayeredSpec.Layer> block = new ArrayList<>();
                for (int k = 0; k < inner.size(); k++) {
                    block.add(layer(inner.get(k), path + ".layers[" + k + "]", position + "." + (k + 1), false));
                }
                yield new LayeredSpec.Residual(position, block, activation);
            }
            case "embedding" -> {
                known(node, path, "vocabulary", "dim");
                fields.require(node, path, "vocabulary", "add \"vocabulary\", the number of ids");
                fields.require(node, path, "dim", "add \"dim\", the length of an embedding row");
                yield new LayeredSpec.Embedding(position, whole(node.get("vocabulary"), path + ".vocabulary", 1),
                        whole(node.get("dim"), path + ".dim", 1), activation);
            }
            case "rnn", "lstm", "gru" -> {
                known(node, path, "hidden", "return");
                fields.require(node, path, "hidden", "add \"hidden\", the size of the hidden state");
                int hidden = whole(node.get("hidden"), path + ".hidden", 1);
                boolean sequence = !node.has("return") || fields.named(node.get("return"), path + ".return",
                        "what the layer returns", List.of("sequence", "last"),
                        r -> List.of("sequence", "last").contains(r) ? java.util.Optional.of(r)
                                : java.util.Optional.empty(), "last").equals("sequence");
                LayeredSpec.Recurrent.Cell cell = LayeredSpec.Recurrent.Cell.valueOf(type.toUpperCase(java.util.Locale.ROOT));
                if (cell != LayeredSpec.Recurrent.Cell.RNN) {
                    yield new LayeredSpec.Recurrent(position, cell, hidden, Activation.TANH, sequence, activation);
                }
                Activation nonlinearity = node.has("activation") ? activation : Activation.TANH;
                if (nonlinearity != Activation.TANH && nonlinearity != Activation.RELU) {
                    throw new SpecException(source, path + ".activation", nonlinearity.specName(),
                            "is not a nonlinearity of an rnn layer, which is tanh or relu (PyTorch's nn.RNN)",
                            "use \"tanh\" (the default) or \"relu\"; add a dense layer after it for another activation");
                }
                yield new LayeredSpec.Recurrent(position, cell, hidden, nonlinearity, sequence, Activation.IDENTITY);
            }
            case "attention" -> {
                known(node, path, "heads", "causal");
                fields.require(node, path, "heads", "add \"heads\", the number of attention heads (it must divide the "
                        + "width)");
                boolean causal = false;
                if (node.has("causal")) {
                    JsonNode c = node.get("causal");
                    if (!c.isBoolean()) {
                        throw new SpecException(source, path + ".causal", ValueText.of(c), "is not true or false",
                                "write \"causal\": true to hide later steps, or leave it out");
                    }
                    causal = c.booleanValue();
                }
                yield new LayeredSpec.Attention(position, whole(node.get("heads"), path + ".heads", 1), causal, activation);
            }
            default -> throw new IllegalStateException("layer type " + type + " is in TYPES");
        };
    }

    private void known(JsonNode node, String path, String... own) {
        List<String> keys = new ArrayList<>(List.of("type", "activation"));
        keys.addAll(List.of(own));
        fields.requireKnownKeys(node, path, keys, "a key of this layer");
    }

    /** A size per spatial axis: one number for every axis, or a list of one per axis. */
    private int[] sizes(JsonNode layer, String path, String key, int axes, int min, Integer fallback) {
        if (!layer.has(key)) {
            int[] same = new int[axes];
            Arrays.fill(same, fallback);
            return same;
        }
        JsonNode node = layer.get(key);
        String at = path + "." + key;
        int[] out = new int[axes];
        if (node.isArray()) {
            if (node.size() != axes) {
                throw new SpecException(source, at, ValueText.of(node), "has " + node.size() + " sizes, not " + axes,
                        "give one number for every axis, or a list of " + axes);
            }
            for (int a = 0; a < axes; a++) {
                out[a] = whole(node.get(a), at + "[" + a + "]", min);
            }
        } else {
            Arrays.fill(out, whole(node, at, min));
        }
        return out;
    }

    /** Checks that {@code layer} accepts samples of {@code in} and returns the shape it gives them. */
    private int[] fit(LayeredSpec.Layer layer, String path, int[] in, boolean first) {
        String where = "layer " + layer.position() + " (" + layer.type() + ")";
        String received = "receives samples of shape " + ValueText.shape(in);
        if (layer instanceof LayeredSpec.Embedding) {
            if (!first || in.length != 1 || layer.position().contains(".")) {
                throw new SpecException(source, path + ".type", "embedding", "must be the first layer, on ids of shape [T]",
                        "put the embedding first and give \"inputs\": [T] with ids in data.x");
            }
        }
        if (layer instanceof LayeredSpec.Attention a && in.length == 2 && in[1] % a.heads() != 0) {
            throw new SpecException(source, path + ".heads", String.valueOf(a.heads()), "does not divide the width "
                    + in[1] + ": " + where + " " + received, "use a number of heads that divides " + in[1]
                    + ", or change the width with a dense layer before it");
        }
        if ((layer instanceof LayeredSpec.Recurrent || layer instanceof LayeredSpec.Attention) && in.length != 2) {
            throw new SpecException(source, path + ".type", layer.type(), "needs samples of shape [T, F] (steps × "
                    + "features), but " + where + " " + received,
                    "give \"inputs\": [steps, features], or put the layer after an embedding or a dense layer on a "
                            + "sequence");
        }
        if (layer instanceof LayeredSpec.Conv || layer instanceof LayeredSpec.Pool) {
            int axes = layer instanceof LayeredSpec.Conv c ? c.axes() : ((LayeredSpec.Pool) layer).axes();
            if (in.length != axes + 1) {
                throw new SpecException(source, path + ".type", layer.type(), "needs samples of shape "
                        + (axes == 1 ? "[C, L]" : "[C, H, W]") + ", but " + where + " " + received,
                        axes == 1 ? "give \"inputs\": [channels, length], or use conv2d/pool2d for images"
                                : "give \"inputs\": [channels, height, width], or use conv1d/pool1d for sequences");
            }
            int[] kernel = layer instanceof LayeredSpec.Conv c ? c.kernel() : ((LayeredSpec.Pool) layer).kernel();
            int[] stride = layer instanceof LayeredSpec.Conv c ? c.stride() : ((LayeredSpec.Pool) layer).stride();
            int[] padding = layer instanceof LayeredSpec.Conv c ? c.padding() : new int[axes];
            int[] dilation = layer instanceof LayeredSpec.Conv c ? c.dilation() : ones(axes);
            for (int a = 0; a < axes; a++) {
                int span = dilation[a] * (kernel[a] - 1) + 1;
                if (io.chainproof.ops.Window.outputSize(in[a + 1], kernel[a], stride[a], padding[a], dilation[a]) < 1) {
                    throw new SpecException(source, path + ".kernel", Integer.toString(kernel[a]), "spans " + span
                            + " positions, more than the " + (in[a + 1] + 2 * padding[a]) + " of axis " + (a + 1)
                            + " (with padding " + padding[a] + ") that " + where + " " + received
                            + ": it leaves 0 positions",
                            "use a kernel of at most " + (in[a + 1] + 2 * padding[a]) + (padding[a] == 0 ? ", or padding" : ""));
                }
            }
        }
        if (layer instanceof LayeredSpec.Norm n && n.batch() && in.length > 3) {
            throw new SpecException(source, path + ".type", "batch_norm", "needs samples of shape [F], [C, L] or [C, H, W]",
                    "flatten or pool first");
        }
        int[] out;
        if (layer instanceof LayeredSpec.Residual r) {
            int[] shape = in;
            for (int k = 0; k < r.layers().size(); k++) {
                shape = fit(r.layers().get(k), path + ".layers[" + k + "]", shape, false);
            }
            if (!Arrays.equals(shape, in)) {
                throw new SpecException(source, path + ".layers", ValueText.shape(shape),
                        "is the shape the block gives, but a residual block must keep its input's shape "
                                + ValueText.shape(in),
                        "make the block's last layer give " + ValueText.shape(in) + " (e.g. dense with units "
                                + in[in.length - 1] + ")");
            }
            out = in.clone();
        } else {
            out = LayeredSpec.shapeAfter(layer, in);
        }
        checkSize(out, path);
        return out;
    }

    /**
     * Adds each layer's parameters and the values it makes per sample (its outputs; a recurrent layer's gates at
     * every step, an attention's scores) to {@code size}, the layers of a residual block one by one.
     */
    private void measure(List<LayeredSpec.Layer> layers, String path, int[] inputs, ModelSize size) {
        int[] shape = inputs;
        for (int i = 0; i < layers.size(); i++) {
            LayeredSpec.Layer layer = layers.get(i);
            String field = path + "[" + i + "]";
            String name = "layer " + layer.position() + " (" + layer.type() + ")";
            int[] out = LayeredSpec.shapeAfter(layer, shape);
            long outputs = ModelSize.product(out);
            if (layer instanceof LayeredSpec.Residual r) {
                measure(r.layers(), field + ".layers", shape, size);
                size.add(field, name, 0, outputs);
            } else {
                Map<String, int[]> own = new LinkedHashMap<>();
                expectedParameters(List.of(layer), shape, own);
                long parameters = 0;
                for (int[] dims : own.values()) {
                    parameters = ModelSize.sum(parameters, ModelSize.product(dims));
                }
                long work = 0;
                if (layer instanceof LayeredSpec.Recurrent r) {
                    work = ModelSize.product(shape[0], r.cell().gates() + 1L, r.hidden());
                } else if (layer instanceof LayeredSpec.Attention a) {
                    work = ModelSize.sum(ModelSize.product(a.heads(), shape[0], shape[0]),
                            ModelSize.product(4, shape[0], shape[1]));
                }
                size.add(field, name, parameters, ModelSize.sum(outputs, work));
            }
            shape = out;
        }
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    private void checkSize(int[] shape, String path) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > MAX_SIZE) {
                throw new SpecException(source, path, ValueText.shape(shape), "has more than " + MAX_SIZE
                        + " entries per sample", "use smaller sizes");
            }
        }
    }

    // ---- parameters ----------------------------------------------------------------------------------------------

    private void expectedParameters(List<LayeredSpec.Layer> layers, int[] inputs, Map<String, int[]> into) {
        int[] shape = inputs;
        for (LayeredSpec.Layer layer : layers) {
            String p = layer.position();
            int last = shape[shape.length - 1];
            if (layer instanceof LayeredSpec.Dense d) {
                into.put("W" + p, new int[] {d.units(), last});
                into.put("b" + p, new int[] {d.units()});
            } else if (layer instanceof LayeredSpec.Conv c) {
                int[] w = new int[c.axes() + 2];
                w[0] = c.channels();
                w[1] = shape[0];
                System.arraycopy(c.kernel(), 0, w, 2, c.axes());
                into.put("W" + p, w);
                into.put("b" + p, new int[] {c.channels()});
            } else if (layer instanceof LayeredSpec.Norm n) {
                int features = n.batch() ? shape[0] : last;
                into.put("gamma" + p, new int[] {features});
                into.put("beta" + p, new int[] {features});
            } else if (layer instanceof LayeredSpec.Embedding e) {
                into.put("E" + p, new int[] {e.vocabulary(), e.dim()});
            } else if (layer instanceof LayeredSpec.Attention) {
                into.put("W_in" + p, new int[] {3 * last, last});
                into.put("b_in" + p, new int[] {3 * last});
                into.put("W_out" + p, new int[] {last, last});
                into.put("b_out" + p, new int[] {last});
            } else if (layer instanceof LayeredSpec.Recurrent r) {
                int stacked = r.cell().gates() * r.hidden();
                into.put("W_ih" + p, new int[] {stacked, last});
                into.put("W_hh" + p, new int[] {stacked, r.hidden()});
                into.put("b_ih" + p, new int[] {stacked});
                into.put("b_hh" + p, new int[] {stacked});
            } else if (layer instanceof LayeredSpec.Residual r) {
                expectedParameters(r.layers(), shape, into);
            }
            shape = LayeredSpec.shapeAfter(layer, shape);
        }
    }

    private Map<String, LayeredSpec.Weights> parameters(JsonNode node, Map<String, int[]> expected) {
        if (!node.isObject()) {
            throw new SpecException(source, "parameters", ValueText.of(node), "is not an object",
                    "write \"parameters\": {" + String.join(", ", expected.keySet().stream().limit(3)
                            .map(k -> "\"" + k + "\": ...").toList()) + "}");
        }
        List<String> names = new ArrayList<>(expected.keySet());
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!expected.containsKey(key)) {
                throw new SpecException(source, JsonFields.path("parameters", key), key, "is not a parameter of this model "
                        + "(its parameters: " + ValueText.names(names) + ")", "remove it, or rename it"
                        + DidYouMean.closest(key, names).map(n -> " (did you mean " + n + "?)").orElse(""));
            }
        }
        Map<String, LayeredSpec.Weights> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String key = e.getKey();
            fields.require(node, "parameters", key, "add \"" + key + "\" of shape " + ValueText.shape(e.getValue()));
            double[] values = new double[Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)];
            fill(node.get(key), "parameters." + key, e.getValue(), 0, values, new int[] {0}, "its shape");
            out.put(key, new LayeredSpec.Weights(e.getValue(), values));
        }
        return out;
    }

    /**
     * Parameters drawn by an init scheme, tensor by tensor in layer order from one generator: weights (W, E) with
     * PyTorch's fans — fan-in the entries per output row, fan-out the rows times the receptive field — biases as
     * the scheme gives them, norms at γ = 1, β = 0.
     */
    private static Map<String, LayeredSpec.Weights> initialise(InitSpec init, Map<String, int[]> expected) {
        java.util.Random random = new java.util.Random(init.seed());
        Map<String, LayeredSpec.Weights> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            int[] shape = e.getValue();
            int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            String name = e.getKey();
            double[] values;
            if (name.startsWith("gamma")) {
                values = new double[size];
                Arrays.fill(values, 1.0);
            } else if (name.startsWith("beta")) {
                values = new double[size];
            } else if (name.startsWith("b")) {
                values = init.biases(size);
            } else {
                int receptive = Arrays.stream(shape).skip(2).reduce(1, (a, b) -> a * b);
                int fanIn = size / shape[0];
                values = init.weights(random, fanIn, shape[0] * receptive, size);
            }
            out.put(name, new LayeredSpec.Weights(shape, values));
        }
        return out;
    }

    /** Reads a nested list of exactly {@code shape} into {@code into}, row-major; entries finite. */
    private void fill(JsonNode node, String path, int[] shape, int axis, double[] into, int[] next, String meaning) {
        if (axis == shape.length) {
            double v = fields.number(node, path);
            if (!Double.isFinite(v)) {
                throw new SpecException(source, path, ValueText.of(v), "is not finite", "write a finite number");
            }
            into[next[0]++] = v;
            return;
        }
        if (!node.isArray() || node.size() != shape[axis]) {
            String found = node.isArray() ? "has " + node.size() + " entries" : "is not a list";
            throw new SpecException(source, path, ValueText.of(node), found + ", but " + meaning + " "
                    + ValueText.shape(shape) + " needs " + shape[axis] + " here (axis " + (axis + 1) + ")",
                    "give a nested list of shape " + ValueText.shape(shape));
        }
        for (int i = 0; i < shape[axis]; i++) {
            fill(node.get(i), path + "[" + i + "]", shape, axis + 1, into, next, meaning);
        }
    }

    // ---- data ----------------------------------------------------------------------------------------------------

    private double[][] samples(JsonNode node, String path, int[] shape, String meaning) {
        if (!node.isArray() || node.isEmpty()) {
            throw new SpecException(source, path, ValueText.of(node), "is not a non-empty list of samples",
                    "give one entry of shape " + ValueText.shape(shape) + " per sample");
        }
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[][] out = new double[node.size()][size];
        for (int s = 0; s < out.length; s++) {
            fill(node.get(s), path + "[" + s + "]", shape, 0, out[s], new int[] {0}, meaning);
        }
        return out;
    }

    private void ids(double[][] x, LayeredSpec.Embedding e) {
        for (int s = 0; s < x.length; s++) {
            for (int t = 0; t < x[s].length; t++) {
                double id = x[s][t];
                if (id != Math.rint(id) || id < 0 || id >= e.vocabulary()) {
                    String text = id == Math.rint(id) && Math.abs(id) < 1e15 ? Long.toString((long) id) : ValueText.of(id);
                    throw new SpecException(source, "data.x[" + s + "][" + t + "]", text,
                            "is not an id of layer " + e.position() + " (embedding): ids are whole numbers from 0 to "
                                    + (e.vocabulary() - 1),
                            "use whole ids below the vocabulary " + e.vocabulary() + ", or enlarge the vocabulary");
                }
            }
        }
    }

    private void batchStatistics(List<LayeredSpec.Layer> layers, int[] inputs, int samples) {
        int[] shape = inputs;
        for (LayeredSpec.Layer layer : layers) {
            if (layer instanceof LayeredSpec.Norm n && n.batch()) {
                int positions = shape.length == 1 ? 1 : Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
                if (samples * positions < 2) {
                    throw new SpecException(source, "data.x", ValueText.count(samples, "sample", "samples"),
                            "give layer " + n.position() + " (batch_norm) 1 value per channel; batch statistics need 2 "
                                    + "or more", "give 2 or more samples (PyTorch refuses 1 in training mode)");
                }
            } else if (layer instanceof LayeredSpec.Residual r) {
                batchStatistics(r.layers(), shape, samples);
            }
            shape = LayeredSpec.shapeAfter(layer, shape);
        }
    }

    private void targets(double[][] y, Loss loss) {
        for (int s = 0; s < y.length; s++) {
            for (int j = 0; j < y[s].length; j++) {
                String path = "data.y[" + s + "] entry " + j;
                if (loss == Loss.BCE && (y[s][j] < 0 || y[s][j] > 1)) {
                    throw new SpecException(source, path, ValueText.of(y[s][j]),
                            "is outside [0, 1] (bce targets are probabilities)",
                            "use a target between 0 and 1, or a loss such as mse");
                }
                if (loss == Loss.CROSS_ENTROPY && y[s][j] < 0) {
                    throw new SpecException(source, path, ValueText.of(y[s][j]),
                            "is negative (cross_entropy targets are class probabilities)",
                            "use targets ≥ 0, e.g. one-hot labels");
                }
            }
        }
    }

    private int whole(JsonNode node, String path, int min) {
        return (int) fields.wholeNumber(node, path, min, MAX_SIZE);
    }
}
