package io.chainproof.render;

import io.chainproof.explain.Explainer;
import io.chainproof.explain.Formula;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.ProofSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact LaTeX for small documents, and, for the documents chainproof writes for the four examples, that the
 * source is pure ASCII and uses only control sequences from {@link #ALLOWED} (standard LaTeX, amsmath and
 * graphicx), so it compiles wherever pdflatex with texlive-latex-base does; {@link LatexCompileTests} compiles
 * some of them when pdflatex is installed.
 */
class LatexWriterTests {

    /** Every control word the writer and the document builders may use: LaTeX 2ε, amsmath, graphicx. */
    static final Set<String> ALLOWED = Set.of(
            // preamble and structure
            "documentclass", "usepackage", "allowdisplaybreaks", "setlength", "parindent", "parskip",
            "emergencystretch", "newsavebox", "newenvironment", "ifdim", "wd", "linewidth", "resizebox", "usebox",
            "else", "fi", "fitbox", "title", "date", "begin", "end", "maketitle", "section", "subsection",
            "subsubsection", "item", "emph", "texttt", "ttfamily", "mbox", "small", "footnotesize", "hline",
            "displaystyle",
            // text-mode escapes
            "textbackslash", "textasciicircum", "textasciitilde", "textless", "textgreater", "textbar", "ldots",
            // math
            "frac", "tfrac", "dfrac", "partial", "cdot", "times", "left", "right", "sigma", "gamma", "varphi", "theta",
            "ell", "varepsilon", "pi", "Sigma", "prod", "sum", "nabla", "surd", "sqrt", "to", "le", "ge", "leq", "geq",
            "approx", "ne", "neq", "infty", "Vert", "vert", "lVert", "rVert", "pm", "Leftrightarrow", "bullet", "top",
            "text", "mathrm", "operatorname", "quad", "qquad", "sup", "max", "min", "tanh", "exp", "log", "ln",
            "mid", "lvert", "rvert", "in", "dots", "cdots");

    /** Every control symbol ({@code \} and one non-letter) allowed. */
    static final Set<String> ALLOWED_SYMBOLS = Set.of("\\", "[", "]", "{", "}", "_", "&", "%", "#", "$", ",", ";",
            " ", "!", "|");

    private static final Path EXAMPLES = Path.of("examples");
    private static final Map<String, Document> DOCUMENTS = new ConcurrentHashMap<>();

    /**
     * The {@code chainproof derive} document for an example, of every parameter ({@code all}) or of its first
     * and last one; computed once per test run and shared with the other render tests.
     */
    static Document derivation(String example, boolean all) {
        return DOCUMENTS.computeIfAbsent("derive " + example + " " + all, key -> {
            Explainer explainer = Explainer.of(SpecReader.read(EXAMPLES.resolve(example + ".json")));
            List<ParameterId> every = explainer.graph().parameters();
            List<ParameterId> targets = all ? every : List.of(every.get(0), every.get(every.size() - 1));
            return DerivationDocument.of(explainer.spec(), explainer.explain(targets, ProofSettings.DEFAULTS));
        });
    }

    /** The {@code chainproof explain} document for an example; computed once per test run. */
    static Document explanation(String example) {
        return DOCUMENTS.computeIfAbsent("explain " + example, key -> ExplanationDocument.of(
                Explainer.of(SpecReader.read(EXAMPLES.resolve(example + ".json"))).story(ProofSettings.DEFAULTS)));
    }

    /** The control sequences of LaTeX source: control words without, control symbols with, their backslash. */
    static Set<String> controlSequences(String latex) {
        Set<String> found = new TreeSet<>();
        for (int i = 0; i < latex.length(); i++) {
            if (latex.charAt(i) != '\\' || i + 1 == latex.length()) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < latex.length() && Character.isLetter(latex.charAt(end))) {
                end++;
            }
            if (end == start) {
                found.add("\\" + latex.charAt(start));
                i = start;
            } else {
                found.add(latex.substring(start, end));
                i = end - 1;
            }
        }
        return found;
    }

    private static String body(Block... blocks) {
        String latex = LatexWriter.write(new Document("T", List.of(blocks)));
        String begin = "\\maketitle\n\n";
        return latex.substring(latex.indexOf(begin) + begin.length(), latex.indexOf("\n\\end{document}"));
    }

    @Test
    void special_characters_in_words_are_escaped() {
        assertEquals("a\\_1 \\& b\\% \\#2 \\$3 \\{x\\} \\textbackslash{}n \\textasciicircum{}\\textasciitilde{} "
                        + "\\textless{}\\textgreater{}\\textbar{} {[}0{]}",
                LatexWriter.text("a_1 & b% #2 $3 {x} \\n ^~ <>| [0]"));
    }

    @Test
    void unicode_in_words_becomes_math_and_adjacent_math_is_kept_apart() {
        assertEquals("$\\partial$L/$\\partial$w$_{1}$ = $\\sigma${}$^{2}$ $\\cdot$ W$^{(}${}$^{l}${}$^{)}$ - 1 "
                        + "$\\le$ $\\gamma$ -- $\\to$ oo$^{\\top}$\\ldots{}",
                LatexWriter.text("∂L/∂w₁ = σ² · W⁽ˡ⁾ − 1 ≤ γ – → ooᵀ…"));
    }

    @Test
    void an_unknown_non_ascii_character_is_reported_with_its_code_point() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatexWriter.text("x ∈ A"));
        assertEquals("Character <∈> (U+2208) in <x ∈ A> has no LaTeX form in LatexWriter; add it to SYMBOLS",
                e.getMessage());
    }

    @Test
    void inline_math_loses_alignment_points_but_keeps_escaped_ampersands() {
        assertEquals("Here $L = a \\& b$, $x${}$y$ and \\texttt{W1{[}0{]}}.\n", body(new Block.Paragraph(Inline.of(
                "Here ", new Formula("", "L &= a \\& b"), ", ", new Formula("", "x"), new Formula("", "y"), " and ",
                new Inline.Code("W1[0]"), "."))));
    }

    @Test
    void one_displayed_line_is_scaled_to_fit_and_loses_its_alignment_point() {
        assertEquals("\\[\n\\begin{fitwidth}$\\displaystyle\ny = a \\& b\n$\\end{fitwidth}\n\\]\n",
                body(new Block.Equations(List.of(new Formula("", "y &= a \\& b")))));
    }

    @Test
    void several_displayed_lines_are_aligned_at_their_own_or_first_top_level_equals_sign() {
        assertEquals("\\begin{aligned}\n"
                        + "L &= \\text{a \\& b} \\\\\n"
                        + "\\frac{\\partial L}{\\partial w_{1}} &= \\left\\{x = 1\\right\\} \\\\\n"
                        + "&\\cdot 0.5\n"
                        + "\\end{aligned}",
                LatexWriter.display(List.of(new Formula("", "L &= \\text{a \\& b}"),
                        new Formula("", "\\frac{\\partial L}{\\partial w_{1}} = \\left\\{x = 1\\right\\}"),
                        new Formula("", "\\cdot 0.5"))));
    }

    @Test
    void a_table_is_small_ruled_and_scaled_to_fit() {
        assertEquals("\\begin{center}\n\\small\n\\begin{fitwidth}\n\\begin{tabular}{ll}\n\\hline\n"
                        + "factor & $x \\& y$ \\\\\n\\hline\n"
                        + "$\\frac{1}{4}$ & 50\\% \\\\\n"
                        + "\\hline\n\\end{tabular}\n\\end{fitwidth}\n\\end{center}\n",
                body(new Block.Table(List.of(Inline.of("factor"), Inline.of(new Formula("", "x \\& y"))),
                        List.of(List.of(Inline.of(new Formula("", "\\frac{1}{4}")), Inline.of("50%"))))));
    }

    @Test
    void a_table_of_more_than_four_columns_is_footnotesize() {
        List<Inline> cell = Inline.of("c");
        String latex = body(new Block.Table(List.of(cell, cell, cell, cell, cell), List.of()));
        assertTrue(latex.startsWith("\\begin{center}\n\\footnotesize\n\\begin{fitwidth}\n\\begin{tabular}{lllll}\n"),
                latex);
    }

    @Test
    void headings_items_figures_and_code_blocks() {
        assertEquals("\\subsection*{Gradient $\\frac{\\partial L}{\\partial w}$}\n\n"
                        + "\\begin{itemize}\n  \\item one\n  \\item $\\sigma$ two\n\\end{itemize}\n\n"
                        + "\\emph{Figure: The chain The picture is in the HTML version.}\n\n"
                        + "\\begin{verbatim}\nx  = 1 & {y}\n\\end{verbatim}\n\n"
                        + "\\begin{flushleft}\\ttfamily\n\\mbox{}$\\sigma$(z)~=~1\\\\\n\\mbox{}\n\\end{flushleft}\n",
                body(new Block.Heading(2, Inline.of("Gradient ", new Formula("", "\\frac{\\partial L}{\\partial w}"))),
                        new Block.Items(List.of(Inline.of("one"), Inline.of("σ two"))),
                        new Block.Figure("<svg/>", Inline.of("The chain")),
                        new Block.Preformatted("x  = 1 & {y}\n"),
                        new Block.Preformatted("σ(z) = 1\n\n")));
    }

    @Test
    void the_preamble_loads_only_base_packages() {
        String latex = LatexWriter.write(new Document("Title & more", List.of()));
        assertEquals(LatexWriter.PREAMBLE + "\\title{Title \\& more}\n\\date{}\n\\begin{document}\n\\maketitle\n"
                + "\n\\end{document}\n", latex);
        assertEquals(List.of("\\usepackage[utf8]{inputenc}", "\\usepackage[T1]{fontenc}", "\\usepackage{amsmath}",
                        "\\usepackage{graphicx}", "\\usepackage[margin=2cm]{geometry}"),
                latex.lines().filter(l -> l.startsWith("\\usepackage")).toList());
    }

    @Test
    void the_allow_list_check_finds_an_unknown_macro() {
        Set<String> used = controlSequences("$\\frac{a}{b} \\mathbb{R}$ 50\\% \\\\ \\boldsymbol x");
        assertEquals(new TreeSet<>(Set.of("frac", "mathbb", "\\%", "\\\\", "boldsymbol")), used);
        used.removeAll(ALLOWED);
        used.removeAll(ALLOWED_SYMBOLS.stream().map(s -> "\\" + s).toList());
        assertEquals(new TreeSet<>(Set.of("mathbb", "boldsymbol")), used);
    }

    @Test
    void every_document_of_the_four_examples_is_ascii_and_uses_only_allowed_macros() {
        Map<String, Document> documents = new java.util.LinkedHashMap<>();
        for (String example : List.of("lecture-chain", "lecture-chain-saturated", "mlp-2-3-2-1")) {
            documents.put("derive --all " + example, derivation(example, true));
        }
        documents.put("derive (first and last parameter) softmax-classifier", derivation("softmax-classifier", false));
        for (String example : List.of("lecture-chain", "lecture-chain-saturated", "mlp-2-3-2-1", "softmax-classifier")) {
            documents.put("explain " + example, explanation(example));
        }
        Set<String> allowed = new TreeSet<>(ALLOWED);
        ALLOWED_SYMBOLS.forEach(s -> allowed.add("\\" + s));
        documents.forEach((name, document) -> {
            String latex = LatexWriter.write(document);
            int line = 1;
            for (int i = 0; i < latex.length(); i++) {
                char c = latex.charAt(i);
                line += c == '\n' ? 1 : 0;
                if (c > 126 || c < 32 && c != '\n') {
                    throw new AssertionError("LaTeX of " + name + " ==> line " + line + " has non-ASCII character <"
                            + c + "> (U+" + String.format("%04X", (int) c) + ")");
                }
            }
            Set<String> unknown = controlSequences(latex);
            unknown.removeAll(allowed);
            assertEquals(Set.of(), unknown, "LaTeX of " + name + " ==> control sequences outside the allow-list");
        });
    }
}
