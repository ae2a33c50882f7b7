package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Document} as plain Unicode text for a terminal: underlined headings, formulas in their
 * Unicode form, tables with aligned columns, figures replaced by their captions.
 */
public final class TextWriter {

    private TextWriter() {
    }

    /**
     * The document as plain text, formulas in Unicode.
     *
     * @param document the document
     * @return the text
     */
    public static String write(Document document) {
        StringBuilder s = new StringBuilder();
        s.append(document.title()).append('\n').append("=".repeat(width(document.title()))).append('\n');
        for (Block block : document.blocks()) {
            s.append('\n');
            block(block, s);
        }
        return s.toString();
    }

    private static void block(Block block, StringBuilder s) {
        if (block instanceof Block.Heading h) {
            String text = inline(h.content());
            s.append(text).append('\n');
            if (h.level() <= 2) {
                s.append((h.level() == 1 ? "=" : "-").repeat(width(text))).append('\n');
            }
        } else if (block instanceof Block.Paragraph p) {
            s.append(inline(p.content())).append('\n');
        } else if (block instanceof Block.Equations e) {
            for (Formula f : e.lines()) {
                if (!f.text().isEmpty()) {
                    s.append("    ").append(f.text()).append('\n');
                }
            }
        } else if (block instanceof Block.Table t) {
            table(t, s);
        } else if (block instanceof Block.Items items) {
            for (List<Inline> item : items.items()) {
                s.append("  • ").append(inline(item)).append('\n');
            }
        } else if (block instanceof Block.Preformatted p) {
            for (String line : p.text().split("\n", -1)) {
                s.append("    ").append(line).append('\n');
            }
        } else if (block instanceof Block.Figure f) {
            s.append("[Figure: ").append(inline(f.caption())).append(" The picture is in the HTML version.]\n");
        } else if (block instanceof Block.Interactive i) {
            s.append("[").append(inline(i.caption())).append(" The controls are in the HTML version.]\n");
        }
    }

    private static void table(Block.Table t, StringBuilder s) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(t.header().stream().map(TextWriter::inline).toList());
        for (List<List<Inline>> row : t.rows()) {
            cells.add(row.stream().map(TextWriter::inline).toList());
        }
        int columns = t.header().size();
        int[] widths = new int[columns];
        for (List<String> row : cells) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                String cell = cells.get(r).get(c);
                line.append(cell);
                if (c < columns - 1) {
                    line.append(" ".repeat(widths[c] - width(cell) + 2));
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                StringBuilder rule = new StringBuilder("  ");
                for (int c = 0; c < columns; c++) {
                    rule.append("-".repeat(widths[c])).append(c < columns - 1 ? "  " : "");
                }
                s.append(rule).append('\n');
            }
        }
    }

    static String inline(List<Inline> content) {
        StringBuilder s = new StringBuilder();
        for (Inline i : content) {
            if (i instanceof Inline.Text t) {
                s.append(t.text());
            } else if (i instanceof Inline.Math m) {
                s.append(m.formula().text());
            } else if (i instanceof Inline.Code c) {
                s.append(c.text());
            }
        }
        return s.toString();
    }

    /** Display width in code points (subscripts and combining-free symbols count one each). */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
