package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.check.GraphFunction;
import io.chainproof.model.Models;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Hostile layered specs: the bundled examples with one to three values replaced by junk (negative, zero, huge,
 * fractional or non-finite numbers, text, null, lists, objects, deep nesting) are either read and evaluated, or
 * refused with a {@link SpecException} that names the source and the field — never another exception.
 */
class LayeredSpecFuzzProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEEDS = List.of("examples/small-cnn.json", "examples/residual-mlp.json",
            "src/test/resources/reference/layered/embedding-00.spec.json",
            "src/test/resources/reference/layered/batchnorm-conv2d-00.spec.json",
            "src/test/resources/reference/layered/residual-02.spec.json",
            "src/test/resources/reference/layered/conv2d-01.spec.json");

    @Property(tries = 400)
    void junk_is_refused_with_a_spec_error_or_read_and_evaluated(@ForAll @IntRange(min = 0, max = 5) int seed,
                                                                  @ForAll long mutation) throws Exception {
        JsonNode root = JSON.readTree(Files.readString(Path.of(SEEDS.get(seed))));
        Random random = new Random(mutation);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            JsonNode junk = junk(random);
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> keys = new ArrayList<>();
                o.fieldNames().forEachRemaining(keys::add);
                o.set(keys.get(random.nextInt(keys.size())), junk);
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                a.set(random.nextInt(a.size()), junk);
            }
        }
        try {
            Spec spec = SpecReader.parseAny(root.toString(), "fuzzed.json", SpecFormat.JSON);
            double loss = new GraphFunction(Models.of(spec)).loss(Models.of(spec).point());
            assertNotNull(Double.valueOf(loss));
        } catch (SpecException e) {
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    private static JsonNode junk(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.numberNode(-1);
            case 1 -> f.numberNode(0);
            case 2 -> f.numberNode(1_000_000_000);
            case 3 -> f.numberNode(16_777_216);
            case 4 -> f.numberNode(2.5);
            case 5 -> f.numberNode(Double.NaN);
            case 6 -> f.textNode("conv3d");
            case 7 -> f.nullNode();
            case 8 -> f.arrayNode();
            case 9 -> f.arrayNode().add(3).add(4096).add(4096);
            case 10 -> f.objectNode().put("type", "residual");
            case 11 -> f.numberNode(Long.MAX_VALUE);
            case 12 -> f.arrayNode().add(f.arrayNode().add(f.arrayNode().add(1)));
            default -> f.numberNode(random.nextInt(7));
        };
    }
}
