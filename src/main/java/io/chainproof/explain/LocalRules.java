package io.chainproof.explain;

import io.chainproof.ops.Activation;
import io.chainproof.ops.Op;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.AffineDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.LossDerivative;
import io.chainproof.symbolic.MathNotation;
import io.chainproof.symbolic.SoftmaxDerivative;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@link LocalRule}s a derivation of a layer-l parameter uses: the loss, the fused output error of a
 * canonical output/loss pair, the activations of layers l…L, the affine map and the mean over samples.
 */
final class LocalRules {

    private LocalRules() {
    }

    static List<LocalRule> of(NetworkSpec spec, int layer) {
        List<LocalRule> rules = new ArrayList<>();
        LossDerivative loss = LocalDerivatives.loss(spec.loss());
        String reduction = loss.reduction() == LossDerivative.Reduction.SUM ? "summed over the outputs"
                : "averaged over the outputs";
        rules.add(new LocalRule("loss " + spec.loss().specName() + ", per output, " + reduction,
                new Formula("ℓ(a, y) = " + loss.termText(), "\\ell(a, y) = " + MathNotation.latex(loss.plainTerm())),
                new Formula("∂ℓ/∂a = " + loss.derivativeText(), "\\frac{\\partial \\ell}{\\partial a} = " + loss.derivativeLatex()),
                Optional.empty(), spec.loss() == Loss.CROSS_ENTROPY ? "a target of 0 contributes exactly 0" : ""));
        fused(spec).ifPresent(rules::add);
        Map<Activation, List<Integer>> layers = new LinkedHashMap<>();
        for (int l = spec.layerCount(); l >= layer; l--) {
            layers.computeIfAbsent(spec.layers().get(l - 1).activation(), a -> new ArrayList<>()).add(0, l);
        }
        for (Map.Entry<Activation, List<Integer>> e : layers.entrySet()) {
            rules.add(activationRule(e.getKey(), e.getValue()));
        }
        AffineDerivative affine = LocalDerivatives.affine();
        rules.add(new LocalRule("affine map, one term of each pre-activation", new Formula("z = w·o + b", "z = w \\cdot o + b"),
                new Formula("∂z/∂w = " + MathNotation.text(affine.dzdw()) + ",  ∂z/∂o = " + MathNotation.text(affine.dzdo())
                        + ",  ∂z/∂b = " + MathNotation.text(affine.dzdb()),
                        "\\frac{\\partial z}{\\partial w} = " + MathNotation.latex(affine.dzdw())
                                + ", \\quad \\frac{\\partial z}{\\partial o} = " + MathNotation.latex(affine.dzdo())
                                + ", \\quad \\frac{\\partial z}{\\partial b} = " + MathNotation.latex(affine.dzdb())),
                Optional.empty(), ""));
        int samples = spec.data().samples();
        if (samples > 1) {
            rules.add(new LocalRule("mean over the " + samples + " samples",
                    new Formula("L = (1/" + samples + ")·Σₛ Lₛ", "L = \\frac{1}{" + samples + "} \\sum_{s} L_{s}"),
                    new Formula("∂L/∂θ = (1/" + samples + ")·Σₛ ∂Lₛ/∂θ",
                            "\\frac{\\partial L}{\\partial \\theta} = \\frac{1}{" + samples + "} \\sum_{s} \\frac{\\partial L_{s}}{\\partial \\theta}"),
                    Optional.empty(), ""));
        }
        return rules;
    }

    /** The fused output error of softmax + cross-entropy or sigmoid + bce, if the spec has one. */
    private static Optional<LocalRule> fused(NetworkSpec spec) {
        Activation out = spec.layers().get(spec.layerCount() - 1).activation();
        String note = "the chain ∂ℓ/∂o·∂o/∂z simplified; it stays finite where an output rounds to 0 and −y/o would be infinite";
        if (out == Activation.SOFTMAX && spec.loss() == Loss.CROSS_ENTROPY) {
            return Optional.of(new LocalRule("softmax output with cross-entropy",
                    new Formula("ℓ = −Σₖ yₖ·log oₖ", "\\ell = -\\sum_k y_k \\log o_k"),
                    new Formula("∂ℓ/∂zᵢ = Σₖ ∂ℓ/∂oₖ·∂oₖ/∂zᵢ = oᵢ·Σₖ yₖ − yᵢ",
                            "\\frac{\\partial \\ell}{\\partial z_i} = \\sum_k \\frac{\\partial \\ell}{\\partial o_k} "
                                    + "\\frac{\\partial o_k}{\\partial z_i} = o_i \\sum_k y_k - y_i"), Optional.empty(), note));
        }
        if (out == Activation.SIGMOID && spec.loss() == Loss.BCE) {
            return Optional.of(new LocalRule("sigmoid output with binary cross-entropy",
                    new Formula("o = σ(z)", "o = \\sigma(z)"),
                    new Formula("∂ℓ/∂z = ∂ℓ/∂o·σ'(z) = o − y", "\\frac{\\partial \\ell}{\\partial z} = "
                            + "\\frac{\\partial \\ell}{\\partial o} \\, \\sigma'(z) = o - y"), Optional.empty(), note));
        }
        return Optional.empty();
    }

    private static LocalRule activationRule(Activation activation, List<Integer> layers) {
        String where = activation.specName() + " (layer" + (layers.size() == 1 ? " " : "s ")
                + layers.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
        if (activation == Activation.SOFTMAX) {
            SoftmaxDerivative s = LocalDerivatives.softmax();
            return new LocalRule(where, new Formula("oᵢ = e^(zᵢ)/Σₖ e^(zₖ)", "o_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}"),
                    new Formula(s.text(), s.latex()), Optional.empty(),
                    "o is computed with the largest z subtracted first, so no exponential overflows");
        }
        ActivationDerivative d = LocalDerivatives.activation(activation);
        Formula name = phiPrime(activation);
        Formula rule = new Formula(name.text() + " = " + d.derivativeText(), name.latex() + " = " + d.derivativeLatex());
        Formula definition = new Formula("φ(z) = " + d.definitionText(), "\\varphi(z) = " + MathNotation.latex(d.value()));
        if (activation == Activation.SIGMOID) {
            return new LocalRule(where, new Formula("φ(z) = σ(z) = 1/(1 + e^(−z))", "\\varphi(z) = \\sigma(z) = \\frac{1}{1 + e^{-z}}"),
                    rule, Optional.of(new Formula("σ'(z) = e^(−|z|)/(1 + e^(−|z|))²", "\\sigma'(z) = \\frac{e^{-|z|}}{(1 + e^{-|z|})^{2}}")),
                    "which does not round to 0 for large |z|: σ'(250) ≈ 2.7e−109, where σ(z)·(1 − σ(z)) gives 0");
        }
        String lowered = MathNotation.text(d.derivative());
        Optional<Formula> evaluated = lowered.equals(d.derivativeText()) ? Optional.empty()
                : Optional.of(new Formula(name.text() + " = " + lowered, name.latex() + " = " + MathNotation.latex(d.derivative())));
        return new LocalRule(where, definition, rule, evaluated, "");
    }

    /** {@code σ'(z)}, {@code tanh'(z)}, {@code relu'(z)}, … in both notations. */
    static Formula phiPrime(Activation activation) {
        Op op = activation.op(1, 1);
        return new Formula(op.symbol() + "'(z)", op.latexSymbol() + "'(z)");
    }
}
