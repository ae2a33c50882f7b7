package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("SpecReader")
class SpecReaderTests {

    private static final Path GOOD = Path.of("src/test/resources/specs/good");
    private static final Path BAD = Path.of("src/test/resources/specs/bad");

    private static void assertSameNetwork(NetworkSpec expected, NetworkSpec actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.inputs(), actual.inputs());
        assertEquals(expected.layers(), actual.layers());
        assertEquals(expected.loss(), actual.loss());
        assertEquals(expected.parameters(), actual.parameters());
        assertEquals(expected.data(), actual.data());
    }

    private static String messageOf(Path file) {
        return assertThrows(SpecException.class, () -> SpecReader.read(file)).getMessage();
    }

    @Nested
    class ReadsTheLectureChain {

        private final NetworkSpec spec = SpecReader.read(GOOD.resolve("lecture-chain.json"));

        @Test
        void keepsNameSourceAndInputs() {
            assertEquals("lecture-chain", spec.name());
            assertEquals(Path.of("src/test/resources/specs/good/lecture-chain.json").toString(), spec.source());
            assertEquals(1, spec.inputs());
        }

        @Test
        void readsThreeSigmoidLayersOfOneUnitWithSseLoss() {
            LayerSpec sigmoid = new LayerSpec(1, Activation.SIGMOID);
            assertEquals(List.of(sigmoid, sigmoid, sigmoid), spec.layers());
            assertEquals(Loss.SSE, spec.loss());
            assertEquals(1, spec.outputs());
            assertEquals(6, spec.parameterCount());
        }

        @Test
        void readsWeightsAndBiasesInTheLinearLayout() {
            Parameters p = spec.parameters();
            assertArrayEquals(new double[][] {{0.5}}, p.weight(1));
            assertArrayEquals(new double[] {-0.5}, p.bias(1));
            assertArrayEquals(new double[][] {{500.0}}, p.weight(2));
            assertArrayEquals(new double[] {-250.0}, p.bias(2));
            assertArrayEquals(new double[][] {{1.0}}, p.weight(3));
            assertArrayEquals(new double[] {0.0}, p.bias(3));
        }

        @Test
        void readsOneSample() {
            assertEquals(1, spec.data().samples());
            assertArrayEquals(new double[][] {{1.0}}, spec.data().x());
            assertArrayEquals(new double[][] {{1.0}}, spec.data().y());
        }

        @Test
        void readsTheSameNetworkFromYaml() {
            assertSameNetwork(spec, SpecReader.read(GOOD.resolve("lecture-chain.yaml")));
        }
    }

    @Nested
    class MaterialisesInit {

        private final NetworkSpec json = SpecReader.read(GOOD.resolve("iris-classifier.json"));

        @Test
        void drawsTheParametersThatInitSpecDraws() {
            Parameters expected = new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, 42).initialise(4, json.layers());
            assertEquals(expected, json.parameters());
        }

        @Test
        void readsTheSameNetworkFromYamlWhereScaleIsLeftAtItsDefault() {
            assertSameNetwork(json, SpecReader.read(GOOD.resolve("iris-classifier.yml")));
        }

        @Test
        void defaultsTheSeedToZero() {
            String text = SpecMessageCatalogTests.spec("-parameters", "init={\"scheme\": \"normal\", \"scale\": 0.5}");
            NetworkSpec spec = SpecReader.parse(text, "s.json", SpecFormat.JSON);
            assertEquals(new InitSpec(InitScheme.NORMAL, 0.5, 0).initialise(2, spec.layers()), spec.parameters());
        }

        @Test
        void setsEveryParameterToTheScaleForConstant() {
            String text = SpecMessageCatalogTests.spec("-parameters", "init={\"scheme\": \"constant\", \"scale\": 0.25}");
            Parameters p = SpecReader.parse(text, "s.json", SpecFormat.JSON).parameters();
            assertArrayEquals(new double[][] {{0.25, 0.25}, {0.25, 0.25}}, p.weight(1));
            assertArrayEquals(new double[] {0.25}, p.bias(2));
        }
    }

    @Nested
    class FillsInDefaults {

        @Test
        void namesTheNetworkAfterTheFileWhenNameIsLeftOut(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("my-net.v2.yaml");
            Files.writeString(file, "inputs: 1\nlayers: [{units: 1, activation: sigmoid}]\nloss: mse\n"
                    + "init: {scheme: he_normal}\ndata: {x: [[1]], y: [[0]]}\n");
            assertEquals("my-net.v2", SpecReader.read(file).name());
        }

        @Test
        void namesAStringSpecAfterItsSource() {
            String text = SpecMessageCatalogTests.spec("-name");
            assertEquals("<string>", SpecReader.parse(text, SpecReader.STRING_SOURCE, SpecFormat.JSON).name());
        }

        @Test
        void usesTheStringSourceWhenNoneIsGiven() {
            String text = SpecMessageCatalogTests.spec("inputs=0");
            assertEquals("<string>: inputs: <0> must be at least 1; give the number of input features, e.g. \"inputs\": 2",
                    assertThrows(SpecException.class, () -> SpecReader.parse(text, null, SpecFormat.JSON)).getMessage());
        }

        @Test
        void skipsAByteOrderMarkAtTheStartOfAFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("windows.json");
            Files.writeString(file, "\uFEFF" + SpecMessageCatalogTests.spec());
            assertEquals("catalog", SpecReader.read(file).name());
        }

        @Test
        void acceptsWholeNumbersWrittenWithADecimalPoint() {
            String text = SpecMessageCatalogTests.spec("inputs=2.0",
                    "layers=[{\"units\": 2.0, \"activation\": \"tanh\"}, {\"units\": 1e0, \"activation\": \"sigmoid\"}]");
            NetworkSpec spec = SpecReader.parse(text, "s.json", SpecFormat.JSON);
            assertEquals(List.of(new LayerSpec(2, Activation.TANH), new LayerSpec(1, Activation.SIGMOID)), spec.layers());
        }
    }

    @Nested
    class ReportsFileProblems {

        @Test
        void aFileThatDoesNotExist(@TempDir Path dir) {
            Path file = dir.resolve("nothere.json");
            SpecException e = assertThrows(SpecException.class, () -> SpecReader.read(file));
            assertEquals(file + ": (file): <" + file.toAbsolutePath().normalize()
                    + "> does not exist; check the path and the working directory", e.getMessage());
            assertInstanceOf(NoSuchFileException.class, e.getCause());
        }

        @Test
        void aDirectory(@TempDir Path dir) {
            assertEquals(dir + ": (file): <" + dir.toAbsolutePath().normalize()
                    + "> is a directory; give the path of a spec file", messageOf(dir));
        }

        @Test
        void aFileThatIsNotUtf8(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("latin1.json");
            Files.write(file, new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
            assertEquals(file + ": (file): <" + file.toAbsolutePath().normalize()
                    + "> is not UTF-8 text; save the spec as UTF-8", messageOf(file));
        }

        @Test
        void aFileWithAnUnknownExtension(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("spec.txt");
            Files.writeString(file, "{}");
            assertEquals(file + ": (file): <" + file + "> has no spec extension; name the file .json, .yaml or .yml",
                    messageOf(file));
        }

        @Test
        void anEmptyFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("empty.yml");
            Files.writeString(file, "");
            assertEquals(file + ": (file): <> has no content; write a spec object with inputs, layers, loss, "
                    + "parameters or init, and data", messageOf(file));
        }
    }

    static Stream<Arguments> badFixtures() {
        return Stream.of(
                Arguments.of("typo-activation.json", "layers[1].activation: <sigmod> is not an activation; known: identity, "
                        + "sigmoid, tanh, relu, leaky_relu, softplus, silu, gelu, elu, softsign, softmax (did you mean sigmoid?)"),
                Arguments.of("paramters-typo.json", "paramters: <paramters> is not a spec key; known: name, inputs, layers, "
                        + "loss, parameters, init, data (did you mean parameters?)"),
                Arguments.of("missing-comma.json", "line 4, column 3: <\"loss\": \"sse\",> is not valid JSON: unexpected "
                        + "character '\"': was expecting a comma between entries; check the brackets, commas and double "
                        + "quotes just before this point"),
                Arguments.of("tab-indent.yaml", "line 4, column 1: <activation: sigmoid> is not valid YAML: found a tab, "
                        + "which YAML does not allow for indentation; check the indentation (spaces only), brackets and "
                        + "quotes just before this point"),
                Arguments.of("transposed-weight.yaml", "parameters.W1: <[3][2]> has the wrong shape, expected [2][3]; give W1 "
                        + "2 rows (one per unit of layer 1) of 3 entries (one per input), the PyTorch Linear layout; "
                        + "it looks transposed"),
                Arguments.of("nan-weight.json", "parameters.W2[0][1]: <NaN> is not finite; replace it with a finite number"),
                Arguments.of("extra-parameter.json", "parameters.W2: <W2> is not a parameter of this 1-layer network; "
                        + "expected W1, b1"),
                Arguments.of("bce-targets.yaml", "data.y[1][0]: <2.0> is outside [0, 1] (bce targets are probabilities); "
                        + "use a target between 0 and 1, or a loss such as mse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFixtures")
    void reportsTheProblemOfEachBadFixture(String fileName, String expected) {
        Path file = BAD.resolve(fileName);
        assertEquals(file + ": " + expected, messageOf(file));
    }

    @Nested
    class FailsAtTheFirstProblemInDocumentedOrder {

        private String messageOf(String... edits) {
            String text = SpecMessageCatalogTests.spec(edits);
            return assertThrows(SpecException.class, () -> SpecReader.parse(text, "o.json", SpecFormat.JSON)).getMessage();
        }

        @Test
        void unknownKeysComeBeforeMissingKeys() {
            assertEquals("o.json: lyers: <lyers> is not a spec key; known: name, inputs, layers, loss, parameters, init, "
                    + "data (did you mean layers?)", messageOf("-layers", "lyers=[]"));
        }

        @Test
        void missingKeysComeBeforeWrongValues() {
            assertEquals("o.json: data: <missing> is required; add \"data\", e.g. \"data\": {\"x\": [[1.0]], \"y\": [[1.0]]}",
                    messageOf("inputs=0", "-data"));
        }

        @Test
        void inputsComeBeforeLayers() {
            assertEquals("o.json: inputs: <0> must be at least 1; give the number of input features, e.g. \"inputs\": 2",
                    messageOf("inputs=0", "layers=[]"));
        }

        @Test
        void layersComeBeforeTheLoss() {
            assertEquals("o.json: layers[0].activation: <softmax> is only allowed on the last layer; use an elementwise "
                            + "activation such as sigmoid or tanh here",
                    messageOf("layers=[{\"units\": 2, \"activation\": \"softmax\"}, {\"units\": 1, \"activation\": \"sigmoid\"}]",
                            "loss=\"msse\""));
        }

        @Test
        void everyEntryIsCheckedBeforeShapes() {
            assertEquals("o.json: parameters.W2[0][0]: <NaN> is not finite; replace it with a finite number",
                    messageOf("parameters={\"W1\": [[0.1, 0.2]], \"b1\": [0.0, 0.0], \"W2\": [[NaN, 0.6]], \"b2\": [0.0]}"));
        }

        @Test
        void parametersComeBeforeData() {
            assertEquals("o.json: parameters.b2: <[0]> has the wrong shape, expected [1]; give b2 one entry per unit of layer 2",
                    messageOf("parameters={\"W1\": [[0.1, 0.2], [0.3, 0.4]], \"b1\": [0.0, 0.0], \"W2\": [[0.5, 0.6]], \"b2\": []}",
                            "data={\"x\": [[1.0]], \"y\": [[1.0]]}"));
        }
    }

    @Nested
    class KeepsTheMessagePartsAsData {

        @Test
        void forARuleBrokenInTheFile() {
            SpecException e = assertThrows(SpecException.class, () -> SpecReader.read(BAD.resolve("typo-activation.json")));
            assertEquals(BAD.resolve("typo-activation.json").toString(), e.getSource());
            assertEquals("layers[1].activation", e.getFieldPath());
            assertEquals("sigmod", e.getValue());
            assertEquals("is not an activation", e.getRule());
            assertEquals("known: identity, sigmoid, tanh, relu, leaky_relu, softplus, silu, gelu, elu, softsign, softmax "
                    + "(did you mean sigmoid?)", e.getFix());
        }

        @Test
        void forASyntaxErrorWithTheParserExceptionAsCause() {
            SpecException e = assertThrows(SpecException.class, () -> SpecReader.read(BAD.resolve("missing-comma.json")));
            assertEquals("line 4, column 3", e.getFieldPath());
            assertInstanceOf(JsonProcessingException.class, e.getCause());
        }

        @Test
        void forARecordRuleWithTheRecordsOwnExceptionAsCause() {
            String text = SpecMessageCatalogTests.spec("layers=[{\"units\": 0, \"activation\": \"tanh\"}]");
            SpecException e = assertThrows(SpecException.class, () -> SpecReader.parse(text, "u.json", SpecFormat.JSON));
            assertEquals("layers[0].units", e.getFieldPath());
            assertEquals("LayerSpec: units: <0> must be at least 1; give the layer 1 or more units",
                    e.getCause().getMessage());
        }
    }
}
