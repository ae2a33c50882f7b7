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
 *
 * <p>The message is always one printable line, whatever the file contained: control characters, line
 * breaks and invisible format characters in any part are written as escapes ({@code \n}, <code>&#92;u001B</code>,
 * <code>&#92;u202E</code>), and a field path or value longer than 200 characters is cut with
 * {@code ...} (the getters return the parts as they were given).
 */
public class SpecException extends ChainproofException {

    /** Longest field path or value the message shows before cutting it with {@code ...}. */
    static final int MAX_SHOWN = 200;

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
        return printable(source) + ": " + printable(cut(fieldPath)) + ": <" + printable(cut(value)) + "> "
                + printable(rule) + "; " + printable(fix);
    }

    /** @return the text cut to {@link #MAX_SHOWN} characters and {@code ...}, never inside a surrogate pair */
    private static String cut(String text) {
        if (text == null || text.length() <= MAX_SHOWN) {
            return text;
        }
        int end = Character.isLowSurrogate(text.charAt(MAX_SHOWN)) ? MAX_SHOWN - 1 : MAX_SHOWN;
        return text.substring(0, end) + "...";
    }

    /**
     * @return the text with every control, format (invisible) and line or paragraph separator character as
     *         an escape: {@code \n}, {@code \r}, {@code \t}, else <code>&#92;uXXXX</code>; {@code null} as
     *         {@code null}
     */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean hidden = type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (hidden && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (!hidden) {
                if (out != null) {
                    out.append(c);
                }
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out == null ? text : out.toString();
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
