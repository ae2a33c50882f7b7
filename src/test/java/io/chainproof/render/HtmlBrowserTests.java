package io.chainproof.render;

import io.chainproof.explain.Formula;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens pages written by {@link HtmlWriter} in headless Chromium and checks that KaTeX typeset every formula,
 * offline. The pages and screenshots stay in {@code target/browser/} for a look.
 */
class HtmlBrowserTests {

    private static final Path DIR = Path.of("target", "browser");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static final Formula DL_DW1 = new Formula("∂L/∂w₁", "\\frac{\\partial L}{\\partial w_{1}}");
    private static final Formula DO2_DO1 = new Formula("∂o₂/∂o₁", "\\frac{\\partial o_{2}}{\\partial o_{1}}");
    private static final Formula LOCAL = new Formula("σ'(z₂)·w₂", "\\sigma'(z_{2}) \\cdot w_{2}");
    private static final String SVG = """
            <svg xmlns="http://www.w3.org/2000/svg" id="chain-figure" width="360" height="80" viewBox="0 0 360 80">
            <rect x="10" y="20" width="80" height="40" rx="6" fill="#dbeafe" stroke="#1d4ed8"/>
            <text x="50" y="45" text-anchor="middle" font-size="16">layer 1</text>
            <line x1="90" y1="40" x2="270" y2="40" stroke="#1d4ed8" stroke-width="2"/>
            <rect x="270" y="20" width="80" height="40" rx="6" fill="#dcfce7" stroke="#15803d"/>
            <text x="310" y="45" text-anchor="middle" font-size="16">layer 2</text>
            </svg>""";

    /** Formulas in {@link #sample()}: 1 in a heading, 4 in paragraphs, 1 display, 4 in the table, 1 in the caption. */
    private static final int SAMPLE_FORMULAS = 11;

    private static Document sample() {
        return new Document("Chain rule for a two-layer chain", List.of(
                new Block.Heading(2, Inline.of("The gradient ", DL_DW1)),
                new Block.Paragraph(Inline.of("By the chain rule, ", DL_DW1, " is a product of local derivatives such as ",
                        LOCAL, " & each factor ", DO2_DO1, " is checked <numerically>; note ",
                        new Formula("", "0 < \\sigma'(z) \\le \\tfrac{1}{4} \\text{ \\& } x > 0"), ".")),
                new Block.Equations(List.of(
                        new Formula("", "\\frac{\\partial L}{\\partial w_{1}} = \\frac{\\partial L}{\\partial o_{2}}"
                                + " \\cdot \\frac{\\partial o_{2}}{\\partial o_{1}} \\cdot \\frac{\\partial o_{1}}{\\partial w_{1}}"),
                        new Formula("", "= (o_{2} - y) \\cdot \\sigma'(z_{2}) w_{2} \\cdot \\sigma'(z_{1}) x"),
                        new Formula("", "= 0.125"))),
                new Block.Heading(3, Inline.of("Every factor")),
                new Block.Table(List.of(Inline.of("factor"), Inline.of("formula"), Inline.of("value")), List.of(
                        List.of(Inline.of(new Inline.Code("do2/do1")), Inline.of(DO2_DO1), Inline.of("0.5")),
                        List.of(Inline.of("local"), Inline.of(LOCAL), Inline.of(new Formula("", "\\tfrac{1}{4}"))),
                        List.of(Inline.of("total"), Inline.of(DL_DW1), Inline.of("0.125")))),
                new Block.Items(List.of(Inline.of("plain words"), Inline.of(new Inline.Code("chainproof check")))),
                new Block.Preformatted("chainproof check examples/lecture-chain.json\n"),
                new Block.Figure(SVG, Inline.of("The chain whose product is ", DL_DW1))));
    }

    private HeadlessChromium chromium;

    /** Before each test, so that without Chromium each test is reported by name (failed, or skipped). */
    @BeforeEach
    void locateChromium() {
        chromium = HeadlessChromium.locate();
    }

    private HeadlessChromium.RenderedPage open(Document document, String name) throws IOException {
        Files.createDirectories(DIR);
        Path html = DIR.resolve(name + ".html");
        Files.writeString(html, HtmlWriter.write(document), StandardCharsets.UTF_8);
        Path png = DIR.resolve(name + ".png");
        Files.deleteIfExists(png);
        HeadlessChromium.RenderedPage page = chromium.open(html, png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, "screenshot " + png + " has only " + bytes.length + " bytes");
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), "screenshot " + png + " is no PNG");
        return page;
    }

    @Test
    void every_formula_of_the_sample_is_typeset_by_katex_offline() throws IOException {
        String html = HtmlWriter.write(sample());
        int written = (int) java.util.regex.Pattern.compile("class=\"math(?:-display)?\"").matcher(html).results().count();
        assertEquals(SAMPLE_FORMULAS, written, "math elements written");

        HeadlessChromium.RenderedPage page = open(sample(), "sample");

        assertEquals(OptionalInt.of(SAMPLE_FORMULAS), page.katexRendered(), "data-katex-rendered");
        assertEquals(OptionalInt.of(0), page.katexErrors(), "data-katex-errors");
        assertEquals(0, page.katexErrorElements(), "katex-error elements");
        assertEquals(SAMPLE_FORMULAS, page.katexElements(), "class=\"katex\" elements, one per formula");
        assertTrue(page.dom().contains("class=\"katex-display\""), "the displayed equations are in display mode");
        assertTrue(page.dom().contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chain-figure\""), "figure SVG");
        assertTrue(page.svgElements() >= 1, "svg elements " + page.svgElements());
        assertTrue(page.dom().contains("class=\"katex-mathml\""), "KaTeX wrote MathML as well as HTML");
    }

    @Test
    void a_layered_derivation_typesets_every_formula() throws IOException {
        for (String spec : List.of("examples/small-cnn.json", "src/test/resources/reference/layered/embedding-02.spec.json",
                "src/test/resources/reference/layered/batchnorm-conv2d-00.spec.json", "examples/residual-mlp.json")) {
            Document document = LayeredDocument.of((io.chainproof.spec.LayeredSpec) io.chainproof.spec.SpecReader
                    .readAny(Path.of(spec)));
            HeadlessChromium.RenderedPage page = open(document, "layered-" + Path.of(spec).getFileName().toString()
                    .replace(".json", ""));
            assertEquals(OptionalInt.of(0), page.katexErrors(), spec + ": data-katex-errors");
            assertEquals(0, page.katexErrorElements(), spec + ": katex-error elements");
            assertTrue(page.katexElements() >= 3, spec + ": formulas typeset: " + page.katexElements());
        }
    }

    @Test
    void a_broken_formula_is_reported_as_an_error() throws IOException {
        Document broken = new Document("Broken", List.of(
                new Block.Paragraph(Inline.of("good ", LOCAL, " and bad ", new Formula("1/", "\\frac{1}{")))));

        HeadlessChromium.RenderedPage page = open(broken, "broken");

        assertEquals(OptionalInt.of(2), page.katexRendered(), "data-katex-rendered");
        assertEquals(OptionalInt.of(1), page.katexErrors(), "data-katex-errors");
        assertEquals(1, page.katexErrorElements(), "katex-error elements");
        assertEquals(1, page.katexElements(), "class=\"katex\" elements: only the good formula");
    }
}
