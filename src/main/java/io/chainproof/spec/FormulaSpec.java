package io.chainproof.spec;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the user wrote in a {@code "type": "formula"} spec: a scalar loss in a small subset of Symja's
 * input syntax, with named parameters (what the gradient is taken with respect to) and named inputs
 * (fixed values), each a number or a list of numbers.
 *
 * <p>The syntax — numbers ({@code 1.5e-3}), ASCII names, {@code + − * / ^}, parentheses, calls of the
 * {@link #FUNCTIONS allowed functions}, entries {@code v[[i]]} of list values (1-based) and
 * {@code Sum[body, {i, a, b}]} — is defined and enforced by {@code io.chainproof.formula.FormulaParser};
 * this record checks only the names and values: every name is an ASCII identifier
 * {@code [A-Za-z][A-Za-z0-9]*}, no name is both a parameter and an input, none is a function or a
 * {@link #CONSTANTS constant}, every value is finite, every list has at least one entry, and there is
 * at least one parameter.
 *
 * <p>Instances are immutable: the maps keep the file's order and are unmodifiable, and {@link Value}
 * copies its array in and out.
 *
 * @param name       the spec's name, e.g. {@code lecture-chain-formula}
 * @param source     the file name or {@code <string>}, used in messages
 * @param formula    the loss as the user wrote it
 * @param parameters the parameters by name, in file order
 * @param inputs     the inputs by name, in file order
 */
public record FormulaSpec(String name, String source, String formula, Map<String, Value> parameters,
                          Map<String, Value> inputs) implements Spec {

    /** The functions a formula may call, in the order messages list them. */
    public static final List<String> FUNCTIONS = List.of("Exp", "Log", "Sqrt", "Tanh", "Sech", "Erf",
            "LogisticSigmoid", "Sigmoid", "Softplus", "Sum");

    /** The named constants a formula may use: {@code E} (Euler's number) and {@code Pi}. */
    public static final List<String> CONSTANTS = List.of("E", "Pi");

    /** Longest name of a parameter, input or sum index. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /**
     * A parameter's or input's value: one number, or a list of numbers addressed as {@code v[[1]]}, ….
     *
     * @param entries the number, or the list's entries; copied
     * @param vector  whether the value was written as a list (a one-entry list is still a list)
     */
    public record Value(double[] entries, boolean vector) {

        /**
         * Copies the entries and checks that a scalar has exactly one.
         *
         * @param entries the number, or the list's entries; copied
         * @param vector  whether the value was written as a list
         */
        public Value {
            entries = entries.clone();
            if (!vector && entries.length != 1) {
                throw new IllegalArgumentException("Scalar value with <" + entries.length
                        + "> entries; a scalar has exactly one");
            }
        }

        /**
         * One number.
         *
         * @param value the number
         * @return a scalar value
         */
        public static Value scalar(double value) {
            return new Value(new double[] {value}, false);
        }

        /**
         * A list of numbers.
         *
         * @param entries the entries; copied
         * @return a list value
         */
        public static Value vector(double... entries) {
            return new Value(entries, true);
        }

        /** @return the number, or the list's entries; a copy */
        @Override
        public double[] entries() {
            return entries.clone();
        }

        /** @return how many numbers this value holds */
        public int size() {
            return entries.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Value v && v.vector == vector && Arrays.equals(v.entries, entries);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(entries) + Boolean.hashCode(vector);
        }

        @Override
        public String toString() {
            return vector ? Arrays.toString(entries) : Double.toString(entries[0]);
        }
    }

    /**
     * Copies the maps and checks names and values; messages name {@code source} and the field, e.g.
     * {@code bad.json: parameters.w: <Infinity> is not finite; write a finite number}.
     *
     * @param name       the spec's name; not empty
     * @param source     the file name or {@code <string>}; not empty
     * @param formula    the loss text; not checked here (see {@code FormulaParser})
     * @param parameters the parameters by name; at least one
     * @param inputs     the inputs by name; may be empty
     */
    public FormulaSpec {
        if (source == null || source.isEmpty()) {
            throw new SpecException("FormulaSpec", "source", String.valueOf(source), "is empty",
                    "give the file name or <string>");
        }
        if (name == null || name.isBlank()) {
            throw new SpecException(source, "name", String.valueOf(name), "is empty", "write a name such as \"my-loss\"");
        }
        if (formula == null) {
            throw new SpecException(source, "formula", "null", "is missing", "write the loss, e.g. \"(w*x - y)^2\"");
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        if (parameters.isEmpty()) {
            throw new SpecException(source, "parameters", "{}", "is empty",
                    "add at least one parameter, e.g. \"parameters\": {\"w\": 0.5}");
        }
        checkValues(source, "parameters", parameters);
        checkValues(source, "inputs", inputs);
        for (String input : inputs.keySet()) {
            if (parameters.containsKey(input)) {
                throw new SpecException(source, "inputs." + input, input, "is also a parameter",
                        "rename the input or the parameter; a name stands for one value");
            }
        }
    }

    private static void checkValues(String source, String field, Map<String, Value> values) {
        for (Map.Entry<String, Value> entry : values.entrySet()) {
            String key = entry.getKey();
            String path = JsonFields.path(field, key);
            checkName(source, path, key);
            Value value = entry.getValue();
            if (value.size() == 0) {
                throw new SpecException(source, path, "[]", "is an empty list", "write at least one number");
            }
            double[] entries = value.entries();
            for (int i = 0; i < entries.length; i++) {
                if (!Double.isFinite(entries[i])) {
                    throw new SpecException(source, value.vector() ? path + "[" + i + "]" : path,
                            Double.toString(entries[i]), "is not finite", "write a finite number");
                }
            }
        }
    }

    private static void checkName(String source, String path, String key) {
        if (!IDENTIFIER.matcher(key).matches() || key.length() > MAX_NAME_LENGTH) {
            throw new SpecException(source, path, key, "is not a name",
                    "use an ASCII letter followed by up to " + (MAX_NAME_LENGTH - 1) + " letters or digits, e.g. w1");
        }
        if (FUNCTIONS.contains(key) || CONSTANTS.contains(key)) {
            throw new SpecException(source, path, key, "is reserved",
                    "rename it; reserved: " + String.join(", ", FUNCTIONS) + ", " + String.join(", ", CONSTANTS));
        }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.formula(this);
    }
}
