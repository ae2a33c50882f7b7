package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the parsed tree of a {@code "type": "formula"} spec into a {@link FormulaSpec}, failing at the
 * first error with the house message {@code <source>: <field>: <value> <rule>; <fix>}.
 *
 * <p>Keys: {@code type} (must be {@code "formula"}), {@code name} (optional; defaults to the file name
 * without extension), {@code formula} (text), {@code parameters} (an object of numbers or lists of
 * numbers; required) and {@code inputs} (the same; optional). Order of checks: the root is an object;
 * no unknown key (in file order); the required keys are present; then type, name, formula, parameters
 * and inputs, each for its type and then its rules (see {@link FormulaSpec}). The formula text itself
 * is checked later, by {@code io.chainproof.formula.FormulaParser}.
 * <pre>{@code
 * { "type": "formula", "name": "least-squares",
 *   "formula": "Sum[(w*x[[i]] + b - y[[i]])^2, {i, 1, 3}]",
 *   "parameters": {"w": 0.5, "b": 0.0},
 *   "inputs": {"x": [1, 2, 3], "y": [2, 4, 6]} }
 * }</pre>
 */
public final class FormulaSpecReader {

    /** The value of {@code "type"} that selects this reader. */
    public static final String TYPE = "formula";

    private static final List<String> KEYS = List.of("type", "name", "formula", "parameters", "inputs");
    private static final String MISSING = "missing";

    private final String source;

    private FormulaSpecReader(String source) {
        this.source = source;
    }

    /**
     * Reads and validates a formula spec (but not yet its formula text).
     *
     * @param source the file name or {@code <string>}, used in messages
     * @param root   the parsed JSON or YAML tree
     * @return the validated spec
     * @throws SpecException naming the field, its value, the rule and a fix
     */
    public static FormulaSpec read(String source, JsonNode root) {
        return new FormulaSpecReader(source).spec(root);
    }

    private FormulaSpec spec(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new SpecException(source, "(file)", root == null ? "" : ValueText.of(root), "is not an object",
                    "write the spec as an object with type, formula, parameters and inputs");
        }
        for (String key : (Iterable<String>) root::fieldNames) {
            if (!KEYS.contains(key)) {
                throw new SpecException(source, JsonFields.key(key), key, "is not a formula spec key",
                        DidYouMean.known(key, KEYS));
            }
        }
        require(root, "type", "add \"type\": \"formula\"");
        require(root, "formula", "add \"formula\" with the loss, e.g. \"formula\": \"(w*x - y)^2\"");
        require(root, "parameters", "add \"parameters\" with a value for each parameter, e.g. {\"w\": 0.5}");
        String type = text(root.get("type"), "type", "write \"type\": \"formula\"");
        if (!TYPE.equals(type)) {
            throw new SpecException(source, "type", type, "is not \"formula\"",
                    "write \"type\": \"formula\" or leave \"type\" out for a network spec");
        }
        String name = root.has("name") ? text(root.get("name"), "name", "write a name such as \"my-loss\"")
                : SpecDocument.defaultName(source);
        String formula = text(root.get("formula"), "formula", "write the loss as text, e.g. \"(w*x - y)^2\"");
        Map<String, FormulaSpec.Value> parameters = values(root.get("parameters"), "parameters");
        Map<String, FormulaSpec.Value> inputs = root.has("inputs") ? values(root.get("inputs"), "inputs") : Map.of();
        return new FormulaSpec(name, source, formula, parameters, inputs);
    }

    private void require(JsonNode node, String key, String fix) {
        if (!node.has(key)) {
            throw new SpecException(source, key, MISSING, "is required", fix);
        }
    }

    private String text(JsonNode node, String path, String fix) {
        if (!node.isTextual()) {
            throw new SpecException(source, path, ValueText.of(node), "is not text", fix);
        }
        return node.asText();
    }

    private Map<String, FormulaSpec.Value> values(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new SpecException(source, field, ValueText.of(node), "is not an object",
                    "write \"" + field + "\": {\"name\": 0.5, \"list\": [1.0, 2.0]}");
        }
        Map<String, FormulaSpec.Value> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String path = JsonFields.path(field, entry.getKey());
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                double[] entries = new double[value.size()];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = number(value.get(i), path + "[" + i + "]");
                }
                values.put(entry.getKey(), FormulaSpec.Value.vector(entries));
            } else {
                values.put(entry.getKey(), FormulaSpec.Value.scalar(number(value, path)));
            }
        }
        return values;
    }

    private double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            String fix = node.isArray() ? "write a number here, not a nested list"
                    : node.isTextual() ? "write a number without quotes" : "write a number such as 0.5";
            throw new SpecException(source, path, ValueText.of(node), "is not a number", fix);
        }
        return node.doubleValue();
    }
}
