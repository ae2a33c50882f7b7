package io.chainproof.spec;

import io.chainproof.ops.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the parsed tree of one spec file into a {@link NetworkSpec}, failing at the first error.
 *
 * <p>Order of checks: the root is an object; no unknown top-level key (in file order); the required
 * keys are present (inputs, layers, loss, parameters or init but not both, data); then the fields are
 * read in the order name, inputs, layers (each: unknown keys, units, activation), loss, parameters
 * (unknown names, missing names W1, b1, W2, ..., then each value) or init (scheme, scale, seed), data
 * (x, then y); the size the shapes imply is checked against the heap ({@link ModelSize}) after the loss, before
 * a parameter is read or drawn. Each field is checked for its type, then its own rules, then, as soon as the fields
 * it relates to have been read, the {@link SpecRules} that relate it to the others.
 */
final class SpecDocument {

    private static final List<String> SPEC_KEYS =
            List.of("name", "inputs", "layers", "loss", "parameters", "init", "data");
    private static final List<String> LAYER_KEYS = List.of("units", "activation");
    private static final List<String> DATA_KEYS = List.of("x", "y");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[Wb][0-9]+");
    private static final String MISSING = JsonFields.MISSING;

    private final String source;
    private final JsonFields fields;
    private final JsonNode root;

    SpecDocument(String source, JsonNode root) {
        this.source = source;
        this.fields = new JsonFields(source);
        this.root = root;
    }

    NetworkSpec toNetworkSpec() {
        if (!root.isObject()) {
            throw new SpecException(source, "(file)", ValueText.of(root), "is not an object",
                    "write the spec as an object with inputs, layers, loss, parameters or init, and data");
        }
        requireKnownKeys(root, "", SPEC_KEYS, "a spec key");
        require(root, "", "inputs", "add \"inputs\" with the number of input features, e.g. \"inputs\": 2");
        require(root, "", "layers", "add \"layers\", e.g. \"layers\": [{\"units\": 1, \"activation\": \"sigmoid\"}]");
        require(root, "", "loss", "add \"loss\", one of " + String.join(", ", Loss.specNames()));
        if (!root.has("parameters") && !root.has("init")) {
            throw new SpecException(source, "parameters", MISSING, "is required",
                    "add \"parameters\" (W1, b1, ...) or \"init\", e.g. \"init\": {\"scheme\": \"xavier_uniform\"}");
        }
        if (root.has("parameters") && root.has("init")) {
            throw new SpecException(source, "init", ValueText.of(root.get("init")),
                    "cannot be combined with \"parameters\"", "keep either the explicit parameters or the init scheme");
        }
        require(root, "", "data", "add \"data\", e.g. \"data\": {\"x\": [[1.0]], \"y\": [[1.0]]}");

        String name = root.has("name") ? text(root.get("name"), "name", "write a name such as \"lecture-chain\"")
                : defaultName(source);
        SpecRules.sourceAndName(source, name);
        int inputs = (int) wholeNumber(root.get("inputs"), "inputs", Integer.MIN_VALUE, Integer.MAX_VALUE);
        SpecRules.inputs(source, inputs);
        List<LayerSpec> layers = layers(root.get("layers"));
        SpecRules.architecture(source, inputs, layers);
        Loss loss = named(root.get("loss"), "loss", "a loss", Loss.specNames(), Loss::fromSpecName, "mse");
        SpecRules.lossFits(source, layers, loss);
        checkSize(inputs, layers, root.path("data").path("x"));
        Parameters parameters = root.has("parameters") ? parameters(root.get("parameters"), inputs, layers)
                : init(root.get("init")).initialise(inputs, layers);
        SpecRules.parametersFit(source, inputs, layers, parameters);
        Data data = data(root.get("data"));
        SpecRules.dataFits(source, inputs, layers, loss, data);
        return new NetworkSpec(name, source, inputs, layers, loss, parameters, data);
    }

    /** @return the last segment of the source without its extension: {@code dir/lecture.json → lecture} */
    static String defaultName(String source) {
        String file = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /**
     * The parameters and values the shapes imply fit the heap ({@link ModelSize}), checked before any parameter is
     * read or drawn; {@code samples} is data.x as written, counted if it is a list.
     */
    private void checkSize(int inputs, List<LayerSpec> layers, JsonNode samples) {
        ModelSize size = new ModelSize(source, ModelSize.MLP);
        long fanIn = inputs;
        for (int i = 0; i < layers.size(); i++) {
            long units = layers.get(i).units();
            size.add("layers[" + i + "].units", "layer " + (i + 1), ModelSize.sum(ModelSize.product(units, fanIn), units),
                    ModelSize.product(2, units));
            fanIn = units;
        }
        size.check("data.x", samples.isArray() ? samples.size() : 0, "sample");
    }

    private List<LayerSpec> layers(JsonNode node) {
        if (!node.isArray()) {
            throw new SpecException(source, "layers", ValueText.of(node), "is not a list",
                    "write \"layers\" as a list, e.g. [{\"units\": 1, \"activation\": \"sigmoid\"}]");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "layers[" + i + "]";
            JsonNode layer = node.get(i);
            if (!layer.isObject()) {
                throw new SpecException(source, path, ValueText.of(layer), "is not an object",
                        "write each layer as {\"units\": 2, \"activation\": \"tanh\"}");
            }
            requireKnownKeys(layer, path, LAYER_KEYS, "a layer key");
            require(layer, path, "units", "add \"units\", the number of neurons in this layer");
            require(layer, path, "activation", "add \"activation\", one of " + String.join(", ", Activation.specNames()));
            int units = (int) wholeNumber(layer.get("units"), path + ".units", Integer.MIN_VALUE, Integer.MAX_VALUE);
            Activation activation = named(layer.get("activation"), path + ".activation", "an activation",
                    Activation.specNames(), Activation::fromSpecName, "sigmoid");
            try {
                layers.add(new LayerSpec(units, activation));
            } catch (SpecException e) {
                throw e.within(source, path);
            }
        }
        return layers;
    }

    private Parameters parameters(JsonNode node, int inputs, List<LayerSpec> layers) {
        if (!node.isObject()) {
            throw new SpecException(source, "parameters", ValueText.of(node), "is not an object",
                    "write \"parameters\": {\"W1\": [[...]], \"b1\": [...], ...}");
        }
        List<String> expected = new ArrayList<>();
        for (int l = 1; l <= layers.size(); l++) {
            expected.add("W" + l);
            expected.add("b" + l);
        }
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!expected.contains(key)) {
                Optional<String> suggestion = PARAMETER_NAME.matcher(key).matches() ? Optional.empty()
                        : DidYouMean.closest(key, expected);
                throw new SpecException(source, JsonFields.path("parameters", key), key,
                        "is not a parameter of this " + layers.size() + "-layer network",
                        "expected " + ValueText.names(expected)
                                + suggestion.map(s -> " (did you mean " + s + "?)").orElse(""));
            }
        }
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 1; l <= layers.size(); l++) {
            int rows = layers.get(l - 1).units();
            int columns = l == 1 ? inputs : layers.get(l - 2).units();
            String columnMeaning = l == 1 ? "one entry per input" : "one entry per unit of layer " + (l - 1);
            require(node, "parameters", "W" + l, "add \"W" + l + "\" as a " + ValueText.shape(rows, columns)
                    + " matrix (one row per unit of layer " + l + ", " + columnMeaning + ")");
            require(node, "parameters", "b" + l, "add \"b" + l + "\" as a list of "
                    + ValueText.count(rows, "number", "numbers") + " (one per unit of layer " + l + ")");
        }
        for (int l = 1; l <= layers.size(); l++) {
            weights.add(matrix(node.get("W" + l), "parameters.W" + l));
            biases.add(vector(node.get("b" + l), "parameters.b" + l));
        }
        try {
            return new Parameters(weights, biases);
        } catch (SpecException e) {
            throw e.within(source, "parameters");
        }
    }

    private InitSpec init(JsonNode node) {
        return InitSpec.read(source, new JsonFields(source), node);
    }

    private Data data(JsonNode node) {
        if (!node.isObject()) {
            throw new SpecException(source, "data", ValueText.of(node), "is not an object",
                    "write \"data\": {\"x\": [[1.0]], \"y\": [[1.0]]}");
        }
        requireKnownKeys(node, "data", DATA_KEYS, "a data key");
        require(node, "data", "x", "add \"x\" with one row of inputs per sample, e.g. \"x\": [[1.0]]");
        require(node, "data", "y", "add \"y\" with one row of targets per sample, e.g. \"y\": [[1.0]]");
        double[][] x = matrix(node.get("x"), "data.x");
        double[][] y = matrix(node.get("y"), "data.y");
        try {
            return new Data(x, y);
        } catch (SpecException e) {
            throw e.within(source, "data");
        }
    }

    // ---- typed values (shared with the other spec readers) ----------------------------------------

    private void requireKnownKeys(JsonNode node, String prefix, List<String> known, String what) {
        fields.requireKnownKeys(node, prefix, known, what);
    }

    private void require(JsonNode node, String prefix, String key, String fix) {
        fields.require(node, prefix, key, fix);
    }

    private String text(JsonNode node, String path, String fix) {
        return fields.text(node, path, fix);
    }

    private <T> T named(JsonNode node, String path, String what, List<String> names,
                        Function<String, Optional<T>> lookup, String example) {
        return fields.named(node, path, what, names, lookup, example);
    }

    private double number(JsonNode node, String path) {
        return fields.number(node, path);
    }

    private long wholeNumber(JsonNode node, String path, long min, long max) {
        return fields.wholeNumber(node, path, min, max);
    }

    private double[][] matrix(JsonNode node, String path) {
        return fields.matrix(node, path);
    }

    private double[] vector(JsonNode node, String path) {
        return fields.vector(node, path);
    }
}
