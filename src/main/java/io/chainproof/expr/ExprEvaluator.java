package io.chainproof.expr;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Evaluates an {@link Expr} in double precision by walking the tree — slow (no compilation, no
 * common-subexpression sharing) but direct; used where correctness matters and speed does not, such as
 * the numeric half of a proof of agreement.
 */
public final class ExprEvaluator {

    private final ToDoubleFunction<String> bindings;

    private ExprEvaluator(ToDoubleFunction<String> bindings) {
        this.bindings = bindings;
    }

    /**
     * Evaluates {@code expr} with every symbol looked up in {@code values}; a missing symbol is an error.
     *
     * @param expr the expression
     * @param values a value for every symbol in {@code expr}
     * @return the value of {@code expr}, in double precision
     */
    public static double evaluate(Expr expr, Map<String, Double> values) {
        return new ExprEvaluator(name -> {
            Double v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("Symbol <" + name + "> has no value; bound symbols: " + values.keySet());
            }
            return v;
        }).eval(expr);
    }

    /**
     * Evaluates {@code expr} with every symbol looked up through {@code bindings}.
     *
     * @param expr the expression
     * @param bindings gives the value of a symbol by name
     * @return the value of {@code expr}, in double precision
     */
    public static double evaluate(Expr expr, ToDoubleFunction<String> bindings) {
        return new ExprEvaluator(bindings).eval(expr);
    }

    private double eval(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.value();
        }
        if (e instanceof Expr.Sym s) {
            return bindings.applyAsDouble(s.name());
        }
        if (e instanceof Expr.Sum s) {
            double acc = 0;
            for (Expr t : s.terms()) {
                acc += eval(t);
            }
            return acc;
        }
        if (e instanceof Expr.Product p) {
            double acc = 1;
            for (Expr f : p.factors()) {
                acc *= eval(f);
            }
            return acc;
        }
        if (e instanceof Expr.Power p) {
            return power(eval(p.base()), p.exponent());
        }
        if (e instanceof Expr.Call c) {
            return StableFunctions.apply(c.fn(), eval(c.argument()));
        }
        Expr.Conditional c = (Expr.Conditional) e;
        return eval(c.test()) > 0 ? eval(c.ifPositive()) : eval(c.otherwise());
    }

    private double power(double base, Expr exponent) {
        return StableFunctions.power(base, exponent instanceof Expr.Num n ? n.value() : eval(exponent));
    }
}
