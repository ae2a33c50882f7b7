package io.chainproof.explain;

import io.chainproof.check.Thresholds;
import io.chainproof.bounds.LayerBound;
import io.chainproof.graph.Node;
import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ActivationBound;
import io.chainproof.symbolic.ChainFactor;
import io.chainproof.symbolic.ChainRuleDerivation;
import io.chainproof.symbolic.DerivativeBounds;
import io.chainproof.symbolic.ParameterDerivation;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link BoundStep} of a parameter. In a width-1 chain with one sample the factors of
 * {@code ∂L/∂θ = ∂L/∂o_L · ∏_{k=L}^{l+1} ∂o_k/∂o_{k−1} · ∂o_l/∂θ} are bounded one by one:
 * {@code |∂o_k/∂o_{k−1}| = |φ_k'(z_k)|·|w_k| ≤ γ_k·|w_k|}, {@code |∂o_l/∂w_l| ≤ γ_l·|o_{l−1}|}, {@code |∂o_l/∂b_l| ≤ γ_l},
 * and ∂L/∂o_L is kept as it is; the product of the bounds is the γ bound of {@link io.chainproof.bounds.GrowthBounds}
 * for a weight. A factor attains its bound exactly when {@code |φ_k'(z_k)| = γ_k} (σ, tanh: z_k = 0).
 */
final class BoundSteps {

    /** Relative gap below which a value is said to attain its bound (rounding of a few operations). */

    private BoundSteps() {
    }

    static BoundStep of(NetworkSpec spec, ChainRuleDerivation chain, ParameterDerivation d, LayerBound layer,
                        LayerBound lastLayer) {
        boolean scalar = spec.inputs() == 1 && spec.layers().stream().allMatch(x -> x.units() == 1);
        if (!scalar || d.samples().size() != 1) {
            boolean attained = layer.gammaBound() > 0 && layer.actual() >= layer.gammaBound() * (1 - Thresholds.DEFAULT.attained());
            return new BoundStep(layer, List.of(), Double.NaN, attained, new Formula("|φ'(z)| = γ", "|\\varphi'(z)| = \\gamma"),
                    gammas(spec, d.parameter().layer()), lastLayer);
        }
        int l = d.parameter().layer();
        int last = spec.layerCount();
        List<ChainFactor> factors = d.factors();
        List<FactorBound> out = new ArrayList<>();
        ChainFactor lossFactor = factors.get(0);
        out.add(new FactorBound(definition(lossFactor), lossFactor.value(0),
                new Formula("|" + lossFactor.name() + "|", "\\left|" + lossFactor.latexName() + "\\right|"),
                Math.abs(lossFactor.value(0)), true, new Formula("exact: not bounded", "\\text{exact: not bounded}"),
                new Formula("", "")));
        boolean allAttained = true;
        StringBuilder conditionText = new StringBuilder();
        StringBuilder conditionLatex = new StringBuilder();
        boolean fused = factors.get(0).symbol().startsWith("dL_dz");
        for (int i = 1; i < factors.size(); i++) {
            ChainFactor f = factors.get(i);
            if (fused && f.symbol().startsWith("dz")) {
                out.add(exactFactor(f));
                continue;
            }
            int k = last - i + 1;
            Activation act = spec.layers().get(k - 1).activation();
            ActivationBound gamma = DerivativeBounds.of(act);
            String sub = Notation.subscript(k);
            double bound;
            Formula boundForm;
            if (k > l) {
                double w = spec.parameters().weight(k)[0][0];
                bound = gamma.gamma() * Math.abs(w);
                boundForm = new Formula("γ" + sub + "·|w" + sub + "| = " + plain(gamma.gamma()) + "·" + plain(Math.abs(w)),
                        "\\gamma_{" + k + "} \\cdot |w_{" + k + "}| = " + Formula.number(gamma.gamma()).latex() + " \\cdot "
                                + Formula.number(Math.abs(w)).latex());
            } else if (d.parameter().kind() == ParameterId.Kind.WEIGHT) {
                double o = chain.value(0, Node.activation(l - 1, 0));
                String prev = l == 1 ? "x₁" : "o" + Notation.subscript(l - 1);
                String prevLatex = l == 1 ? "x_{1}" : "o_{" + (l - 1) + "}";
                bound = gamma.gamma() * Math.abs(o);
                boundForm = new Formula("γ" + sub + "·|" + prev + "| = " + plain(gamma.gamma()) + "·" + plain(Math.abs(o)),
                        "\\gamma_{" + k + "} \\cdot |" + prevLatex + "| = " + Formula.number(gamma.gamma()).latex() + " \\cdot "
                                + Formula.number(Math.abs(o)).latex());
            } else {
                bound = gamma.gamma();
                boundForm = new Formula("γ" + sub, "\\gamma_{" + k + "}");
            }
            double value = f.value(0);
            boolean attained = bound > 0 && Math.abs(value) >= bound * (1 - Thresholds.DEFAULT.attained());
            allAttained &= attained;
            double z = chain.value(0, Node.preActivation(k, 0));
            Formula here = new Formula("z" + sub + " = " + Formula.number(z).text(), "z_{" + k + "} = " + Formula.number(z).latex());
            out.add(new FactorBound(definition(f), value, boundForm, bound, attained, equality(act, gamma, k), here));
            conditionText.insert(0, equality(act, gamma, k).text() + (conditionText.length() == 0 ? "" : ", "));
            conditionLatex.insert(0, equality(act, gamma, k).latex() + (conditionLatex.length() == 0 ? "" : ", \\; "));
        }
        double product = 1;
        for (FactorBound b : out) {
            product *= b.boundValue();
        }
        return new BoundStep(layer, out, product, allAttained, new Formula(conditionText.toString(), conditionLatex.toString()),
                gammas(spec, l), lastLayer);
    }

    /**
     * A factor of a fused output's chain that involves no activation: {@code ∂z_L/∂o_{L−1} = w_L} or
     * {@code ∂z_L/∂θ} (o_{L−1} or 1). It is its own bound, attained.
     */
    private static FactorBound exactFactor(ChainFactor f) {
        double value = f.value(0);
        return new FactorBound(definition(f), value, new Formula("|" + f.name() + "|", "\\left|" + f.latexName() + "\\right|"),
                Math.abs(value), true, new Formula("exact: no activation", "\\text{exact: no activation}"), new Formula("", ""));
    }

    /** γ of each distinct activation of layers l…L, in order of first appearance. */
    private static List<Formula> gammas(NetworkSpec spec, int l) {
        List<Formula> out = new ArrayList<>();
        java.util.Set<Activation> seen = new java.util.HashSet<>();
        for (int k = l; k <= spec.layerCount(); k++) {
            Activation act = spec.layers().get(k - 1).activation();
            if (!seen.add(act)) {
                continue;
            }
            if (act == Activation.SOFTMAX) {
                Formula g = Formula.number(io.chainproof.ops.Softmax.JACOBIAN_BOUND);
                out.add(new Formula("γ = " + g.text() + " for softmax (bound on ‖diag(o) − ooᵀ‖₂)",
                        "\\gamma = " + g.latex() + " \\text{ for softmax (bound on } \\lVert \\mathrm{diag}(o) - o o^{T} \\rVert_2)"));
                continue;
            }
            ActivationBound b = DerivativeBounds.of(act);
            Formula g = Formula.number(b.gamma());
            if (act == Activation.RELU || act == Activation.LEAKY_RELU || act == Activation.IDENTITY) {
                String all = act == Activation.IDENTITY ? "every z" : "every z > 0";
                out.add(new Formula("γ = " + g.text() + " for " + act.specName() + " (at " + all + ")",
                        "\\gamma = " + g.latex() + " \\text{ for " + act.specName().replace("_", "\\_") + " (at " + all + ")}"));
                continue;
            }
            String where = b.argmax().isPresent() ? " (at z = " + Formula.number(b.argmax().getAsDouble()).text() + ")"
                    : " (approached, not attained)";
            String whereLatex = b.argmax().isPresent() ? " \\text{ (at } z = " + Formula.number(b.argmax().getAsDouble()).latex() + ")"
                    : " \\text{ (approached, not attained)}";
            out.add(new Formula("γ = " + g.text() + " for " + act.specName() + where,
                    "\\gamma = " + g.latex() + " \\text{ for " + act.specName().replace("_", "\\_") + "}" + whereLatex));
        }
        return out;
    }

    /** {@code name = definition}. */
    private static Formula definition(ChainFactor f) {
        return new Formula(f.name() + " = " + f.definitionText(), f.latexName() + " = " + f.definitionLatex());
    }

    /** The equality condition of layer k's factor: {@code z₂ = 0} for σ and tanh, else {@code |φ'(z₂)| = γ₂}. */
    private static Formula equality(Activation act, ActivationBound gamma, int k) {
        String sub = Notation.subscript(k);
        if ((act == Activation.SIGMOID || act == Activation.TANH) && gamma.argmax().isPresent()
                && gamma.argmax().getAsDouble() == 0.0) {
            return new Formula("z" + sub + " = 0", "z_{" + k + "} = 0");
        }
        Formula phi = LocalRules.phiPrime(act);
        return new Formula("|" + phi.text().replace("(z)", "(z" + sub + ")") + "| = γ" + sub,
                "|" + phi.latex().replace("(z)", "(z_{" + k + "})") + "| = \\gamma_{" + k + "}");
    }

    private static String plain(double v) {
        return Formula.number(v).text();
    }
}
