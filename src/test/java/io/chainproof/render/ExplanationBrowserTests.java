package io.chainproof.render;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the HTML that {@code chainproof explain} and {@code chainproof derive --all} write for the examples in
 * headless Chromium: KaTeX must typeset every formula without an error, and the computation-graph picture
 * (and, for {@code explain}, the sweep chart) must be in the page. Pages and screenshots stay in
 * {@code target/browser/}.
 */
class ExplanationBrowserTests {

    private static final Path DIR = Path.of("target", "browser");
    private static final Pattern MATH = Pattern.compile("class=\"math(?:-display)?\"");

    private HeadlessChromium chromium;

    /** Before each test, so that without Chromium each test is reported by name (failed, or skipped). */
    @BeforeEach
    void locateChromium() {
        chromium = HeadlessChromium.locate();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"explain, lecture-chain", "explain, lecture-chain-saturated", "derive, mlp-2-3-2-1"})
    void every_formula_is_typeset_and_the_pictures_are_in_the_page(String command, String example)
            throws IOException {
        boolean explain = command.equals("explain");
        Document document = explain ? LatexWriterTests.explanation(example)
                : LatexWriterTests.derivation(example, true);
        String name = command + "-" + example;
        String html = HtmlWriter.write(document);
        Files.createDirectories(DIR);
        Path page = DIR.resolve(name + ".html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Path png = DIR.resolve(name + ".png");
        Files.deleteIfExists(png);
        int formulas = (int) MATH.matcher(html).results().count();
        assertTrue(formulas > 20, name + " ==> only " + formulas + " formulas written");

        HeadlessChromium.RenderedPage rendered = chromium.open(page, png);

        assertEquals(OptionalInt.of(formulas), rendered.katexRendered(), name + " ==> formulas KaTeX processed");
        assertEquals(OptionalInt.of(0), rendered.katexErrors(), name + " ==> formulas KaTeX rejected");
        assertEquals(0, rendered.katexErrorElements(), name + " ==> katex-error elements");
        assertEquals(formulas, rendered.katexElements(), name + " ==> typeset formulas (class=\"katex\")");
        assertTrue(hasSvg(rendered.dom(), GraphPicture.ROOT_CLASS), name + " ==> no <svg class=\""
                + GraphPicture.ROOT_CLASS + "\"> (the computation graph) in the DOM");
        if (explain) {
            assertTrue(hasSvg(rendered.dom(), SweepChart.ROOT_CLASS), name + " ==> no <svg class=\""
                    + SweepChart.ROOT_CLASS + "\"> (the sweep chart) in the DOM");
        }
        assertTrue(Files.size(png) > 10_000, name + " ==> screenshot " + png + " is nearly empty");
    }

    @org.junit.jupiter.api.Test
    void the_remedies_lesson_typesets_every_formula_and_shows_both_plots() throws IOException {
        // the committed page, which CompareCommandTests regenerates and compares
        Path page = Path.of("examples/lecture/remedies.html");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int formulas = (int) MATH.matcher(html).results().count();
        assertTrue(formulas > 100, "remedies ==> only " + formulas + " formulas written");
        Files.createDirectories(DIR);
        Path png = DIR.resolve("remedies.png");
        Files.deleteIfExists(png);
        HeadlessChromium.RenderedPage rendered = chromium.open(page, png);
        assertEquals(OptionalInt.of(formulas), rendered.katexRendered(), "remedies ==> formulas KaTeX processed");
        assertEquals(OptionalInt.of(0), rendered.katexErrors(), "remedies ==> formulas KaTeX rejected");
        assertEquals(0, rendered.katexErrorElements(), "remedies ==> katex-error elements");
        assertEquals(2, Pattern.compile("<svg[^>]*class=\"" + SvgPlotWriter.ROOT_CLASS + "\"").matcher(rendered.dom())
                .results().count(), "remedies ==> the depth and the time plot");
    }

    private static boolean hasSvg(String dom, String rootClass) {
        return Pattern.compile("<svg[^>]*class=\"(?:[^\"]*\\s)?" + Pattern.quote(rootClass) + "[\\s\"]").matcher(dom)
                .find();
    }
}
