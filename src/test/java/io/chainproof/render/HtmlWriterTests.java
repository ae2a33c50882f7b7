package io.chainproof.render;

import io.chainproof.ChainproofException;
import io.chainproof.explain.Formula;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlWriterTests {

    private static final Formula DL_DW1 = new Formula("∂L/∂w₁", "\\frac{\\partial L}{\\partial w_{1}}");
    private static final Formula SIGMA = new Formula("σ'(z₂)·w₂", "\\sigma'(z_{2}) \\cdot w_{2}");
    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">"
            + "<rect id=\"box\" width=\"40\" height=\"20\"/></svg>";

    private static String body(String page) {
        return page.substring(page.indexOf("<main>"), page.indexOf("</main>") + "</main>".length());
    }

    private static int count(String regex, String text) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    private static Document of(Block... blocks) {
        return new Document("Test", List.of(blocks));
    }

    @Test
    void text_is_escaped_in_the_title_headings_and_paragraphs() {
        String page = HtmlWriter.write(new Document("a < b & \"c\"", List.of(
                new Block.Heading(2, Inline.of("x > y")),
                new Block.Paragraph(Inline.of("1 < 2 & 3 > 2, \"quoted\"", new Inline.Code("W1[0]<0>"))))));
        assertTrue(page.contains("<title>a &lt; b &amp; &quot;c&quot;</title>"), page.substring(0, 400));
        assertEquals("<main>\n<h1>a &lt; b &amp; &quot;c&quot;</h1>\n<h2>x &gt; y</h2>\n"
                + "<p>1 &lt; 2 &amp; 3 &gt; 2, &quot;quoted&quot;<code>W1[0]&lt;0&gt;</code></p>\n</main>", body(page));
    }

    @Test
    void tex_is_escaped_inside_math_elements() {
        String page = HtmlWriter.write(of(new Block.Paragraph(Inline.of(
                new Formula("a<b", "a < b \\text{ \\& } c > d")))));
        assertTrue(body(page).contains("<span class=\"math\">a &lt; b \\text{ \\&amp; } c &gt; d</span>"), body(page));
    }

    @Test
    void inline_math_loses_alignment_points_but_keeps_escaped_ampersands() {
        String page = HtmlWriter.write(of(new Block.Paragraph(Inline.of(new Formula("", "L &= a \\& b")))));
        assertTrue(body(page).contains("<span class=\"math\">L = a \\&amp; b</span>"), body(page));
    }

    @Test
    void every_inline_formula_becomes_one_math_element_wherever_it_stands() {
        String page = HtmlWriter.write(of(
                new Block.Heading(3, Inline.of("Gradient ", DL_DW1)),
                new Block.Paragraph(Inline.of("with ", SIGMA, " and ", DL_DW1)),
                new Block.Items(List.of(Inline.of(SIGMA), Inline.of("plain"))),
                new Block.Table(List.of(Inline.of("term")), List.of(List.of(Inline.of(DL_DW1)))),
                new Block.Figure(SVG, Inline.of("plot of ", SIGMA))));
        assertEquals(6, count("<span class=\"math\">", body(page)));
        assertEquals(6, count("class=\"math", body(page)), "no other element has a math class");
        assertEquals(3, count("<span class=\"math\">\\\\frac\\{\\\\partial L\\}\\{\\\\partial w_\\{1\\}\\}</span>",
                body(page)));
    }

    @Test
    void one_displayed_line_is_written_as_it_is() {
        String page = HtmlWriter.write(of(new Block.Equations(List.of(new Formula("y = x", "y = x")))));
        assertEquals("<main>\n<h1>Test</h1>\n<div class=\"math-display\">y = x</div>\n</main>", body(page));
    }

    @Test
    void several_lines_are_aligned_at_their_first_top_level_equals_sign() {
        String page = HtmlWriter.write(of(new Block.Equations(List.of(
                new Formula("L", "L_{w=1} = \\frac{1}{2}(o - y)^{2}"),
                new Formula("", "&= 0.5"),
                new Formula("", "\\quad + \\epsilon"),
                new Formula("", "a \\& b = c")))));
        assertTrue(body(page).contains("<div class=\"math-display\">\\begin{aligned} L_{w=1} &amp;= \\frac{1}{2}(o - y)^{2}"
                + " \\\\ &amp;= 0.5 \\\\ &amp;\\quad + \\epsilon \\\\ a \\&amp; b &amp;= c \\end{aligned}</div>"), body(page));
    }

    @Test
    void one_line_with_an_alignment_point_is_set_in_aligned_so_katex_accepts_it() {
        assertEquals("\\begin{aligned} y &= x \\end{aligned}", HtmlWriter.displayed(List.of(new Formula("", "y &= x"))));
    }

    @Test
    void tables_have_a_header_and_math_cells() {
        String page = HtmlWriter.write(of(new Block.Table(
                List.of(Inline.of("parameter"), Inline.of("value")),
                List.of(List.of(Inline.of(new Inline.Code("w1")), Inline.of(DL_DW1))))));
        assertTrue(body(page).contains("<table>\n<thead>\n<tr><th>parameter</th><th>value</th></tr>\n</thead>\n"
                + "<tbody>\n<tr><td><code>w1</code></td><td><span class=\"math\">\\frac{\\partial L}{\\partial w_{1}}"
                + "</span></td></tr>\n</tbody>\n</table>"), body(page));
    }

    @Test
    void figures_inline_the_svg_verbatim_with_a_caption() {
        String page = HtmlWriter.write(of(new Block.Figure(SVG, Inline.of("a <box>"))));
        assertTrue(body(page).contains("<figure>\n" + SVG + "\n<figcaption>a &lt;box&gt;</figcaption>\n</figure>"),
                body(page));
    }

    @Test
    void lists_and_preformatted_text_keep_their_content() {
        String page = HtmlWriter.write(of(new Block.Items(List.of(Inline.of("one"), Inline.of("two & three"))),
                new Block.Preformatted("\nchainproof check <file>\n")));
        assertTrue(body(page).contains("<ul>\n<li>one</li>\n<li>two &amp; three</li>\n</ul>\n"
                + "<pre>\n\nchainproof check &lt;file&gt;\n</pre>"), body(page));
    }

    @Test
    void every_katex_font_is_an_inlined_woff2_data_uri() {
        String page = HtmlWriter.write(of());
        List<String> urls = Pattern.compile("url\\(([^)]{0,40})").matcher(page).results().map(m -> m.group(1)).toList();
        assertEquals(20, count("@font-face", page));
        assertEquals(20, urls.size(), "one source per @font-face: " + urls);
        for (String url : urls) {
            assertTrue(url.startsWith("\"data:font/woff2;base64,d09GMg"), "font source <" + url + ">");
        }
        assertFalse(page.contains(".woff\"") || page.contains(".ttf") || page.contains("fonts/"));
    }

    @Test
    void nothing_is_loaded_from_another_location() {
        String page = HtmlWriter.write(of(new Block.Figure(SVG, Inline.of("box"))));
        Matcher external = Pattern.compile("(?i)(?:\\b(?:src|href)\\s*=\\s*[\"']?|url\\(\\s*[\"']?)\\s*(?:https?:|//|fonts/)")
                .matcher(page);
        assertFalse(external.find(), () -> "external reference <" + page.substring(external.start(),
                Math.min(page.length(), external.end() + 40)) + ">");
        assertFalse(page.contains("<link") || page.contains("<script src") || page.contains("@import"));
        assertEquals(2, count("<script>", page));
        assertEquals(2, count("</script>", page), "KaTeX's script must not close the script element early");
    }

    @Test
    void the_page_is_html5_and_carries_the_katex_licence_and_render_script() {
        String page = HtmlWriter.write(of());
        assertTrue(page.startsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
        assertTrue(page.endsWith("</body>\n</html>\n"));
        assertTrue(page.contains("<!--\nMath typeset by KaTeX 0.16.47, inlined below with its fonts under this "
                + "licence:\n\nThe MIT License (MIT)\n\nCopyright (c) 2013-2020 Khan Academy"));
        assertTrue(page.contains("katex.render(tex, el, {displayMode: el.classList.contains('math-display'), "
                + "throwOnError: false});"));
        assertTrue(page.contains("document.body.setAttribute('data-katex-rendered', String(rendered));"));
        assertTrue(page.length() > 500_000 && page.length() < 1_000_000, "page size " + page.length());
    }

    @Test
    void the_same_document_gives_the_same_page() {
        Document a = of(new Block.Paragraph(Inline.of("with ", SIGMA)), new Block.Figure(SVG, Inline.of("box")));
        Document b = of(new Block.Paragraph(Inline.of("with ", SIGMA)), new Block.Figure(SVG, Inline.of("box")));
        String first = HtmlWriter.write(a);
        assertEquals(first, HtmlWriter.write(b));
        assertEquals(first, HtmlWriter.write(a), "writing the same document again");
    }

    @Test
    void a_missing_katex_resource_is_reported_with_the_dependency_to_add() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            ChainproofException e = assertThrows(ChainproofException.class, () -> KatexAssets.load(empty));
            assertEquals("KaTeX resource <META-INF/resources/webjars/katex/0.16.47/dist/katex.min.css> is not on the "
                    + "classpath; HTML output needs the dependency org.webjars.npm:katex:0.16.47 (declared in pom.xml "
                    + "and shaded into chainproof.jar): rebuild with mvn -B package", e.getMessage());
        }
    }
}
