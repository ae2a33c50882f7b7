package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed reading of one spec file's JSON tree, with the house messages
 * ({@code <source>: <field>: <value> <rule>; <fix>}): known and required keys, text, names from a list (with
 * "did you mean"), whole numbers in a range, numbers, lists and lists of rows. Shared by the readers of every
 * spec type, so that the same mistake reads the same in an MLP, an RNN or a formula spec.
 */
final class JsonFields {

    /** The value shown for a key that is absent. */
    static final String MISSING = "missing";

    private final String source;

    /** @param source the file name (or {@code <string>}) every message starts with */
    JsonFields(String source) {
        this.source = source;
    }

    void requireKnownKeys(JsonNode node, String prefix, List<String> known, String what) {
        for (String key : (Iterable<String>) node::fieldNames) {
            if (!known.contains(key)) {
                throw new SpecException(source, path(prefix, key), key, "is not " + what,
                        DidYouMean.known(key, known));
            }
        }
    }

    void require(JsonNode node, String prefix, String key, String fix) {
        if (!node.has(key)) {
            throw new SpecException(source, path(prefix, key), MISSING, "is required", fix);
        }
    }

    static String path(String prefix, String key) {
        return prefix.isEmpty() ? key(key) : prefix + "." + key(key);
    }

    /** @return a key as a field path shows it: as written, or in double quotes if it is empty or blank */
    static String key(String key) {
        return key.isBlank() ? "\"" + key + "\"" : key;
    }

    String text(JsonNode node, String path, String fix) {
        if (!node.isTextual()) {
            throw new SpecException(source, path, ValueText.of(node), "is not text", fix);
        }
        return node.asText();
    }

    <T> T named(JsonNode node, String path, String what, List<String> names,
                        Function<String, Optional<T>> lookup, String example) {
        String name = text(node, path, "write " + what + " name such as \"" + example + "\"");
        return lookup.apply(name).orElseThrow(() ->
                new SpecException(source, path, name, "is not " + what, DidYouMean.known(name, names)));
    }

    long wholeNumber(JsonNode node, String path, long min, long max) {
        if (!node.isNumber()) {
            throw new SpecException(source, path, ValueText.of(node), "is not a whole number",
                    quotedNumber(node) ? "remove the quotes" : "write a whole number such as 2");
        }
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else if (Double.isFinite(node.doubleValue()) && node.doubleValue() == Math.rint(node.doubleValue())) {
            value = node.decimalValue().toBigInteger();
        } else {
            throw new SpecException(source, path, ValueText.of(node), "is not a whole number",
                    "write a whole number such as 2");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new SpecException(source, path, ValueText.of(node), "is out of range",
                    "use a whole number from " + min + " to " + max);
        }
        return value.longValue();
    }

    double number(JsonNode node, String path) {
        if (!node.isNumber()) {
            String fix = quotedNumber(node) ? "remove the quotes"
                    : node.isArray() ? "write a single number here, not a list" : "write a number such as 0.5";
            throw new SpecException(source, path, ValueText.of(node), "is not a number", fix);
        }
        return node.doubleValue();
    }

    static boolean quotedNumber(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        try {
            Double.parseDouble(node.asText().strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    double[][] matrix(JsonNode node, String path) {
        boolean rows = node.isArray();
        for (JsonNode row : node) {
            rows &= row.isArray();
        }
        if (!rows) {
            throw new SpecException(source, path, ValueText.of(node), "is not a list of rows",
                    "write " + path.substring(path.indexOf('.') + 1) + " as a list of rows, e.g. [[0.5, -1.0]]");
        }
        double[][] matrix = new double[node.size()][];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = vector(node.get(i), path + "[" + i + "]");
        }
        return matrix;
    }

    double[] vector(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new SpecException(source, path, ValueText.of(node), "is not a list of numbers",
                    "write " + path.substring(path.indexOf('.') + 1) + " as a list such as [0.0, 0.5]");
        }
        if (node instanceof NumberArrayNode numbers) {
            return numbers.values();
        }
        double[] vector = new double[node.size()];
        for (int j = 0; j < vector.length; j++) {
            JsonNode element = node.get(j);
            // the path is built only for a message: a million-entry matrix builds no million strings
            vector[j] = element.isNumber() ? element.doubleValue() : number(element, path + "[" + j + "]");
        }
        return vector;
    }
}
