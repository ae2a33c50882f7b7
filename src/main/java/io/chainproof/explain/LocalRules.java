package io.chainproof.explain;

import io.chainproof.spec.Activation;
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

/** The {@link LocalRule}s a derivation of a layer-l parameter uses: the loss, the activations of layers l…L, the affine map. */
final class LocalRules {

    private LocalRules() {
    }

    static List<LocalRule> of(NetworkSpec spec, int layer) {
        List<LocalRule> rules = new ArrayList<>();
        LossDerivative loss = LocalDerivatives.loss(spec.loss());
        String reduction = loss.reduction() == LossDerivative.Reduction.SUM ? "summed over the outputs"
                : "averaged over the outputs";
        rules.add(new LocalRule("loss " + spec.loss().specName() + ": ℓ(a, y) = " + loss.termText() + " per output, " + reduction,
                new Formula("∂ℓ/∂a = " + loss.derivativeText(), "\\frac{\\partial \\ell}{\\partial a} = " + loss.derivativeLatex()),
                spec.loss() == io.chainproof.spec.Loss.CROSS_ENTROPY ? "a target y = 0 contributes exactly 0, even where a rounds to 0" : ""));
        Map<Activation, List<Integer>> layers = new LinkedHashMap<>();
        for (int l = spec.layerCount(); l >= layer; l--) {
            layers.computeIfAbsent(spec.layers().get(l - 1).activation(), a -> new ArrayList<>()).add(0, l);
        }
        for (Map.Entry<Activation, List<Integer>> e : layers.entrySet()) {
            rules.add(activationRule(e.getKey(), e.getValue()));
        }
        AffineDerivative affine = LocalDerivatives.affine();
        rules.add(new LocalRule("affine map z = w·o + b, one term of z_{l,j} = Σ_k w⁽ˡ⁾_{jk}·o_{l−1,k} + b⁽ˡ⁾_j",
                new Formula("∂z/∂w = " + MathNotation.text(affine.dzdw()) + ",  ∂z/∂o = " + MathNotation.text(affine.dzdo())
                        + ",  ∂z/∂b = " + MathNotation.text(affine.dzdb()),
                        "\\frac{\\partial z}{\\partial w} = " + MathNotation.latex(affine.dzdw())
                                + ", \\quad \\frac{\\partial z}{\\partial o} = " + MathNotation.latex(affine.dzdo())
                                + ", \\quad \\frac{\\partial z}{\\partial b} = " + MathNotation.latex(affine.dzdb())), ""));
        int samples = spec.data().samples();
        if (samples > 1) {
            rules.add(new LocalRule("mean over the " + samples + " samples, L = (1/N)·Σₛ Lₛ",
                    new Formula("∂L/∂θ = (1/" + samples + ")·Σₛ ∂Lₛ/∂θ",
                            "\\frac{\\partial L}{\\partial \\theta} = \\frac{1}{" + samples + "} \\sum_{s} \\frac{\\partial L_{s}}{\\partial \\theta}"),
                    ""));
        }
        return rules;
    }

    private static LocalRule activationRule(Activation activation, List<Integer> layers) {
        String where = activation.specName() + (layers.size() == 1 ? " (layer " + layers.get(0)
                : " (layers " + layers.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow()) + ")";
        if (activation == Activation.SOFTMAX) {
            SoftmaxDerivative s = LocalDerivatives.softmax();
            return new LocalRule(where + ", oᵢ = e^{zᵢ}/Σₖ e^{zₖ}", new Formula(s.text(), s.latex()),
                    "o is computed with the largest z subtracted first, so no exponential overflows");
        }
        ActivationDerivative d = LocalDerivatives.activation(activation);
        Formula name = phiPrime(activation);
        String lowered = MathNotation.text(d.derivative());
        String note = activation == Activation.SIGMOID
                ? "evaluated as e^{−|z|}/(1 + e^{−|z|})², which does not round to 0 for large |z| (σ'(250) ≈ 2.7e−109)"
                : lowered.equals(d.derivativeText()) ? "" : "evaluated as " + lowered;
        return new LocalRule(where + ", φ(z) = " + d.definitionText(),
                new Formula(name.text() + " = " + d.derivativeText(), name.latex() + " = " + d.derivativeLatex()), note);
    }

    /** {@code σ'(z)}, {@code tanh'(z)}, {@code relu'(z)}, … in both notations. */
    static Formula phiPrime(Activation activation) {
        return switch (activation) {
            case SIGMOID -> new Formula("σ'(z)", "\\sigma'(z)");
            case TANH -> new Formula("tanh'(z)", "\\tanh'(z)");
            default -> new Formula(activation.specName() + "'(z)", "\\operatorname{" + activation.specName().replace("_", "\\_") + "}'(z)");
        };
    }
}
