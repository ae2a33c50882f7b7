package io.chainproof.render;

import io.chainproof.check.ParameterCheck;
import io.chainproof.check.Verdict;
import io.chainproof.explain.BoundStep;
import io.chainproof.explain.FactorBound;
import io.chainproof.explain.Formula;
import io.chainproof.explain.LocalRule;
import io.chainproof.explain.ParameterExplanation;
import io.chainproof.graph.Notation;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ChainFactor;
import io.chainproof.symbolic.ChainPath;
import io.chainproof.symbolic.ChainPaths;
import io.chainproof.symbolic.MathNotation;
import io.chainproof.symbolic.ParameterDerivation;
import io.chainproof.symbolic.SharedForm;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns {@link ParameterExplanation}s into a {@link Document}: for each parameter the paths to the loss
 * (with the graph picture), the chain rule, the local rules, the values at the spec's point, the closed
 * form and its proof, the numerical checks, and the growth bound. The writers render it as text,
 * Markdown, LaTeX or HTML.
 */
public final class DerivationDocument {

    /** Closed forms longer than this many characters (text) are printed with their shared parts named. */
    static final int MAX_CLOSED_FORM_TEXT = 400;
    /** Closed forms longer than this many characters of LaTeX are typeset with their shared parts named. */
    static final int MAX_CLOSED_FORM_LATEX = 700;
    /** Closed forms of more leaves than this, written out, are not even written out to measure them. */
    static final long MAX_WRITTEN_OUT_LEAVES = 200;

    private DerivationDocument() {
    }

    /**
     * The derivation of each explained parameter, in order.
     *
     * @param spec the network, with its parameters and data
     * @param explanations the explained parameters, in the order to show them
     * @return the document: introduction, then one section per parameter
     */
    public static Document of(NetworkSpec spec, List<ParameterExplanation> explanations) {
        return of(spec, explanations, null);
    }

    /**
     * The derivation of each explained parameter, with sliders after the introduction.
     *
     * @param spec the network, with its parameters and data
     * @param explanations the explained parameters, in the order to show them
     * @param panel the sliders ({@link InteractivePanel}), or null for none
     * @return the document: introduction, the sliders, then one section per parameter
     */
    public static Document of(NetworkSpec spec, List<ParameterExplanation> explanations, Block.Interactive panel) {
        List<Block> blocks = new ArrayList<>(introduction(spec));
        if (panel != null) {
            blocks.add(panel);
        }
        for (ParameterExplanation e : explanations) {
            blocks.addAll(parameter(e));
        }
        String what = explanations.size() == 1 ? explanations.get(0).chainRule().name() : "every parameter";
        return new Document("Chain-rule derivation of " + what + " — " + spec.name(), blocks);
    }

    /** What the network is and the notation. */
    static List<Block> introduction(NetworkSpec spec) {
        String layers = spec.layers().stream().map(DerivationDocument::layerText).collect(Collectors.joining(", "));
        int samples = spec.data().samples();
        return List.of(
                new Block.Paragraph(Inline.of(Inline.code(spec.source()), ": " + spec.inputs() + " input"
                        + (spec.inputs() == 1 ? "" : "s") + ", " + spec.layerCount() + " layer"
                        + (spec.layerCount() == 1 ? "" : "s") + " (" + layers + "), loss " + spec.loss().specName()
                        + ", " + samples + " sample" + (samples == 1 ? "" : "s") + ".")),
                new Block.Paragraph(Inline.of("Notation: layer l computes ",
                        new Formula("z_{l,j} = Σₖ w⁽ˡ⁾_{jk}·o_{l−1,k} + b⁽ˡ⁾_j", "z_{l,j} = \\sum_k w^{(l)}_{jk} \\, o_{l-1,k} + b^{(l)}_{j}"),
                        " and ", new Formula("o_{l,j} = φ(z_{l,j})", "o_{l,j} = \\varphi(z_{l,j})"), ", with ",
                        new Formula("o₀ = x", "o_{0} = x"), notation(spec),
                        " Values are double precision, shortest round-trip decimals.")));
    }

    /**
     * The one naming rule of text, formulas and the graph picture, said for this network: a layer of one unit drops
     * the unit index of its nodes, and in a chain of width 1 the weights and biases drop theirs too.
     */
    private static List<Inline> notation(NetworkSpec spec) {
        int one = 0;
        for (int l = spec.layerCount(); l >= 1; l--) {
            if (spec.layers().get(l - 1).units() == 1) {
                one = l;
                break;
            }
        }
        boolean chain = spec.inputs() == 1 && spec.layers().stream().allMatch(layer -> layer.units() == 1);
        if (chain) {
            return Inline.of("; in a chain of width 1 every index but the layer's is dropped (",
                    new Formula("w₂, b₂, z₂, o₂", "w_{2}, b_{2}, z_{2}, o_{2}"), ").");
        }
        String u = Notation.subscript(one);
        return one == 0 ? Inline.of(".") : Inline.of("; a layer of one unit drops the unit index of its nodes (",
                new Formula("z" + u + ", o" + u, "z_{" + one + "}, o_{" + one + "}"), " rather than ",
                new Formula("z" + u + ",₁, o" + u + ",₁", "z_{" + one + ",1}, o_{" + one + ",1}"), "), in the text "
                + "and in the picture alike.");
    }

    /** All steps for one parameter, under a level-2 heading. */
    static List<Block> parameter(ParameterExplanation e) {
        ParameterDerivation d = e.chainRule();
        List<Block> b = new ArrayList<>();
        b.add(new Block.Heading(2, Inline.of(new Formula(d.name(), d.latexName()), " (", Inline.code(e.parameter().name()), ")")));
        paths(e, b);
        chainRule(e, b);
        rules(e, b);
        values(e, b);
        closedForm(e, b);
        checks(e, b);
        bound(e, b);
        return b;
    }

    private static void paths(ParameterExplanation e, List<Block> b) {
        ChainPaths paths = e.paths();
        b.add(new Block.Heading(3, Inline.of("1. Paths from ", e.name(), " to L")));
        String count = paths.count() == 1 ? "one path" : paths.count() + " paths";
        b.add(new Block.Paragraph(Inline.of(e.name(), " reaches the loss along " + count
                + (paths.complete() ? "" : "; the first " + paths.listed().size() + " are listed")
                + (paths.count() == 1 ? ". Its contribution is" : ". Each contributes") + " the product of the local derivatives along it:")));
        List<List<Inline>> items = new ArrayList<>();
        for (ChainPath p : paths.listed()) {
            items.add(Inline.of(new Formula(p.text(), p.latex()), " contributes ", Formula.number(p.value())));
        }
        b.add(new Block.Items(items));
        if (paths.complete() && paths.count() > 1) {
            b.add(new Block.Paragraph(Inline.of("The contributions sum to ", Formula.number(paths.listedSum()),
                    " (the multivariate chain rule: ∂L/∂θ is the sum over all paths).")));
        }
        b.add(new Block.Figure(GraphPicture.svg(e.spec(), e.parameter()), Inline.of("The computational graph of "
                + e.spec().name() + "; the edges on the paths from ", e.name(), " to L are highlighted.")));
    }

    private static void chainRule(ParameterExplanation e, List<Block> b) {
        ParameterDerivation d = e.chainRule();
        b.add(new Block.Heading(3, Inline.of("2. Chain rule")));
        b.add(new Block.Equations(List.of(new Formula(d.text(), d.latex()))));
        if (!d.intermediates().isEmpty()) {
            int l = e.parameter().layer();
            boolean sums = false;
            for (int k = l + 1; k <= e.spec().layerCount(); k++) {
                sums |= e.spec().layers().get(k - 1).units() > 1;
            }
            b.add(new Block.Paragraph(Inline.of("The first factor is built backwards from the loss, layer by layer: "
                    + (sums ? "each line after the loss's sums over the units of the layer after it, one term per "
                    + "unit (the chain rule through that unit), which is the sum over paths written recursively:"
                    : "each line after the loss's is the chain rule through the layer after it, which has one unit "
                    + "here, so there is one term (with more units there would be one term per unit, the sum over "
                    + "paths written recursively):"))));
            List<ChainFactor> lines = new ArrayList<>(d.intermediates());
            lines.add(d.factors().get(0));
            b.add(new Block.Equations(lines.stream()
                    .map(f -> new Formula(f.name() + " = " + f.definitionText(), f.latexName() + " &= " + f.definitionLatex()))
                    .toList()));
        }
    }

    private static void rules(ParameterExplanation e, List<Block> b) {
        b.add(new Block.Heading(3, Inline.of("3. Local derivatives")));
        b.add(new Block.Paragraph(Inline.of("Each factor instantiates one of these rules, which Symja derived from the definitions:")));
        List<List<Inline>> items = new ArrayList<>();
        for (LocalRule r : e.rules()) {
            List<Inline> item = new ArrayList<>(Inline.of(r.source() + ", ", r.definition(), ": ", r.rule()));
            r.evaluatedAs().ifPresent(f -> item.addAll(Inline.of("; evaluated as ", f)));
            if (!r.note().isEmpty()) {
                item.add(Inline.text(r.evaluatedAs().isPresent() ? ", " + r.note() : " — " + r.note()));
            }
            items.add(item);
        }
        b.add(new Block.Items(items));
    }

    private static void values(ParameterExplanation e, List<Block> b) {
        ParameterDerivation d = e.chainRule();
        b.add(new Block.Heading(3, Inline.of("4. Values at the spec's point")));
        boolean several = d.samples().size() > 1;
        List<List<List<Inline>>> rows = new ArrayList<>();
        List<ChainFactor> all = new ArrayList<>(d.factors());
        all.addAll(d.intermediates());
        for (ChainFactor f : all) {
            rows.add(List.of(Inline.of(new Formula(f.name(), f.latexName())),
                    Inline.of(new Formula(f.definitionText(), f.definitionLatex())), Inline.of(values(f.values()))));
        }
        b.add(new Block.Table(List.of(Inline.of("factor"), Inline.of("definition"),
                Inline.of(several ? "value per sample" : "value")), rows));
        b.add(new Block.Equations(List.of(new Formula(d.name(), d.latexName()).equalTo(Formula.number(d.value())))));
    }

    private static Formula values(List<Double> values) {
        if (values.size() == 1) {
            return Formula.number(values.get(0));
        }
        List<Formula> parts = values.stream().map(Formula::number).toList();
        return new Formula("[" + parts.stream().map(Formula::text).collect(Collectors.joining(", ")) + "]",
                "\\left[" + parts.stream().map(Formula::latex).collect(Collectors.joining(", ")) + "\\right]");
    }

    private static void closedForm(ParameterExplanation e, List<Block> b) {
        ParameterDerivation d = e.chainRule();
        b.add(new Block.Heading(3, Inline.of("5. Closed form and proof")));
        SymbolNames names = new SymbolNames(e.spec());
        e.proof().closedForm().ifPresentOrElse(c -> {
            boolean shortEnough = SharedForm.leaves(c) <= MAX_WRITTEN_OUT_LEAVES;
            String text = shortEnough ? MathNotation.text(c, names.text()) : "";
            String latex = shortEnough ? MathNotation.latex(c, names.latex()) : "";
            if (shortEnough && text.length() <= MAX_CLOSED_FORM_TEXT && latex.length() <= MAX_CLOSED_FORM_LATEX
                    || e.proof().sharedForm().isEmpty()) {
                b.add(new Block.Paragraph(Inline.of("Substituting every factor's definition down to the inputs and parameters:")));
                b.add(new Block.Equations(brokenProduct(d.name() + " = " + (shortEnough ? text : MathNotation.text(c,
                        names.text())), d.latexName(), shortEnough ? latex : MathNotation.latex(c, names.latex()))));
            } else if (sharedLeaves(e.proof().sharedForm().get()) > MAX_SHARED_LEAVES) {
                SharedForm shared = e.proof().sharedForm().get();
                b.add(new Block.Paragraph(Inline.of("The closed form, written with its shared parts named, has "
                        + shared.bindings().size() + " named parts and " + sharedLeaves(shared) + " leaves: too long to "
                        + "print here (it grows with the network, not with its paths). It was proved all the same:")));
            } else {
                SharedForm shared = e.proof().sharedForm().get();
                var textNames = shared.textNames(names.text());
                var latexNames = shared.latexNames(names.latex());
                b.add(new Block.Paragraph(Inline.of("Substituting every factor's definition down to the inputs and "
                        + "parameters, with the parts it shares named (written out in full it would repeat them):")));
                b.add(new Block.Equations(brokenProduct(d.name() + " = " + MathNotation.text(shared.body(), textNames),
                        d.latexName(), MathNotation.latex(shared.body(), latexNames))));
                b.add(new Block.Paragraph(Inline.of("where")));
                List<Formula> lines = new ArrayList<>();
                for (SharedForm.Binding binding : shared.bindings()) {
                    lines.addAll(brokenProduct(textNames.apply(binding.symbol()) + " = "
                                    + MathNotation.text(binding.definition(), textNames),
                            latexNames.apply(binding.symbol()), MathNotation.latex(binding.definition(), latexNames)));
                }
                b.add(new Block.Equations(lines));
            }
        }, () -> b.add(new Block.Paragraph(Inline.of("The closed form was not written out: the network is too large."))));
        String proof = e.proof().text().substring(e.parameter().name().length() + 2);
        b.add(new Block.Paragraph(Inline.of("Agreement with the direct derivative ", new Formula("D[L, " + e.name().text() + "]",
                "\\mathrm{D}[L, " + e.name().latex() + "]"), ": " + proof + ".")));
    }

    /** A closed form with its shared parts named is printed up to this many leaves (a 20-layer chain has 150). */
    static final long MAX_SHARED_LEAVES = 4000;

    private static long sharedLeaves(SharedForm shared) {
        long leaves = SharedForm.leaves(shared.body());
        for (SharedForm.Binding binding : shared.bindings()) {
            leaves += 1 + SharedForm.leaves(binding.definition());
        }
        return leaves;
    }

    /** Display lines of a long product at most this many characters of LaTeX wide. */
    static final int LINE_LATEX = 160;

    /**
     * {@code name = product} as display lines: the LaTeX broken before a top-level {@code \cdot} (outside
     * braces and {@code \left…\right}) so that no line is much wider than {@link #LINE_LATEX} characters;
     * the text stays one line (terminals wrap it).
     */
    static List<Formula> brokenProduct(String text, String latexName, String latex) {
        List<String> factors = new ArrayList<>();
        int depth = 0;
        int start = 0;
        String cdot = " \\cdot ";
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '\\' && latex.startsWith("\\left", i)) {
                depth++;
            } else if (c == '\\' && latex.startsWith("\\right", i)) {
                depth--;
            } else if (c == '{' && (i == 0 || latex.charAt(i - 1) != '\\')) {
                depth++;
            } else if (c == '}' && (i == 0 || latex.charAt(i - 1) != '\\')) {
                depth--;
            } else if (depth == 0 && latex.startsWith(cdot, i)) {
                factors.add(latex.substring(start, i));
                start = i + cdot.length();
                i = start - 1;
            }
        }
        factors.add(latex.substring(start));
        List<Formula> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String f : factors) {
            if (line.length() > 0 && line.length() + f.length() > LINE_LATEX) {
                lines.add(new Formula(lines.isEmpty() ? text : "", (lines.isEmpty() ? latexName + " &= " : "&\\quad \\cdot ") + line));
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : cdot).append(f);
        }
        lines.add(new Formula(lines.isEmpty() ? text : "", (lines.isEmpty() ? latexName + " &= " : "&\\quad \\cdot ") + line));
        return lines;
    }

    private static void checks(ParameterExplanation e, List<Block> b) {
        b.add(new Block.Heading(3, Inline.of("6. Numerical check")));
        ParameterCheck fd = e.finiteDifference();
        ParameterCheck cs = e.complexStep();
        List<List<List<Inline>>> rows = new ArrayList<>();
        rows.add(List.of(Inline.of("chain rule (compiled)"), Inline.of(Formula.number(fd.claimed())), Inline.of("—"),
                Inline.of("—"), Inline.of("—")));
        rows.add(checkRow("central differences (Richardson)", fd));
        rows.add(checkRow("complex step", cs));
        b.add(new Block.Table(List.of(Inline.of("method"), Inline.of("value"), Inline.of("error estimate"),
                Inline.of("|chain rule − method|"), Inline.of("verdict")), rows));
        if (!fd.resolved()) {
            b.add(new Block.Paragraph(Inline.of("The value is below what finite differences can resolve at this point "
                    + "(their error estimate exceeds it), so their agreement says nothing; the complex step, exact to "
                    + "rounding, does resolve it.")));
        }
    }

    private static List<List<Inline>> checkRow(String method, ParameterCheck c) {
        return List.of(Inline.of(method), Inline.of(Formula.number(c.oracle().value())),
                Inline.of(Formula.approximately(c.oracle().errorEstimate())), Inline.of(Formula.approximately(c.absoluteError())),
                Inline.of(verdict(c.verdict())));
    }

    private static String verdict(Verdict v) {
        if (v instanceof Verdict.Agrees a) {
            return "agrees (allowed " + Formula.approximately(a.allowed()).text() + ")";
        }
        if (v instanceof Verdict.Disagrees d) {
            return "DISAGREES (allowed " + Formula.approximately(d.allowed()).text() + ")";
        }
        return v.label();
    }

    private static void bound(ParameterExplanation e, List<Block> b) {
        BoundStep s = e.bound();
        b.add(new Block.Heading(3, Inline.of("7. Growth bound")));
        if (!s.factors().isEmpty()) {
            List<Inline> intro = new ArrayList<>(Inline.of("Each factor is bounded by ", new Formula("|φ'(z)| ≤ γ = sup|φ'|",
                    "|\\varphi'(z)| \\le \\gamma = \\sup|\\varphi'|"), ", with "));
            for (int i = 0; i < s.gammas().size(); i++) {
                intro.add(Inline.math(s.gammas().get(i)));
                intro.add(Inline.text(i < s.gammas().size() - 1 ? "; " : ":"));
            }
            b.add(new Block.Paragraph(intro));
            List<List<List<Inline>>> rows = new ArrayList<>();
            for (FactorBound f : s.factors()) {
                rows.add(List.of(Inline.of(f.factor()), Inline.of(Formula.number(f.value())),
                        Inline.of(f.attained() && f.bound().text().startsWith("|") ? f.bound()
                                : f.bound().equalTo(Formula.number(f.boundValue()))), Inline.of(f.attained() ? "yes" : "no"), f.here().text().isEmpty() ? Inline.of(f.condition())
                        : Inline.of(f.condition(), " (here ", f.here(), ")")));
            }
            b.add(new Block.Table(List.of(Inline.of("factor"), Inline.of("value"), Inline.of("bound"),
                    Inline.of("attained"), Inline.of("equality when")), rows));
            double actual = Math.abs(e.chainRule().value());
            b.add(new Block.Equations(List.of(new Formula("|" + e.chainRule().name() + "| = " + Formula.number(actual).text()
                    + " ≤ " + Formula.number(s.product()).text(), "\\left|" + e.chainRule().latexName() + "\\right| = "
                    + Formula.number(actual).latex() + " \\le " + Formula.number(s.product()).latex()))));
            b.add(new Block.Paragraph(Inline.of("Equality needs ", s.equality(), s.attained()
                    ? "; this point attains the bound." : "; this point does not attain it: "
                    + notAttained(s) + ".")));
        } else {
            List<Inline> p = new ArrayList<>(Inline.of("The bound is taken for the whole layer (below), with "));
            for (int i = 0; i < s.gammas().size(); i++) {
                p.add(Inline.math(s.gammas().get(i)));
                p.add(Inline.text(i < s.gammas().size() - 1 ? "; " : ". "));
            }
            p.addAll(Inline.of("It is reached only if every unit on the paths has ", s.equality(),
                    " and each later weight matrix acts on the backward signal with its largest singular value",
                    s.attained() ? "; this point attains it." : "; this point does not attain it."));
            b.add(new Block.Paragraph(p));
        }
        var layer = s.layer();
        b.add(new Block.Paragraph(Inline.of("The weights of layer " + layer.layer() + ": ", new Formula("‖∂L/∂W" + sub(layer.layer()) + "‖_F",
                        "\\lVert \\partial L / \\partial W_{" + layer.layer() + "} \\rVert_F"), " = ", Formula.number(layer.actual()),
                ", γ bound ", Formula.number(layer.gammaBound()), ", data bound ", Formula.number(layer.dataBound()),
                "; ", growth(s))));
    }

    /** The rule that names the regime of a growth g across the layers. */
    static final Formula GROWTH_RULE = new Formula("vanishing if g < 10⁻³, exploding if g > 10³, neither in between",
            "\\text{vanishing if } g < 10^{-3},\\ \\text{exploding if } g > 10^{3},\\ \\text{neither in between}");

    /** The regime of θ's layer, by the growth across the layers from the last, with the rule. */
    private static List<Inline> growth(BoundStep s) {
        int l = s.layer().layer();
        int last = s.last().layer();
        if (l == last) {
            return Inline.of("this is the last layer, against which the growth of the others is measured.");
        }
        io.chainproof.bounds.Growth g = s.growth();
        return Inline.of("against the last layer's ", new Formula("‖∂L/∂W" + sub(last) + "‖_F", "\\lVert \\partial L / "
                + "\\partial W_{" + last + "} \\rVert_F"), " = ", Formula.number(s.last().actual()), " the growth across "
                + "the layers is ", new Formula("g = " + Formula.approximately(g.ratio()).text(), "g = "
                + Formula.approximately(g.ratio()).latex()), ": " + switch (g.word()) {
                    case "vanishing" -> "vanishing";
                    case "exploding" -> "exploding";
                    case "neither" -> "neither vanishing nor exploding";
                    default -> "undefined (a norm is 0 or not finite)";
                } + " (the rule: ", GROWTH_RULE, ").");
    }

    private static String notAttained(BoundStep s) {
        List<String> missed = new ArrayList<>();
        for (FactorBound f : s.factors()) {
            if (!f.attained()) {
                missed.add(f.here().text() + ", so " + f.factor().text().substring(0, f.factor().text().indexOf(" = "))
                        + " = " + Formula.number(f.value()).text() + " against its bound " + Formula.number(f.boundValue()).text());
            }
        }
        return String.join("; ", missed);
    }

    private static String sub(int n) {
        return io.chainproof.graph.Notation.subscript(n);
    }

    /** A layer as {@code 3 tanh}. */
    static String layerText(LayerSpec layer) {
        return layer.units() + " " + layer.activation().specName();
    }
}
