package io.chainproof.render;

import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GraphPicture}: edges, the highlighted chain-rule paths, elision, and well-formed, escaped SVG. */
class GraphPictureTests {

    private static final NetworkSpec LECTURE = SpecReader.read(Path.of("examples/lecture-chain.json"));
    private static final NetworkSpec MLP = SpecReader.read(Path.of("examples/mlp-2-3-2-1.json"));
    private static final NetworkSpec SOFTMAX = SpecReader.read(Path.of("examples/softmax-classifier.json"));

    /** The parsed picture of {@code spec} with {@code parameter} highlighted. */
    static Picture draw(NetworkSpec spec, String parameter) {
        return new Picture(GraphPicture.svg(spec, ParameterId.parse(parameter)));
    }

    /** A parsed SVG with queries by class token. */
    record Picture(String svg, Document document) {

        Picture(String svg) {
            this(svg, parse(svg));
        }

        static Document parse(String svg) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
            } catch (Exception e) {
                throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
            }
        }

        List<Element> elements(String tag, String... classes) {
            NodeList nodes = document.getElementsByTagNameNS(SvgMarkup.NAMESPACE, tag);
            List<Element> found = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                Element e = (Element) nodes.item(i);
                Set<String> tokens = Set.of(e.getAttribute("class").split(" "));
                if (tokens.containsAll(Arrays.asList(classes))) {
                    found.add(e);
                }
            }
            return found;
        }

        List<Element> edges(String... classes) {
            List<String> all = new ArrayList<>(List.of(classes));
            all.add("edge");
            return elements("line", all.toArray(String[]::new));
        }

        /** Edges as "from→to", sorted. */
        List<String> arrows(List<Element> edges) {
            return edges.stream().map(e -> e.getAttribute("data-from") + "→" + e.getAttribute("data-to")).sorted()
                    .toList();
        }

        Set<String> nodes(String... classes) {
            List<String> all = new ArrayList<>(List.of(classes));
            all.add("node");
            return elements("g", all.toArray(String[]::new)).stream().map(e -> e.getAttribute("data-node"))
                    .collect(Collectors.toSet());
        }

        String title() {
            return document.getElementsByTagNameNS(SvgMarkup.NAMESPACE, "title").item(0).getTextContent();
        }

        String parameterLabel() {
            return elements("text", "parameter-label").get(0).getTextContent();
        }
    }

    @Nested
    class TheLectureChain {

        @Test
        void w1_lies_on_a_path_of_four_edges_theta_o1_o2_o2_o3_and_o3_L() {
            Picture p = draw(LECTURE, "W1[0][0]");
            assertAll(
                    () -> assertEquals(List.of("o1_0→o2_0", "o2_0→o3_0", "o3_0→L", "x_0→o1_0"),
                            p.arrows(p.edges("on-path"))),
                    () -> assertEquals(List.of("x_0→o1_0"), p.arrows(p.edges("parameter-edge"))),
                    () -> assertEquals(4, p.edges().size()),
                    () -> assertEquals("w₁", p.parameterLabel()));
        }

        @Test
        void w3_leaves_the_first_two_edges_off_the_path() {
            Picture p = draw(LECTURE, "W3[0][0]");
            assertAll(
                    () -> assertEquals(List.of("o2_0→o3_0", "o3_0→L"), p.arrows(p.edges("on-path"))),
                    () -> assertEquals(Set.of("o2_0", "o3_0", "L"), p.nodes("on-path")),
                    () -> assertEquals("w₃", p.parameterLabel()));
        }

        @Test
        void labels_nodes_in_the_lecture_notation_and_the_loss_with_its_name() {
            Picture p = draw(LECTURE, "W1[0][0]");
            List<String> texts = p.elements("text").stream().map(Element::getTextContent).toList();
            assertTrue(texts.containsAll(List.of("x₁", "o₁", "o₂", "o₃", "y₁", "L (sse)", "layer 2 · sigmoid")),
                    "texts: " + texts);
        }
    }

    @Nested
    class TheMlp2321 {

        @Test
        void has_one_edge_per_weight_and_one_per_output() {
            Picture p = draw(MLP, "W1[0][1]");
            assertEquals(2 * 3 + 3 * 2 + 2 * 1 + 1, p.edges().size());
        }

        @Test
        void w1_0_1_highlights_its_edge_the_two_out_of_o1_1_both_into_o3_and_o3_to_L() {
            Picture p = draw(MLP, "W1[0][1]");
            assertAll(
                    () -> assertEquals(List.of("o1_0→o2_0", "o1_0→o2_1", "o2_0→o3_0", "o2_1→o3_0", "o3_0→L",
                            "x_1→o1_0"), p.arrows(p.edges("on-path"))),
                    () -> assertEquals(List.of("x_1→o1_0"), p.arrows(p.edges("parameter-edge"))),
                    () -> assertEquals(Set.of("x_1", "o1_0", "o2_0", "o2_1", "o3_0", "L"), p.nodes("on-path")),
                    () -> assertEquals("w⁽¹⁾₁₂", p.parameterLabel()));
        }

        @Test
        void bias_b2_1_is_a_stub_into_o2_2_then_one_edge_to_o3_and_one_to_L() {
            Picture p = draw(MLP, "b2[1]");
            List<Element> stubs = p.elements("line", "bias-stub", "on-path", "parameter-edge");
            assertAll(
                    () -> assertEquals(1, stubs.size()),
                    () -> assertEquals("o2_1", stubs.get(0).getAttribute("data-to")),
                    () -> assertEquals(List.of("o2_1→o3_0", "o3_0→L"), p.arrows(p.edges("on-path"))),
                    () -> assertEquals(3, p.elements("line", "on-path").size()),
                    () -> assertEquals(List.of(), p.edges("parameter-edge")),
                    () -> assertEquals("b⁽²⁾₂", p.parameterLabel()));
        }
    }

    @Nested
    class TheSoftmaxClassifier {

        @Test
        void has_3_by_4_plus_4_by_3_weight_edges_and_3_output_edges() {
            assertEquals(3 * 4 + 4 * 3 + 3, draw(SOFTMAX, "W1[2][1]").edges().size());
        }

        /** θ's edge, the 3 edges out of o₁,₃ and, the softmax coupling its units, all 3 outputs → L. */
        @Test
        void a_first_layer_weight_reaches_every_output() {
            Picture p = draw(SOFTMAX, "W1[2][1]");
            assertEquals(List.of("o1_2→o2_0", "o1_2→o2_1", "o1_2→o2_2", "o2_0→L", "o2_1→L", "o2_2→L",
                    "x_1→o1_2"), p.arrows(p.edges("on-path")));
        }

        /** θ's edge and all 3 outputs → L: the softmax couples o₂,₂ to o₂,₁ and o₂,₃. */
        @Test
        void a_softmax_weight_puts_every_output_on_the_path() {
            Picture p = draw(SOFTMAX, "W2[1][3]");
            assertAll(
                    () -> assertEquals(List.of("o1_3→o2_1", "o2_0→L", "o2_1→L", "o2_2→L"),
                            p.arrows(p.edges("on-path"))),
                    () -> assertEquals(Set.of("o1_3", "o2_0", "o2_1", "o2_2", "L"), p.nodes("on-path")));
        }

        @Test
        void frames_the_softmax_layer_and_no_other() {
            assertEquals(1, draw(SOFTMAX, "b2[0]").elements("rect", "softmax-group").size());
            assertEquals(List.of(), draw(MLP, "b2[0]").elements("rect", "softmax-group"));
        }

        @Test
        void a_softmax_bias_is_a_stub_and_three_output_edges() {
            Picture p = draw(SOFTMAX, "b2[0]");
            assertEquals(4, p.elements("line", "on-path").size());
            assertEquals(List.of("o2_0→L", "o2_1→L", "o2_2→L"), p.arrows(p.edges("on-path")));
        }
    }

    @Nested
    class LargeLayers {

        private final NetworkSpec wide = SpecReader.parse("""
                {"name": "wide", "inputs": 2,
                 "layers": [{"units": 20, "activation": "tanh"}, {"units": 1, "activation": "identity"}],
                 "loss": "mse", "init": {"scheme": "constant", "scale": 0.1},
                 "data": {"x": [[1.0, 2.0]], "y": [[0.5]]}}""", SpecReader.STRING_SOURCE, SpecFormat.JSON);

        @Test
        void show_five_first_five_last_and_the_highlighted_unit_with_markers_for_the_rest() {
            Picture p = draw(wide, "W1[9][1]");
            Set<String> layer1 = p.nodes().stream().filter(n -> n.startsWith("o1_")).collect(Collectors.toSet());
            List<String> hidden = p.elements("g", "elided").stream().map(e -> e.getAttribute("data-hidden")).toList();
            assertAll(
                    () -> assertEquals(Set.of("o1_0", "o1_1", "o1_2", "o1_3", "o1_4", "o1_9", "o1_15", "o1_16",
                            "o1_17", "o1_18", "o1_19"), layer1),
                    () -> assertEquals(List.of("4", "5"), hidden),
                    () -> assertEquals(List.of("x_1→o1_9"), p.arrows(p.edges("parameter-edge"))),
                    () -> assertEquals(2 * 11 + 11 + 1, p.edges().size()),
                    () -> assertTrue(p.title().contains("Units elided (⋮): layer 1 shows 11 of 20."), p.title()));
        }

        @Test
        void small_layers_are_not_elided() {
            Picture p = draw(MLP, "W1[0][1]");
            assertAll(
                    () -> assertEquals(List.of(), p.elements("g", "elided")),
                    () -> assertFalse(p.title().contains("elided"), p.title()));
        }
    }

    @Nested
    class TheMarkup {

        @Test
        void is_one_svg_element_with_title_aria_label_and_no_external_references() {
            Picture p = draw(MLP, "W2[1][0]");
            Element root = p.document().getDocumentElement();
            assertAll(
                    () -> assertTrue(p.svg().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), p.svg()),
                    () -> assertEquals("svg", root.getLocalName()),
                    () -> assertEquals("img", root.getAttribute("role")),
                    () -> assertEquals(p.title(), root.getAttribute("aria-label")),
                    () -> assertTrue(p.title().startsWith("Computational graph of mlp-2-3-2-1: 2 inputs → 3 tanh"
                            + " → 2 sigmoid → 1 identity → L (mse). Highlighted: the chain-rule paths from w⁽²⁾₂₁"
                            + " = W2[1][0] to L."), p.title()),
                    () -> assertFalse(p.svg().contains("href"), "external reference"),
                    () -> assertFalse(p.svg().contains("<?xml"), "XML declaration"));
        }

        @Test
        void is_the_same_string_every_time() {
            NetworkSpec again = SpecReader.read(Path.of("examples/mlp-2-3-2-1.json"));
            assertEquals(GraphPicture.svg(MLP, ParameterId.parse("b1[2]")),
                    GraphPicture.svg(again, ParameterId.parse("b1[2]")));
        }

        @Test
        void escapes_the_spec_name() {
            NetworkSpec odd = SpecReader.parse("""
                    {"name": "a<b & \\"c\\">'d'", "inputs": 1, "layers": [{"units": 1, "activation": "sigmoid"}],
                     "loss": "sse", "parameters": {"W1": [[1.0]], "b1": [0.0]},
                     "data": {"x": [[1.0]], "y": [[1.0]]}}""", SpecReader.STRING_SOURCE, SpecFormat.JSON);
            Picture p = draw(odd, "W1[0][0]");
            assertAll(
                    () -> assertTrue(p.title().startsWith("Computational graph of a<b & \"c\">'d': 1 input"),
                            p.title()),
                    () -> assertTrue(p.svg().contains("a&lt;b &amp; &quot;c&quot;&gt;&#39;d&#39;"), p.svg()));
        }

        @Test
        void refuses_a_parameter_the_network_does_not_have() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GraphPicture.svg(MLP, ParameterId.parse("W4[0][0]")));
            assertEquals("Parameter <W4[0][0]> is not in network <mlp-2-3-2-1>; its parameters run from W1[0][0]"
                    + " to b3[0]", e.getMessage());
        }
    }
}
