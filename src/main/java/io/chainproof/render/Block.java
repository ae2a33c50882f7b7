package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;
import java.util.Objects;

/**
 * One block of a {@link Document}: a heading, a paragraph, displayed equations, a table, a list, code,
 * or a figure. Each writer (text, Markdown, LaTeX, HTML) renders every kind, so the four formats say
 * the same thing. Instances are immutable.
 */
public sealed interface Block permits Block.Heading, Block.Paragraph, Block.Equations, Block.Table, Block.Items,
        Block.Preformatted, Block.Figure, Block.Interactive {

    /** A section heading; level 1 is the document title's level, 2 a section, 3 a subsection. */
    record Heading(int level, List<Inline> content) implements Block {
        /**
         * Rejects a level outside 1…3 and copies the content.
         *
         * @param level 1 for the title's level, 2 for a section, 3 for a subsection
         * @param content the heading's words and formulas; copied
         */
        public Heading {
            if (level < 1 || level > 3) {
                throw new IllegalArgumentException("Heading level <" + level + "> must be 1, 2 or 3");
            }
            content = List.copyOf(content);
        }
    }

    /** A paragraph of running text with inline formulas. */
    record Paragraph(List<Inline> content) implements Block {
        /**
         * Copies the content.
         *
         * @param content the paragraph's words and formulas; copied
         */
        public Paragraph {
            content = List.copyOf(content);
        }
    }

    /**
     * Displayed equations, one per line. In LaTeX each line may contain one {@code &} alignment point
     * (before its first {@code =}); several lines are set in an {@code aligned} environment. A line whose text
     * is empty continues the previous one in LaTeX only (text shows the whole formula on its first line).
     */
    record Equations(List<Formula> lines) implements Block {
        /**
         * Copies the lines and rejects an empty list.
         *
         * @param lines the equations, one per line, at least one; copied
         */
        public Equations {
            lines = List.copyOf(lines);
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("Equations need at least one line");
            }
        }
    }

    /** A table with a header row; every row has as many cells as the header. */
    record Table(List<List<Inline>> header, List<List<List<Inline>>> rows) implements Block {
        /**
         * Copies the cells and rejects a row whose length differs from the header's.
         *
         * @param header the header cells; copied
         * @param rows the rows, each with one cell per header cell; copied
         */
        public Table {
            header = header.stream().map(List::copyOf).toList();
            rows = rows.stream().map(r -> r.stream().map(List::copyOf).toList()).toList();
            for (List<List<Inline>> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("Table row has " + row.size() + " cells; the header has "
                            + header.size());
                }
            }
        }
    }

    /** A bulleted list. */
    record Items(List<List<Inline>> items) implements Block {
        /**
         * Copies the items.
         *
         * @param items one run of inline content per item; copied
         */
        public Items {
            items = items.stream().map(List::copyOf).toList();
        }
    }

    /** Fixed-width text shown as it is (e.g. a command line or a file). */
    record Preformatted(String text) implements Block {
        /**
         * Rejects null text.
         *
         * @param text the text, shown as it is
         */
        public Preformatted {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A picture as inline SVG with a caption. HTML embeds the SVG; text, Markdown and LaTeX print the
     * caption and say the picture is in the HTML version.
     *
     * @param svg     a complete {@code <svg …>…</svg>} element, no XML declaration
     * @param caption what the picture shows
     * @param latex   the same picture as LaTeX that pdflatex sets without extra packages, or empty when there is none
     *                (LaTeX then prints the caption only)
     */
    record Figure(String svg, List<Inline> caption, String latex) implements Block {
        /**
         * Rejects a null SVG or LaTeX and copies the caption.
         *
         * @param svg a complete {@code <svg …>…</svg>} element, no XML declaration
         * @param caption what the picture shows
         * @param latex the picture as LaTeX, or empty
         */
        public Figure {
            Objects.requireNonNull(svg, "svg");
            Objects.requireNonNull(latex, "latex");
            caption = List.copyOf(caption);
        }

        /**
         * A picture that only HTML shows.
         *
         * @param svg a complete {@code <svg …>…</svg>} element, no XML declaration
         * @param caption what the picture shows
         */
        public Figure(String svg, List<Inline> caption) {
            this(svg, caption, "");
        }
    }

    /**
     * Controls that recompute numbers in the page (sliders): HTML embeds the markup and runs the script, which must be
     * self-contained (no network); text, Markdown and LaTeX print the caption and say the controls are in the HTML
     * version.
     *
     * @param html    the markup of the controls and read-outs
     * @param script  the script that drives them, without {@code <script>} tags
     * @param caption what the controls do
     */
    record Interactive(String html, String script, List<Inline> caption) implements Block {
        /**
         * Rejects null markup or script, a script that would end its element early, and copies the caption.
         *
         * @param html    the markup of the controls and read-outs
         * @param script  the script that drives them
         * @param caption what the controls do
         */
        public Interactive {
            Objects.requireNonNull(html, "html");
            Objects.requireNonNull(script, "script");
            if (script.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
                throw new IllegalArgumentException("A page script must not contain </script");
            }
            caption = List.copyOf(caption);
        }
    }
}
