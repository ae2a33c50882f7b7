package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads gradients computed elsewhere, for {@code chainproof verify}: a JSON (or YAML) object mirroring
 * the spec's parameters, {@code {"W1": [[…]], "b1": […], …}} — PyTorch's {@code {name: p.grad}} layout —
 * either at the top level or under {@code "gradients"} (a {@code "loss"} beside it is allowed and
 * ignored). Every tensor of the network must be there with the network's shape, and nothing else;
 * NaN and ±Infinity are read as such (the verifier reports them). Bad input gets a {@link SpecException}
 * naming the file, the field, the value, the rule and a fix.
 */
public final class GradientFileReader {

    private GradientFileReader() {
    }

    /**
     * The claimed gradients of {@code spec}'s parameters, shaped like them.
     *
     * @param file the JSON file, in PyTorch's {@code {name: p.grad}} layout
     * @param spec the network whose parameters give the tensors' names and shapes
     * @return the claimed gradient tensors
     */
    public static GradientTensors read(Path file, NetworkSpec spec) {
        String source = file.toString();
        JsonNode root = SpecReader.readTree(file);
        if (!root.isObject()) {
            throw new SpecException(source, "(file)", ValueText.of(root), "is not a JSON object",
                    "write {\"W1\": [[...]], \"b1\": [...], ...} or {\"gradients\": {...}}");
        }
        String prefix = "";
        JsonNode tensors = root;
        if (root.has("gradients")) {
            prefix = "gradients.";
            tensors = root.get("gradients");
            Set<String> others = new LinkedHashSet<>();
            root.fieldNames().forEachRemaining(others::add);
            others.remove("gradients");
            others.remove("loss");
            if (!others.isEmpty()) {
                String extra = others.iterator().next();
                throw new SpecException(source, extra, extra, "is not expected beside \"gradients\"",
                        "keep only \"gradients\" (and optionally \"loss\") at the top level");
            }
            if (!tensors.isObject()) {
                throw new SpecException(source, "gradients", ValueText.of(tensors), "is not a JSON object",
                        "write \"gradients\": {\"W1\": [[...]], \"b1\": [...], ...}");
            }
        }
        List<String> expected = tensorNames(spec);
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!expected.contains(name)) {
                throw new SpecException(source, prefix + name, name, "is not a parameter of " + spec.name(),
                        "its parameters are " + String.join(", ", expected) + "; remove or rename it");
            }
        }
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            int rows = spec.units(l);
            int cols = spec.units(l - 1);
            weights.add(matrix(source, prefix + "W" + l, tensors.get("W" + l), rows, cols));
            biases.add(vector(source, prefix + "b" + l, tensors.get("b" + l), rows));
        }
        return new GradientTensors(weights, biases);
    }

    private static List<String> tensorNames(NetworkSpec spec) {
        List<String> names = new ArrayList<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            names.add("W" + l);
            names.add("b" + l);
        }
        return names;
    }

    private static double[][] matrix(String source, String path, JsonNode node, int rows, int cols) {
        String shape = "[" + rows + "][" + cols + "]";
        if (node == null) {
            throw new SpecException(source, path, "missing", "is required", "add it with shape " + shape);
        }
        if (!node.isArray() || node.size() != rows) {
            throw new SpecException(source, path, ValueText.of(node), "has shape " + shapeOf(node) + ", not " + shape,
                    "give " + rows + " rows of " + cols + " numbers (row = output unit, column = input unit, as in PyTorch)");
        }
        double[][] m = new double[rows][];
        for (int j = 0; j < rows; j++) {
            m[j] = vector(source, path + "[" + j + "]", node.get(j), cols);
        }
        return m;
    }

    /** {@code [2][3]} for a rectangular list of lists, {@code [n]} for a list, {@code []} for anything else. */
    private static String shapeOf(JsonNode node) {
        if (!node.isArray()) {
            return "[]";
        }
        if (node.size() > 0 && node.get(0).isArray()) {
            int cols = node.get(0).size();
            for (JsonNode row : node) {
                if (!row.isArray() || row.size() != cols) {
                    return "[" + node.size() + "][ragged]";
                }
            }
            return "[" + node.size() + "][" + cols + "]";
        }
        return "[" + node.size() + "]";
    }

    private static double[] vector(String source, String path, JsonNode node, int length) {
        if (node == null) {
            throw new SpecException(source, path, "missing", "is required", "add it with shape [" + length + "]");
        }
        if (!node.isArray() || node.size() != length) {
            throw new SpecException(source, path, ValueText.of(node), "has shape " + shapeOf(node) + ", not [" + length + "]",
                    "give a list of " + length + " numbers");
        }
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            JsonNode e = node.get(i);
            if (!e.isNumber()) {
                throw new SpecException(source, path + "[" + i + "]", ValueText.of(e), "is not a number",
                        "write a number (NaN and Infinity are allowed and reported as non-finite)");
            }
            v[i] = e.asDouble();
        }
        return v;
    }
}
