package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.List;
import java.util.Optional;

/**
 * A piecewise definition split into its two branches: {@code f = test > 0 ? positive : otherwise}, where every
 * branch point of f is the sign of the same test (relu, leaky_relu, elu, |z|). Its derivative away from the kink
 * is then {@code test > 0 ? positive' : otherwise'}, each branch differentiated and brought over a common
 * denominator on its own — which for z/(1 + |z|) gives 1/(1 + z)², where differentiating through the branch
 * gives 1/(1 + |z|) − z·sgn(z)/(1 + |z|)², two terms that cancel to 1e−8 relative at |z| = 1e8.
 *
 * @param test      the expression whose sign picks the branch
 * @param positive  f where {@code test > 0}
 * @param otherwise f where {@code test ≤ 0}
 */
record Branches(Expr test, Expr positive, Expr otherwise) {

    /**
     * @param definition an expression
     * @return its branches, when it has conditionals and they all share one test; empty otherwise
     */
    static Optional<Branches> of(Expr definition) {
        List<Expr> tests = Expr.tests(definition);
        if (tests.isEmpty() || tests.stream().distinct().count() != 1) {
            return Optional.empty();
        }
        Expr test = tests.get(0);
        return Optional.of(new Branches(test, choose(definition, true), choose(definition, false)));
    }

    /** {@code e} with every conditional replaced by its positive (or other) branch. */
    private static Expr choose(Expr e, boolean positive) {
        if (e instanceof Expr.Conditional c) {
            return choose(positive ? c.ifPositive() : c.otherwise(), positive);
        }
        if (e instanceof Expr.Sum s) {
            return new Expr.Sum(s.terms().stream().map(t -> choose(t, positive)).toList());
        }
        if (e instanceof Expr.Product p) {
            return new Expr.Product(p.factors().stream().map(f -> choose(f, positive)).toList());
        }
        if (e instanceof Expr.Power p) {
            return new Expr.Power(choose(p.base(), positive), choose(p.exponent(), positive));
        }
        if (e instanceof Expr.Call c) {
            return Expr.call(c.fn(), choose(c.argument(), positive));
        }
        return e;
    }
}
