package io.chainproof.render;

import io.chainproof.bounds.GradientProfile;
import io.chainproof.bounds.Growth;
import io.chainproof.bounds.LayeredBounds;
import io.chainproof.explain.Formula;
import io.chainproof.ops.Activation;

import java.util.ArrayList;
import java.util.List;

/**
 * Several models side by side — a vanishing chain and its remedies: for each, the gradient's size layer by layer
 * (step by step through a recurrent layer) at its weights and data, in one log-scale plot per axis and a table of
 * every plotted value; its growth g = first/last named by {@link Growth#RULE}; the certified bound on the chain from
 * the first layer to the output; and a paragraph that reads the numbers: how much of the last layer's gradient
 * reaches the first, against the first model's, why the model's layers do that (what each layer type does to the
 * backward signal), and what the bound certifies.
 */
public final class ComparisonDocument {

    private ComparisonDocument() {
    }

    /**
     * @param title    the document's title
     * @param profiles the models, in the order to show them; the first through depth (and the first through time) is
     *                 the one the others are compared with
     * @return the document
     */
    public static Document of(String title, List<GradientProfile> profiles) {
        List<Block> b = new ArrayList<>();
        List<GradientProfile> depth = profiles.stream().filter(p -> !p.time()).toList();
        List<GradientProfile> time = profiles.stream().filter(GradientProfile::time).toList();
        b.add(new Block.Paragraph(Inline.of("For each model: the norm of the gradient at each layer that holds weights, ",
                new Formula("‖∂L/∂W_l‖_F", "\\lVert \\partial L / \\partial W_l \\rVert_F"),
                " (for a recurrent model, at each step of its recurrent layer, ",
                new Formula("‖∂L/∂h_t‖_F", "\\lVert \\partial L / \\partial h_t \\rVert_F"),
                ", the backward signal from which every weight's share at step t is made), at the spec's weights and "
                        + "data. The growth ", new Formula("g", "g"), " is the first layer's (step's) norm over the "
                        + "last one's, and names the regime by one rule: ", new Formula(Growth.RULE, latexRule()),
                ". Beside it, the certified bound on ", new Formula("‖∂z_L/∂x_1‖₂", "\\lVert \\partial z_L / "
                        + "\\partial x_1 \\rVert_2"), ", the product of every layer's Jacobian bound from the first "
                        + "layer to the output, which holds for every input.")));
        if (!depth.isEmpty()) {
            section(b, "Through depth", depth);
        }
        if (!time.isEmpty()) {
            section(b, "Through time", time);
        }
        b.add(new Block.Heading(2, Inline.of("Reproduce")));
        b.add(new Block.Paragraph(Inline.of("Every number above comes from one command per model; ",
                Inline.code("bound"), " prints its per-layer bounds and gradient norms:")));
        StringBuilder commands = new StringBuilder();
        for (GradientProfile p : profiles) {
            commands.append("java -jar target/chainproof.jar bound ").append(p.source()).append('\n');
        }
        b.add(new Block.Preformatted(commands.toString()));
        return new Document(title, b);
    }

    private static String latexRule() {
        return "g = \\lVert\\text{first}\\rVert / \\lVert\\text{last}\\rVert:\\ \\text{vanishing if } g < 10^{-3},"
                + "\\ \\text{exploding if } g > 10^{3},\\ \\text{neither in between}";
    }

    private static void section(List<Block> b, String heading, List<GradientProfile> profiles) {
        boolean time = profiles.get(0).time();
        String unit = time ? "step" : "layer";
        b.add(new Block.Heading(2, Inline.of(heading)));
        GradientProfile base = profiles.get(0);
        String title = (time ? "‖∂L/∂h_t‖_F by step" : "‖∂L/∂W_l‖_F by layer") + ", log scale";
        org.knowm.xchart.XYChart chart = ProfilePlot.chart(title, profiles);
        b.add(new Block.Figure(SvgPlotWriter.svg(chart), Inline.of("The gradient norm at each " + unit + " of "
                + names(profiles) + " (" + unit + " 1 is the first; the loss is after the last), log scale. The values "
                + "are in the table at the end of this section."), LatexPlotWriter.picture(chart)));
        List<List<Inline>> header = List.of(Inline.of("model"), Inline.of(time ? "steps" : "layers with weights"),
                Inline.of("first"), Inline.of("last"), Inline.of("g"), Inline.of("per " + unit), Inline.of("regime"),
                Inline.of("certified chain bound"), Inline.of("at the data"), Inline.of("exact"));
        List<List<List<Inline>>> rows = new ArrayList<>();
        for (GradientProfile p : profiles) {
            Growth g = p.growth();
            LayeredBounds.Row first = p.firstRow();
            rows.add(List.of(Inline.of(p.name()), Inline.of(Integer.toString(p.positions().size())),
                    Inline.of(Formula.approximately(g.first())), Inline.of(Formula.approximately(g.last())),
                    Inline.of(Formula.approximately(g.ratio())), Inline.of(Formula.approximately(g.perLink())),
                    Inline.of(g.word()), Inline.of(Formula.approximately(first.chainCertified())),
                    Inline.of(Formula.approximately(first.chainHere())),
                    Inline.of(Formula.approximately(first.chainActual()))));
        }
        b.add(new Block.Table(header, rows));
        b.add(new Block.Paragraph(Inline.of("first and last: the gradient norm at the first and the last " + unit
                + "; g = first/last; per " + unit + ": ", new Formula("g^{1/(n−1)}", "g^{1/(n-1)}"), ", the geometric "
                + "mean change from one " + unit + " to the one before it; the chain bound runs from the model's "
                + "first layer to its output z_L: certified for every input, the same product at the data, and the "
                + "exact ‖∂z_L/∂x_1‖₂ at the data.")));
        for (GradientProfile p : profiles) {
            b.add(new Block.Heading(3, Inline.of(p.name())));
            b.add(new Block.Paragraph(measured(p, base)));
            List<Inline> why = why(p);
            if (!why.isEmpty()) {
                b.add(new Block.Paragraph(why));
            }
            b.add(new Block.Paragraph(certified(p)));
        }
        b.add(new Block.Heading(3, Inline.of("The plotted values")));
        b.add(values(profiles));
    }

    private static String names(List<GradientProfile> profiles) {
        List<String> names = profiles.stream().map(GradientProfile::name).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /** What the numbers show: how much of the last layer's gradient reaches the first, against the first model. */
    private static List<Inline> measured(GradientProfile p, GradientProfile base) {
        Growth g = p.growth();
        String unit = p.time() ? "step" : "layer";
        List<String> at = p.positions();
        List<Inline> s = new ArrayList<>(Inline.of(Inline.code(p.source()), ": the gradient norm is ",
                Formula.approximately(g.first()), " at the first " + unit + " (" + unit + " " + at.get(0)
                        + ") against ", Formula.approximately(g.last()), " at the last (" + unit + " "
                        + at.get(at.size() - 1) + "), so g = ", Formula.approximately(g.ratio()), " across " + at.size()
                        + (p.time() ? " steps" : " layers with weights") + ", a factor of ",
                Formula.approximately(g.perLink()), " per " + unit + " on average: "));
        s.add(Inline.text(switch (g.word()) {
            case "vanishing" -> "the gradient vanishes — what reaches the first " + unit + " is less than a "
                    + "thousandth of what the last one gets" + (p.time() ? "." : ", so it learns that much slower.");
            case "exploding" -> "the gradient explodes — the first " + unit + " gets more than a thousand times "
                    + "the last one's gradient.";
            case "neither" -> "neither vanishing nor exploding — the first and the last " + unit + " get gradients "
                    + "within three orders of magnitude of each other.";
            default -> "g is not a number here (a norm is zero or not finite), so no regime is named.";
        }));
        if (p != base && Double.isFinite(base.growth().first()) && base.growth().first() > 0) {
            double times = g.first() / base.growth().first();
            s.addAll(Inline.of(" Its first " + unit + " gets ", Formula.approximately(times), " times the gradient "
                    + "that reaches " + base.name() + "'s first " + unit + "."));
        }
        return s;
    }

    /** Why: what each kind of layer in the model does to the backward signal (general facts, not fitted). */
    private static List<Inline> why(GradientProfile p) {
        List<List<Inline>> facts = new ArrayList<>();
        boolean saturating = p.activations().contains(Activation.SIGMOID) || p.activations().contains(Activation.TANH);
        boolean feedForward = !p.has("residual") && !p.has("rnn") && !p.has("lstm") && !p.has("gru");
        if (feedForward && p.has("dense") && p.activations().contains(Activation.SIGMOID)) {
            facts.add(Inline.of("Each layer passes the backward signal through ", new Formula("diag(σ'(z_l))·W_l",
                    "\\operatorname{diag}(\\sigma'(z_l))\\,W_l"), ", and σ' is at most 1/4, so unless the weights "
                    + "have ", new Formula("‖W_l‖₂ > 4", "\\lVert W_l \\rVert_2 > 4"), " every layer shrinks it."));
        } else if (feedForward && p.has("dense") && p.activations().contains(Activation.TANH)) {
            facts.add(Inline.of("Each layer passes the backward signal through ", new Formula("diag(tanh'(z_l))·W_l",
                    "\\operatorname{diag}(\\tanh'(z_l))\\,W_l"), ", with tanh' ≤ 1 and equal to 1 only at z = 0."));
        }
        if (feedForward && p.activations().contains(Activation.RELU) && !saturating) {
            facts.add(Inline.of("relu' is 1 on an active unit and 0 on the others, so a layer passes the backward "
                    + "signal through ", new Formula("W_l", "W_l"), " restricted to its active units, with no slope "
                    + "below 1 to compound; weights at the scale of He's initialisation (variance 2/fan_in) keep its "
                    + "size from layer to layer on average."));
        }
        if (p.has("lstm")) {
            facts.add(Inline.of("An LSTM's cell state passes back through ", new Formula("∏ diag(f_t)",
                    "\\prod_t \\operatorname{diag}(f_t)"), ", the forget gates alone: no weight matrix and no "
                    + "activation slope in the product (the constant-error carousel), so with forget gates near 1 the "
                    + "signal survives many steps."));
        }
        if (p.has("gru")) {
            facts.add(Inline.of("A GRU's state passes back through ", new Formula("diag(z_t)",
                    "\\operatorname{diag}(z_t)"), ", its update gates, besides the paths through the weights, so with "
                    + "update gates near 1 the signal survives many steps."));
        }
        if (p.has("rnn")) {
            facts.add(Inline.of("A vanilla RNN multiplies the backward signal at every step by ",
                    new Formula("diag(φ'(z_t))·W_hh", "\\operatorname{diag}(\\varphi'(z_t))\\,W_{hh}"), ", so over T "
                    + "steps it behaves like a product of T such factors: it vanishes when their norms stay below 1 "
                    + "(Pascanu, Mikolov and Bengio 2013)."));
        }
        if (p.has("residual")) {
            facts.add(Inline.of("A residual block computes ", new Formula("x + F(x)", "x + F(x)"), ", so its Jacobian "
                    + "is ", new Formula("I + J_F", "I + J_F"), ": the identity carries the backward signal past every "
                    + "block, whatever the slopes inside F."));
        }
        if (p.has("batch_norm")) {
            facts.add(Inline.of("Batch norm standardises each unit over the batch: it keeps the pre-activations near "
                    + "0, where a saturating activation is steepest, and divides the backward signal by the batch's "
                    + "σ, which undoes the shrinking of small weights."));
        }
        if (p.has("layer_norm")) {
            facts.add(Inline.of("Layer norm standardises each sample over its n units; its Jacobian ",
                    new Formula("(γ/σ)(I − 11ᵀ/n − x̂x̂ᵀ/n)", "\\frac{\\gamma}{\\sigma}\\bigl(I - \\tfrac{1}{n}"
                            + "\\mathbf{1}\\mathbf{1}^{\\top} - \\tfrac{1}{n}\\hat{x}\\hat{x}^{\\top}\\bigr)"),
                    " removes the mean and the ", new Formula("x̂", "\\hat{x}"), " direction, 2 of the n = "
                            + p.normWidth() + " directions here, and rescales the rest by γ/σ."));
        }
        double[] exact = p.bounds().rows().stream().mapToDouble(LayeredBounds.Row::actual)
                .filter(v -> Double.isFinite(v) && v > 0).toArray();
        List<Inline> s = new ArrayList<>();
        for (List<Inline> fact : facts) {
            if (!s.isEmpty()) {
                s.add(Inline.text(" "));
            }
            s.addAll(fact);
        }
        if (exact.length > 0 && !p.time()) {
            double logSum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : exact) {
                logSum += Math.log(v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            s.addAll(Inline.of((s.isEmpty() ? "" : " ") + "At the data, the layers' exact Jacobian norms ",
                    new Formula("‖J_l‖₂", "\\lVert J_l \\rVert_2"), " run from ", Formula.approximately(min), " to ",
                    Formula.approximately(max), " (geometric mean ", Formula.approximately(Math.exp(logSum / exact.length)),
                    ")."));
        }
        return s;
    }

    /** What the certified bound says for this model. */
    private static List<Inline> certified(GradientProfile p) {
        LayeredBounds.Row first = p.firstRow();
        double c = first.chainCertified();
        List<Inline> s = new ArrayList<>(Inline.of("The certified bound on ", new Formula("‖∂z_L/∂x_1‖₂",
                "\\lVert \\partial z_L / \\partial x_1 \\rVert_2"), " is ", Formula.approximately(c), " for every "
                + "input; the same product at the data is ", Formula.approximately(first.chainHere()), ", and the "
                + "exact value is ", Formula.approximately(first.chainActual()), ". "));
        if (c < Growth.VANISHING) {
            s.add(Inline.text("So vanishing is certified: no input can send more than this fraction of the output's "
                    + "sensitivity back to the first layer at these weights."));
        } else if (Double.isFinite(first.chainActual()) && first.chainActual() > 0
                && c > first.chainActual() / Growth.VANISHING) {
            s.add(Inline.text("The bound is far above the exact value: "
                    + (p.has("batch_norm") || p.has("layer_norm") ? "a norm's 1/σ is bounded at the smallest σ it "
                    + "allows (√ε), not at the batch's." : p.has("lstm") || p.has("gru")
                    ? "a gate's slope and the cell's size are bounded for every input, not at these activations."
                    : "each layer's bound takes the steepest slope and the worst direction at once, and "
                    + "along a real backward signal they rarely line up from layer to layer.")));
        } else {
            s.add(Inline.text("The bound is within three orders of magnitude of the exact value."));
        }
        for (LayeredBounds.Path path : p.bounds().paths()) {
            s.addAll(Inline.of(" Layer " + path.position() + " (" + path.type() + "), " + path.path() + ": certified ",
                    Formula.approximately(path.certified()), ", at the data ", Formula.approximately(path.here()),
                    ", exact ", Formula.approximately(path.actual()), "."));
        }
        return s;
    }

    /** Every plotted value: one row per position, one column per model. */
    private static Block.Table values(List<GradientProfile> profiles) {
        String unit = profiles.get(0).time() ? "step" : "layer";
        List<List<Inline>> header = new ArrayList<>();
        header.add(Inline.of(unit));
        profiles.forEach(p -> header.add(Inline.of(p.name())));
        int rows = profiles.stream().mapToInt(p -> p.positions().size()).max().orElse(0);
        List<List<List<Inline>>> body = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<List<Inline>> row = new ArrayList<>();
            row.add(Inline.of(Integer.toString(i + 1)));
            for (GradientProfile p : profiles) {
                row.add(i < p.positions().size() ? Inline.of(Formula.approximately(p.norms()[i])) : Inline.of("—"));
            }
            body.add(row);
        }
        return new Block.Table(header, body);
    }
}
