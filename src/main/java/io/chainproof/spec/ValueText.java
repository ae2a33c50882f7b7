package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders values for the {@code <value>} part of a {@link SpecException} message: short, exact for
 * numbers, truncated for long lists.
 */
final class ValueText {

    /** Longest rendering of a JSON node before it is cut with {@code ...}. */
    static final int MAX_CHARS = 60;
    /** Entries of a row shown before the rest is summarised. */
    static final int MAX_ENTRIES = 6;

    private ValueText() {
    }

    /** @return numbers as written ({@code 1.5}, {@code NaN}), text in double quotes, the rest as compact JSON */
    static String of(JsonNode node) {
        String text = node.isNumber() ? node.asText() : node.toString();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...";
    }

    /** @return {@link Double#toString(double)}: {@code 1.5}, {@code NaN}, {@code -Infinity} */
    static String of(double value) {
        return Double.toString(value);
    }

    /** @return e.g. {@code [0.1, 0.2]}, or {@code [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, ... (9 entries)]} */
    static String of(double[] row) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Math.min(row.length, MAX_ENTRIES); i++) {
            text.append(i == 0 ? "" : ", ").append(row[i]);
        }
        if (row.length > MAX_ENTRIES) {
            text.append(", ... (").append(row.length).append(" entries)");
        }
        return text.append(']').toString();
    }

    /** @return the shape of a rectangular matrix, e.g. {@code [3][2]}; {@code [0][0]} when empty */
    static String shape(double[][] matrix) {
        return shape(matrix.length, matrix.length == 0 ? 0 : matrix[0].length);
    }

    /** @return e.g. {@code [3][2]} */
    static String shape(int rows, int columns) {
        return "[" + rows + "][" + columns + "]";
    }

    /** @return a tensor shape as the layered specs write it, e.g. {@code [3, 8, 8]} */
    static String shape(int[] dims) {
        return java.util.Arrays.toString(dims);
    }

    /** Names a message lists before it summarises the rest. */
    static final int MAX_NAMES = 20;

    /**
     * @return the names joined with commas, e.g. {@code W1, b1, W2}; past {@value #MAX_NAMES} the first of them and
     *         {@code ... (400 in all)}, so that a model of hundreds of layers does not make a message of thousands of
     *         characters
     */
    static String names(java.util.Collection<String> names) {
        if (names.size() <= MAX_NAMES) {
            return String.join(", ", names);
        }
        return String.join(", ", names.stream().limit(MAX_NAMES).toList()) + ", ... (" + names.size() + " in all)";
    }

    /** @return e.g. {@code "1 entry"}, {@code "3 entries"} */
    static String count(int n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
