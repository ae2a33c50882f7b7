package io.chainproof.render;

import io.chainproof.explain.Explainer;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.ProofSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One naming scheme for units and layers in the text, the formulas and the picture: every node the explanation of an
 * MLP names — x₁, z₂,₁, o₂, y₁, w⁽²⁾₁₂, b₃ — in its paths, chain rule, factor tables, bounds and sweeps must be drawn in
 * its graph picture under that very name (as a label, a parameter label, or a unit's tooltip {@code o₂,₁ = φ(z₂,₁)}).
 * The names are read from the text rendering of the whole document and from the SVG of every picture in the HTML one.
 */
class NotationTests {

    /** A node or parameter name in the lecture's Unicode notation. */
    private static final Pattern NAME = Pattern.compile("(?<![\\p{L}\\p{N}⁽⁾])(?:[xyzo][₀-₉]+(?:,[₀-₉]+)?|[wb]⁽[⁰¹²³⁴-⁹]+⁾[₀-₉]+(?:,[₀-₉]+)?|[wb][₀-₉]+)"
            + "(?![₀-₉,])");
    private static final Pattern SVG = Pattern.compile("<svg[^>]*class=\"chainproof-graph\".*?</svg>", Pattern.DOTALL);
    private static final Pattern SVG_TEXT = Pattern.compile("<(text|title)[^>]*>([^<]*)</\\1>");

    @ParameterizedTest
    @ValueSource(strings = {"examples/lecture-chain.json", "examples/lecture-chain-saturated.json",
            "examples/mlp-2-3-2-1.json", "examples/softmax-classifier.json",
            "src/test/resources/notation/net-2-2-1.json"})
    void every_node_named_in_the_text_is_drawn_under_that_name(String path) {
        NetworkSpec spec = SpecReader.read(Path.of(path));
        Document document = ExplanationDocument.of(Explainer.of(spec).story(ProofSettings.DEFAULTS), false);
        String text = TextWriter.write(document);
        // the notation paragraph shows the scheme itself (o₀ = x; z₂ rather than z₂,₁): the story starts after it
        String story = text.substring(text.indexOf("Forward pass"));
        Set<String> named = names(story);
        Set<String> drawn = new TreeSet<>();
        Matcher svg = SVG.matcher(HtmlWriter.write(document));
        int pictures = 0;
        while (svg.find()) {
            pictures++;
            Matcher t = SVG_TEXT.matcher(svg.group());
            while (t.find()) {
                drawn.addAll(names(t.group(2).replace("&amp;", "&")));
            }
        }
        assertTrue(pictures > 0, path + ": the HTML has no graph picture");
        assertTrue(named.size() >= 4, path + ": the text names too few nodes to test: " + named);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(drawn);
        assertEquals(Set.of(), missing, path + ": named in the text but not drawn under that name; the picture has "
                + drawn);
    }

    /** A layered model's parameter tensor, as the text names it: {@code W2.2}, {@code gamma3.1}, {@code W_hh1}. */
    private static final Pattern TENSOR = Pattern.compile("(?<![\\w.])(?:W_ih|W_hh|b_ih|b_hh|W_in|b_in|W_out|b_out|gamma|beta"
            + "|W|b|E)\\d+(?:\\.\\d+)*(?![\\w.\\[])");
    private static final Pattern LAYER_SVG = Pattern.compile("<svg[^>]*id=\"layer-picture\".*?</svg>", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"examples/residual-mlp.json", "examples/small-cnn.json", "examples/transformer-block.json",
            "examples/lstm-language-model.json", "examples/remedies/residual-sigmoid-20.json",
            "examples/remedies/batchnorm-sigmoid-20.json", "examples/remedies/layernorm-sigmoid-20.json",
            "examples/remedies/lstm-50.json", "examples/remedies/relu-he-20.json"})
    void every_parameter_tensor_named_in_a_layered_text_is_drawn_under_that_name(String path) {
        io.chainproof.spec.LayeredSpec spec = (io.chainproof.spec.LayeredSpec) SpecReader.readAny(Path.of(path));
        Document document = LayeredDocument.of(spec);
        Set<String> named = new TreeSet<>();
        Matcher t = TENSOR.matcher(TextWriter.write(document));
        while (t.find()) {
            named.add(t.group());
        }
        Matcher svg = LAYER_SVG.matcher(HtmlWriter.write(document));
        assertTrue(svg.find(), path + ": the HTML has no layer picture");
        Set<String> drawn = new TreeSet<>();
        Matcher d = TENSOR.matcher(String.join(" ", SVG_TEXT.matcher(svg.group()).results().map(r -> r.group(2))
                .toList()));
        while (d.find()) {
            drawn.add(d.group());
        }
        assertTrue(named.size() >= 2, path + ": the text names too few tensors to test: " + named);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(drawn);
        assertEquals(Set.of(), missing, path + ": named in the text but not drawn; the picture has " + drawn);
    }

    @Test
    void the_name_pattern_finds_nodes_and_parameters_and_nothing_else() {
        assertEquals(Set.of("o₁,₁", "o₂", "w⁽¹⁾₁₁", "z₁₂,₃", "b₃", "x₁"),
                names("w⁽¹⁾₁₁ → o₁,₁ → o₂ → L; z₁₂,₃ and b₃; x₁⁽ˢ²⁾; W₂, ‖W₂‖₂, ∂L/∂W₁, log₁₀"));
    }

    @Test
    void a_picture_that_names_a_unit_differently_from_the_text_fails_the_check() throws IOException {
        // the bug the issue found: a width-1 layer named o₂ in the text and o₂,₁ in the picture
        Set<String> drawn = names("o₁,₁ o₁,₂ o₂,₁ x₁ x₂ y₁ w⁽¹⁾₁₁");
        Set<String> named = names("w⁽¹⁾₁₁ → o₁,₁ → o₂ → L");
        named.removeAll(drawn);
        assertEquals(Set.of("o₂"), named);
        assertFalse(Files.readString(Path.of("src/test/resources/notation/net-2-2-1.json")).isEmpty());
    }

    private static Set<String> names(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
