package io.chainproof.spec;

import io.chainproof.ChainproofException;

/**
 * Bad input: a spec (or a value passed to one of this package's records) broke a rule.
 *
 * <p>Every message has one format, {@code <source>: <fieldPath>: <value> <rule>; <fix>}, for example
 * <pre>{@code
 * bad.json: layers[1].activation: <sigmod> is not an activation; known: identity, sigmoid, ... (did you mean sigmoid?)
 * }</pre>
 * The source is the file name (or {@code <string>}, or the name of the record when a value was passed
 * in code), the field path uses the keys and 0-based indices of the file ({@code parameters.W2[1]},
 * {@code data.y[0][2]}), or {@code (file)} for the file as a whole, or {@code line L, column C} for a
 * syntax error. The value appears in angle brackets, as in jqwik. The parts are also available as data.
 */
public class SpecException extends ChainproofException {

    /** The file name, {@code <string>} or the record name. */
    private final String source;
    /** Where in the spec, e.g. {@code layers[1].activation}. */
    private final String fieldPath;
    /** The offending value as text, without the angle brackets. */
    private final String value;
    /** The rule the value broke, e.g. {@code is not an activation}. */
    private final String rule;
    /** What to do about it. */
    private final String fix;

    /**
     * Creates an exception from its parts.
     *
     * @param source    the file name, {@code <string>} or the record name
     * @param fieldPath where in the spec, e.g. {@code layers[1].activation}
     * @param value     the offending value as text, without the angle brackets
     * @param rule      the rule it broke, e.g. {@code is not an activation}
     * @param fix       what to do about it
     */
    public SpecException(String source, String fieldPath, String value, String rule, String fix) {
        this(source, fieldPath, value, rule, fix, null);
    }

    /**
     * Creates an exception from its parts and the lower-level cause (an I/O or parser exception).
     *
     * @param source    the file name, {@code <string>} or the record name
     * @param fieldPath where in the spec
     * @param value     the offending value as text, without the angle brackets
     * @param rule      the rule it broke
     * @param fix       what to do about it
     * @param cause     the exception that revealed the problem, or {@code null}
     */
    public SpecException(String source, String fieldPath, String value, String rule, String fix,
                         Throwable cause) {
        super(format(source, fieldPath, value, rule, fix), cause);
        this.source = source;
        this.fieldPath = fieldPath;
        this.value = value;
        this.rule = rule;
        this.fix = fix;
    }

    private static String format(String source, String fieldPath, String value, String rule, String fix) {
        return source + ": " + fieldPath + ": <" + value + "> " + rule + "; " + fix;
    }

    /** @return the file name, {@code <string>} or the record name the value was passed to */
    public String getSource() {
        return source;
    }

    /** @return where in the spec, e.g. {@code parameters.W2[1]}, {@code (file)} or {@code line 3, column 7} */
    public String getFieldPath() {
        return fieldPath;
    }

    /** @return the offending value as text, without the angle brackets */
    public String getValue() {
        return value;
    }

    /** @return the rule the value broke, e.g. {@code is not finite} */
    public String getRule() {
        return rule;
    }

    /** @return what to do about it */
    public String getFix() {
        return fix;
    }

    /**
     * The same complaint, placed inside a file: the source is replaced and the field path is prefixed
     * with the path of the record in the file. {@code new LayerSpec(0, ...)} complains about
     * {@code LayerSpec: units}; read from a file this becomes {@code bad.json: layers[1].units}.
     *
     * @param newSource  the file name
     * @param parentPath the path of the record in the file, e.g. {@code layers[1]}
     * @return a new exception with this one as its cause
     */
    SpecException within(String newSource, String parentPath) {
        String separator = fieldPath.startsWith("[") ? "" : ".";
        return new SpecException(newSource, parentPath + separator + fieldPath, value, rule, fix, this);
    }
}
