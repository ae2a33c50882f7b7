package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("FormulaSpecReader")
class FormulaSpecReaderTests {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FormulaSpec read(String json) {
        return FormulaSpecReader.read("bad.json", tree(json));
    }

    @Nested
    class ReadsTheLectureChainFormula {

        private final FormulaSpec spec = FormulaSpecReader.read("examples/lecture-chain-formula.json",
                SpecReader.readTree(Path.of("examples/lecture-chain-formula.json")));

        @Test
        void keepsNameSourceAndFormula() {
            assertEquals("lecture-chain-formula", spec.name());
            assertEquals("examples/lecture-chain-formula.json", spec.source());
            assertEquals("(LogisticSigmoid[w3*LogisticSigmoid[w2*LogisticSigmoid[w1*x + b1] + b2] + b3] - y)^2",
                    spec.formula());
        }

        @Test
        void keepsParametersAndInputsInFileOrder() {
            assertEquals(List.of("w1", "b1", "w2", "b2", "w3", "b3"), List.copyOf(spec.parameters().keySet()));
            assertEquals(FormulaSpec.Value.scalar(-250.0), spec.parameters().get("b2"));
            assertEquals(Map.of("x", FormulaSpec.Value.scalar(1.0), "y", FormulaSpec.Value.scalar(1.0)), spec.inputs());
        }
    }

    @Test
    void readsListsAsVectorsAndDefaultsTheNameAndInputs() {
        FormulaSpec spec = FormulaSpecReader.read("dir/least-squares.json",
                tree("{\"type\": \"formula\", \"formula\": \"Sum[v[[i]]^2, {i, 2}]\", \"parameters\": {\"v\": [1, 2.5]}}"));
        assertEquals("least-squares", spec.name());
        assertTrue(spec.parameters().get("v").vector());
        assertArrayEquals(new double[] {1, 2.5}, spec.parameters().get("v").entries());
        assertEquals(Map.of(), spec.inputs());
    }

    @Test
    void distinguishesAOneEntryListFromANumber() {
        FormulaSpec spec = read("{\"type\": \"formula\", \"formula\": \"a + b[[1]]\", \"parameters\": {\"a\": 1, \"b\": [1]}}");
        assertFalse(spec.parameters().get("a").vector());
        assertTrue(spec.parameters().get("b").vector());
    }

    @Test
    void copiesValuesInAndOut() {
        double[] entries = {1, 2};
        FormulaSpec.Value value = FormulaSpec.Value.vector(entries);
        entries[0] = 99;
        value.entries()[1] = 99;
        assertArrayEquals(new double[] {1, 2}, value.entries());
    }

    static Stream<Arguments> mistakes() {
        String reserved = "rename it; reserved: Exp, Log, Sqrt, Tanh, Sech, Erf, LogisticSigmoid, Sigmoid, Softplus, Sum, E, Pi";
        String notAName = "is not a name; use an ASCII letter followed by up to 63 letters or digits, e.g. w1";
        String head = "{\"type\": \"formula\", \"formula\": \"w\", ";
        return Stream.of(
                Arguments.of("[1]", "(file): <[1]> is not an object; "
                        + "write the spec as an object with type, formula, parameters and inputs"),
                Arguments.of(head + "\"parameters\": {\"w\": 1}, \"loss\": \"sse\"}",
                        "loss: <loss> is not a formula spec key; known: type, name, formula, parameters, inputs"),
                Arguments.of(head + "\"parameters\": {\"w\": 1}, \"input\": {}}",
                        "input: <input> is not a formula spec key; known: type, name, formula, parameters, inputs "
                                + "(did you mean inputs?)"),
                Arguments.of("{\"formula\": \"w\", \"parameters\": {\"w\": 1}}",
                        "type: <missing> is required; add \"type\": \"formula\""),
                Arguments.of("{\"type\": \"formula\", \"parameters\": {\"w\": 1}}",
                        "formula: <missing> is required; add \"formula\" with the loss, e.g. \"formula\": \"(w*x - y)^2\""),
                Arguments.of("{\"type\": \"formula\", \"formula\": \"w\"}", "parameters: <missing> is required; "
                        + "add \"parameters\" with a value for each parameter, e.g. {\"w\": 0.5}"),
                Arguments.of("{\"type\": \"network\", \"formula\": \"w\", \"parameters\": {\"w\": 1}}",
                        "type: <network> is not \"formula\"; write \"type\": \"formula\" or leave \"type\" out for a network spec"),
                Arguments.of("{\"type\": \"formula\", \"formula\": 2, \"parameters\": {\"w\": 1}}",
                        "formula: <2> is not text; write the loss as text, e.g. \"(w*x - y)^2\""),
                Arguments.of(head + "\"name\": 7, \"parameters\": {\"w\": 1}}",
                        "name: <7> is not text; write a name such as \"my-loss\""),
                Arguments.of(head + "\"parameters\": [1]}", "parameters: <[1]> is not an object; "
                        + "write \"parameters\": {\"name\": 0.5, \"list\": [1.0, 2.0]}"),
                Arguments.of(head + "\"parameters\": {}}", "parameters: <{}> is empty; "
                        + "add at least one parameter, e.g. \"parameters\": {\"w\": 0.5}"),
                Arguments.of(head + "\"parameters\": {\"w\": \"0.5\"}}",
                        "parameters.w: <\"0.5\"> is not a number; write a number without quotes"),
                Arguments.of(head + "\"parameters\": {\"w\": true}}",
                        "parameters.w: <true> is not a number; write a number such as 0.5"),
                Arguments.of(head + "\"parameters\": {\"v\": [1, [2]]}}",
                        "parameters.v[1]: <[2]> is not a number; write a number here, not a nested list"),
                Arguments.of(head + "\"parameters\": {\"w\": NaN}}", "parameters.w: <NaN> is not finite; write a finite number"),
                Arguments.of(head + "\"parameters\": {\"w\": 1}, \"inputs\": {\"x\": [0, Infinity]}}",
                        "inputs.x[1]: <Infinity> is not finite; write a finite number"),
                Arguments.of(head + "\"parameters\": {\"w\": 1e999}}",
                        "parameters.w: <Infinity> is not finite; write a finite number"),
                Arguments.of(head + "\"parameters\": {\"v\": []}}", "parameters.v: <[]> is an empty list; write at least one number"),
                Arguments.of(head + "\"parameters\": {\"w_1\": 1}}", "parameters.w_1: <w_1> " + notAName),
                Arguments.of(head + "\"parameters\": {\"1w\": 1}}", "parameters.1w: <1w> " + notAName),
                Arguments.of(head + "\"parameters\": {\"w\u0435\": 1}}", "parameters.w\u0435: <w\u0435> " + notAName),
                Arguments.of(head + "\"parameters\": {\"" + "w".repeat(65) + "\": 1}}",
                        "parameters." + "w".repeat(65) + ": <" + "w".repeat(65) + "> " + notAName),
                Arguments.of(head + "\"parameters\": {\"Exp\": 1}}", "parameters.Exp: <Exp> is reserved; " + reserved),
                Arguments.of(head + "\"parameters\": {\"w\": 1}, \"inputs\": {\"Pi\": 3}}",
                        "inputs.Pi: <Pi> is reserved; " + reserved),
                Arguments.of(head + "\"parameters\": {\"w\": 1}, \"inputs\": {\"w\": 3}}",
                        "inputs.w: <w> is also a parameter; rename the input or the parameter; a name stands for one value"));
        }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mistakes")
    void rejectsWithAnExactMessage(String json, String message) {
        assertEquals("bad.json: " + message, assertThrows(SpecException.class, () -> read(json)).getMessage());
    }
}
