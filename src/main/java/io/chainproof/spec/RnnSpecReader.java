package io.chainproof.spec;

import io.chainproof.ops.Activation;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the parsed tree of an RNN spec file ({@code "type": "rnn"}) into an {@link RnnSpec}, failing at the
 * first error with a {@link SpecException} in the house format {@code <source>: <field>: <value> <rule>; <fix>}.
 *
 * <pre>{@code
 * { "type": "rnn", "name": "tiny", "inputs": 1, "hidden": 2, "activation": "tanh",
 *   "outputs": 1, "output_activation": "identity", "loss": "mse", "loss_at": "every",
 *   "parameters": { "Wh": [[0.5, 0.1], [0.0, 0.4]], "Wx": [[1.0], [-1.0]], "b": [0.0, 0.1],
 *                   "Wy": [[1.0, 1.0]], "by": [0.0], "h0": [0.0, 0.0] },
 *   "data": { "x": [[[1.0], [0.5], [0.0]]], "y": [[[0.2], [0.1], [0.0]]] } }
 * }</pre>
 *
 * <p>Order of checks: the root is an object; no unknown top-level key (in file order); "type" is "rnn"; the
 * required keys inputs, hidden, activation, outputs, output_activation, loss, loss_at, parameters, data are
 * present; then name, the numbers, the names, the size they imply (parameters and values against the heap), parameters
 * (unknown names, missing Wh, Wx, b, Wy, by, then
 * each value; h0 optional), data (x as {@code [samples][steps][inputs]}, y as {@code [samples][steps][outputs]}
 * for "every" or {@code [samples][outputs]} for "last"); then the rules of {@link RnnSpec}.
 */
public final class RnnSpecReader {

    /** The value of {@code "type"} that selects this reader. */
    public static final String TYPE = "rnn";

    private static final List<String> KEYS = List.of("type", "name", "inputs", "hidden", "activation", "outputs",
            "output_activation", "loss", "loss_at", "parameters", "data");
    private static final List<String> PARAMETER_KEYS = List.of("Wh", "Wx", "b", "Wy", "by", "h0");
    private static final List<String> DATA_KEYS = List.of("x", "y");
    private static final List<String> LOSS_AT = List.of("last", "every");
    private static final String MISSING = JsonFields.MISSING;
    private static final java.util.regex.Pattern MLP_PARAMETER = java.util.regex.Pattern.compile("[Wb][0-9]+");

    private final String source;

    private final JsonFields fields;

    private RnnSpecReader(String source) {
        this.source = source;
        this.fields = new JsonFields(source);
    }

    /**
     * Reads and validates an RNN spec.
     *
     * @param source the file name or {@code <string>}, for messages and the default name
     * @param root   the parsed JSON (or YAML) tree of the whole file
     * @return the validated spec
     * @throws SpecException at the first broken rule, naming the field, its value, the rule and a fix
     */
    public static RnnSpec read(String source, JsonNode root) {
        return new RnnSpecReader(source).spec(root);
    }

    private RnnSpec spec(JsonNode root) {
        if (!root.isObject()) {
            throw new SpecException(source, "(file)", ValueText.of(root), "is not an object",
                    "write the RNN spec as an object with \"type\": \"rnn\", inputs, hidden, ..., parameters and data");
        }
        knownKeys(root, "", KEYS, "an rnn spec key");
        require(root, "", "type", "add \"type\": \"rnn\"");
        String type = text(root.get("type"), "type", "write \"type\": \"rnn\"");
        if (!TYPE.equals(type)) {
            throw new SpecException(source, "type", type, "is not rnn", "write \"type\": \"rnn\" for a recurrent network");
        }
        require(root, "", "inputs", "add \"inputs\" with the number of input features per step, e.g. \"inputs\": 1");
        require(root, "", "hidden", "add \"hidden\" with the number of hidden units, e.g. \"hidden\": 2");
        require(root, "", "activation", "add \"activation\", one of tanh, sigmoid, relu");
        require(root, "", "outputs", "add \"outputs\" with the number of output units, e.g. \"outputs\": 1");
        require(root, "", "output_activation",
                "add \"output_activation\", one of " + String.join(", ", Activation.specNames()));
        require(root, "", "loss", "add \"loss\", one of " + String.join(", ", Loss.specNames()));
        require(root, "", "loss_at", "add \"loss_at\": \"last\" (loss at the last step) or \"every\" (summed over steps)");
        require(root, "", "parameters", "add \"parameters\" with Wh, Wx, b, Wy, by (and optionally h0)");
        require(root, "", "data", "add \"data\", e.g. \"data\": {\"x\": [[[1.0], [0.5]]], \"y\": [[1.0]]}");

        String name = root.has("name") ? text(root.get("name"), "name", "write a name such as \"tiny-rnn\"")
                : SpecDocument.defaultName(source);
        int inputs = whole(root.get("inputs"), "inputs");
        int hidden = whole(root.get("hidden"), "hidden");
        Activation activation = named(root.get("activation"), "activation", "an activation",
                Activation.specNames(), Activation::fromSpecName, "tanh");
        int outputs = whole(root.get("outputs"), "outputs");
        Activation outputActivation = named(root.get("output_activation"), "output_activation", "an activation",
                Activation.specNames(), Activation::fromSpecName, "identity");
        Loss loss = named(root.get("loss"), "loss", "a loss", Loss.specNames(), Loss::fromSpecName, "mse");
        RnnSpec.LossAt lossAt = named(root.get("loss_at"), "loss_at", "a loss_at value", LOSS_AT,
                s -> LOSS_AT.contains(s) ? Optional.of(RnnSpec.LossAt.valueOf(s.toUpperCase(java.util.Locale.ROOT)))
                        : Optional.empty(), "every");

        checkSize(inputs, hidden, outputs, root.path("data").path("x"));

        JsonNode p = root.get("parameters");
        if (!p.isObject()) {
            throw new SpecException(source, "parameters", ValueText.of(p), "is not an object",
                    "write \"parameters\": {\"Wh\": [[...]], \"Wx\": [[...]], \"b\": [...], \"Wy\": [[...]], \"by\": [...]}");
        }
        for (String key : (Iterable<String>) p::fieldNames) {
            if (MLP_PARAMETER.matcher(key).matches()) {
                throw new SpecException(source, "parameters." + key, key, "is not a parameter of an rnn",
                        "an rnn has Wh, Wx, b, Wy, by (and optionally h0), not the layer names W1, b1, ... of an mlp");
            }
        }
        knownKeys(p, "parameters", PARAMETER_KEYS, "a parameter of an rnn");
        require(p, "parameters", "Wh", "add \"Wh\" as a " + ValueText.shape(hidden, hidden) + " matrix (hidden × hidden)");
        require(p, "parameters", "Wx", "add \"Wx\" as a " + ValueText.shape(hidden, inputs) + " matrix (hidden × inputs)");
        require(p, "parameters", "b", "add \"b\" as a list of " + ValueText.count(hidden, "number", "numbers"));
        require(p, "parameters", "Wy", "add \"Wy\" as a " + ValueText.shape(outputs, hidden) + " matrix (outputs × hidden)");
        require(p, "parameters", "by", "add \"by\" as a list of " + ValueText.count(outputs, "number", "numbers"));
        double[][] wh = matrix(p.get("Wh"), "parameters.Wh");
        double[][] wx = matrix(p.get("Wx"), "parameters.Wx");
        double[] b = vector(p.get("b"), "parameters.b");
        double[][] wy = matrix(p.get("Wy"), "parameters.Wy");
        double[] by = vector(p.get("by"), "parameters.by");
        double[] h0 = p.has("h0") ? vector(p.get("h0"), "parameters.h0") : null;

        JsonNode d = root.get("data");
        if (!d.isObject()) {
            throw new SpecException(source, "data", ValueText.of(d), "is not an object",
                    "write \"data\": {\"x\": [[[1.0], [0.5]]], \"y\": [...]}");
        }
        knownKeys(d, "data", DATA_KEYS, "a data key");
        require(d, "data", "x", "add \"x\" with one sequence of input rows per sample, e.g. [[[1.0], [0.5]]]");
        String yShape = lossAt == RnnSpec.LossAt.EVERY ? "one row of targets per step, e.g. [[[1.0], [0.0]]]"
                : "one row of targets per sample, e.g. [[1.0]]";
        require(d, "data", "y", "add \"y\" with " + yShape);
        double[][][] x = tensor(d.get("x"), "data.x");
        double[][][] y;
        if (lossAt == RnnSpec.LossAt.EVERY) {
            y = tensor(d.get("y"), "data.y");
        } else {
            JsonNode yNode = d.get("y");
            // an object's size is its number of keys, but get(s) finds none of them: only a list is looked into
            for (int s = 0; yNode.isArray() && s < yNode.size(); s++) {
                if (yNode.get(s).isArray() && yNode.get(s).size() > 0 && yNode.get(s).get(0).isArray()) {
                    throw new SpecException(source, "data.y[" + s + "]", ValueText.of(yNode.get(s)),
                            "is a sequence of targets, but loss_at is last",
                            "give one row of targets per sample ([samples][outputs]), or use \"loss_at\": \"every\"");
                }
            }
            double[][] rows = matrix(yNode, "data.y");
            y = new double[rows.length][][];
            for (int s = 0; s < rows.length; s++) {
                y[s] = new double[][] {rows[s]};
            }
        }
        return new RnnSpec(name, source, inputs, hidden, activation, outputs, outputActivation, loss, lossAt,
                wh, wx, b, wy, by, h0, x, y);
    }

    /**
     * The parameters and the values of every step the shapes imply fit the heap ({@link ModelSize}), checked before
     * a parameter is read; {@code sequences} is data.x as written, its steps counted where they are lists.
     */
    private void checkSize(int inputs, int hidden, int outputs, JsonNode sequences) {
        long steps = 0;
        if (sequences.isArray()) {
            for (JsonNode sequence : sequences) {
                steps = ModelSize.sum(steps, sequence.isArray() ? sequence.size() : 0);
            }
        }
        long recurrent = ModelSize.sum(ModelSize.product(hidden, hidden), ModelSize.product(hidden, inputs));
        new ModelSize(source, ModelSize.GRAPH)
                .add("hidden", "the hidden layer (Wh, Wx, b, h0)", ModelSize.sum(recurrent, ModelSize.product(2, hidden)),
                        ModelSize.product(4, hidden))
                .add("outputs", "the output layer (Wy, by)", ModelSize.sum(ModelSize.product(outputs, hidden),
                        ModelSize.product(outputs)), ModelSize.product(2, outputs))
                .check("data.x", steps, "step");
    }

    // ---- typed values ----------------------------------------------------------------------------

    private void knownKeys(JsonNode node, String prefix, List<String> known, String what) {
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

    /** A whole number that fits an int; its own rules (e.g. at least 1) are the spec's. */
    private int whole(JsonNode node, String path) {
        return (int) fields.wholeNumber(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private double[] vector(JsonNode node, String path) {
        return fields.vector(node, path);
    }

    private double[][] matrix(JsonNode node, String path) {
        return fields.matrix(node, path);
    }

    private double[][][] tensor(JsonNode node, String path) {
        boolean sequences = node.isArray();
        for (JsonNode sequence : node) {
            sequences &= sequence.isArray();
        }
        if (!sequences) {
            throw new SpecException(source, path, ValueText.of(node), "is not a list of sequences",
                    "write " + path.substring(path.indexOf('.') + 1)
                            + " as one list of step rows per sample, e.g. [[[1.0], [0.5]]]");
        }
        double[][][] t = new double[node.size()][][];
        for (int s = 0; s < t.length; s++) {
            t[s] = matrix(node.get(s), path + "[" + s + "]");
        }
        return t;
    }
}
