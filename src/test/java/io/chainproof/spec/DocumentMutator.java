package io.chainproof.spec;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes hostile documents from valid ones, the way a careless editor, a broken exporter or an attacker would: edits
 * of the tree (a key deleted, added or renamed to non-ASCII or control characters; a value of another type; a list
 * with an entry dropped or duplicated, a ragged matrix; an edge number such as 2<sup>31</sup>, 10<sup>400</sup> or
 * NaN; a huge shape with {@code "init"} instead of parameters), then, at times, an edit of the text
 * ({@link TextMutator}: truncation, garbage bytes, duplicated keys, deep nesting, number syntax, YAML's aliases and
 * tags). One {@code long} decides everything, so a failing document is rebuilt from its seed.
 */
public final class DocumentMutator {

    private static final JsonMapper JSON = JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Keys that a spec does not have, or has elsewhere, or nearly has. */
    private static final List<String> KEYS = List.of("extra", "Units", "units ", " units", "\u00fcnits", "units\u0000",
            "unit", "\u202Eunits", "", "x".repeat(SpecReader.MAX_KEY_LENGTH + 1), "k".repeat(SpecReader.MAX_KEY_LENGTH),
            "type", "init", "parameters", "names", "W1", "b1", "W99", "gamma1", "E1", "__proto__", "$ref", "<<",
            "\uD83D\uDE00", "0", "-1", "loss", "data", "x", "y", "h0", "formula", "inputs", "layers\n", "ИМЯ");
    /** Keys whose values are sizes: set to a huge one, they must be refused before anything of that size exists. */
    private static final List<String> SIZES = List.of("inputs", "units", "hidden", "outputs", "channels", "kernel",
            "stride", "padding", "dilation", "vocabulary", "dim", "heads");
    private static final List<String> SCHEMES = List.of("xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
            "uniform", "normal", "constant");

    private DocumentMutator() {
    }

    /** A valid document to start from: a name for messages and its tree. */
    public record Seed(String name, JsonNode tree) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Reads seeds from files (JSON, or YAML by their extension).
     *
     * @param paths the files, relative to the project
     * @return one seed per file
     */
    public static List<Seed> seeds(String... paths) {
        List<Seed> seeds = new ArrayList<>();
        for (String path : paths) {
            try {
                String text = Files.readString(Path.of(path));
                JsonNode tree = path.endsWith(".json") ? JSON.readTree(text) : YAML.readTree(text);
                seeds.add(new Seed(path, tree));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seeds;
    }

    /**
     * A hostile document: 0 to 3 edits of the tree, then with probability 1/4 (or if the tree was not edited) one edit
     * of the text.
     *
     * @param seed   the valid document
     * @param format the syntax to write
     * @param random decides everything
     * @return the document
     */
    public static MutatedDocument mutate(Seed seed, SpecFormat format, long random) {
        Random r = new Random(random);
        JsonNode tree = seed.tree().deepCopy();
        List<String> done = new ArrayList<>();
        int edits = r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            tree = edit(tree, r, done);
        }
        String text = write(tree, format);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (edits == 0 || r.nextInt(4) == 0) {
            bytes = TextMutator.edit(text, format, r, done);
        }
        return new MutatedDocument(seed.name(), format, done, bytes);
    }

    /** @return the tree as JSON (NaN and infinities bare) or as YAML */
    public static String write(JsonNode tree, SpecFormat format) {
        try {
            return format == SpecFormat.JSON ? JSON.writeValueAsString(tree) : YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode edit(JsonNode root, Random r, List<String> done) {
        List<Place> places = new ArrayList<>();
        collect(root, null, null, -1, places);
        List<Place> objects = places.stream().filter(p -> p.node().isObject()).toList();
        List<Place> arrays = places.stream().filter(p -> p.node().isArray() && !p.node().isEmpty()).toList();
        Place any = places.get(r.nextInt(places.size()));
        int operation = r.nextInt(10);
        switch (objects.isEmpty() && operation <= 2 ? 3 : operation) {
            case 0 -> {
                Place at = objects.get(r.nextInt(objects.size()));
                List<String> keys = keys(at.node());
                if (!keys.isEmpty()) {
                    String key = keys.get(r.nextInt(keys.size()));
                    ((ObjectNode) at.node()).remove(key);
                    done.add("delete " + at.path() + "." + key);
                }
            }
            case 1 -> {
                Place at = objects.get(r.nextInt(objects.size()));
                String key = KEYS.get(r.nextInt(KEYS.size()));
                ((ObjectNode) at.node()).set(key, junk(r));
                done.add("add " + at.path() + "." + SpecException.printable(abbreviate(key)));
            }
            case 2 -> {
                Place at = objects.get(r.nextInt(objects.size()));
                List<String> keys = keys(at.node());
                if (!keys.isEmpty()) {
                    String key = keys.get(r.nextInt(keys.size()));
                    String renamed = KEYS.get(r.nextInt(KEYS.size()));
                    JsonNode value = ((ObjectNode) at.node()).remove(key);
                    ((ObjectNode) at.node()).set(renamed, value);
                    done.add("rename " + at.path() + "." + key + " to " + SpecException.printable(abbreviate(renamed)));
                }
            }
            case 3, 4 -> {
                JsonNode junk = junk(r);
                done.add("replace " + any.path() + " by " + abbreviate(junk.toString()));
                return replace(root, any, junk);
            }
            case 5 -> {
                if (!arrays.isEmpty()) {
                    Place at = arrays.get(r.nextInt(arrays.size()));
                    ArrayNode a = (ArrayNode) at.node();
                    int i = r.nextInt(a.size());
                    if (r.nextBoolean()) {
                        a.remove(i);
                        done.add("drop " + at.path() + "[" + i + "]");
                    } else {
                        // many copies of a small entry only: a document of megabytes reads slowly and finds nothing new
                        int copies = r.nextInt(4) == 0 && a.get(i).size() < 50 ? 1 + r.nextInt(200) : 1;
                        for (int c = 0; c < copies; c++) {
                            a.insert(i, a.get(i).deepCopy());
                        }
                        done.add("duplicate " + at.path() + "[" + i + "] " + copies + " times");
                    }
                }
            }
            case 6 -> {
                List<Place> matrices = arrays.stream().filter(p -> p.node().get(0).isArray()).toList();
                if (!matrices.isEmpty()) {
                    Place at = matrices.get(r.nextInt(matrices.size()));
                    JsonNode row = at.node().get(r.nextInt(at.node().size()));
                    if (row instanceof ArrayNode a && !a.isEmpty() && r.nextBoolean()) {
                        a.remove(a.size() - 1);
                        done.add("make " + at.path() + " ragged (a row shorter)");
                    } else if (row instanceof ArrayNode a) {
                        a.add(a.isEmpty() ? NODES.numberNode(1) : a.get(0).deepCopy());
                        done.add("make " + at.path() + " ragged (a row longer)");
                    }
                }
            }
            case 7 -> {
                List<Place> numbers = places.stream().filter(p -> p.node().isNumber()).toList();
                if (!numbers.isEmpty()) {
                    Place at = numbers.get(r.nextInt(numbers.size()));
                    JsonNode edge = edgeNumber(r);
                    done.add("number " + at.path() + " = " + edge);
                    return replace(root, at, edge);
                }
            }
            case 8 -> hugeShape(root, places, r, done);
            default -> {
                List<Place> types = places.stream().filter(p -> "type".equals(p.key())).toList();
                if (!types.isEmpty()) {
                    Place at = types.get(r.nextInt(types.size()));
                    String[] kinds = {"mlp", "layered", "rnn", "formula", "dense", "conv2d", "lstm", "attention",
                            "residual", "embedding", "flatten", "batch_norm", "gru", "max_pool1d", "conv3d", "RNN", ""};
                    String kind = kinds[r.nextInt(kinds.length)];
                    ((ObjectNode) at.parent()).put("type", kind);
                    done.add("type " + at.path() + " = " + kind);
                }
            }
        }
        return root;
    }

    /** Sets a size somewhere to a huge value and, half the time, replaces the parameters by an init. */
    private static void hugeShape(JsonNode root, List<Place> places, Random r, List<String> done) {
        List<Place> sizes = places.stream().filter(p -> p.key() != null && SIZES.contains(p.key()) && p.node().isNumber()).toList();
        // sizes that no heap of a test run holds (≥ 10⁹), or small ones: a model between is read and drawn for real
        Object[] huge = {1_000_000_000, Integer.MAX_VALUE, 2_147_483_648L, 4_294_967_296L, 1e15, 1e18, Long.MAX_VALUE,
                BigInteger.TWO.pow(70), 7, -1, 0};
        Object size = huge[r.nextInt(huge.length)];
        JsonNode value = size instanceof Integer i ? NODES.numberNode(i) : size instanceof Long l ? NODES.numberNode(l)
                : size instanceof Double d ? NODES.numberNode(d) : NODES.numberNode((BigInteger) size);
        if (!sizes.isEmpty()) {
            Place at = sizes.get(r.nextInt(sizes.size()));
            ((ObjectNode) at.parent()).set(at.key(), value);
            done.add("size " + at.path() + " = " + value);
        }
        if (root instanceof ObjectNode o && r.nextBoolean()) {
            o.remove("parameters");
            o.set("init", NODES.objectNode().put("scheme", SCHEMES.get(r.nextInt(SCHEMES.size())))
                    .put("seed", r.nextInt(100)));
            done.add("init instead of parameters");
        }
    }

    private static JsonNode replace(JsonNode root, Place at, JsonNode value) {
        if (at.parent() == null) {
            return value;
        }
        if (at.parent() instanceof ObjectNode o) {
            o.set(at.key(), value);
        } else {
            ((ArrayNode) at.parent()).set(at.index(), value);
        }
        return root;
    }

    /** A value of any type, many of them edge cases. */
    static JsonNode junk(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> {
                String[] texts = {"", " ", "sigmoid", "Sigmoid", "sigm\u00f6id", "\u0455igmoid", "1", "1e400", "NaN",
                        "null", "true", "\u0000", "a\nb", "\u202Eevil", "\uD83D\uDE00", "x".repeat(10_000),
                        "conv3d", "he_normal", "mse", "last", "tanh", "\t", "\u200B", "Get[\"/etc/passwd\"]"};
                yield NODES.textNode(texts[r.nextInt(texts.length)]);
            }
            case 1, 2 -> edgeNumber(r);
            case 3 -> r.nextBoolean() ? NODES.booleanNode(r.nextBoolean()) : NODES.nullNode();
            case 4 -> {
                JsonNode[] objects = {NODES.objectNode(), NODES.objectNode().put("type", "dense"),
                        NODES.objectNode().put("units", 1), NODES.objectNode().put("scheme", "he_normal"),
                        NODES.objectNode().set("x", NODES.arrayNode().add(NODES.arrayNode().add(1)))};
                yield objects[r.nextInt(objects.length)].deepCopy();
            }
            case 5 -> {
                JsonNode[] arrays = {NODES.arrayNode(), NODES.arrayNode().add(NODES.arrayNode()),
                        NODES.arrayNode().addNull(), NODES.arrayNode().add(1).add("a"),
                        NODES.arrayNode().add(1e308).add(-1e308), NODES.arrayNode().add(3).add(4096).add(4096),
                        NODES.arrayNode().add(Double.NaN)};
                yield arrays[r.nextInt(arrays.length)].deepCopy();
            }
            case 6 -> nested(r.nextBoolean(), new int[] {2, 10, 50, SpecReader.MAX_NESTING - 5,
                    SpecReader.MAX_NESTING}[r.nextInt(5)]);
            default -> NODES.numberNode(r.nextInt(7) - 1);
        };
    }

    /** Lists (or objects) nested {@code depth} levels. */
    private static JsonNode nested(boolean lists, int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int d = 0; d < depth; d++) {
            node = lists ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    /** A number at an edge: of int, long, double, or finiteness; as a size, each is small or past any heap. */
    static JsonNode edgeNumber(Random r) {
        return switch (r.nextInt(22)) {
            case 0 -> NODES.numberNode(Double.NaN);
            case 1 -> NODES.numberNode(Double.POSITIVE_INFINITY);
            case 2 -> NODES.numberNode(Double.NEGATIVE_INFINITY);
            case 3 -> NODES.numberNode(1e308);
            case 4 -> NODES.numberNode(-Double.MAX_VALUE);
            case 5 -> NODES.numberNode(Double.MIN_VALUE);
            case 6 -> NODES.numberNode(-0.0);
            case 7 -> NODES.numberNode(Integer.MAX_VALUE);
            case 8 -> NODES.numberNode(Integer.MAX_VALUE + 1L);
            case 9 -> NODES.numberNode(Integer.MIN_VALUE - 1L);
            case 10 -> NODES.numberNode(Long.MAX_VALUE);
            case 11 -> NODES.numberNode(BigInteger.TEN.pow(40));
            case 12 -> NODES.numberNode(new BigDecimal("1e400"));
            case 13 -> NODES.numberNode(new BigDecimal("-1e-400"));
            case 14 -> NODES.numberNode(9_007_199_254_740_993L);
            case 15 -> NODES.numberNode(0.5);
            case 16 -> NODES.numberNode(1e9);
            case 17 -> NODES.numberNode(2.5);
            case 18 -> NODES.numberNode(-1);
            case 19 -> NODES.numberNode(0);
            case 20 -> NODES.numberNode(new BigInteger("9".repeat(SpecReader.MAX_NUMBER_LENGTH - 1)));
            default -> NODES.numberNode(3);
        };
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...(" + text.length() + ")";
    }

    /** A node in the tree with its parent, and its key or index there; its path is made only when it is shown. */
    private record Place(JsonNode node, Place up, String key, int index) {

        JsonNode parent() {
            return up == null ? null : up.node();
        }

        String path() {
            return up == null ? "$" : up.path() + (key != null ? "." + SpecException.printable(abbreviate(key))
                    : "[" + index + "]");
        }
    }

    private static void collect(JsonNode node, Place up, String key, int index, List<Place> into) {
        Place place = new Place(node, up, key, index);
        into.add(place);
        if (node.isObject()) {
            for (String k : keys(node)) {
                collect(node.get(k), place, k, -1, into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), place, null, i, into);
            }
        }
    }
}
