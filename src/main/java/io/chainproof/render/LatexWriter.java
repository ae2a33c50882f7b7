package io.chainproof.render;

import io.chainproof.explain.Formula;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Document} as a standalone LaTeX article that pdflatex compiles with standard packages
 * only ({@code inputenc}, {@code fontenc}, {@code amsmath}, {@code geometry}): every formula is LaTeX math, and
 * the Unicode in plain words (σ, ∂, subscripts, arrows, …) is written as math too, so the source is pure
 * ASCII. Figures become their captions (the pictures are SVG, which pdflatex cannot include).
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
            Map.entry('ˡ', "$^{l}$"), Map.entry('ˢ', "$^{s}$"), Map.entry('⁽', "$^{(}$"), Map.entry('⁾', "$^{)}$"),
            Map.entry('²', "$^{2}$"), Map.entry('³', "$^{3}$"), Map.entry('¹', "$^{1}$"));
    private static final String SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private LatexWriter() {
    }

    public static String write(Document document) {
        StringBuilder s = new StringBuilder();
        s.append("\\documentclass[11pt]{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n")
                .append("\\usepackage{amsmath}\n\\usepackage[margin=2cm]{geometry}\n\\allowdisplaybreaks\n")
                .append("\\setlength{\\parindent}{0pt}\n\\setlength{\\parskip}{0.6em}\n")
                .append("\\title{").append(text(document.title())).append("}\n\\date{}\n\\begin{document}\n\\maketitle\n");
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
            s.append("\\[\n").append(display(e.lines())).append("\n\\]\n");
        } else if (block instanceof Block.Table t) {
            table(t, s);
        } else if (block instanceof Block.Items items) {
            s.append("\\begin{itemize}\n");
            for (List<Inline> item : items.items()) {
                s.append("  \\item ").append(inline(item)).append('\n');
            }
            s.append("\\end{itemize}\n");
        } else if (block instanceof Block.Preformatted p) {
            s.append("\\begin{verbatim}\n").append(p.text()).append(p.text().endsWith("\n") ? "" : "\n").append("\\end{verbatim}\n");
        } else if (block instanceof Block.Figure f) {
            s.append("\\emph{Figure: ").append(inline(f.caption())).append(" The picture is in the HTML version.}\n");
        }
    }

    private static void table(Block.Table t, StringBuilder s) {
        int n = t.header().size();
        s.append("\\begin{center}\n\\small\n\\begin{tabular}{").append("l".repeat(n)).append("}\n\\hline\n");
        s.append(cells(t.header())).append(" \\\\\n\\hline\n");
        for (List<List<Inline>> row : t.rows()) {
            s.append(cells(row)).append(" \\\\\n");
        }
        s.append("\\hline\n\\end{tabular}\n\\end{center}\n");
    }

    private static String cells(List<List<Inline>> row) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < row.size(); c++) {
            s.append(c == 0 ? "" : " & ").append(inline(row.get(c)));
        }
        return s.toString();
    }

    /**
     * Display math for equation lines: one line as it is (alignment marks removed), several in an
     * {@code aligned} environment, each aligned at its {@code &} or, lacking one, before its first {@code =}.
     */
    static String display(List<Formula> lines) {
        if (lines.size() == 1) {
            return lines.get(0).latex().replace("&", "");
        }
        StringBuilder s = new StringBuilder("\\begin{aligned}\n");
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).latex();
            if (!line.contains("&")) {
                int eq = line.indexOf('=');
                line = eq < 0 ? "& " + line : line.substring(0, eq) + "&" + line.substring(eq);
            }
            s.append(line).append(i < lines.size() - 1 ? " \\\\\n" : "\n");
        }
        return s.append("\\end{aligned}").toString();
    }

    private static String inline(List<Inline> content) {
        StringBuilder s = new StringBuilder();
        for (Inline i : content) {
            if (i instanceof Inline.Text t) {
                s.append(text(t.text()));
            } else if (i instanceof Inline.Math m) {
                s.append('$').append(m.formula().latex().replace("&", "")).append('$');
            } else if (i instanceof Inline.Code c) {
                s.append("\\texttt{").append(text(c.text())).append('}');
            }
        }
        return s.toString();
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
