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
