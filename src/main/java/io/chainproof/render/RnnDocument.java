package io.chainproof.render;

import io.chainproof.check.ParameterCheck;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.Oracle;
import io.chainproof.model.Models;
import io.chainproof.rnn.RnnBounds;
import io.chainproof.explain.Formula;
import io.chainproof.rnn.RnnBoundReport;
import io.chainproof.spec.RnnSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Backpropagation through time for a recurrent network, as a {@link Document}: the recurrence, the BPTT
 * formulas (the gradient as a sum over time of products of Jacobians, with ∂h_t/∂h_k written out), the
 * actual ‖∂h_T/∂h_k‖₂ next to Pascanu's bound (γ‖W_h‖₂)^{T−k} for every k, and every parameter's
 * gradient next to central differences.
 */
public final class RnnDocument {

    private RnnDocument() {
    }

    /**
     * @param spec   the network
     * @param bounds its bound report (first sample)
     * @param checks its BPTT gradient checked by central differences, one per parameter in layout order
     * @return the document
     */
    public static Document of(RnnSpec spec, RnnBoundReport bounds, List<ParameterCheck> checks) {
        List<Block> b = new ArrayList<>();
        String every = spec.lossAt() == RnnSpec.LossAt.EVERY ? "summed over every step" : "at the last step";
        b.add(new Block.Paragraph(Inline.of(Inline.code(spec.source()), ": a recurrent network with " + spec.inputs()
                + " input" + (spec.inputs() == 1 ? "" : "s") + ", " + spec.hidden() + " hidden unit"
                + (spec.hidden() == 1 ? "" : "s") + " (" + spec.activation().specName() + "), " + spec.outputs() + " output"
                + (spec.outputs() == 1 ? "" : "s") + " (" + spec.outputActivation().specName() + "), loss "
                + spec.loss().specName() + " " + every + ", " + spec.samples() + " sequence" + (spec.samples() == 1 ? "" : "s")
                + " (the first of length T = " + spec.steps(0) + ").")));
        b.add(new Block.Heading(2, Inline.of("The recurrence")));
        b.add(new Block.Equations(List.of(
                new Formula("z_t = W_h·h_{t−1} + W_x·x_t + b,  h_t = φ(z_t)", "z_t &= W_h h_{t-1} + W_x x_t + b, \\quad h_t = \\varphi(z_t)"),
                new Formula("o_t = ψ(W_y·h_t + b_y),  L = " + (spec.lossAt() == RnnSpec.LossAt.EVERY ? "Σ_t ℓ(o_t, y_t)" : "ℓ(o_T, y)"),
                        "o_t &= \\psi(W_y h_t + b_y), \\quad L = " + (spec.lossAt() == RnnSpec.LossAt.EVERY
                                ? "\\sum_t \\ell(o_t, y_t)" : "\\ell(o_T, y)")))));
        b.add(new Block.Paragraph(Inline.of("with h₀ given (zero by default) and the loss averaged over the sequences.")));
        b.add(new Block.Heading(2, Inline.of("Backpropagation through time")));
        b.add(new Block.Paragraph(Inline.of("Every parameter of the recurrence is used at every step, so its gradient "
                + "is a sum over time; each term carries the loss's sensitivity to h_t back through the Jacobians of the "
                + "steps in between:")));
        b.add(new Block.Equations(List.of(
                new Formula("∂L/∂W_h = Σ_t δ_t·h_{t−1}ᵀ,  ∂L/∂W_x = Σ_t δ_t·x_tᵀ,  ∂L/∂b = Σ_t δ_t",
                        "\\frac{\\partial L}{\\partial W_h} &= \\sum_t \\delta_t h_{t-1}^{\\top}, \\quad "
                                + "\\frac{\\partial L}{\\partial W_x} = \\sum_t \\delta_t x_t^{\\top}, \\quad "
                                + "\\frac{\\partial L}{\\partial b} = \\sum_t \\delta_t"),
                new Formula("δ_t = diag(φ'(z_t))·∂L/∂h_t,  ∂L/∂h_t = Σ_{k≥t} (∂h_k/∂h_t)ᵀ·∂ℓ_k/∂h_k",
                        "\\delta_t &= \\operatorname{diag}(\\varphi'(z_t)) \\frac{\\partial L}{\\partial h_t}, \\quad "
                                + "\\frac{\\partial L}{\\partial h_t} = \\sum_{k \\ge t} \\left(\\frac{\\partial h_k}{\\partial h_t}\\right)^{\\top} "
                                + "\\frac{\\partial \\ell_k}{\\partial h_k}"),
                new Formula("∂h_t/∂h_k = ∏_{s=k+1}^{t} diag(φ'(z_s))·W_h,  ‖∂h_t/∂h_k‖₂ ≤ (γ·‖W_h‖₂)^{t−k}",
                        "\\frac{\\partial h_t}{\\partial h_k} &= \\prod_{s=k+1}^{t} \\operatorname{diag}(\\varphi'(z_s)) W_h, "
                                + "\\quad \\left\\lVert \\frac{\\partial h_t}{\\partial h_k} \\right\\rVert_2 \\le (\\gamma \\lVert W_h \\rVert_2)^{t-k}"))));
        b.add(new Block.Paragraph(Inline.of("Here ", new Formula("γ = sup|φ'| = " + Formula.number(bounds.gamma()).text(),
                        "\\gamma = \\sup|\\varphi'| = " + Formula.number(bounds.gamma()).latex()), " and ",
                new Formula("‖W_h‖₂ = " + Formula.number(bounds.whNorm()).text(), "\\lVert W_h \\rVert_2 = "
                        + Formula.number(bounds.whNorm()).latex()), ", so ", new Formula("γ‖W_h‖₂ = "
                        + Formula.number(bounds.gamma() * bounds.whNorm()).text(), "\\gamma \\lVert W_h \\rVert_2 = "
                        + Formula.number(bounds.gamma() * bounds.whNorm()).latex()),
                ": " + regime(bounds.regime()) + " (Pascanu, Mikolov, Bengio 2013).")));
        b.add(new Block.Heading(2, Inline.of("The Jacobian products, first sequence")));
        List<List<List<Inline>>> rows = new ArrayList<>();
        for (RnnBoundReport.LagBound l : bounds.lags()) {
            rows.add(List.of(Inline.of(Integer.toString(l.k())), Inline.of(Integer.toString(l.lag())),
                    Inline.of(Formula.number(l.actual())), Inline.of(Formula.number(l.bound())),
                    Inline.of(l.holds() ? "yes" : "NO")));
        }
        b.add(new Block.Table(List.of(Inline.of("k"), Inline.of("T − k"),
                Inline.of(new Formula("‖∂h_T/∂h_k‖₂", "\\lVert \\partial h_T / \\partial h_k \\rVert_2")),
                Inline.of(new Formula("(γ‖W_h‖₂)^(T−k)", "(\\gamma \\lVert W_h \\rVert_2)^{T-k}")), Inline.of("within")), rows));
        b.add(new Block.Heading(2, Inline.of("Gradients")));
        List<List<List<Inline>>> g = new ArrayList<>();
        for (ParameterCheck c : checks) {
            g.add(List.of(Inline.of(Inline.code(c.parameter())), Inline.of(Formula.number(c.claimed())),
                    Inline.of(Formula.number(c.oracle().value())), Inline.of(Formula.approximately(c.oracle().errorEstimate())),
                    Inline.of(c.verdict().label())));
        }
        b.add(new Block.Table(List.of(Inline.of("parameter"), Inline.of("BPTT"), Inline.of("central difference"),
                Inline.of("error estimate"), Inline.of("verdict")), g));
        return new Document("Backpropagation through time — " + spec.name(), b);
    }

    /**
     * The derivation of an RNN spec: its Pascanu bounds and its gradient (the reverse walk of the unrolled graph,
     * i.e. backpropagation through time) checked by central differences through the common verifier.
     *
     * @param spec the network
     * @return the document
     */
    public static Document of(RnnSpec spec) {
        GraphFunction f = new GraphFunction(Models.rnn(spec));
        return of(spec, RnnBounds.of(spec),
                new GradientVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE).verify(f, f.gradient(f.point())).checks());
    }

    private static String regime(RnnBoundReport.Regime r) {
        return switch (r) {
            case VANISHING -> "below 1, which is sufficient for the gradient to vanish as the lag grows";
            case BOUNDED -> "exactly 1: the Jacobian products stay bounded";
            case EXPLODING_POSSIBLE -> "above 1, which is necessary (not sufficient) for the gradient to explode";
        };
    }
}
