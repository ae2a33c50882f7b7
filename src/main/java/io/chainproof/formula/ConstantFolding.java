package io.chainproof.formula;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds the numeric parts of an expression in double precision: the numbers of a sum into one term,
 * of a product into one factor, {@code a^b} and {@code f(a)} of numbers into a number; drops the
 * neutral elements ({@code + 0}, {@code · 1}, {@code ^1}); a product with a factor 0 is 0. Used on a
 * derivative after the constants hidden from Symja as symbols have been put back, so that
 * {@code c·u^(c − 1)} with c = 2 reads {@code 2·u}.
 */
final class ConstantFolding {

    private ConstantFolding() {
    }

    static Expr fold(Expr e) {
        if (e instanceof Expr.Sum s) {
            List<Expr> terms = new ArrayList<>();
            double constant = 0;
            for (Expr t : s.terms()) {
                Expr f = fold(t);
                if (f instanceof Expr.Num n) {
                    constant += n.value();
                } else if (f instanceof Expr.Sum inner) {
                    terms.addAll(inner.terms());
                } else {
                    terms.add(f);
                }
            }
            if (constant != 0 || terms.isEmpty()) {
                terms.add(Expr.num(constant));
            }
            return terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms);
        }
        if (e instanceof Expr.Product p) {
            List<Expr> factors = new ArrayList<>();
            double constant = 1;
            for (Expr f : p.factors()) {
                Expr g = fold(f);
                if (g instanceof Expr.Num n) {
                    constant *= n.value();
                } else if (g instanceof Expr.Product inner) {
                    factors.addAll(inner.factors());
                } else {
                    factors.add(g);
                }
            }
            if (constant == 0) {
                return Expr.num(0);
            }
            if (constant != 1 || factors.isEmpty()) {
                factors.add(0, Expr.num(constant));
            }
            return factors.size() == 1 ? factors.get(0) : new Expr.Product(factors);
        }
        if (e instanceof Expr.Power p) {
            Expr base = fold(p.base());
            Expr exponent = fold(p.exponent());
            if (exponent instanceof Expr.Num k && k.value() == 1) {
                return base;
            }
            if (base instanceof Expr.Num b && exponent instanceof Expr.Num k) {
                return Expr.num(Math.pow(b.value(), k.value()));
            }
            return new Expr.Power(base, exponent);
        }
        if (e instanceof Expr.Call c) {
            Expr u = fold(c.argument());
            return u instanceof Expr.Num n ? Expr.num(StableFunctions.apply(c.fn(), n.value())) : Expr.call(c.fn(), u);
        }
        if (e instanceof Expr.Conditional c) {
            return new Expr.Conditional(fold(c.test()), fold(c.ifPositive()), fold(c.otherwise()));
        }
        return e;
    }
}
