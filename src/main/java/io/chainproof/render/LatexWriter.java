package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Document} as a standalone LaTeX article that pdflatex compiles with packages from
 * texlive-latex-base only ({@code inputenc}, {@code fontenc}, {@code amsmath}, {@code geometry}, and
 * {@code graphicx} for {@code \resizebox}): every formula is LaTeX math, and the Unicode in plain words (σ, ∂,
 * subscripts, arrows, …) is written as math too, so the source is pure ASCII. Figures become their captions
 * (the pictures are SVG, which pdflatex cannot include), unless they carry a LaTeX picture of their own.
 *
 * <p>Displayed equations and tables are set in a {@code fitwidth} environment defined in the preamble: a box
 * wider than the line is scaled down to the line width, so a long closed form or a table of 17-digit numbers
 * stays on the page instead of running off its right edge. This class also owns the handling of alignment
 * points ({@code &}, but never {@code \&}) that {@link HtmlWriter} and {@link MarkdownWriter} share.
 */
public final class LatexWriter {

    /** Unicode characters that appear in chainproof's prose, and their LaTeX. */
    private static final Map<Character, String> SYMBOLS = Map.ofEntries(
            Map.entry('σ', "$\\sigma$"), Map.entry('γ', "$\\gamma$"), Map.entry('φ', "$\\varphi$"),
            Map.entry('θ', "$\\theta$"), Map.entry('ℓ', "$\\ell$"), Map.entry('ε', "$\\varepsilon$"),
            Map.entry('π', "$\\pi$"), Map.entry('∂', "$\\partial$"), Map.entry('Σ', "$\\Sigma$"),
            Map.entry('∏', "$\\prod$"), Map.entry('∇', "$\\nabla$"), Map.entry('√', "$\\surd$"),
            Map.entry('−', "-"), Map.entry('–', "--"), Map.entry('—', "---"), Map.entry('·', "$\\cdot$"),
            Map.entry('×', "$\\times$"), Map.entry('→', "$\\to$"), Map.entry('≤', "$\\le$"), Map.entry('≥', "$\\ge$"),
            Map.entry('≈', "$\\approx$"), Map.entry('≠', "$\\ne$"), Map.entry('∞', "$\\infty$"),
            Map.entry('‖', "$\\Vert$"), Map.entry('±', "$\\pm$"), Map.entry('⇔', "$\\Leftrightarrow$"),
            Map.entry('…', "\\ldots{}"), Map.entry('’', "'"), Map.entry('•', "$\\bullet$"),
            Map.entry('ᵢ', "$_{i}$"), Map.entry('ⱼ', "$_{j}$"), Map.entry('ₖ', "$_{k}$"), Map.entry('ₛ', "$_{s}$"),
            Map.entry('ˡ', "$^{l}$"), Map.entry('ˢ', "$^{s}$"), Map.entry('ᵀ', "$^{\\top}$"),
            Map.entry('⁽', "$^{(}$"), Map.entry('⁾', "$^{)}$"), Map.entry('ḡ', "$\\bar g$"),
            Map.entry('κ', "$\\kappa$"), Map.entry('μ', "$\\mu$"), Map.entry('⊙', "$\\odot$"));
    private static final String SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /** The preamble, up to {@code \title}. */
    static final String PREAMBLE = """
            \\documentclass[11pt]{article}
            \\usepackage[utf8]{inputenc}
            \\usepackage[T1]{fontenc}
            \\usepackage{amsmath}
            \\usepackage{graphicx}
            \\usepackage[margin=2cm]{geometry}
            \\allowdisplaybreaks
            \\setlength{\\parindent}{0pt}
            \\setlength{\\parskip}{0.6em}
            \\setlength{\\emergencystretch}{2em}
            \\newsavebox{\\fitbox}
            \\newenvironment{fitwidth}{\\begin{lrbox}{\\fitbox}}{\\end{lrbox}%
            \\ifdim\\wd\\fitbox>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox{\\fitbox}}\\else\\usebox{\\fitbox}\\fi}
            """;

    /** Tables with more columns than this are set in {@code \footnotesize} rather than {@code \small}. */
    private static final int SMALL_TABLE_COLUMNS = 4;

    private LatexWriter() {
    }

    /**
     * The document as a LaTeX article.
     *
     * @param document what to write
     * @return pure-ASCII LaTeX source, deterministic for a given document
     * @throws IllegalArgumentException if plain words hold a non-ASCII character without a LaTeX form
     */
    public static String write(Document document) {
        StringBuilder s = new StringBuilder(PREAMBLE);
        s.append("\\title{").append(text(document.title())).append("}\n\\date{}\n\\begin{document}\n\\maketitle\n");
        for (Block block : document.blocks()) {
            s.append('\n');
            block(block, s);
        }
        s.append("\n\\end{document}\n");
        return s.toString();
    }

    private static void block(Block block, StringBuilder s) {
        if (block instanceof Block.Heading h) {
            s.append(h.level() == 1 ? "\\section*{" : h.level() == 2 ? "\\subsection*{" : "\\subsubsection*{")
                    .append(inline(h.content())).append("}\n");
        } else if (block instanceof Block.Paragraph p) {
            s.append(inline(p.content())).append('\n');
        } else if (block instanceof Block.Equations e) {
            s.append("\\[\n\\begin{fitwidth}$\\displaystyle\n").append(display(e.lines()))
                    .append("\n$\\end{fitwidth}\n\\]\n");
        } else if (block instanceof Block.Table t) {
            table(t, s);
        } else if (block instanceof Block.Items items) {
            s.append("\\begin{itemize}\n");
            for (List<Inline> item : items.items()) {
                s.append("  \\item ").append(inline(item)).append('\n');
            }
            s.append("\\end{itemize}\n");
        } else if (block instanceof Block.Preformatted p) {
            preformatted(p.text(), s);
        } else if (block instanceof Block.Figure f) {
            if (f.latex().isEmpty()) {
                s.append("\\emph{Figure: ").append(inline(f.caption())).append(" The picture is in the HTML version.}\n");
            } else {
                s.append(f.latex()).append("\\emph{Figure: ").append(inline(f.caption())).append("}\n");
            }
        } else if (block instanceof Block.Interactive i) {
            s.append("\\emph{").append(inline(i.caption())).append(" The controls are in the HTML version.}\n");
        } else {
            throw new IllegalStateException("block <" + block + "> has a kind LatexWriter does not know");
        }
    }

    private static void table(Block.Table t, StringBuilder s) {
        int n = t.header().size();
        s.append("\\begin{center}\n").append(n > SMALL_TABLE_COLUMNS ? "\\footnotesize" : "\\small")
                .append("\n\\begin{fitwidth}\n\\begin{tabular}{").append("l".repeat(n)).append("}\n\\hline\n");
        s.append(cells(t.header())).append(" \\\\\n\\hline\n");
        for (List<List<Inline>> row : t.rows()) {
            s.append(cells(row)).append(" \\\\\n");
        }
        s.append("\\hline\n\\end{tabular}\n\\end{fitwidth}\n\\end{center}\n");
    }

    private static String cells(List<List<Inline>> row) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < row.size(); c++) {
            s.append(c == 0 ? "" : " & ").append(inline(row.get(c)));
        }
        return s.toString();
    }

    /**
     * ASCII text as {@code verbatim}; text with other characters (which {@code verbatim} cannot set from
     * pure-ASCII source) line by line in typewriter type, each character as {@link #text(String)} writes it.
     */
    private static void preformatted(String text, StringBuilder s) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (body.chars().allMatch(c -> c < 127)) {
            s.append("\\begin{verbatim}\n").append(body).append("\n\\end{verbatim}\n");
            return;
        }
        s.append("\\begin{flushleft}\\ttfamily\n");
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            s.append("\\mbox{}").append(text(lines[i]).replace(' ', '~')).append(i < lines.length - 1 ? "\\\\\n" : "\n");
        }
        s.append("\\end{flushleft}\n");
    }

    /**
     * Display math for equation lines: one line without its alignment points, several in an {@code aligned}
     * environment, one line per row, each with exactly one alignment point (see {@link #alignmentPoint(String)}).
     */
    static String display(List<Formula> lines) {
        if (lines.size() == 1) {
            return withoutAlignment(lines.get(0).latex());
        }
        StringBuilder s = new StringBuilder("\\begin{aligned}\n");
        for (int i = 0; i < lines.size(); i++) {
            s.append(alignmentPoint(lines.get(i).latex())).append(i < lines.size() - 1 ? " \\\\\n" : "\n");
        }
        return s.append("\\end{aligned}").toString();
    }

    /**
     * The line with exactly the alignment point it needs: unchanged if it has an {@code &} (not {@code \&});
     * else with {@code &} inserted before its first {@code =} outside braces; else with {@code &} at its start,
     * so it continues after the previous lines' alignment point.
     */
    static String alignmentPoint(String line) {
        if (alignmentIndex(line) >= 0) {
            return line;
        }
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == '=' && depth == 0) {
                return line.substring(0, i) + "&" + line.substring(i);
            }
        }
        return "&" + line;
    }

    /** The line without its alignment points ({@code &} but not {@code \&}), which inline math cannot have. */
    static String withoutAlignment(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                out.append(c).append(line.charAt(++i));
            } else if (c != '&') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The index of the first alignment point ({@code &} but not {@code \&}) in the line, or -1. */
    static int alignmentIndex(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '&') {
                return i;
            }
        }
        return -1;
    }

    /** Inline content; adjacent math ({@code $a$$b$}) is kept apart as {@code $a${}$b$}, never display math. */
    private static String inline(List<Inline> content) {
        StringBuilder s = new StringBuilder();
        for (Inline i : content) {
            if (i instanceof Inline.Text t) {
                s.append(text(t.text()));
            } else if (i instanceof Inline.Math m) {
                s.append('$').append(withoutAlignment(m.formula().latex())).append('$');
            } else if (i instanceof Inline.Code c) {
                s.append("\\texttt{").append(text(c.text())).append('}');
            } else {
                throw new IllegalStateException("inline <" + i + "> has a kind LatexWriter does not know");
            }
        }
        return s.toString().replace("$$", "${}$");
    }

    /**
     * Plain words as LaTeX: the special characters escaped, the Unicode of {@link #SYMBOLS} and sub- and
     * superscript digits as math.
     *
     * @throws IllegalArgumentException for another non-ASCII character (so a new one is noticed in tests)
     */
    static String text(String text) {
        StringBuilder s = new StringBuilder();
        for (char c : text.toCharArray()) {
            int sub = SUBSCRIPTS.indexOf(c);
            int sup = SUPERSCRIPTS.indexOf(c);
            if (sub >= 0) {
                s.append("$_{").append(sub).append("}$");
            } else if (sup >= 0) {
                s.append("$^{").append(sup).append("}$");
            } else if (SYMBOLS.containsKey(c)) {
                s.append(SYMBOLS.get(c));
            } else if (c > 126) {
                throw new IllegalArgumentException("Character <" + c + "> (U+" + String.format("%04X", (int) c)
                        + ") in <" + text + "> has no LaTeX form in LatexWriter; add it to SYMBOLS");
            } else {
                switch (c) {
                    case '\\' -> s.append("\\textbackslash{}");
                    case '{', '}', '_', '&', '%', '#', '$' -> s.append('\\').append(c);
                    case '^' -> s.append("\\textasciicircum{}");
                    case '~' -> s.append("\\textasciitilde{}");
                    case '<' -> s.append("\\textless{}");
                    case '>' -> s.append("\\textgreater{}");
                    case '|' -> s.append("\\textbar{}");
                    case '[', ']' -> s.append('{').append(c).append('}');
                    default -> s.append(c);
                }
            }
        }
        return s.toString().replace("$$", "${}$");
    }
}
