package io.chainproof.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arrays of numbers held as double[] read exactly as the tree Jackson itself builds (ints stay ints). */
class NumberArrayNodeTests {

    private static final String TEXT = "{\"a\": [1, 2.5, -3, 1e-300, NaN, -Infinity], \"b\": [1, \"x\", 2.0], "
            + "\"c\": [12345678901, 0.5], \"d\": [], \"e\": [[0.1, 0.2], [3]]}";

    @Test
    void number_arrays_equal_jacksons_own_tree(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("t.json"), TEXT);
        JsonNode ours = SpecReader.readTree(file);
        JsonNode jacksons = new ObjectMapper().enable(com.fasterxml.jackson.core.json.JsonReadFeature
                .ALLOW_NON_NUMERIC_NUMBERS.mappedFeature()).readTree(TEXT);
        assertEquals(jacksons, ours);
        assertEquals(ours, jacksons);
        assertEquals(jacksons.toString(), ours.toString());
        NumberArrayNode a = assertInstanceOf(NumberArrayNode.class, ours.get("a"));
        assertTrue(a.get(0).isInt() && a.get(1).isDouble(), "ints stay ints, doubles doubles");
        assertArrayEquals(new double[] {1, 2.5, -3, 1e-300, Double.NaN, Double.NEGATIVE_INFINITY}, a.values());
        assertFalse(ours.get("b") instanceof NumberArrayNode, "a string makes an ordinary array");
        assertEquals("x", ours.get("b").get(1).asText());
        assertFalse(ours.get("c") instanceof NumberArrayNode, "a long makes an ordinary array");
        assertInstanceOf(ArrayNode.class, ours.get("d"));
        assertEquals(0, ours.get("d").size());
        assertInstanceOf(NumberArrayNode.class, ours.get("e").get(0));
    }
}
