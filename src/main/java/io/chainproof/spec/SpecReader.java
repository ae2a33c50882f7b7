package io.chainproof.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a spec file (JSON or YAML, same keys) into a validated {@link NetworkSpec}.
 *
 * <pre>{@code
 * NetworkSpec spec = SpecReader.read(Path.of("examples/lecture-chain.json"));
 * }</pre>
 *
 * <p>Every problem is a {@link SpecException} with the message format
 * {@code <source>: <fieldPath>: <value> <rule>; <fix>}. Reading fails at the first problem, in a fixed
 * order: the file (exists, is a file, is UTF-8; a leading byte-order mark is skipped); its extension;
 * its syntax (line and column; duplicate keys are syntax errors); unknown keys; missing required keys
 * (inputs, layers, loss, parameters or init, data); then the fields in the order name, inputs, layers,
 * loss, the size they imply (parameters and values against the heap), parameters or init, data, each checked
 * for type, then for its own rules, then against the fields before it (softmax placement after layers, loss
 * against the last activation, parameter shapes, data widths and target ranges) as listed on {@link NetworkSpec}.
 *
 * <p>JSON may contain {@code NaN}, {@code Infinity} and {@code -Infinity}, YAML {@code .nan} and
 * {@code .inf}: they are read as numbers so that they fail with "is not finite" rather than as a syntax
 * error.
 *
 * <p>Limits, far above any real spec (the bundled ones nest at most 7 levels), each refused as bad input with
 * its line and column before it can exhaust the stack or the heap:
 * <table>
 *   <caption>Limits of a spec file</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>nesting of lists and objects</td><td>{@value #MAX_NESTING} levels</td></tr>
 *   <tr><td>a number</td><td>{@value #MAX_NUMBER_LENGTH} characters</td></tr>
 *   <tr><td>a text value</td><td>{@value #MAX_TEXT_LENGTH} characters</td></tr>
 *   <tr><td>a key</td><td>{@value #MAX_KEY_LENGTH} characters</td></tr>
 *   <tr><td>a YAML file</td><td>{@value #MAX_YAML_LENGTH} characters (SnakeYAML's own limit: YAML is read
 *       about a hundred times slower than JSON, and a long line of it slower still)</td></tr>
 *   <tr><td>the file</td><td>half the heap (it is read whole, then parsed)</td></tr>
 * </table>
 * YAML aliases ({@code *name}, a reference to a value marked {@code &name}) are refused: a spec writes every
 * value out, and so an alias "bomb" expands nothing.
 */
public final class SpecReader {

    /** The source named in messages for specs parsed from a string. */
    public static final String STRING_SOURCE = "<string>";

    /** Deepest nesting of lists and objects in a spec file. */
    public static final int MAX_NESTING = 100;
    /** Longest number in a spec file, in characters. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Longest text value in a spec file (a formula is at most 100,000), in characters. */
    public static final int MAX_TEXT_LENGTH = 1_000_000;
    /** Longest key in a spec file, in characters. */
    public static final int MAX_KEY_LENGTH = 1000;
    /** Longest YAML file, in characters (code points). */
    public static final int MAX_YAML_LENGTH = 3 * 1024 * 1024;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_TEXT_LENGTH)
            .maxNameLength(MAX_KEY_LENGTH)
            .build();
    // USE_FAST_DOUBLE_PARSER: Jackson's bundled FastDoubleParser, correctly rounded like Double.parseDouble and
    // several times faster — most of the time of reading a large spec is parsing its numbers
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(LIMITS)
            .build();
    private static final JsonFactory YAML_FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(LIMITS)
            .build();
    private static final Pattern YAML_INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern YAML_NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private SpecReader() {
    }

    /**
     * Reads and validates a spec file; the format follows the extension ({@link SpecFormat#forFileName}).
     *
     * @param file a {@code .json}, {@code .yaml} or {@code .yml} file; its path as given is the source
     * @return the validated spec
     * @throws SpecException if the file cannot be read or the spec breaks a rule
     */
    public static NetworkSpec read(Path file) {
        String source = file.toString();
        return new SpecDocument(source, readTree(file)).toNetworkSpec();
    }

    /**
     * Reads and validates a spec file of any kind: its {@code "type"} is {@code "mlp"} (the default when
     * absent), {@code "layered"}, {@code "rnn"} or {@code "formula"}; an MLP spec whose layers carry a {@code "type"}
     * (or whose inputs are a shape) is a layered model too ({@link LayeredSpecReader}).
     *
     * @param file a {@code .json}, {@code .yaml} or {@code .yml} file; its path as given is the source
     * @return the validated spec: a {@link NetworkSpec}, {@link RnnSpec}, {@link FormulaSpec} or {@link LayeredSpec}
     * @throws SpecException if the file cannot be read, its type is unknown or the spec breaks a rule
     */
    public static Spec readAny(Path file) {
        return any(file.toString(), readTree(file));
    }

    /**
     * Parses and validates spec text of any kind, as {@link #readAny} reads a file.
     *
     * @param text   the JSON or YAML text
     * @param source the name to use in messages, e.g. a file name, or {@link #STRING_SOURCE}
     * @param format the syntax of the text
     * @return the validated spec
     * @throws SpecException if the text is not valid JSON/YAML, its type is unknown or the spec breaks a rule
     */
    public static Spec parseAny(String text, String source, SpecFormat format) {
        String src = source == null ? STRING_SOURCE : source;
        return any(src, tree(text, src, format));
    }

    private static Spec any(String source, JsonNode root) {
        JsonNode type = root.isObject() ? root.get("type") : null;
        if (type == null) {
            return LayeredSpecReader.isLayered(root) ? LayeredSpecReader.read(source, root)
                    : new SpecDocument(source, root).toNetworkSpec();
        }
        String kind = type.isTextual() ? type.asText() : ValueText.of(type);
        return switch (kind) {
            case "mlp" -> {
                if (LayeredSpecReader.isLayered(root)) {
                    yield LayeredSpecReader.read(source, root);
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("type");
                yield new SpecDocument(source, root).toNetworkSpec();
            }
            case "layered" -> LayeredSpecReader.read(source, root);
            case RnnSpecReader.TYPE -> RnnSpecReader.read(source, root);
            case FormulaSpecReader.TYPE -> FormulaSpecReader.read(source, root);
            default -> throw new SpecException(source, "type", kind, "is not a spec type; " + DidYouMean.known(kind, TYPES),
                    "write \"type\": \"mlp\" (the default; layers with a \"type\" make a layered model), \"layered\", "
                            + "\"rnn\" or \"formula\"");
        };
    }

    /** The spec types {@link #readAny} knows. */
    private static final java.util.List<String> TYPES = java.util.List.of("mlp", "layered", RnnSpecReader.TYPE,
            FormulaSpecReader.TYPE);

    /**
     * Reads a JSON or YAML file into a tree, with the same messages for missing, unreadable and
     * malformed files as spec files get.
     */
    static JsonNode readTree(Path file) {
        String source = file.toString();
        String absolute = file.toAbsolutePath().normalize().toString();
        if (Files.isDirectory(file)) {
            throw new SpecException(source, "(file)", absolute, "is a directory", "give the path of a spec file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // /dev/zero or a pipe would be read without end
            throw new SpecException(source, "(file)", absolute, "is not a regular file (it is a device, a pipe or a "
                    + "socket)", "give the path of a spec file");
        }
        String text;
        try {
            long bytes = Files.size(file);
            long heap = Runtime.getRuntime().maxMemory();
            if (bytes > Integer.MAX_VALUE - 16 || bytes > heap / 2) {
                throw tooLarge(source, bytes, heap, null);
            }
            text = Files.readString(file);
        } catch (OutOfMemoryError e) {
            // the file's bytes, then its text: one allocation too many fails alone and leaves the heap as it was
            throw tooLarge(source, file.toFile().length(), Runtime.getRuntime().maxMemory(), e);
        } catch (NoSuchFileException e) {
            throw new SpecException(source, "(file)", absolute, "does not exist",
                    "check the path and the working directory", e);
        } catch (CharacterCodingException e) {
            throw new SpecException(source, "(file)", absolute, "is not UTF-8 text", "save the spec as UTF-8", e);
        } catch (IOException e) {
            throw new SpecException(source, "(file)", absolute, "cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the file is readable", e);
        }
        String withoutByteOrderMark = text.startsWith("\uFEFF") ? text.substring(1) : text;
        SpecFormat format = SpecFormat.forFileName(source);
        try {
            return tree(withoutByteOrderMark, source, format);
        } catch (OutOfMemoryError e) {
            // a file of many small objects and lists takes far more as a tree than as text; the tree is dropped here
            throw tooLarge(source, text.length(), Runtime.getRuntime().maxMemory(), e);
        }
    }

    private static SpecException tooLarge(String source, long bytes, long heap, Throwable cause) {
        return new SpecException(source, "(file)", ModelSize.bytes(bytes), "is too large to read with the "
                + ModelSize.bytes(heap) + " of heap this JVM has (a file needs twice its size or more while it is read)",
                "give Java more heap, e.g. java -Xmx" + ModelSize.gigabytesFor(3 * bytes) + "g -jar chainproof.jar",
                cause);
    }

    /**
     * Parses and validates spec text.
     *
     * @param text   the JSON or YAML text
     * @param source the name to use in messages, e.g. a file name, or {@link #STRING_SOURCE}
     * @param format the syntax of the text
     * @return the validated spec; its name defaults to the source without directory and extension
     * @throws SpecException if the text is not valid JSON/YAML or the spec breaks a rule
     */
    public static NetworkSpec parse(String text, String source, SpecFormat format) {
        String src = source == null ? STRING_SOURCE : source;
        if (text == null) {
            throw new SpecException(src, "(file)", "null", "is required", "pass the spec text");
        }
        if (format == null) {
            throw new SpecException(src, "(file)", "null", "is not a spec format", "pass SpecFormat.JSON or SpecFormat.YAML");
        }
        return new SpecDocument(src, tree(text, src, format)).toNetworkSpec();
    }

    private static JsonNode tree(String text, String source, SpecFormat format) {
        int characters = format == SpecFormat.YAML && text.length() > MAX_YAML_LENGTH
                ? text.codePointCount(0, text.length()) : 0;
        if (characters > MAX_YAML_LENGTH) {
            throw new SpecException(source, "(file)", characters + " characters",
                    "is longer than the " + MAX_YAML_LENGTH + " characters a YAML spec may have (YAML is read about a "
                            + "hundred times slower than JSON)", "write the spec as JSON, which has no such limit");
        }
        try (JsonParser parser = format == SpecFormat.JSON ? JSON_FACTORY.createParser(text)
                : YAML_FACTORY.createParser(new WholeCharacters(text))) {
            try {
                if (parser.nextToken() == null) {
                    throw new SpecException(source, "(file)", "", "has no content",
                            "write a spec object with inputs, layers, loss, parameters or init, and data");
                }
                JsonNode root = node(parser, format, text, source);
                if (parser.nextToken() != null) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new SpecException(source, SyntaxError.location(at.getLineNr(), at.getColumnNr()),
                            SyntaxError.lineAt(text, at.getLineNr(), at.getColumnNr()),
                            "has content after the end of the spec", "keep one spec per file");
                }
                return root;
            } catch (StreamConstraintsException e) {
                throw SyntaxError.limit(e, parser.currentLocation(), text, source, format);
            }
        } catch (JsonProcessingException e) {
            throw SyntaxError.translate(e, text, source, format);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string failed", e);
        }
    }

    /**
     * The text as a {@link Reader} that never ends a read between the two halves of a surrogate pair. SnakeYAML 2.3
     * reads its 1,024-character buffer full and, when the last character is a high surrogate, reads one more past the
     * buffer's end: a YAML spec with an emoji or a 𝜎 at character 1,024 threw an IndexOutOfBoundsException. The pom
     * pins SnakeYAML 2.4, which fixes that (SpecReaderLimitsTests passes with a plain reader on 2.4); this reader stays
     * for a classpath that brings 2.3 with Jackson.
     */
    private static final class WholeCharacters extends Reader {
        private final String text;
        private int next;

        WholeCharacters(String text) {
            this.text = text;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (next >= text.length()) {
                return -1;
            }
            int n = Math.min(length, text.length() - next);
            if (n > 1 && Character.isHighSurrogate(text.charAt(next + n - 1))) {
                n--;
            }
            text.getChars(next, next + n, buffer, offset);
            next += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Adds the current token to {@code numbers} if it is an int or a double as {@link #node} would read it (YAML's
     * .nan and .inf included); false for anything else (a long, a big integer, a string, …).
     */
    private static boolean compactNumber(JsonParser parser, SpecFormat format, NumberArrayNode.Builder numbers)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            numbers.addInt(parser.getIntValue());
            return true;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            numbers.addDouble(floatValue(parser, format));
            return true;
        }
        return false;
    }

    /** The value of a float token, YAML's .nan and .inf included. */
    private static double floatValue(JsonParser parser, SpecFormat format) throws IOException {
        if (format == SpecFormat.YAML) {
            String text = parser.getText();
            if (YAML_NAN.matcher(text).matches()) {
                return Double.NaN;
            }
            if (YAML_INFINITY.matcher(text).matches()) {
                return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        return parser.getDoubleValue();
    }

    /**
     * Builds the node at the parser's current token, reading YAML's .nan and .inf as doubles and refusing YAML
     * aliases.
     */
    private static JsonNode node(JsonParser parser, SpecFormat format, String text, String source) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    if (key.length() > MAX_KEY_LENGTH) {
                        // Jackson checks the length of JSON keys only
                        throw new StreamConstraintsException("Name length (" + key.length()
                                + ") exceeds the maximum allowed (" + MAX_KEY_LENGTH + ")", parser.currentTokenLocation());
                    }
                    parser.nextToken();
                    object.set(key, node(parser, format, text, source));
                }
                return object;
            }
            case START_ARRAY -> {
                // numbers are kept as doubles (NumberArrayNode) until something else turns up
                NumberArrayNode.Builder numbers = new NumberArrayNode.Builder();
                ArrayNode array = null;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (array == null && compactNumber(parser, format, numbers)) {
                        continue;
                    }
                    if (array == null) {
                        array = nodes.arrayNode(numbers.size() + 1);
                        for (int i = 0; i < numbers.size(); i++) {
                            array.add(numbers.node(i));
                        }
                    }
                    array.add(node(parser, format, text, source));
                }
                return array != null ? array : numbers.build();
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(floatValue(parser, format));
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                String value = parser.getText();
                if (value != null && value.length() > MAX_TEXT_LENGTH) {
                    // Jackson checks the length of JSON text only
                    throw new StreamConstraintsException("String value length (" + value.length()
                            + ") exceeds the maximum allowed (" + MAX_TEXT_LENGTH + ")", parser.currentTokenLocation());
                }
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new SpecException(source, SyntaxError.location(at.getLineNr(), at.getColumnNr()),
                            SyntaxError.lineAt(text, at.getLineNr(), at.getColumnNr()), "has the YAML alias *" + value
                            + " (a reference to the value marked &" + value + "), which a spec may not use",
                            "write the value out in full");
                }
                return nodes.textNode(value);
            }
        }
    }
}
