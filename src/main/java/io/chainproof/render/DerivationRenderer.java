package io.chainproof.render;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.AgreementProof;
import io.chainproof.symbolic.MathNotation;
import io.chainproof.symbolic.ParameterDerivation;

import java.util.List;

/**
 * Renders chain-rule derivations: for each parameter the factored form, the local derivatives with their
 * values, the closed form, the proof that it equals Symja's direct derivative, and the value at the
 * spec's point — as plain text, or as a standalone LaTeX document (standard packages only).
 */
public final class DerivationRenderer {

    private static final String PARTIAL_L = "∂L/∂";

    /** Closed forms longer than this many characters are summarised in text output, not printed. */
    static final int MAX_CLOSED_FORM_TEXT = 400;
    /** Closed forms longer than this many characters of LaTeX are not typeset (display math cannot break). */
    static final int MAX_CLOSED_FORM_LATEX = 700;

    private DerivationRenderer() {
    }

    /** One derivation with its proof, as a titled pair. */
    public record Entry(ParameterDerivation derivation, AgreementProof proof) {
    }

    /** Plain text. */
    public static String text(NetworkSpec spec, List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        SymbolNames names = new SymbolNames(spec);
        s.append(spec.name()).append(" (").append(spec.source()).append(")\n");
        for (Entry e : entries) {
            ParameterDerivation d = e.derivation();
            String theta = d.name().startsWith(PARTIAL_L) ? d.name().substring(PARTIAL_L.length()) : d.parameter().unicode();
            s.append("\n").append(d.name()).append("  [").append(d.parameter().name()).append("]\n");
            s.append("  chain rule:   ").append(d.text()).append("\n");
            s.append("  local derivatives at the spec's point:\n");
            for (String line : d.definitionsText().split("\n")) {
                s.append("    ").append(line).append("\n");
            }
            s.append("  closed form:  ").append(e.proof().closedForm().map(c -> closedForm(MathNotation.text(c, names.text())))
                    .orElse("(not written out: the network is too large)")).append("\n");
            s.append("  agreement with Symja's D[L, ").append(theta).append("]: ")
                    .append(e.proof().text().substring(d.parameter().name().length() + 2)).append("\n");
        }
        return s.toString();
    }

    /** A standalone LaTeX document; compiles with pdflatex using amsmath only. */
    public static String latex(NetworkSpec spec, List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        SymbolNames names = new SymbolNames(spec);
        s.append("\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amsmath}\n");
        s.append("\\usepackage[margin=2cm]{geometry}\n\\allowdisplaybreaks\n\\begin{document}\n");
        s.append("\\section*{Chain-rule derivation: \\texttt{").append(escape(spec.name())).append("}}\n");
        for (Entry e : entries) {
            ParameterDerivation d = e.derivation();
            s.append("\\subsection*{$").append(d.parameter().latex()).append("$ (\\texttt{")
                    .append(escape(d.parameter().name())).append("})}\n");
            s.append("Chain rule:\n\\[\n").append(d.latex()).append("\n\\]\n");
            s.append("Local derivatives at the spec's point:\n\\[\n").append(d.definitionsLatex()).append("\n\\]\n");
            e.proof().closedForm().map(c -> MathNotation.latex(c, names.latex())).ifPresent(c -> s.append(
                    c.length() <= MAX_CLOSED_FORM_LATEX
                            ? "Closed form:\n\\[\n" + d.latexName() + " = " + c + "\n\\]\n"
                            : "The closed form was written out and compared; at " + c.length()
                                    + " characters of \\LaTeX{} it is too long to typeset on one line.\n\n"));
            s.append("Agreement with the direct derivative: ")
                    .append(escape(e.proof().text().substring(d.parameter().name().length() + 2))).append(".\n\n");
        }
        s.append("\\end{document}\n");
        return s.toString();
    }

    private static String closedForm(String text) {
        return text.length() <= MAX_CLOSED_FORM_TEXT ? text
                : "(written out and compared, but " + text.length() + " characters long)";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("&", "\\&").replace("%", "\\%")
                .replace("#", "\\#").replace("$", "\\$").replace("{", "\\{").replace("}", "\\}")
                .replace("[", "{[}").replace("]", "{]}").replace("θ", "$\\theta$");
    }
}
