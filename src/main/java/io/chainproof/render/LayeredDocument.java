package io.chainproof.render;

import io.chainproof.bounds.LayeredBounds;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.VerificationReport;
import io.chainproof.explain.Formula;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.spec.LayeredSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Backpropagation through a layered model as a {@link Document}: the layers with their shapes and parameters, the
 * chain rule through each kind of layer (a convolution's weight gradient as a sum over the positions it touches,
 * the input gradient through the flipped kernel; a norm's terms through μ and σ²; a residual block's I + J_F; an
 * embedding's accumulation over repeated ids), the gradient's norm as it flows back layer by layer next to the
 * Jacobian bounds, and every parameter tensor's gradient checked by the complex step.
 */
public final class LayeredDocument {

    private LayeredDocument() {
    }

    /**
     * @param spec the model
     * @return the document
     */
    public static Document of(LayeredSpec spec) {
        Model model = Models.of(spec);
        double[] theta = model.point();
        GraphFunction f = new GraphFunction(model);
        double[] gradient = f.gradient(theta);
        VerificationReport report = new GradientVerifier().verifyExhaustively(f, gradient);
        LayeredBounds.Report bounds = LayeredBounds.of(spec);
        List<Block> b = new ArrayList<>();
        b.add(new Block.Paragraph(Inline.of(Inline.code(spec.source()), ": a layered model of " + spec.layers().size()
                + " layers on samples of shape " + Arrays.toString(spec.inputShape()) + ", " + spec.samples()
                + (spec.samples() == 1 ? " sample" : " samples") + ", loss " + spec.loss().specName()
                + " (per sample over all output entries, then the mean over samples); " + model.parameterCount()
                + " parameters.")));
        b.add(new Block.Heading(2, Inline.of("The layers")));
        List<List<List<Inline>>> rows = new ArrayList<>();
        for (LayeredSpec.Layer layer : flatten(spec.layers())) {
            rows.add(List.of(Inline.of(layer.position()), Inline.of(describe(layer)),
                    Inline.of(parameters(spec, layer.position())), Inline.of(layer.activation().specName())));
        }
        b.add(new Block.Table(List.of(Inline.of("position"), Inline.of("layer"), Inline.of("parameters"),
                Inline.of("activation")), rows));
        b.add(new Block.Figure(LayerPicture.svg(spec), Inline.of("The layers of " + spec.name() + " from the input to "
                + "the loss, each with its output shape per sample and its parameters; a residual block's identity path "
                + "runs beside it to the sum.")));
        b.add(new Block.Heading(2, Inline.of("The chain rule through each layer")));
        b.add(new Block.Paragraph(Inline.of("The gradient flows back through the layers in reverse order. Writing ḡ "
                + "for ∂L/∂(a layer's output), each kind of layer passes it on and collects its parameters' gradients:")));
        for (String type : types(spec.layers())) {
            b.addAll(rule(type));
        }
        b.add(new Block.Heading(2, Inline.of("The gradient, layer by layer")));
        b.add(new Block.Paragraph(Inline.of("At the spec's point: the size of ∂L/∂x_l at each layer's input, the "
                + "layer's Jacobian norm (exact, and the bound the ops give), and its parameters' gradient norm. A chain "
                + "of Jacobians with norms below 1 shrinks the gradient on its way back — the vanishing gradient.")));
        double[][] tensorGradients = ModelEvaluator.tensorGradients(model, theta);
        List<List<List<Inline>>> flow = new ArrayList<>();
        for (LayeredBounds.Row row : bounds.rows()) {
            double input = inputGradientNorm(model, tensorGradients, row.position());
            flow.add(List.of(Inline.of(row.position()), Inline.of(row.type()), Inline.of(number(input)),
                    Inline.of(number(row.actual())), Inline.of(number(row.here())), Inline.of(number(row.gradientNorm()))));
        }
        b.add(new Block.Table(List.of(Inline.of("layer"), Inline.of("type"), Inline.of("‖∂L/∂x_l‖"),
                Inline.of("‖J_l‖₂"), Inline.of("bound at the data"), Inline.of("‖∂L/∂θ_l‖_F")), flow));
        b.add(new Block.Heading(2, Inline.of("Checked")));
        List<List<List<Inline>>> checked = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            double squares = 0;
            double worst = 0;
            boolean agree = true;
            for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                squares += gradient[i] * gradient[i];
                ParameterCheck c = report.checks().get(i);
                double scale = Math.max(Math.abs(c.oracle().value()), Double.MIN_NORMAL);
                worst = Math.max(worst, Math.abs(c.claimed() - c.oracle().value()) / scale);
                agree &= !report.failures().contains(c);
            }
            checked.add(List.of(Inline.of(Inline.code(p.name())), Inline.of(p.shape().toString()),
                    Inline.of(number(Math.sqrt(squares))), Inline.of(String.format(Locale.ROOT, "%.1e", worst)),
                    Inline.of(agree ? "agree" : "WRONG")));
        }
        b.add(new Block.Paragraph(Inline.of("Every entry of the reverse walk's gradient against the complex step "
                + "(exact to rounding), tensor by tensor:")));
        b.add(new Block.Table(List.of(Inline.of("tensor"), Inline.of("shape"), Inline.of("‖∂L/∂θ‖_F"),
                Inline.of("largest relative difference"), Inline.of("verdict")), checked));
        b.add(new Block.Paragraph(Inline.of(report.passed() ? "All " + report.checks().size()
                + " gradients agree with the complex step." : report.failures().size() + " of " + report.checks().size()
                + " gradients disagree with the complex step.")));
        return new Document("Backpropagation through " + spec.name(), b);
    }

    private static List<LayeredSpec.Layer> flatten(List<LayeredSpec.Layer> layers) {
        List<LayeredSpec.Layer> out = new ArrayList<>();
        for (LayeredSpec.Layer l : layers) {
            out.add(l);
            if (l instanceof LayeredSpec.Residual r) {
                out.addAll(flatten(r.layers()));
            }
        }
        return out;
    }

    private static Set<String> types(List<LayeredSpec.Layer> layers) {
        Set<String> types = new LinkedHashSet<>();
        for (LayeredSpec.Layer l : flatten(layers)) {
            String type = l.type().replaceAll("[12]d$", "");
            types.add(type);
            if (l.activation() != Activation.IDENTITY && l.activation() != Activation.SOFTMAX) {
                types.add("activation");
            }
        }
        types.add("loss");
        return types;
    }

    private static String describe(LayeredSpec.Layer l) {
        if (l instanceof LayeredSpec.Dense d) {
            return "dense, " + d.units() + " units";
        }
        if (l instanceof LayeredSpec.Conv c) {
            return c.type() + ", " + c.channels() + " channels, kernel " + Arrays.toString(c.kernel()) + ", stride "
                    + Arrays.toString(c.stride()) + ", padding " + Arrays.toString(c.padding()) + ", dilation "
                    + Arrays.toString(c.dilation());
        }
        if (l instanceof LayeredSpec.Pool p) {
            return p.type() + ", window " + Arrays.toString(p.kernel()) + ", stride " + Arrays.toString(p.stride());
        }
        if (l instanceof LayeredSpec.Norm n) {
            return n.type() + ", ε = " + n.eps();
        }
        if (l instanceof LayeredSpec.Residual r) {
            return "residual block of " + r.layers().size() + " layers: x + F(x)";
        }
        if (l instanceof LayeredSpec.Embedding e) {
            return "embedding, " + e.vocabulary() + " ids × " + e.dim();
        }
        return l.type();
    }

    private static String parameters(LayeredSpec spec, String position) {
        List<String> names = new ArrayList<>();
        spec.parameters().forEach((name, w) -> {
            if (name.replaceFirst("^(gamma|beta|W|b|E)", "").equals(position)) {
                names.add(name + " " + Arrays.toString(w.shape()));
            }
        });
        return names.isEmpty() ? "—" : String.join(", ", names);
    }

    private static double inputGradientNorm(Model model, double[][] grads, String position) {
        String label = "layer " + position;
        for (Node node : model.nodes()) {
            if (node.label().equals(label) || node.label().startsWith(label + ".")) {
                double[] g = grads[node.input(0)];
                if (g == null) {
                    return Double.NaN;
                }
                double s = 0;
                for (double v : g) {
                    s += v * v;
                }
                return Math.sqrt(s);
            }
        }
        return Double.NaN;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4e", v);
    }

    private static List<Block> rule(String type) {
        List<Block> b = new ArrayList<>();
        switch (type) {
            case "dense" -> {
                b.add(new Block.Heading(3, Inline.of("Dense: z = W·a + b on the last axis")));
                b.add(new Block.Equations(List.of(new Formula("∂L/∂W = Σ_r ḡ_r·a_rᵀ,  ∂L/∂b = Σ_r ḡ_r,  ∂L/∂a_r = Wᵀ·ḡ_r",
                        "\\frac{\\partial L}{\\partial W} = \\sum_r \\bar g_r a_r^{\\top}, \\quad \\frac{\\partial L}{\\partial b} "
                                + "= \\sum_r \\bar g_r, \\quad \\frac{\\partial L}{\\partial a_r} = W^{\\top} \\bar g_r"))));
                b.add(new Block.Paragraph(Inline.of("summed over the rows r (samples, and steps of a sequence).")));
            }
            case "conv" -> {
                b.add(new Block.Heading(3, Inline.of("Convolution: z[o,q] = b[o] + Σ_c Σ_κ W[o,c,κ]·x[c, q·s − p + κ·d]")));
                b.add(new Block.Paragraph(Inline.of("A weight touches every output position q, so its gradient is a sum "
                        + "over those positions; an input entry is read by every window that covers it, so its gradient "
                        + "gathers the kernel's weights in flipped order:")));
                b.add(new Block.Equations(List.of(
                        new Formula("∂L/∂W[o,c,κ] = Σ_n Σ_q ḡ[n,o,q]·x[n, c, q·s − p + κ·d]",
                                "\\frac{\\partial L}{\\partial W_{o,c,\\kappa}} = \\sum_n \\sum_q \\bar g_{n,o,q}\\, "
                                        + "x_{n,\\,c,\\,q s - p + \\kappa d}"),
                        new Formula("∂L/∂b[o] = Σ_n Σ_q ḡ[n,o,q],  ∂L/∂x[n,c,i] = Σ_o Σ_{(q,κ): q·s − p + κ·d = i} W[o,c,κ]·ḡ[n,o,q]",
                                "\\frac{\\partial L}{\\partial b_o} = \\sum_n \\sum_q \\bar g_{n,o,q}, \\quad "
                                        + "\\frac{\\partial L}{\\partial x_{n,c,i}} = \\sum_o \\sum_{q s - p + \\kappa d = i} "
                                        + "W_{o,c,\\kappa}\\, \\bar g_{n,o,q}"))));
            }
            case "max_pool", "avg_pool" -> {
                b.add(new Block.Heading(3, Inline.of(type.equals("max_pool") ? "Max pooling" : "Average pooling")));
                b.add(new Block.Paragraph(Inline.of(type.equals("max_pool")
                        ? "Each window's gradient goes to the entry that was its maximum (a tie is a kink: the maximum is "
                                + "not differentiable there)."
                        : "Each window's gradient is shared equally, ḡ/k, by its k entries.")));
            }
            case "layer_norm", "batch_norm" -> {
                b.add(new Block.Heading(3, Inline.of(type.equals("layer_norm")
                        ? "Layer norm: over the last axis of each row" : "Batch norm: per channel, over the batch and positions")));
                b.add(new Block.Equations(List.of(
                        new Formula("x̂ = (x − μ)/σ,  σ = √(Var(x) + ε),  y = γ·x̂ + β",
                                "\\hat x = \\frac{x - \\mu}{\\sigma}, \\quad \\sigma = \\sqrt{\\operatorname{Var}(x) + \\varepsilon}, "
                                        + "\\quad y = \\gamma \\hat x + \\beta"),
                        new Formula("∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/σ  with ĝ = γ·ḡ",
                                "\\frac{\\partial L}{\\partial x} = \\frac{1}{\\sigma}\\left(\\hat g - \\overline{\\hat g} - "
                                        + "\\hat x\\, \\overline{\\hat g \\hat x}\\right), \\quad \\hat g = \\gamma \\bar g"),
                        new Formula("∂L/∂γ = Σ ḡ·x̂,  ∂L/∂β = Σ ḡ",
                                "\\frac{\\partial L}{\\partial \\gamma} = \\sum \\bar g \\hat x, \\quad "
                                        + "\\frac{\\partial L}{\\partial \\beta} = \\sum \\bar g"))));
                b.add(new Block.Paragraph(Inline.of("Of the three terms in the bracket, the second comes through μ and the "
                        + "third through σ²; a backward pass that treats the statistics as constants leaves both out."
                        + (type.equals("batch_norm") ? " The statistics couple the samples of the batch." : ""))));
            }
            case "residual" -> {
                b.add(new Block.Heading(3, Inline.of("Residual block: y = x + F(x)")));
                b.add(new Block.Equations(List.of(new Formula("∂L/∂x = ḡ + J_Fᵀ·ḡ = (I + J_F)ᵀ·ḡ",
                        "\\frac{\\partial L}{\\partial x} = \\bar g + J_F^{\\top} \\bar g = (I + J_F)^{\\top} \\bar g"))));
                b.add(new Block.Paragraph(Inline.of("The identity path carries ḡ back unchanged, however small J_F "
                        + "becomes: 1 − ‖J_F‖ ≤ ‖I + J_F‖ ≤ 1 + ‖J_F‖.")));
            }
            case "embedding" -> {
                b.add(new Block.Heading(3, Inline.of("Embedding: row id of E for every id")));
                b.add(new Block.Equations(List.of(new Formula("∂L/∂E[v] = Σ_{t: id_t = v} ḡ_t",
                        "\\frac{\\partial L}{\\partial E_v} = \\sum_{t:\\, \\mathrm{id}_t = v} \\bar g_t"))));
                b.add(new Block.Paragraph(Inline.of("An id that occurs several times accumulates every occurrence's gradient.")));
            }
            case "activation" -> {
                b.add(new Block.Heading(3, Inline.of("Activation: o = φ(z), elementwise")));
                b.add(new Block.Equations(List.of(new Formula("∂L/∂z = ḡ ⊙ φ'(z)",
                        "\\frac{\\partial L}{\\partial z} = \\bar g \\odot \\varphi'(z)"))));
            }
            case "loss" -> {
                b.add(new Block.Heading(3, Inline.of("Output and loss")));
                b.add(new Block.Paragraph(Inline.of("The last layer's activation is fused with the loss and evaluated in "
                        + "its stable form; for softmax with cross-entropy ∂ℓ/∂z = o·Σy − y, for sigmoid with bce "
                        + "∂ℓ/∂z = o − y, otherwise ∂ℓ/∂a times the activation's Jacobian.")));
            }
            default -> {
                // flatten reshapes and passes the gradient back unchanged
                if (type.equals("flatten")) {
                    b.add(new Block.Heading(3, Inline.of("Flatten")));
                    b.add(new Block.Paragraph(Inline.of("A reshape: the gradient goes back unchanged, reshaped.")));
                }
            }
        }
        return b;
    }
}
