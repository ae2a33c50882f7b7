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
        VerificationReport report = new GradientVerifier().forOwnGradients().verifyExhaustively(f, gradient);
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
        b.addAll(throughTime(spec, model, theta, tensorGradients, gradient));
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
        if (l instanceof LayeredSpec.Attention a) {
            return "self-attention, " + a.heads() + (a.heads() == 1 ? " head" : " heads") + (a.causal() ? ", causal" : "")
                    + ": softmax(Q Kᵀ/√d) V per head";
        }
        if (l instanceof LayeredSpec.Recurrent r) {
            return r.type() + ", hidden " + r.hidden() + (r.cell() == LayeredSpec.Recurrent.Cell.RNN ? ", "
                    + r.nonlinearity().specName() : "") + ", returns " + (r.sequence() ? "every step's h" : "the last h")
                    + switch (r.cell()) {
                        case RNN -> ": h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)";
                        case LSTM -> ": gates i, f, g, o; c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t)";
                        case GRU -> ": gates r, z, n = tanh(W_in x_t + b_in + r ⊙ (W_hn h + b_hn)); "
                                + "h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}";
                    };
        }
        return l.type();
    }

    private static String parameters(LayeredSpec spec, String position) {
        List<String> names = new ArrayList<>();
        spec.parameters().forEach((name, w) -> {
            if (name.replaceFirst(io.chainproof.spec.LayeredSpec.OWNER_PREFIX, "").equals(position)) {
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

    /** Rows of the worked sum shown at most; the rest are summed in one row. */
    private static final int BPTT_ROWS = 12;

    /**
     * Backpropagation through time for one weight of the first recurrent layer: the recurrent weight with the largest
     * gradient in the gate whose path the lecture follows (an lstm's forget gate, a gru's update gate, an rnn's
     * W_hh), its gradient written as the sum over steps and samples of the chain rule's factors, each factor's value,
     * and the sum against the reverse walk's gradient.
     */
    private static List<Block> throughTime(LayeredSpec spec, Model model, double[] theta, double[][] tensorGradients,
                                           double[] gradient) {
        LayeredSpec.Recurrent r = flatten(spec.layers()).stream().filter(l -> l instanceof LayeredSpec.Recurrent)
                .map(l -> (LayeredSpec.Recurrent) l).findFirst().orElse(null);
        if (r == null) {
            return List.of();
        }
        String p = r.position();
        int hidden = r.hidden();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int t = 0; t < model.tensors().size(); t++) {
            index.put(model.tensor(t).name(), t);
        }
        double[][] values = ModelEvaluator.values(model, theta);
        Parameter whh = model.parameters().stream().filter(q -> q.name().equals("W_hh" + p)).findFirst().orElseThrow();
        int block = switch (r.cell()) {
            case LSTM, GRU -> 1; // the forget gate f; the update gate z
            case RNN -> 0;
        };
        int best = block * hidden * hidden;
        for (int k = block * hidden * hidden; k < (block + 1) * hidden * hidden; k++) {
            if (Math.abs(gradient[whh.offset() + k]) > Math.abs(gradient[whh.offset() + best])) {
                best = k;
            }
        }
        int u = best / hidden - block * hidden;
        int j = best % hidden;
        int steps = 0;
        while (index.containsKey("h" + p + "[" + (steps + 1) + "]")) {
            steps++;
        }
        int samples = model.samples();
        String entry = "W_hh" + p + "[" + (block * hidden + u) + "][" + j + "]";
        List<Block> b = new ArrayList<>();
        b.add(new Block.Heading(2, Inline.of("Backpropagation through time for one weight")));
        String gate = switch (r.cell()) {
            case LSTM -> "row " + (block * hidden + u) + " is unit " + u + " of the forget gate f";
            case GRU -> "row " + (block * hidden + u) + " is unit " + u + " of the update gate z";
            case RNN -> "row " + u + " is unit " + u;
        };
        b.add(new Block.Paragraph(Inline.of(Inline.code(entry), " (" + gate + ", column " + j + " reads h_{t−1}[" + j
                + "]; the recurrent weight of layer " + p + " with the largest gradient there) collects one term per "
                + "step t and sample n — the chain rule through that gate, with ∂L/∂" + (r.cell() == LayeredSpec.Recurrent
                .Cell.LSTM ? "c" : "h") + "_t the whole gradient reaching the state at step t, from its output and from "
                + "every later step:")));
        String[] head;
        Formula formula = switch (r.cell()) {
            case LSTM -> new Formula("∂L/∂" + entry + " = Σ_t Σ_n ∂L/∂c_t[" + u + "] · c_{t−1}[" + u + "] · f_t[" + u
                    + "](1 − f_t[" + u + "]) · h_{t−1}[" + j + "],  ∂L/∂c_t = ∂L/∂h_t ⊙ o_t ⊙ (1 − tanh²c_t) + "
                    + "∂L/∂c_{t+1} ⊙ f_{t+1}",
                    "\\frac{\\partial L}{\\partial W_{hh," + (block * hidden + u) + "," + j + "}} = \\sum_t \\sum_n "
                            + "\\frac{\\partial L}{\\partial c_{t," + u + "}}\\, c_{t-1," + u + "}\\, f_{t," + u + "}(1 - f_{t,"
                            + u + "})\\, h_{t-1," + j + "}");
            case GRU -> new Formula("∂L/∂" + entry + " = Σ_t Σ_n ∂L/∂h_t[" + u + "] · (h_{t−1}[" + u + "] − n_t[" + u
                    + "]) · z_t[" + u + "](1 − z_t[" + u + "]) · h_{t−1}[" + j + "]",
                    "\\frac{\\partial L}{\\partial W_{hh," + (block * hidden + u) + "," + j + "}} = \\sum_t \\sum_n "
                            + "\\frac{\\partial L}{\\partial h_{t," + u + "}}\\, (h_{t-1," + u + "} - n_{t," + u + "})\\, z_{t,"
                            + u + "}(1 - z_{t," + u + "})\\, h_{t-1," + j + "}");
            case RNN -> new Formula("∂L/∂" + entry + " = Σ_t Σ_n ∂L/∂h_t[" + u + "] · φ'(z_t[" + u + "]) · h_{t−1}[" + j
                    + "]",
                    "\\frac{\\partial L}{\\partial W_{hh," + u + "," + j + "}} = \\sum_t \\sum_n "
                            + "\\frac{\\partial L}{\\partial h_{t," + u + "}}\\, \\varphi'(z_{t," + u + "})\\, h_{t-1," + j + "}");
        };
        b.add(new Block.Equations(List.of(formula)));
        head = switch (r.cell()) {
            case LSTM -> new String[] {"t", "n", "∂L/∂c_t[" + u + "]", "c_{t−1}[" + u + "]", "f(1 − f)", "h_{t−1}[" + j + "]", "term"};
            case GRU -> new String[] {"t", "n", "∂L/∂h_t[" + u + "]", "h_{t−1}[" + u + "] − n_t[" + u + "]", "z(1 − z)",
                "h_{t−1}[" + j + "]", "term"};
            case RNN -> new String[] {"t", "n", "∂L/∂h_t[" + u + "]", "φ'(z_t[" + u + "])", "h_{t−1}[" + j + "]", "term"};
        };
        List<List<List<Inline>>> rows = new ArrayList<>();
        double sum = 0;
        double rest = 0;
        int restCount = 0;
        int shown = 0;
        for (int t = steps; t >= 1; t--) {
            String at = p + "[" + t + "]";
            double[] hPrev = t == 1 ? values[index.get("h0_" + p)] : values[index.get("h" + p + "[" + (t - 1) + "]")];
            for (int n = 0; n < samples; n++) {
                int k = n * hidden + u;
                double[] factors = switch (r.cell()) {
                    case LSTM -> {
                        double[] f = values[index.get("f" + at)];
                        double[] cPrev = t == 1 ? values[index.get("c0_" + p)] : values[index.get("c" + p + "[" + (t - 1) + "]")];
                        yield new double[] {tensorGradients[index.get("c" + at)][k], cPrev[k], f[k] * (1 - f[k]),
                            hPrev[n * hidden + j]};
                    }
                    case GRU -> {
                        double[] z = values[index.get("z" + at)];
                        double[] nn = values[index.get("n" + at)];
                        yield new double[] {tensorGradients[index.get("h" + at)][k], hPrev[k] - nn[k], z[k] * (1 - z[k]),
                            hPrev[n * hidden + j]};
                    }
                    case RNN -> {
                        double[] zs = values[index.get("z" + at)];
                        double[] h = values[index.get("h" + at)];
                        double slope = r.nonlinearity() == Activation.RELU ? (zs[k] > 0 ? 1 : 0) : 1 - h[k] * h[k];
                        yield new double[] {tensorGradients[index.get("h" + at)][k], slope, hPrev[n * hidden + j]};
                    }
                };
                double term = 1;
                for (double x : factors) {
                    term *= x;
                }
                sum += term;
                if (shown < BPTT_ROWS) {
                    List<List<Inline>> row = new ArrayList<>();
                    row.add(Inline.of(Integer.toString(t)));
                    row.add(Inline.of(Integer.toString(n + 1)));
                    for (double x : factors) {
                        row.add(Inline.of(number(x)));
                    }
                    row.add(Inline.of(number(term)));
                    rows.add(row);
                    shown++;
                } else {
                    rest += term;
                    restCount++;
                }
            }
        }
        if (restCount > 0) {
            List<List<Inline>> row = new ArrayList<>();
            row.add(Inline.of("…"));
            row.add(Inline.of(restCount + " more"));
            for (int c = 2; c < head.length - 1; c++) {
                row.add(Inline.of(""));
            }
            row.add(Inline.of(number(rest)));
            rows.add(row);
        }
        List<List<Inline>> header = new ArrayList<>();
        for (String h : head) {
            header.add(Inline.of(h));
        }
        b.add(new Block.Table(header, rows));
        double walked = gradient[whh.offset() + best];
        b.add(new Block.Paragraph(Inline.of("From the last step back: the sum of the " + steps * samples + " terms is "
                + number(sum) + "; the reverse walk's " + entry + " is " + number(walked)
                + " (they differ by " + String.format(Locale.ROOT, "%.1e", Math.abs(sum - walked)) + ", rounding). "
                + (r.cell() == LayeredSpec.Recurrent.Cell.RNN ? "Each step back multiplies ∂L/∂h by W_hhᵀ and φ': "
                + "the early terms vanish or explode with the distance." : r.cell() == LayeredSpec.Recurrent.Cell.LSTM
                ? "∂L/∂c_t reaches early steps through ∏ f — the constant-error carousel — without a weight or a slope "
                + "in the product." : "∂L/∂h_t reaches early steps through ∏ z as well as through the weights."))));
        return b;
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
            case "rnn" -> {
                b.add(new Block.Heading(3, Inline.of("RNN layer: h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)")));
                b.add(new Block.Paragraph(Inline.of("Backpropagation through time: the gradient reaching h_t comes from "
                        + "the layer's output at step t and from step t + 1; each step passes it through φ' and W_hh:")));
                b.add(new Block.Equations(List.of(
                        new Formula("δ_t = (ḡ_t + W_hhᵀ·δ_{t+1}) ⊙ φ'(z_t),  ∂L/∂W_hh = Σ_t δ_t·h_{t−1}ᵀ,  "
                                + "∂L/∂W_ih = Σ_t δ_t·x_tᵀ,  ∂L/∂b_ih = ∂L/∂b_hh = Σ_t δ_t",
                                "\\delta_t = \\left(\\bar g_t + W_{hh}^{\\top} \\delta_{t+1}\\right) \\odot \\varphi'(z_t), \\quad "
                                        + "\\frac{\\partial L}{\\partial W_{hh}} = \\sum_t \\delta_t h_{t-1}^{\\top}, \\quad "
                                        + "\\frac{\\partial L}{\\partial W_{ih}} = \\sum_t \\delta_t x_t^{\\top}"),
                        new Formula("∂h_T/∂h_k = ∏_{t=k+1}^{T} diag(φ'(z_t))·W_hh",
                                "\\frac{\\partial h_T}{\\partial h_k} = \\prod_{t=k+1}^{T} \\operatorname{diag}(\\varphi'(z_t))\\, W_{hh}"))));
                b.add(new Block.Paragraph(Inline.of("The product over the steps is the lecture's chain again: it grows or "
                        + "vanishes geometrically with T − k (Pascanu et al. 2013).")));
            }
            case "lstm" -> {
                b.add(new Block.Heading(3, Inline.of("LSTM layer: gates i, f, g, o (PyTorch's order)")));
                b.add(new Block.Equations(List.of(
                        new Formula("[i; f; g; o] = [σ; σ; tanh; σ](W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),  "
                                + "c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)",
                                "c_t = f_t \\odot c_{t-1} + i_t \\odot g_t, \\quad h_t = o_t \\odot \\tanh(c_t)"),
                        new Formula("∂L/∂c_{t−1} = ∂L/∂c_t ⊙ f_t + (terms through h_{t−1} and the gates),  "
                                + "∂c_T/∂c_k|_direct = ∏_{t=k+1}^{T} diag(f_t)",
                                "\\frac{\\partial c_T}{\\partial c_k}\\Big|_{\\text{direct}} = \\prod_{t=k+1}^{T} "
                                        + "\\operatorname{diag}(f_t)"))));
                b.add(new Block.Paragraph(Inline.of("The cell state's gradient flows back through f ⊙ only — the "
                        + "constant-error carousel: with forget gates near 1 it survives many steps. Both c and h carry "
                        + "gradient back to the previous step; a backward pass that drops the path through c, or mixes "
                        + "up the gradients of h and c, is wrong.")));
            }
            case "gru" -> {
                b.add(new Block.Heading(3, Inline.of("GRU layer: gates r, z, n (PyTorch's equations)")));
                b.add(new Block.Equations(List.of(
                        new Formula("r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),  "
                                + "n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h",
                                "n = \\tanh\\left(W_{in} x + b_{in} + r \\odot (W_{hn} h + b_{hn})\\right), \\quad "
                                        + "h' = (1 - z) \\odot n + z \\odot h"),
                        new Formula("∂h'/∂h|_direct = diag(z)",
                                "\\frac{\\partial h'}{\\partial h}\\Big|_{\\text{direct}} = \\operatorname{diag}(z)"))));
                b.add(new Block.Paragraph(Inline.of("The reset gate multiplies W_hn h + b_hn after the matrix product "
                        + "(PyTorch's and cuDNN's form; the original paper applies r to h before it). The update gate's "
                        + "direct path carries the gradient back through ∏ z_t.")));
            }
            case "attention" -> {
                b.add(new Block.Heading(3, Inline.of("Self-attention: per head A = softmax(Q Kᵀ/√d), O = A V")));
                b.add(new Block.Equations(List.of(
                        new Formula("V̄ = Aᵀ ḡ,  Ā = ḡ Vᵀ,  S̄ = A ⊙ (Ā − rowsum(A ⊙ Ā)),  Q̄ = S̄ K/√d,  K̄ = S̄ᵀ Q/√d",
                                "\\bar V = A^{\\top} \\bar g, \\quad \\bar A = \\bar g V^{\\top}, \\quad \\bar S = A \\odot "
                                        + "\\left(\\bar A - \\textstyle\\sum_l A_{\\cdot l} \\bar A_{\\cdot l}\\right), \\quad "
                                        + "\\bar Q = \\bar S K/\\sqrt d, \\quad \\bar K = \\bar S^{\\top} Q/\\sqrt d"))));
                b.add(new Block.Paragraph(Inline.of("The chain rule runs through the softmax over each row of scores; "
                        + "q, k and v come from one projection W_in, and the heads, side by side, go through W_out. "
                        + "A causal mask hides later steps in the forward and the backward pass alike.")));
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
