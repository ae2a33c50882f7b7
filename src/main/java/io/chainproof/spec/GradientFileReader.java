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
                throw new SpecException(source, JsonFields.key(extra), extra, "is not expected beside \"gradients\"",
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
                throw new SpecException(source, prefix + JsonFields.key(name), name,
                        "is not a parameter of " + spec.name(),
                        "its parameters are " + ValueText.names(expected) + "; remove or rename it");
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

    /**
     * Claimed gradients of any model, shaped like {@code template}: one entry per name, a {@code Double},
     * {@code double[]} or {@code double[][]} whose shape the file's tensor must have. The file is
     * {@code {name: tensor, …}} or {@code {"gradients": {…}}}; beside {@code "gradients"} the loss and notes such as
     * a producer (numbers, strings) may stand, but no tensor.
     *
     * @param file     the JSON file
     * @param model    the model's name, for messages
     * @param template the tensors' names and shapes, in layout order
     * @return the claimed values, flat in the template's order (matrices row by row)
     * @throws SpecException naming the file, the tensor and the rule it breaks
     */
    public static double[] readFlat(Path file, String model, Map<String, Object> template) {
        return readFlat(file, model, template, Map.of());
    }

    /**
     * {@link #readFlat(Path, String, Map)} for a file that names tensors its own way — a PyTorch
     * {@code state_dict} ({@code features.0.weight}), another library's parameter table — translated by
     * {@code names} ({@code {"features.0.weight": "W1", ...}}); a name the map does not mention is read as is.
     *
     * @param file     the JSON file
     * @param model    the model's name, for messages
     * @param template the tensors' names and shapes, in layout order
     * @param names    the file's names to the model's; may be empty
     * @return the claimed values, flat in the template's order
     * @throws SpecException naming the file, the tensor and the rule it breaks
     */
    public static double[] readFlat(Path file, String model, Map<String, Object> template, Map<String, String> names) {
        return read(file, model, template, names, "gradients", false);
    }

    /**
     * A Hessian-vector product file's two sections: {@code {"vector": {name: tensor, …}, "hvp": {name: tensor, …}}},
     * each laid out as a gradient file's tensors (beside them only notes such as a producer).
     *
     * @param file     the JSON or YAML file
     * @param model    the model's name, for messages
     * @param template the tensors' names and shapes, in layout order
     * @param names    the file's names to the model's; may be empty
     * @param section  {@code "vector"} or {@code "hvp"}
     * @return that section's values, flat in the template's order
     * @throws SpecException naming the file, the section, the tensor and the rule it breaks
     */
    public static double[] readSection(Path file, String model, Map<String, Object> template, Map<String, String> names,
                                       String section) {
        return read(file, model, template, names, section, true);
    }

    /** The sections a file of tensors may have: a gradient file's, a Hessian-vector product file's. */
    private static final java.util.Set<String> SECTIONS = java.util.Set.of("gradients", "vector", "hvp");

    private static double[] read(Path file, String model, Map<String, Object> template, Map<String, String> names,
                                 String section, boolean required) {
        String source = file.toString();
        JsonNode root = SpecReader.readTree(file);
        if (!root.isObject()) {
            throw new SpecException(source, "(file)", ValueText.of(root), "is not a JSON object", required
                    ? "write {\"vector\": {...}, \"hvp\": {...}}"
                    : "write {\"" + template.keySet().iterator().next() + "\": ...} or {\"gradients\": {...}}");
        }
        if (required && !root.has(section)) {
            throw new SpecException(source, section, "missing", "is required in a Hessian-vector product file",
                    "write {\"vector\": {name: v, ...}, \"hvp\": {name: H·v, ...}} with v and H·v laid out as the "
                            + "parameters");
        }
        String prefix = "";
        JsonNode tensors = root;
        if (root.has(section)) {
            prefix = section + ".";
            tensors = root.get(section);
            if (!tensors.isObject()) {
                throw new SpecException(source, section, ValueText.of(tensors), "is not a JSON object",
                        "write \"" + section + "\": {name: value, ...}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean sibling = required && SECTIONS.contains(e.getKey());
                if (!e.getKey().equals(section) && !sibling && e.getValue().isContainerNode()) {
                    throw new SpecException(source, JsonFields.key(e.getKey()), ValueText.of(e.getValue()),
                            "is not expected beside \"" + section + "\"", "put every tensor inside \"" + section + "\"; beside it only the loss and "
                            + "notes (numbers, strings) may stand");
                }
            }
        }
        tensors = renamed(source, tensors, names, prefix);
        List<String> expected = new ArrayList<>(template.keySet());
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!expected.contains(name) && !(prefix.isEmpty() && name.equals("loss"))) {
                throw new SpecException(source, prefix + JsonFields.key(name), name, "is not a parameter of " + model,
                        "its parameters are " + ValueText.names(expected) + "; remove or rename it");
            }
        }
        List<Double> flat = new ArrayList<>();
        for (Map.Entry<String, Object> e : template.entrySet()) {
            String path = prefix + e.getKey();
            JsonNode node = tensors.get(e.getKey());
            if (e.getValue() instanceof Object[][] deep) {
                tensor(source, path, node, deep, flat);
            } else if (e.getValue() instanceof double[][] shape) {
                for (double[] row : matrix(source, path, node, shape.length, shape.length == 0 ? 0 : shape[0].length)) {
                    for (double v : row) {
                        flat.add(v);
                    }
                }
            } else if (e.getValue() instanceof double[] shape) {
                for (double v : vector(source, path, node, shape.length)) {
                    flat.add(v);
                }
            } else {
                if (node == null) {
                    throw new SpecException(source, path, "missing", "is required", "add it as a number");
                }
                if (!node.isNumber()) {
                    throw new SpecException(source, path, ValueText.of(node), "is not a number",
                            "write a number (NaN and Infinity are allowed and reported as non-finite)");
                }
                flat.add(node.asDouble());
            }
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The tensors with their names translated by {@code names}. */
    private static JsonNode renamed(String source, JsonNode tensors, Map<String, String> names, String prefix) {
        if (names.isEmpty() || !tensors.isObject()) {
            return tensors;
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode();
        Map<String, String> from = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = names.getOrDefault(e.getKey(), e.getKey());
            String earlier = from.put(name, e.getKey());
            if (earlier != null) {
                throw new SpecException(source, prefix + JsonFields.key(e.getKey()), e.getKey(),
                        "names the same parameter " + name + " as " + earlier + " (after the name map)",
                        "keep one tensor per parameter, or fix the name map");
            }
            out.set(name, e.getValue());
        }
        return out;
    }

    /**
     * Reads a name map file: a JSON or YAML object of the gradient file's names to the model's parameter names.
     *
     * @param file       the file
     * @param parameters the model's parameter names
     * @return the map
     * @throws SpecException if the file is not such an object, or maps to a name the model does not have
     */
    public static Map<String, String> readNames(Path file, java.util.Collection<String> parameters) {
        return names(file.toString(), SpecReader.readTree(file), "", parameters);
    }

    /**
     * Checks a name map given as a tree (a spec's {@code "names"}, or a names file).
     *
     * @param source     the file, for messages
     * @param node       the object
     * @param path       the field path of the object ({@code names} in a spec, empty for a file)
     * @param parameters the model's parameter names
     * @return the map, in the file's order
     * @throws SpecException at the first entry that is not text or names no parameter of the model
     */
    public static Map<String, String> names(String source, JsonNode node, String path,
                                            java.util.Collection<String> parameters) {
        if (!node.isObject()) {
            throw new SpecException(source, path.isEmpty() ? "(file)" : path, ValueText.of(node), "is not an object",
                    "write the names as {\"features.0.weight\": \"W1\", \"features.0.bias\": \"b1\"}");
        }
        Map<String, String> names = new java.util.LinkedHashMap<>();
        List<String> known = new ArrayList<>(parameters);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = JsonFields.path(path, e.getKey());
            if (!e.getValue().isTextual()) {
                throw new SpecException(source, at, ValueText.of(e.getValue()), "is not a parameter name",
                        "map each name to one of " + ValueText.names(known));
            }
            String target = e.getValue().asText();
            if (!known.contains(target)) {
                throw new SpecException(source, at, target, "is not a parameter of the model",
                        DidYouMean.known(target, known));
            }
            names.put(e.getKey(), target);
        }
        return names;
    }

    /** A tensor of rank 3 or more (a convolution's weight): nested lists of exactly the template's shape. */
    private static void tensor(String source, String path, JsonNode node, Object template, List<Double> flat) {
        if (template instanceof double[] row) {
            for (double v : vector(source, path, node, row.length)) {
                flat.add(v);
            }
            return;
        }
        Object[] outer = (Object[]) template;
        if (node == null) {
            throw new SpecException(source, path, "missing", "is required",
                    "add it as nested lists of shape " + shapeText(template));
        }
        if (!node.isArray() || node.size() != outer.length) {
            throw new SpecException(source, path, ValueText.of(node), (node.isArray() ? "has " + node.size()
                    + " entries" : "is not a list") + ", but the tensor's shape " + shapeText(template) + " needs "
                    + outer.length + " here", "give nested lists of shape " + shapeText(template));
        }
        for (int i = 0; i < outer.length; i++) {
            tensor(source, path + "[" + i + "]", node.get(i), outer[i], flat);
        }
    }

    private static String shapeText(Object template) {
        List<Integer> dims = new ArrayList<>();
        Object t = template;
        while (t instanceof Object[] a) {
            dims.add(a.length);
            t = a.length == 0 ? null : a[0];
        }
        if (t instanceof double[] row) {
            dims.add(row.length);
        }
        return dims.toString();
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
        if (node instanceof NumberArrayNode numbers) {
            return numbers.values();
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
