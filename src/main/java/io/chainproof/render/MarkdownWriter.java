package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;

/**
 * Writes a {@link Document} as Markdown with {@code $…$} and {@code $$…$$} math (GitHub, GitLab, Jupyter,
 * Pandoc and KaTeX/MathJax-enabled sites render it): {@code #} headings, pipe tables, bulleted lists,
 * figures as captions. Vertical bars inside a table's formulas are written {@code \vert} so they do not
 * end the cell.
 */
public final class MarkdownWriter {

    private MarkdownWriter() {
    }

    /**
     * The document as Markdown, formulas as {@code $…$} LaTeX.
     *
     * @param document the document
     * @return the Markdown text
     */
    public static String write(Document document) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(escape(document.title())).append('\n');
        for (Block block : document.blocks()) {
            s.append('\n');
            block(block, s);
        }
        return s.toString();
    }

    private static void block(Block block, StringBuilder s) {
        if (block instanceof Block.Heading h) {
            s.append("#".repeat(h.level())).append(' ').append(inline(h.content(), false)).append('\n');
        } else if (block instanceof Block.Paragraph p) {
            s.append(inline(p.content(), false)).append('\n');
        } else if (block instanceof Block.Equations e) {
            s.append("$$\n").append(LatexWriter.display(e.lines())).append("\n$$\n");
        } else if (block instanceof Block.Table t) {
            s.append(row(t.header())).append('\n');
            s.append("|").append(" --- |".repeat(t.header().size())).append('\n');
            for (List<List<Inline>> r : t.rows()) {
                s.append(row(r)).append('\n');
            }
        } else if (block instanceof Block.Items items) {
            for (List<Inline> item : items.items()) {
                s.append("- ").append(inline(item, false)).append('\n');
            }
        } else if (block instanceof Block.Preformatted p) {
            s.append("```\n").append(p.text()).append(p.text().endsWith("\n") ? "" : "\n").append("```\n");
        } else if (block instanceof Block.Figure f) {
            s.append("*Figure: ").append(inline(f.caption(), false)).append(" The picture is in the HTML version.*\n");
        } else if (block instanceof Block.Interactive i) {
            s.append("*").append(inline(i.caption(), false)).append(" The controls are in the HTML version.*\n");
        }
    }

    private static String row(List<List<Inline>> cells) {
        StringBuilder s = new StringBuilder("|");
        for (List<Inline> cell : cells) {
            s.append(' ').append(inline(cell, true)).append(" |");
        }
        return s.toString();
    }

    private static String inline(List<Inline> content, boolean inTable) {
        StringBuilder s = new StringBuilder();
        for (Inline i : content) {
            if (i instanceof Inline.Text t) {
                String text = escape(t.text());
                s.append(inTable ? text.replace("|", "\\|") : text);
            } else if (i instanceof Inline.Math m) {
                s.append('$').append(math(m.formula(), inTable)).append('$');
            } else if (i instanceof Inline.Code c) {
                s.append('`').append(inTable ? c.text().replace("|", "\\|") : c.text()).append('`');
            }
        }
        return s.toString();
    }

    private static String math(Formula f, boolean inTable) {
        String latex = f.latex().strip();
        return inTable ? latex.replace("\\lVert", "\\Vert").replace("\\rVert", "\\Vert").replace("\\left|", "\\left\\vert ")
                .replace("\\right|", "\\right\\vert ").replace("|", "\\vert ") : latex;
    }

    /** Escapes Markdown's inline markup characters in plain words. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder();
        for (char c : text.toCharArray()) {
            if ("\\`*_{}[]<>$#".indexOf(c) >= 0) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }
}
