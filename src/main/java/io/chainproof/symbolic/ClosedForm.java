package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.graph.Node;
import io.chainproof.graph.ParameterId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's loss and chain-rule derivatives written out in closed form: every intermediate (z, o,
 * ∂L/∂o, ∂L/∂z, the factors) substituted until only parameter and data symbols remain. Sample s's data
 * are the symbols {@code x_k_s<s>} and {@code y_j_s<s>}, so the closed forms hold for any data, and
 *
 * <pre>
 *   L      = (1/N)·Σ_s r·Σ_j ℓ(o_{L,j}(θ, x_s), y_{s,j})
 *   ∂L/∂θ  = (1/N)·Σ_s Π (factors of θ, expanded at sample s)
 * </pre>
 *
 * Substitution shares subtrees (the expressions are DAGs), so building is linear in the network; the
 * written-out size, {@link ExprAlgebra#leafCount}, can still grow exponentially with depth × width.
 */
final class ClosedForm {

    private final ChainRuleDerivation derivation;
    private final NetworkModel model;
    private final List<Map<String, Expr>> expansions = new ArrayList<>();
    private final Expr loss;

    ClosedForm(ChainRuleDerivation derivation) {
        this.derivation = derivation;
        this.model = derivation.model();
        List<Expr> sampleLosses = new ArrayList<>();
        for (int s : derivation.samples()) {
            Map<String, Expr> e = expandSample(s);
            expansions.add(e);
            sampleLosses.add(ExprAlgebra.substitute(model.lossDefinition(), e));
        }
        this.loss = mean(sampleLosses);
    }

    /** L in parameter and data symbols. */
    Expr loss() {
        return loss;
    }

    /** ∂L/∂θ by the chain rule, in parameter and data symbols. */
    Expr derivative(ParameterId parameter) {
        ParameterDerivation d = derivation.derive(parameter);
        List<Expr> perSample = new ArrayList<>();
        for (Map<String, Expr> e : expansions) {
            List<Expr> factors = new ArrayList<>();
            for (ChainFactor f : d.factors()) {
                factors.add(ExprAlgebra.substitute(f.definition(), e));
            }
            perSample.add(ExprAlgebra.product(factors));
        }
        return mean(perSample);
    }

    /** {@code closed} (built by this closed form) with its shared parts named: z, o, ∂L/∂o, ∂L/∂z per sample. */
    SharedForm shared(Expr closed) {
        java.util.IdentityHashMap<Expr, String> candidates = new java.util.IdentityHashMap<>();
        java.util.Set<String> preActivations = new java.util.HashSet<>();
        Map<String, String[]> display = new HashMap<>();
        boolean several = expansions.size() > 1;
        for (int i = 0; i < expansions.size(); i++) {
            Map<String, Expr> e = expansions.get(i);
            List<String> symbols = new ArrayList<>();
            for (int l = 1; l <= model.layers; l++) {
                for (int j = 0; j < model.units(l); j++) {
                    symbols.add(sym(NetworkModel.z(l, j)));
                }
            }
            for (int l = 1; l <= model.layers; l++) {
                for (int j = 0; j < model.units(l); j++) {
                    symbols.add(sym(NetworkModel.o(l, j)));
                }
            }
            symbols.addAll(derivation.backward().keySet());
            int zs = zCount();
            for (int k = 0; k < symbols.size(); k++) {
                String symbol = symbols.get(k);
                Expr expansion = e.get(symbol);
                if (expansion == null || candidates.containsKey(expansion)) {
                    continue;
                }
                int sample = derivation.samples().get(i) + 1;
                String named = symbol + "#s" + sample;
                candidates.put(expansion, named);
                if (k < zs) {
                    preActivations.add(named);
                }
                display.put(named, new String[] {model.text(symbol) + (several ? "⁽ˢ"
                        + io.chainproof.graph.Notation.superscript(sample) + "⁾" : ""),
                        model.latex(symbol) + (several ? "^{(s" + sample + ")}" : "")});
            }
        }
        return SharedForm.of(closed, candidates, preActivations, display::get);
    }

    private int zCount() {
        int n = 0;
        for (int l = 1; l <= model.layers; l++) {
            n += model.units(l);
        }
        return n;
    }

    /** The data symbol of input k of sample s. */
    static String input(int k, int s) {
        return Node.input(k).symbol() + "_s" + s;
    }

    /** The data symbol of target j of sample s. */
    static String target(int j, int s) {
        return "y_" + j + "_s" + s;
    }

    private static Expr mean(List<Expr> terms) {
        return ExprAlgebra.product(Expr.num(1.0 / terms.size()), ExprAlgebra.sum(terms));
    }

    /** Node and backward-quantity symbols of sample s → expressions in parameter and data symbols. */
    private Map<String, Expr> expandSample(int s) {
        Map<String, Expr> e = new HashMap<>();
        for (int k = 0; k < model.spec.inputs(); k++) {
            e.put(Node.input(k).symbol(), Expr.sym(input(k, s)));
        }
        for (int j = 0; j < model.units(model.layers); j++) {
            e.put("y_" + j, Expr.sym(target(j, s)));
        }
        for (int l = 1; l <= model.layers; l++) {
            for (int j = 0; j < model.units(l); j++) {
                e.put(sym(NetworkModel.z(l, j)), ExprAlgebra.substitute(model.preActivationDefinition(l, j), e));
            }
            for (int j = 0; j < model.units(l); j++) {
                e.put(sym(NetworkModel.o(l, j)), ExprAlgebra.substitute(model.activationDefinition(l, j), e));
            }
        }
        for (ChainFactor f : derivation.backward().values()) {
            e.put(f.symbol(), ExprAlgebra.substitute(f.definition(), e));
        }
        return e;
    }

    private static String sym(Expr e) {
        return ((Expr.Sym) e).name();
    }
}
