package io.chainproof.render;

import io.chainproof.bounds.BoundReport;
import io.chainproof.bounds.Growth;
import io.chainproof.bounds.GrowthBounds;
import io.chainproof.bounds.LayerBound;
import io.chainproof.bounds.SweepPoint;
import io.chainproof.bounds.SweepResult;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.VerificationReport;
import io.chainproof.explain.Formula;
import io.chainproof.explain.ParameterExplanation;
import io.chainproof.explain.SpecExplanation;
import io.chainproof.graph.Node;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link SpecExplanation} into a {@link Document}: the network and its forward pass, the
 * derivation of each layer's first weight, every parameter's check, the bound table, and the sweeps.
 */
public final class ExplanationDocument {

    /** At most this many units of a layer are listed in the forward-pass table. */
    static final int MAX_UNITS = 8;
    /** At most this many samples get a column in the forward-pass table. */
    static final int MAX_SAMPLES = 4;
    /** At most this many parameters are listed in the check table (failures are always listed). */
    static final int MAX_CHECK_ROWS = 40;

    private ExplanationDocument() {
    }

    /**
     * The whole story of a spec as a document: forward pass, derivations, checks, bounds and sweeps.
     *
     * @param story the explanation of the spec, from {@link io.chainproof.explain.Explainer#story}
     * @return the document, for any writer
     */
    public static Document of(SpecExplanation story) {
        return of(story, false);
    }

    /**
     * The explanation, with sliders for the swept layer's weights and biases after the introduction when
     * {@code interactive} ({@link InteractivePanel}; HTML runs them, the other formats name them).
     *
     * @param story       the explanation
     * @param interactive whether to add the sliders
     * @return the document
     */
    public static Document of(SpecExplanation story, boolean interactive) {
        return of(story, interactive, List.of());
    }

    /**
     * The explanation, with sliders when {@code interactive}: one that scales the swept layer's weights over the
     * sweep's range (moving a marker along the first sweep plot), and one per chosen parameter, by default the swept
     * layer's weights and biases.
     *
     * @param story       the explanation
     * @param interactive whether to add the sliders
     * @param sliders     the parameters that get sliders, by name; empty for the default
     * @return the document
     * @throws IllegalArgumentException if interactive and a chosen name is not a parameter
     */
    public static Document of(SpecExplanation story, boolean interactive, List<String> sliders) {
        NetworkSpec spec = story.spec();
        List<Block> b = new ArrayList<>(DerivationDocument.introduction(spec));
        if (interactive) {
            if (story.sweeps().isEmpty()) {
                b.add(InteractivePanel.of(spec, 1, sliders, InteractivePanel.DEFAULT_FROM, InteractivePanel.DEFAULT_TO));
            } else {
                SweepResult sweep = story.sweeps().get(0);
                b.add(InteractivePanel.of(spec, sweep.layer(), sliders, sweep.first().scale(), sweep.last().scale()));
            }
        }
        b.add(new Block.Heading(2, Inline.of("Forward pass")));
        forward(story, b);
        for (ParameterExplanation e : story.firstWeights()) {
            b.addAll(DerivationDocument.parameter(e));
        }
        b.add(new Block.Heading(2, Inline.of("Check of every parameter")));
        checks(story, b);
        b.add(new Block.Heading(2, Inline.of("Growth bounds")));
        bounds(story.bounds(), b);
        b.add(new Block.Heading(2, Inline.of("Weight-scale sweeps")));
        for (SweepResult sweep : story.sweeps()) {
            sweep(sweep, b);
        }
        return new Document(spec.name() + " explained: forward pass, chain rule, checks and bounds", b);
    }

    private static void forward(SpecExplanation story, List<Block> b) {
        NetworkSpec spec = story.spec();
        int samples = Math.min(spec.data().samples(), MAX_SAMPLES);
        List<List<Inline>> header = new ArrayList<>(List.of(Inline.of("node")));
        for (int s = 0; s < samples; s++) {
            header.add(Inline.of("sample " + (s + 1)));
        }
        List<List<List<Inline>>> rows = new ArrayList<>();
        for (int k = 0; k < Math.min(spec.inputs(), MAX_UNITS); k++) {
            rows.add(row(story, Node.input(k), spec.inputs() == 1, samples));
        }
        for (int l = 1; l <= spec.layerCount(); l++) {
            int units = spec.layers().get(l - 1).units();
            for (int j = 0; j < Math.min(units, MAX_UNITS); j++) {
                rows.add(row(story, Node.preActivation(l, j), units == 1, samples));
                rows.add(row(story, Node.activation(l, j), units == 1, samples));
            }
        }
        int outputs = spec.layers().get(spec.layerCount() - 1).units();
        for (int j = 0; j < Math.min(outputs, MAX_UNITS); j++) {
            rows.add(row(story, Node.target(spec.layerCount() + 1, j), outputs == 1, samples));
        }
        b.add(new Block.Table(header, rows));
        String elided = spec.data().samples() > MAX_SAMPLES || spec.inputs() > MAX_UNITS
                || spec.layers().stream().anyMatch(l -> l.units() > MAX_UNITS)
                ? " (the table shows at most " + MAX_UNITS + " units per layer and " + MAX_SAMPLES + " samples)" : "";
        b.add(new Block.Paragraph(Inline.of("The loss, averaged over the samples, is ", Formula.number(story.loss()), elided + ".")));
    }

    private static List<List<Inline>> row(SpecExplanation story, Node node, boolean widthOne, int samples) {
        List<List<Inline>> row = new ArrayList<>();
        row.add(Inline.of(new Formula(node.unicode(widthOne), node.latex(widthOne))));
        for (int s = 0; s < samples; s++) {
            row.add(Inline.of(Formula.number(story.forward().value(s, node))));
        }
        return row;
    }

    private static void checks(SpecExplanation story, List<Block> b) {
        VerificationReport fd = story.finiteDifferences();
        VerificationReport cs = story.complexStep();
        b.add(new Block.Paragraph(Inline.of("chainproof's compiled chain-rule gradient against central differences "
                + "(Richardson extrapolation, with an error estimate) and the complex step (exact to rounding). "
                + "Finite differences: " + summary(fd) + ". Complex step: " + summary(cs) + ".")));
        List<List<List<Inline>>> rows = new ArrayList<>();
        int listed = 0;
        for (int i = 0; i < fd.checks().size(); i++) {
            ParameterCheck f = fd.checks().get(i);
            ParameterCheck c = cs.checks().get(i);
            boolean failed = !f.verdict().passed() || !c.verdict().passed();
            if (listed >= MAX_CHECK_ROWS && !failed) {
                continue;
            }
            listed++;
            rows.add(List.of(Inline.of(Inline.code(f.parameter())), Inline.of(Formula.number(f.claimed())),
                    Inline.of(Formula.number(f.oracle().value())), Inline.of(Formula.approximately(f.oracle().errorEstimate())),
                    Inline.of(Formula.number(c.oracle().value())), Inline.of(f.verdict().label() + " / " + c.verdict().label())));
        }
        b.add(new Block.Table(List.of(Inline.of("parameter"), Inline.of("chain rule"), Inline.of("finite differences"),
                Inline.of("FD error estimate"), Inline.of("complex step"), Inline.of("verdict (FD / CS)")), rows));
        if (listed < fd.checks().size()) {
            b.add(new Block.Paragraph(Inline.of("The other " + (fd.checks().size() - listed) + " parameters agree and are not listed.")));
        }
    }

    private static String summary(VerificationReport r) {
        long wrong = r.checks().stream().filter(c -> !c.verdict().passed()).count();
        long vacuous = r.checks().stream().filter(c -> c.verdict().passed() && !c.resolved()).count();
        return (wrong == 0 ? "all " + r.checks().size() + " agree" : wrong + " of " + r.checks().size() + " disagree")
                + (vacuous == 0 ? "" : ", " + vacuous + " of them below the method's resolution");
    }

    private static void bounds(BoundReport report, List<Block> b) {
        b.add(new Block.Paragraph(Inline.of("Per layer, the actual gradient norm against the certified bound ",
                new Formula("‖∇ₐL‖₂·‖a_{l−1}‖₂·∏_{k≥l} γ_k·∏_{k>l} ‖W_k‖₂", "\\lVert \\nabla_{a} L \\rVert_2 \\, \\lVert a_{l-1} \\rVert_2 "
                        + "\\prod_{k \\ge l} \\gamma_k \\prod_{k > l} \\lVert W_k \\rVert_2"),
                " (γ = sup|φ'|) and the data bound, which uses the actual max|φ'(z)| of each layer instead of γ:")));
        List<List<List<Inline>>> rows = new ArrayList<>();
        LayerBound lastLayer = report.layers().get(report.layers().size() - 1);
        for (LayerBound l : report.layers()) {
            Growth g = Growth.across(l, lastLayer);
            rows.add(List.of(Inline.of(Integer.toString(l.layer())), Inline.of(Formula.number(l.actual())),
                    Inline.of(Formula.number(l.gammaBound())), Inline.of(Formula.number(l.dataBound())),
                    Inline.of(Formula.number(l.spectralNorm())), Inline.of(Formula.approximately(g.ratio())),
                    Inline.of(g.word())));
        }
        b.add(new Block.Table(List.of(Inline.of("layer"), Inline.of(new Formula("‖∂L/∂W‖_F", "\\lVert \\partial L/\\partial W \\rVert_F")),
                Inline.of("γ bound"), Inline.of("data bound"), Inline.of(new Formula("‖W‖₂", "\\lVert W \\rVert_2")),
                Inline.of(new Formula("g", "g")), Inline.of("regime")), rows));
        report.scalarChain().ifPresent(c -> b.add(new Block.Paragraph(Inline.of("Scalar chain: ",
                new Formula("|∂L/∂w₁| = " + Formula.number(c.actual()).text() + " ≤ " + Formula.number(c.bound()).text(),
                        "|\\partial L/\\partial w_{1}| = " + Formula.number(c.actual()).latex() + " \\le "
                                + Formula.number(c.bound()).latex()),
                c.zeroPreactivation() ? "; every z_k is 0, so equality holds." : "; equality would need every z_k = 0."))));
        b.add(new Block.Paragraph(Inline.of("Regimes, by the growth across the layers ", new Formula(
                "g_l = ‖∂L/∂W_l‖_F / ‖∂L/∂W_L‖_F", "g_l = \\lVert \\partial L/\\partial W_l \\rVert_F \\,/\\, "
                        + "\\lVert \\partial L/\\partial W_L \\rVert_F"), ", the share of the last layer's gradient "
                + "that reaches layer l: ", DerivationDocument.GROWTH_RULE, ". (",
                Inline.code("chainproof bound"), " also classifies each layer by the bound's product of Jacobian factors "
                + "at the data, with its own rule printed beside it.)")));
        report.notes().forEach(n -> b.add(new Block.Paragraph(Inline.of(n))));
    }

    private static void sweep(SweepResult sweep, List<Block> b) {
        String bias = sweep.bias() == io.chainproof.bounds.Sweep.BiasMode.KEEP ? "biases kept"
                : "biases set so that every pre-activation of layer " + sweep.layer() + " is 0 for the first sample";
        b.add(new Block.Heading(3, Inline.of("Layer " + sweep.layer() + " weights scaled by s, " + bias)));
        b.add(new Block.Figure(SweepChart.svg(sweep), Inline.of("Gradient norms and bounds of every layer as W"
                + sub(sweep.layer()) + " is scaled by s from " + Formula.number(sweep.first().scale()).text() + " to "
                + Formula.number(sweep.last().scale()).text() + " (" + bias + ").")));
        List<List<List<Inline>>> rows = new ArrayList<>();
        for (SweepPoint p : List.of(sweep.first(), nearestToOne(sweep), sweep.last())) {
            LayerBound first = p.layer(1);
            Growth g = p.growth();
            rows.add(List.of(Inline.of(Formula.number(p.scale())), Inline.of(Formula.number(p.spectralNorm())),
                    Inline.of(Formula.number(first.actual())), Inline.of(Formula.number(first.gammaBound())),
                    Inline.of(Formula.approximately(g.ratio())), Inline.of(g.word())));
        }
        b.add(new Block.Table(List.of(Inline.of("scale s"), Inline.of(new Formula("‖W" + sub(sweep.layer()) + "‖₂",
                        "\\lVert W_{" + sweep.layer() + "} \\rVert_2")), Inline.of(new Formula("‖∂L/∂W₁‖_F", "\\lVert \\partial L/\\partial W_{1} \\rVert_F")),
                Inline.of("γ bound of layer 1"), Inline.of(new Formula("g₁", "g_1")), Inline.of("regime of layer 1")), rows));
    }

    private static SweepPoint nearestToOne(SweepResult sweep) {
        SweepPoint best = sweep.first();
        for (SweepPoint p : sweep.points()) {
            if (Math.abs(Math.log(p.scale())) < Math.abs(Math.log(best.scale()))) {
                best = p;
            }
        }
        return best;
    }

    private static String sub(int n) {
        return io.chainproof.graph.Notation.subscript(n);
    }
}
