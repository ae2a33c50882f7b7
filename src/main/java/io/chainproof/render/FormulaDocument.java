package io.chainproof.render;

import io.chainproof.check.ParameterCheck;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.Oracle;
import io.chainproof.model.Models;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.explain.Formula;
import io.chainproof.formula.FormulaModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The derivation of a user's formula as a {@link Document}: the loss as parsed (sums expanded, inputs
 * substituted), then for each parameter Symja's derivative ∂L/∂θ, its value at the spec's point, and the
 * central difference with its error estimate and the verdict.
 */
public final class FormulaDocument {

    /** Derivatives longer than this many characters of LaTeX are described, not typeset. */
    static final int MAX_LATEX = 2000;

    private FormulaDocument() {
    }

    /**
     * @param model  the parsed and differentiated formula
     * @param checks the check of its gradient by central differences, one per parameter in order
     * @return the document
     */
    public static Document of(FormulaModel model, List<ParameterCheck> checks) {
        List<Block> b = new ArrayList<>();
        b.add(new Block.Paragraph(Inline.of(Inline.code(model.spec().source()), ": a formula of "
                + model.parameterNames().size() + " parameter" + (model.parameterNames().size() == 1 ? "" : "s")
                + " and " + model.spec().inputs().size() + " named input" + (model.spec().inputs().size() == 1 ? "" : "s")
                + ", as written:")));
        b.add(new Block.Preformatted(model.spec().formula()));
        b.add(new Block.Paragraph(Inline.of("Parsed into allow-listed functions only, sums expanded:")));
        b.add(new Block.Equations(List.of(new Formula("L = " + model.lossText(), "L = " + model.lossLatex()))));
        double[] gradient = model.gradient(model.point());
        for (int i = 0; i < model.parameterNames().size(); i++) {
            String p = model.parameterNames().get(i);
            ParameterCheck c = checks.get(i);
            b.add(new Block.Heading(2, Inline.of(new Formula("∂L/∂" + p, "\\frac{\\partial L}{\\partial " + latexName(p) + "}"),
                    " (", Inline.code(p), ")")));
            String latex = model.derivativeLatex(p);
            if (latex.length() <= MAX_LATEX) {
                b.add(new Block.Paragraph(Inline.of("Symja's derivative of L:")));
                b.add(new Block.Equations(List.of(new Formula("∂L/∂" + p + " = " + model.derivativeText(p),
                        "\\frac{\\partial L}{\\partial " + latexName(p) + "} = " + latex))));
            } else {
                b.add(new Block.Paragraph(Inline.of("Symja's derivative of L is " + latex.length()
                        + " characters of LaTeX; it is evaluated, not printed.")));
            }
            b.add(new Block.Paragraph(Inline.of("At the spec's point it is ", Formula.number(gradient[i]),
                    "; central differences give ", Formula.number(c.oracle().value()), " ± ",
                    Formula.approximately(c.oracle().errorEstimate()), ": " + c.verdict().label() + ".")));
        }
        return new Document("Derivatives of " + model.spec().name(), b);
    }

    /**
     * The derivation of a formula spec: parsed and differentiated once, its gradient (the reverse walk of its
     * one-op graph, i.e. Symja's derivatives) checked by central differences through the common verifier.
     *
     * @param spec the formula spec
     * @return the document
     */
    public static Document of(FormulaSpec spec) {
        FormulaModel model = FormulaModel.of(spec);
        GraphFunction f = new GraphFunction(Models.formula(model));
        return of(model, new GradientVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE).verify(f, f.gradient(f.point())).checks());
    }

    /** {@code v[2]} → {@code v_{2}}, {@code w1} → {@code \mathrm{w1}}, {@code w} → {@code w}. */
    private static String latexName(String name) {
        int bracket = name.indexOf('[');
        String base = bracket < 0 ? name : name.substring(0, bracket);
        String baseLatex = base.length() == 1 ? base : "\\mathrm{" + base + "}";
        return bracket < 0 ? baseLatex : baseLatex + "_{" + name.substring(bracket + 1, name.length() - 1) + "}";
    }
}
