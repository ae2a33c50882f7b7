package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;

/**
 * Writes a {@link Document} as one self-contained HTML5 page. Formulas are written as their LaTeX source,
 * HTML-escaped, in {@code <span class="math">} (inline, alignment points {@code &} removed) and {@code <div class="math-display">} (displayed);
 * KaTeX 0.16.47, inlined in the page with its fonts as {@code data:} URIs, typesets them when the page opens. Nothing is fetched from the network. After typesetting, {@code <body>} carries
 * {@code data-katex-rendered} (formulas processed) and {@code data-katex-errors} (formulas KaTeX could not
 * parse), which the browser tests read.
 *
 * <p>Several displayed lines are set as {@code \begin{aligned} l₁ \\ l₂ \end{aligned}}; a line without an
 * {@code &} gets one before its first {@code =} outside braces, or at its start if it has none. The output is
 * deterministic: the same document gives the same string.
 */
public final class HtmlWriter {

    /** The house stylesheet, after KaTeX's. */
    private static final String STYLE = """
            body { margin: 0; background: #fff; color: #1f2328; font: 16px/1.6 system-ui, -apple-system, \
            "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
            h1, h2, h3 { line-height: 1.25; margin: 2rem 0 0.75rem; }
            h1 { font-size: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.3rem; }
            h2 { font-size: 1.5rem; border-bottom: 1px solid #d8dee4; padding-bottom: 0.2rem; }
            h3 { font-size: 1.2rem; }
            p, ul { margin: 0 0 1rem; }
            code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", \
            "Liberation Mono", monospace; font-size: 0.9em; }
            code { background: #f2f4f7; border-radius: 4px; padding: 0.1em 0.3em; }
            pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.8rem 1rem; \
            overflow-x: auto; line-height: 1.45; }
            .math-display { margin: 1rem 0; overflow-x: auto; overflow-y: hidden; }
            .table { overflow-x: auto; margin: 0 0 1rem; }
            table { border-collapse: collapse; margin: 0 auto; }
            th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.8rem; text-align: left; vertical-align: middle; }
            thead th { background: #f0f3f6; font-weight: 600; }
            tbody tr:nth-child(even) { background: #f9fafb; }
            figure { margin: 1.5rem 0; text-align: center; }
            figure svg { max-width: 100%; height: auto; }
            figcaption { margin-top: 0.5rem; color: #57606a; font-size: 0.95rem; }
            .interactive { border: 1px solid #d0d7de; border-radius: 6px; padding: 0 1rem 1rem; margin: 1.5rem 0; }
            .interactive .sliders label { display: block; margin: 0.5rem 0; font-family: monospace; }
            .interactive input[type=range] { width: 60%; vertical-align: middle; }
            .interactive td.value { font-family: monospace; text-align: right; }
            """;

    /** Typesets every formula, then records how many were processed and how many failed. */
    private static final String RENDER = """
            (function () {
              var rendered = 0;
              document.querySelectorAll('.math, .math-display').forEach(function (el) {
                var tex = el.textContent;
                try {
                  katex.render(tex, el, {displayMode: el.classList.contains('math-display'), throwOnError: false});
                } catch (e) {
                  el.classList.add('katex-error');
                  el.setAttribute('title', String(e));
                }
                rendered++;
              });
              document.body.setAttribute('data-katex-rendered', String(rendered));
              document.body.setAttribute('data-katex-errors', String(document.querySelectorAll('.katex-error').length));
            })();
            """;

    private HtmlWriter() {
    }

    /**
     * The document as a complete HTML5 page (UTF-8).
     *
     * @param document what to write
     * @return the page, deterministic for a given document
     * @throws io.chainproof.ChainproofException if the KaTeX resources are not on the classpath
     */
    public static String write(Document document) {
        KatexAssets katex = KatexAssets.get();
        StringBuilder out = new StringBuilder(katex.css().length() + katex.script().length() + 16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(document.title())).append("</title>\n")
                .append("<!--\nMath typeset by KaTeX ").append(KatexAssets.VERSION)
                .append(", inlined below with its fonts under this licence:\n\n")
                .append(katex.license().strip().replace("--", "- -")).append("\n-->\n")
                .append("<style>\n").append(katex.css()).append("\n</style>\n")
                .append("<style>\n").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<main>\n")
                .append("<h1>").append(escape(document.title())).append("</h1>\n");
        for (Block block : document.blocks()) {
            block(out, block);
        }
        out.append("</main>\n")
                .append("<script>\n").append(katex.script()).append("\n</script>\n")
                .append("<script>\n").append(RENDER).append("</script>\n")
                .append("</body>\n</html>\n");
        return out.toString();
    }

    private static void block(StringBuilder out, Block block) {
        if (block instanceof Block.Heading h) {
            out.append("<h").append(h.level()).append('>');
            inlines(out, h.content());
            out.append("</h").append(h.level()).append(">\n");
        } else if (block instanceof Block.Paragraph p) {
            out.append("<p>");
            inlines(out, p.content());
            out.append("</p>\n");
        } else if (block instanceof Block.Equations e) {
            out.append("<div class=\"math-display\">").append(escape(displayed(e.lines()))).append("</div>\n");
        } else if (block instanceof Block.Table t) {
            table(out, t);
        } else if (block instanceof Block.Items items) {
            out.append("<ul>\n");
            for (List<Inline> item : items.items()) {
                out.append("<li>");
                inlines(out, item);
                out.append("</li>\n");
            }
            out.append("</ul>\n");
        } else if (block instanceof Block.Preformatted pre) {
            // The HTML parser drops one newline right after <pre>; keep a leading one by doubling it.
            out.append("<pre>").append(pre.text().startsWith("\n") ? "\n" : "").append(escape(pre.text()))
                    .append("</pre>\n");
        } else if (block instanceof Block.Figure f) {
            out.append("<figure>\n").append(f.svg().strip()).append("\n<figcaption>");
            inlines(out, f.caption());
            out.append("</figcaption>\n</figure>\n");
        } else if (block instanceof Block.Interactive i) {
            out.append("<section class=\"interactive\">\n").append(i.html().strip()).append("\n<p class=\"caption\">");
            inlines(out, i.caption());
            out.append("</p>\n<script>\n").append(i.script()).append("\n</script>\n</section>\n");
        } else {
            throw new IllegalStateException("block <" + block + "> has a kind HtmlWriter does not know");
        }
    }

    private static void table(StringBuilder out, Block.Table t) {
        out.append("<div class=\"table\">\n<table>\n<thead>\n<tr>");
        for (List<Inline> cell : t.header()) {
            out.append("<th>");
            inlines(out, cell);
            out.append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (List<List<Inline>> row : t.rows()) {
            out.append("<tr>");
            for (List<Inline> cell : row) {
                out.append("<td>");
                inlines(out, cell);
                out.append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
    }

    private static void inlines(StringBuilder out, List<Inline> content) {
        for (Inline inline : content) {
            if (inline instanceof Inline.Text t) {
                out.append(escape(t.text()));
            } else if (inline instanceof Inline.Math m) {
                out.append("<span class=\"math\">").append(escape(LatexWriter.withoutAlignment(m.formula().latex())))
                        .append("</span>");
            } else if (inline instanceof Inline.Code c) {
                out.append("<code>").append(escape(c.text())).append("</code>");
            } else {
                throw new IllegalStateException("inline <" + inline + "> has a kind HtmlWriter does not know");
            }
        }
    }

    /**
     * The LaTeX of displayed lines: one line without {@code &} as it is; otherwise an {@code aligned}
     * environment with one alignment point per line (see {@link LatexWriter#alignmentPoint(String)}).
     */
    static String displayed(List<Formula> lines) {
        if (lines.size() == 1 && LatexWriter.alignmentIndex(lines.get(0).latex()) < 0) {
            return lines.get(0).latex();
        }
        StringBuilder tex = new StringBuilder("\\begin{aligned}");
        for (int i = 0; i < lines.size(); i++) {
            tex.append(i == 0 ? " " : " \\\\ ").append(LatexWriter.alignmentPoint(lines.get(i).latex()));
        }
        return tex.append(" \\end{aligned}").toString();
    }

    /** Escapes {@code & < > "} for HTML text and attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
