package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalog of every rule a spec can break, each with a snippet and the exact message it must give.
 * JSON cases edit one valid base spec ({@link #BASE}: 2 inputs → 2 tanh → 1 sigmoid, sse), so each
 * message is caused by the edit alone.
 */
@DisplayName("SpecException messages")
class SpecMessageCatalogTests {

    private static final String SOURCE = "bad.json";
    private static final String[][] BASE = {
            {"name", "\"catalog\""},
            {"inputs", "2"},
            {"layers", "[{\"units\": 2, \"activation\": \"tanh\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]"},
            {"loss", "\"sse\""},
            {"parameters", "{\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"},
            {"data", "{\"x\": [[1.0, 2.0]], \"y\": [[1.0]]}"},
    };
    private static final String LAYER_1 = "{\"units\": 2, \"activation\": \"tanh\"}";
    private static final String ONE_LAYER_PARAMETERS = "{\"W1\": [[0.1, 0.2]], \"b1\": [0.0]}";
    private static final String ACTIVATIONS = "identity, sigmoid, tanh, relu, leaky_relu, softplus, silu, gelu, elu, softsign, softmax";
    private static final String SCHEMES = "xavier_uniform, xavier_normal, he_uniform, he_normal, uniform, normal, constant";

    /**
     * The base spec with edits: {@code "key=json"} replaces (or appends) a top-level key, {@code "-key"}
     * removes it.
     */
    static String spec(String... edits) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String[] field : BASE) {
            fields.put(field[0], field[1]);
        }
        for (String edit : edits) {
            if (edit.startsWith("-")) {
                fields.remove(edit.substring(1));
            } else {
                fields.put(edit.substring(0, edit.indexOf('=')), edit.substring(edit.indexOf('=') + 1));
            }
        }
        List<String> entries = new ArrayList<>();
        fields.forEach((key, json) -> entries.add("\"" + key + "\": " + json));
        return "{" + String.join(", ", entries) + "}";
    }

    /** A one-layer variant of the base: 2 inputs → {@code units} units of {@code activation}. */
    static String oneLayer(int units, String activation, String loss, String parameters, String data) {
        return spec("layers=[{\"units\": " + units + ", \"activation\": \"" + activation + "\"}]",
                "loss=\"" + loss + "\"", "parameters=" + parameters, "data=" + data);
    }

    private static String messageOf(String text, SpecFormat format, String source) {
        return assertThrows(SpecException.class, () -> SpecReader.parse(text, source, format)).getMessage();
    }

    @Test
    void theBaseSpecIsValidSoEachCaseFailsOnlyBecauseOfItsEdit() {
        NetworkSpec spec = SpecReader.parse(spec(), SOURCE, SpecFormat.JSON);
        assertEquals("catalog", spec.name());
        assertEquals(9, spec.parameterCount());
    }

    static Stream<Arguments> jsonSyntax() {
        return Stream.of(
                Arguments.of("a trailing comma", "{\"inputs\": 1,}",
                        "line 1, column 14: <{\"inputs\": 1,}> is not valid JSON: unexpected character '}': was expecting a key in double quotes; check the brackets, commas and double quotes just before this point"),
                Arguments.of("a missing comma", "{\n  \"inputs\": 1\n  \"loss\": \"sse\"\n}",
                        "line 3, column 3: <\"loss\": \"sse\"> is not valid JSON: unexpected character '\"': was expecting a comma between entries; check the brackets, commas and double quotes just before this point"),
                Arguments.of("an unclosed list", "{\"inputs\": [1, 2",
                        "line 1, column 17: <{\"inputs\": [1, 2> is not valid JSON: the text ends before the list '[' opened at line 1, column 12 is closed; add the missing ']'"),
                Arguments.of("an unclosed object", "{\"data\": {\"x\": 1}",
                        "line 1, column 18: <{\"data\": {\"x\": 1}> is not valid JSON: the text ends before the object '{' opened at line 1, column 1 is closed; add the missing '}'"),
                Arguments.of("an unquoted name", "{\"loss\": sse}",
                        "line 1, column 13: <{\"loss\": sse}> is not valid JSON: unknown word 'sse': was expecting a value (a \"string\", number, list, object, true, false or null); check the brackets, commas and double quotes just before this point"),
                Arguments.of("single quotes", "{'inputs': 1}",
                        "line 1, column 2: <{'inputs': 1}> is not valid JSON: unexpected character ''': was expecting a key in double quotes; check the brackets, commas and double quotes just before this point"),
                Arguments.of("a duplicate key", "{\"inputs\": 1, \"inputs\": 2}",
                        "line 1, column 23: <{\"inputs\": 1, \"inputs\": 2}> is not valid JSON: key \"inputs\" appears twice; keep only one \"inputs\""),
                Arguments.of("a second object", "{}\n{}",
                        "line 2, column 1: <{}> has content after the end of the spec; keep one spec per file"),
                Arguments.of("no content", "  \n",
                        "(file): <> has no content; write a spec object with inputs, layers, loss, parameters or init, and data"),
                Arguments.of("a list at the top", "[1, 2]",
                        "(file): <[1,2]> is not an object; write the spec as an object with inputs, layers, loss, parameters or init, and data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonSyntax")
    void reportsMalformedJsonWithLineAndColumn(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    static Stream<Arguments> yamlSyntax() {
        return Stream.of(
                Arguments.of("an unclosed flow list", "inputs: [1, 2\nlayers: 3",
                        "line 2, column 7: <layers: 3> is not valid YAML: expected ',' or ']', but got ':' (while reading a [...] list); check the indentation (spaces only), brackets and quotes just before this point"),
                Arguments.of("a tab for indentation", "inputs: 1\n\tlayers: 2",
                        "line 2, column 1: <layers: 2> is not valid YAML: found a tab, which YAML does not allow for indentation; check the indentation (spaces only), brackets and quotes just before this point"),
                Arguments.of("an unterminated quote", "name: \"chain\ninputs: 2",
                        "line 2, column 10: <inputs: 2> is not valid YAML: found unexpected end of the file (while reading a quoted text); check the indentation (spaces only), brackets and quotes just before this point"),
                Arguments.of("a misaligned list item", "layers:\n  - 1\n - 2",
                        "line 3, column 2: <- 2> is not valid YAML: expected the end of the indented block, but found a '-' list item (while reading an indented object); check the indentation (spaces only), brackets and quotes just before this point"),
                Arguments.of("a colon inside a value", "name: a: b",
                        "line 1, column 8: <name: a: b> is not valid YAML: a ':' is not allowed here; check the indentation (spaces only), brackets and quotes just before this point"),
                Arguments.of("a duplicate key", "inputs: 1\ninputs: 2",
                        "line 2, column 7: <inputs: 2> is not valid YAML: key \"inputs\" appears twice; keep only one \"inputs\""),
                Arguments.of("a .nan weight", "inputs: 1\nlayers: [{units: 1, activation: sigmoid}]\nloss: sse\n"
                                + "parameters: {W1: [[.nan]], b1: [0]}\ndata: {x: [[1]], y: [[1]]}",
                        "parameters.W1[0][0]: <NaN> is not finite; replace it with a finite number"),
                Arguments.of("a -.inf bias", "inputs: 1\nlayers: [{units: 1, activation: sigmoid}]\nloss: sse\n"
                                + "parameters: {W1: [[0.5]], b1: [-.inf]}\ndata: {x: [[1]], y: [[1]]}",
                        "parameters.b1[0]: <-Infinity> is not finite; replace it with a finite number"),
                Arguments.of("an .Inf target", "inputs: 1\nlayers: [{units: 1, activation: sigmoid}]\nloss: sse\n"
                                + "init: {scheme: normal}\ndata: {x: [[1]], y: [[.Inf]]}",
                        "data.y[0][0]: <Infinity> is not finite; replace it with a finite number"),
                Arguments.of("a quoted number", "inputs: '2'\nlayers: [{units: 1, activation: sigmoid}]\nloss: sse\n"
                                + "init: {scheme: normal}\ndata: {x: [[1]], y: [[1]]}",
                        "inputs: <\"2\"> is not a whole number; remove the quotes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlSyntax")
    void reportsMalformedYamlWithLineAndColumn(String rule, String text, String expected) {
        assertEquals("bad.yaml: " + expected, messageOf(text, SpecFormat.YAML, "bad.yaml"));
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("an unknown top-level key", spec("paramters={}"),
                        "paramters: <paramters> is not a spec key; known: name, inputs, layers, loss, parameters, init, data (did you mean parameters?)"),
                Arguments.of("an unknown layer key", spec("layers=[{\"units\": 2, \"activaton\": \"tanh\"}]"),
                        "layers[0].activaton: <activaton> is not a layer key; known: units, activation (did you mean activation?)"),
                Arguments.of("an unknown init key", spec("-parameters", "init={\"scheme\": \"normal\", \"sed\": 1}"),
                        "init.sed: <sed> is not an init key; known: scheme, scale, seed (did you mean seed?)"),
                Arguments.of("an unknown data key", spec("data={\"x\": [[1.0, 2.0]], \"y\": [[1.0]], \"z\": []}"),
                        "data.z: <z> is not a data key; known: x, y"),
                Arguments.of("missing inputs", spec("-inputs"),
                        "inputs: <missing> is required; add \"inputs\" with the number of input features, e.g. \"inputs\": 2"),
                Arguments.of("missing layers", spec("-layers"),
                        "layers: <missing> is required; add \"layers\", e.g. \"layers\": [{\"units\": 1, \"activation\": \"sigmoid\"}]"),
                Arguments.of("missing loss", spec("-loss"),
                        "loss: <missing> is required; add \"loss\", one of mse, sse, half_sse, bce, cross_entropy"),
                Arguments.of("neither parameters nor init", spec("-parameters"),
                        "parameters: <missing> is required; add \"parameters\" (W1, b1, ...) or \"init\", e.g. \"init\": {\"scheme\": \"xavier_uniform\"}"),
                Arguments.of("both parameters and init", spec("init={\"scheme\": \"he_normal\"}"),
                        "init: <{\"scheme\":\"he_normal\"}> cannot be combined with \"parameters\"; keep either the explicit parameters or the init scheme"),
                Arguments.of("missing data", spec("-data"),
                        "data: <missing> is required; add \"data\", e.g. \"data\": {\"x\": [[1.0]], \"y\": [[1.0]]}"),
                Arguments.of("missing data.x", spec("data={\"y\": [[1.0]]}"),
                        "data.x: <missing> is required; add \"x\" with one row of inputs per sample, e.g. \"x\": [[1.0]]"),
                Arguments.of("missing data.y", spec("data={\"x\": [[1.0, 2.0]]}"),
                        "data.y: <missing> is required; add \"y\" with one row of targets per sample, e.g. \"y\": [[1.0]]"),
                Arguments.of("missing units", spec("layers=[" + LAYER_1 + ", {\"activation\": \"sigmoid\"}]"),
                        "layers[1].units: <missing> is required; add \"units\", the number of neurons in this layer"),
                Arguments.of("missing activation", spec("layers=[" + LAYER_1 + ", {\"units\": 1}]"),
                        "layers[1].activation: <missing> is required; add \"activation\", one of " + ACTIVATIONS),
                Arguments.of("missing init scheme", spec("-parameters", "init={\"seed\": 3}"),
                        "init.scheme: <missing> is required; add \"scheme\", one of " + SCHEMES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void reportsUnknownAndMissingKeys(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("a number as name", spec("name=5"),
                        "name: <5> is not text; write a name such as \"lecture-chain\""),
                Arguments.of("a blank name", spec("name=\" \""),
                        "name: < > is blank; give a non-empty name, or leave out \"name\" to use the file name"),
                Arguments.of("a quoted number", spec("inputs=\"2\""),
                        "inputs: <\"2\"> is not a whole number; remove the quotes"),
                Arguments.of("a word for a number", spec("inputs=\"two\""),
                        "inputs: <\"two\"> is not a whole number; write a whole number such as 2"),
                Arguments.of("null for a number", spec("inputs=null"),
                        "inputs: <null> is not a whole number; write a whole number such as 2"),
                Arguments.of("a fraction for inputs", spec("inputs=1.5"),
                        "inputs: <1.5> is not a whole number; write a whole number such as 2"),
                Arguments.of("a fraction for units", spec("layers=[{\"units\": 2.5, \"activation\": \"tanh\"}]"),
                        "layers[0].units: <2.5> is not a whole number; write a whole number such as 2"),
                Arguments.of("inputs beyond int", spec("inputs=3000000000"),
                        "inputs: <3000000000> is out of range; use a whole number from -2147483648 to 2147483647"),
                Arguments.of("an object for layers", spec("layers={\"units\": 1}"),
                        "layers: <{\"units\":1}> is not a list; write \"layers\" as a list, e.g. [{\"units\": 1, \"activation\": \"sigmoid\"}]"),
                Arguments.of("a number for a layer", spec("layers=[" + LAYER_1 + ", 3]"),
                        "layers[1]: <3> is not an object; write each layer as {\"units\": 2, \"activation\": \"tanh\"}"),
                Arguments.of("a number for an activation", spec("layers=[{\"units\": 2, \"activation\": 3}]"),
                        "layers[0].activation: <3> is not text; write an activation name such as \"sigmoid\""),
                Arguments.of("a list for the loss", spec("loss=[\"sse\"]"),
                        "loss: <[\"sse\"]> is not text; write a loss name such as \"mse\""),
                Arguments.of("a list for parameters", spec("parameters=[]"),
                        "parameters: <[]> is not an object; write \"parameters\": {\"W1\": [[...]], \"b1\": [...], ...}"),
                Arguments.of("a flat list for a weight matrix", spec("parameters={\"W1\": [0.1, 0.2], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"),
                        "parameters.W1: <[0.1,0.2]> is not a list of rows; write W1 as a list of rows, e.g. [[0.5, -1.0]]"),
                Arguments.of("a nested list for a bias", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [[0.0], [0.0]], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"),
                        "parameters.b1[0]: <[0.0]> is not a number; write a single number here, not a list"),
                Arguments.of("a number for a bias", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": 0.0}"),
                        "parameters.b2: <0.0> is not a list of numbers; write b2 as a list such as [0.0, 0.5]"),
                Arguments.of("a quoted weight", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, \"0.4\"]], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"),
                        "parameters.W1[1][1]: <\"0.4\"> is not a number; remove the quotes"),
                Arguments.of("a boolean target", spec("data={\"x\": [[1.0, 2.0]], \"y\": [[true]]}"),
                        "data.y[0][0]: <true> is not a number; write a number such as 0.5"),
                Arguments.of("a list for data", spec("data=[1]"),
                        "data: <[1]> is not an object; write \"data\": {\"x\": [[1.0]], \"y\": [[1.0]]}"),
                Arguments.of("a scheme name for init", spec("-parameters", "init=\"he_normal\""),
                        "init: <\"he_normal\"> is not an object; write \"init\": {\"scheme\": \"he_normal\"}"),
                Arguments.of("a word for the scale", spec("-parameters", "init={\"scheme\": \"normal\", \"scale\": \"big\"}"),
                        "init.scale: <\"big\"> is not a number; write a number such as 0.5"),
                Arguments.of("a fraction for the seed", spec("-parameters", "init={\"scheme\": \"normal\", \"seed\": 1.5}"),
                        "init.seed: <1.5> is not a whole number; write a whole number such as 2"),
                Arguments.of("a quoted seed", spec("-parameters", "init={\"scheme\": \"normal\", \"seed\": \"7\"}"),
                        "init.seed: <\"7\"> is not a whole number; remove the quotes"),
                Arguments.of("a seed beyond long", spec("-parameters", "init={\"scheme\": \"normal\", \"seed\": 99999999999999999999}"),
                        "init.seed: <99999999999999999999> is out of range; use a whole number from -9223372036854775808 to 9223372036854775807"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void reportsWrongTypes(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    static Stream<Arguments> architecture() {
        return Stream.of(
                Arguments.of("zero inputs", spec("inputs=0"),
                        "inputs: <0> must be at least 1; give the number of input features, e.g. \"inputs\": 2"),
                Arguments.of("zero units", spec("layers=[{\"units\": 0, \"activation\": \"tanh\"}]"),
                        "layers[0].units: <0> must be at least 1; give the layer 1 or more units"),
                Arguments.of("negative units", spec("layers=[" + LAYER_1 + ", {\"units\": -1, \"activation\": \"sigmoid\"}]"),
                        "layers[1].units: <-1> must be at least 1; give the layer 1 or more units"),
                Arguments.of("no layers", spec("layers=[]"),
                        "layers: <[]> is empty; add at least one layer, e.g. {\"units\": 1, \"activation\": \"sigmoid\"}"),
                Arguments.of("a misspelt activation", spec("layers=[" + LAYER_1 + ", {\"units\": 1, \"activation\": \"sigmod\"}]"),
                        "layers[1].activation: <sigmod> is not an activation; known: " + ACTIVATIONS + " (did you mean sigmoid?)"),
                Arguments.of("a capitalised activation", spec("layers=[{\"units\": 2, \"activation\": \"Tanh\"}]"),
                        "layers[0].activation: <Tanh> is not an activation; known: " + ACTIVATIONS + " (did you mean tanh?)"),
                Arguments.of("an activation we do not have", spec("layers=[{\"units\": 2, \"activation\": \"swish\"}]"),
                        "layers[0].activation: <swish> is not an activation; known: " + ACTIVATIONS),
                Arguments.of("softmax before the last layer", spec("layers=[{\"units\": 2, \"activation\": \"softmax\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]"),
                        "layers[0].activation: <softmax> is only allowed on the last layer; use an elementwise activation such as sigmoid or tanh here"),
                Arguments.of("softmax on one unit", spec("layers=[" + LAYER_1 + ", {\"units\": 1, \"activation\": \"softmax\"}]"),
                        "layers[1].activation: <softmax> on a single unit always outputs 1 (its gradient is zero); use sigmoid for one output, or give the layer 2 or more units"),
                Arguments.of("a misspelt loss", spec("loss=\"mes\""),
                        "loss: <mes> is not a loss; known: mse, sse, half_sse, bce, cross_entropy (did you mean mse?)"),
                Arguments.of("bce after identity", oneLayer(1, "identity", "bce", ONE_LAYER_PARAMETERS, "{\"x\": [[1.0, 2.0]], \"y\": [[1.0]]}"),
                        "loss: <bce> needs outputs in (0, 1), but layer 1 has activation identity; use sigmoid (or softmax) on the last layer, or a loss such as mse"),
                Arguments.of("cross_entropy after tanh", spec("loss=\"cross_entropy\"", "layers=[" + LAYER_1 + ", {\"units\": 1, \"activation\": \"tanh\"}]"),
                        "loss: <cross_entropy> needs outputs in (0, 1), but layer 2 has activation tanh; use softmax (or sigmoid) on the last layer, or a loss such as mse"),
                Arguments.of("a misspelt init scheme", spec("-parameters", "init={\"scheme\": \"he_normall\"}"),
                        "init.scheme: <he_normall> is not an init scheme; known: " + SCHEMES + " (did you mean he_normal?)"),
                Arguments.of("an init scheme we do not have", spec("-parameters", "init={\"scheme\": \"xavier\"}"),
                        "init.scheme: <xavier> is not an init scheme; known: " + SCHEMES),
                Arguments.of("a zero scale", spec("-parameters", "init={\"scheme\": \"he_normal\", \"scale\": 0}"),
                        "init.scale: <0.0> must be > 0 for he_normal; use a positive scale such as 1.0 (only constant allows zero or negative values)"),
                Arguments.of("a negative scale", spec("-parameters", "init={\"scheme\": \"uniform\", \"scale\": -1}"),
                        "init.scale: <-1.0> must be > 0 for uniform; use a positive scale such as 1.0 (only constant allows zero or negative values)"),
                Arguments.of("a NaN scale", spec("-parameters", "init={\"scheme\": \"constant\", \"scale\": NaN}"),
                        "init.scale: <NaN> is not finite; use a finite scale such as 1.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architecture")
    void reportsArchitectureLossAndInitProblems(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    static Stream<Arguments> parameters() {
        String b = ", \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}";
        return Stream.of(
                Arguments.of("a parameter of a layer that does not exist", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]]" + b.replace("}", ", \"W3\": [[1.0]]}")),
                        "parameters.W3: <W3> is not a parameter of this 2-layer network; expected W1, b1, W2, b2"),
                Arguments.of("a parameter that is not a weight or bias", spec("parameters={\"foo\": 1, \"W1\": [[0.1, 0.2], [0.3, 0.4]]" + b),
                        "parameters.foo: <foo> is not a parameter of this 2-layer network; expected W1, b1, W2, b2"),
                Arguments.of("a lower-case weight", spec("parameters={\"w1\": [[0.1, 0.2], [0.3, 0.4]]" + b),
                        "parameters.w1: <w1> is not a parameter of this 2-layer network; expected W1, b1, W2, b2 (did you mean W1?)"),
                Arguments.of("a missing weight", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"b2\": [0.0]}"),
                        "parameters.W2: <missing> is required; add \"W2\" as a [1][2] matrix (one row per unit of layer 2, one entry per unit of layer 1)"),
                Arguments.of("a missing bias", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"),
                        "parameters.b1: <missing> is required; add \"b1\" as a list of 2 numbers (one per unit of layer 1)"),
                Arguments.of("a transposed weight", spec("inputs=3", "parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]" + b, "data={\"x\": [[1, 2, 3]], \"y\": [[1]]}"),
                        "parameters.W1: <[3][2]> has the wrong shape, expected [2][3]; give W1 2 rows (one per unit of layer 1) of 3 entries (one per input), the PyTorch Linear layout; it looks transposed"),
                Arguments.of("a weight with too few rows", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"W2\": [], \"b2\": [0.0]}"),
                        "parameters.W2: <[0][0]> has the wrong shape, expected [1][2]; give W2 1 row (one per unit of layer 2) of 2 entries (one per unit of layer 1), the PyTorch Linear layout"),
                Arguments.of("a ragged weight", spec("parameters={\"W1\": [[0.1, 0.2], [0.3]]" + b),
                        "parameters.W1[1]: <[0.3]> has 1 entry, expected 2; every row of W1 needs one entry per input"),
                Arguments.of("a bias of the wrong length", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": [0.0, 1.0]}"),
                        "parameters.b2: <[2]> has the wrong shape, expected [1]; give b2 one entry per unit of layer 2"),
                Arguments.of("a NaN weight", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, NaN]]" + b),
                        "parameters.W1[1][1]: <NaN> is not finite; replace it with a finite number"),
                Arguments.of("an infinite bias", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, -Infinity], \"W2\": [[0.5, 0.6]], \"b2\": [0.0]}"),
                        "parameters.b1[1]: <-Infinity> is not finite; replace it with a finite number"),
                Arguments.of("a weight that overflows a double", spec("parameters={\"W1\": [[0.1, 0.2], [0.3, 1e400]]" + b),
                        "parameters.W1[1][1]: <Infinity> is not finite; replace it with a finite number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameters")
    void reportsParameterProblems(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    static Stream<Arguments> data() {
        String softmax3 = "{\"W1\": [[1, 0], [0, 1], [1, 1]], \"b1\": [0, 0, 0]}";
        return Stream.of(
                Arguments.of("no samples", spec("data={\"x\": [], \"y\": []}"),
                        "data.x: <[]> has no samples; add at least one row"),
                Arguments.of("fewer target rows than input rows", spec("data={\"x\": [[1, 2], [3, 4]], \"y\": [[1]]}"),
                        "data.y: <1 row> does not match the 2 rows of x; give one target row per input row"),
                Arguments.of("an input row of the wrong width", spec("data={\"x\": [[1, 2], [3]], \"y\": [[1], [0]]}"),
                        "data.x[1]: <[3.0]> has 1 entry, expected 2; every row of data.x needs one entry per input (inputs = 2)"),
                Arguments.of("a target row of the wrong width", spec("data={\"x\": [[1, 2]], \"y\": [[1, 0]]}"),
                        "data.y[0]: <[1.0, 0.0]> has 2 entries, expected 1; every row of data.y needs one entry per output unit (outputs = 1)"),
                Arguments.of("an infinite input", spec("data={\"x\": [[1, Infinity]], \"y\": [[1]]}"),
                        "data.x[0][1]: <Infinity> is not finite; replace it with a finite number"),
                Arguments.of("a bce target above 1", oneLayer(3, "sigmoid", "bce", softmax3, "{\"x\": [[1, 2]], \"y\": [[1, 0, 1.5]]}"),
                        "data.y[0][2]: <1.5> is outside [0, 1] (bce targets are probabilities); use a target between 0 and 1, or a loss such as mse"),
                Arguments.of("a bce target below 0", oneLayer(3, "softmax", "bce", softmax3, "{\"x\": [[1, 2]], \"y\": [[-0.1, 0, 1]]}"),
                        "data.y[0][0]: <-0.1> is outside [0, 1] (bce targets are probabilities); use a target between 0 and 1, or a loss such as mse"),
                Arguments.of("a negative cross_entropy target", oneLayer(3, "softmax", "cross_entropy", softmax3, "{\"x\": [[1, 2]], \"y\": [[0, 1, 0], [0.5, -0.5, 1]]}".replace("[[1, 2]]", "[[1, 2], [3, 4]]")),
                        "data.y[1][1]: <-0.5> is negative (cross_entropy targets are class probabilities); use targets ≥ 0, e.g. one-hot labels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("data")
    void reportsDataProblems(String rule, String text, String expected) {
        assertEquals(SOURCE + ": " + expected, messageOf(text, SpecFormat.JSON, SOURCE));
    }

    @Nested
    class AcceptsWhatTheRulesAllow {

        @Test
        void crossEntropyTargetsAboveOneAsClassWeights() {
            String text = oneLayer(2, "softmax", "cross_entropy", "{\"W1\": [[1, 0], [0, 1]], \"b1\": [0, 0]}",
                    "{\"x\": [[1, 2]], \"y\": [[0, 2.5]]}");
            assertEquals(2.5, SpecReader.parse(text, SOURCE, SpecFormat.JSON).data().y()[0][1]);
        }

        @Test
        void bceAfterSoftmax() {
            String text = oneLayer(2, "softmax", "bce", "{\"W1\": [[1, 0], [0, 1]], \"b1\": [0, 0]}",
                    "{\"x\": [[1, 2]], \"y\": [[0, 1]]}");
            assertEquals(Loss.BCE, SpecReader.parse(text, SOURCE, SpecFormat.JSON).loss());
        }

        @Test
        void aZeroOrNegativeScaleForConstant() {
            String text = spec("-parameters", "init={\"scheme\": \"constant\", \"scale\": -2}");
            assertEquals(-2.0, SpecReader.parse(text, SOURCE, SpecFormat.JSON).parameters().bias(2)[0]);
        }
    }
}
