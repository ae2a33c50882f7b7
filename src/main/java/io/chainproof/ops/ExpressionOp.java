package io.chainproof.ops;

import io.chainproof.expr.Expr;
import io.chainproof.number.Real;
import io.chainproof.number.RealEvaluator;
import io.chainproof.number.RealField;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's formula as one op: the scalar {@code f(s₁, s₂, …)} of the entries of its input tensors, each entry
 * bound to one symbol ({@code w}, {@code v[1]}, {@code x}). The forward rule evaluates the expression in the
 * given arithmetic; the backward rule evaluates the partial derivatives that Symja derived from it (under the
 * formula reader's sandbox and time limit) — one per symbol that wants a gradient. Instances are immutable.
 */
public final class ExpressionOp implements Op {

    private final Expr expression;
    private final List<List<String>> symbols;
    private final Map<String, Expr> partials;

    /**
     * @param expression the formula
     * @param symbols    per input tensor, the symbol of each entry, in order
     * @param partials   ∂f/∂s for every symbol s whose tensor may want a gradient
     */
    public ExpressionOp(Expr expression, List<List<String>> symbols, Map<String, Expr> partials) {
        this.expression = expression;
        this.symbols = symbols.stream().map(List::copyOf).toList();
        this.partials = Map.copyOf(partials);
    }

    @Override
    public String kind() {
        return "formula";
    }

    @Override
    public int outputSize() {
        return 1;
    }

    /** @return the formula */
    public Expr expression() {
        return expression;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        Map<String, T> values = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            for (int k = 0; k < symbols.get(i).size(); k++) {
                values.put(symbols.get(i).get(k), inputs.get(i)[k]);
            }
        }
        T[] out = field.array(1);
        out[0] = RealEvaluator.evaluate(expression, field, values::get);
        return out;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        Map<String, T> values = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            for (int k = 0; k < symbols.get(i).size(); k++) {
                values.put(symbols.get(i).get(k), inputs.get(i)[k]);
            }
        }
        for (int i = 0; i < symbols.size(); i++) {
            T[] g = inputGradients.get(i);
            if (g == null) {
                continue;
            }
            for (int k = 0; k < symbols.get(i).size(); k++) {
                String s = symbols.get(i).get(k);
                Expr d = partials.get(s);
                if (d == null) {
                    throw new IllegalStateException("Formula has no derivative by <" + s + ">; derived: " + partials.keySet());
                }
                g[k] = g[k].add(outputGradient[0].multiply(RealEvaluator.evaluate(d, field, values::get)));
            }
        }
    }

    @Override
    public String toString() {
        return "formula";
    }
}
