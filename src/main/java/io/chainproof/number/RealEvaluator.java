package io.chainproof.number;

import io.chainproof.expr.Expr;

import java.util.function.Function;

/**
 * Evaluates an {@link Expr} in any arithmetic: a user's formula or a Symja-derived rule, complex-stepped,
 * differentiated in forward mode or evaluated in double precision by walking the tree (no compilation).
 * Every shape of {@code Expr} is a primitive of {@link Real}, so nothing is lost in translation.
 */
public final class RealEvaluator {

    private RealEvaluator() {
    }

    /**
     * The value of {@code expr} with every symbol bound by {@code bindings}.
     *
     * @param expr     the expression
     * @param field    the arithmetic
     * @param bindings the number for a symbol's name; must not return null
     * @param <T>      the number type
     * @return the expression's value in that arithmetic
     */
    public static <T extends Real<T>> T evaluate(Expr expr, RealField<T> field, Function<String, T> bindings) {
        if (expr instanceof Expr.Num n) {
            return field.constant(n.value());
        }
        if (expr instanceof Expr.Sym s) {
            T v = bindings.apply(s.name());
            if (v == null) {
                throw new IllegalArgumentException("Symbol <" + s.name() + "> has no value");
            }
            return v;
        }
        if (expr instanceof Expr.Sum s) {
            T acc = evaluate(s.terms().get(0), field, bindings);
            for (int i = 1; i < s.terms().size(); i++) {
                acc = acc.add(evaluate(s.terms().get(i), field, bindings));
            }
            return acc;
        }
        if (expr instanceof Expr.Product p) {
            T acc = evaluate(p.factors().get(0), field, bindings);
            for (int i = 1; i < p.factors().size(); i++) {
                acc = acc.multiply(evaluate(p.factors().get(i), field, bindings));
            }
            return acc;
        }
        if (expr instanceof Expr.Power p) {
            T base = evaluate(p.base(), field, bindings);
            if (p.exponent() instanceof Expr.Num n) {
                return base.pow(n.value());
            }
            return base.pow(evaluate(p.exponent(), field, bindings));
        }
        if (expr instanceof Expr.Call c) {
            return evaluate(c.argument(), field, bindings).call(c.fn());
        }
        Expr.Conditional c = (Expr.Conditional) expr;
        return evaluate(c.test(), field, bindings).ifPositive(evaluate(c.ifPositive(), field, bindings),
                evaluate(c.otherwise(), field, bindings));
    }
}
