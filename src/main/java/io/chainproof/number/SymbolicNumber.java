package io.chainproof.number;

import io.chainproof.expr.Expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A symbolic number: evaluating a forward rule on these builds its {@link Expr}, which Symja then
 * differentiates — so an op's local derivative rules come from the same definition that computes its
 * values. Only exact folds are made (nested sums and products flattened, numeric terms and factors
 * combined, {@code x + 0 = x}, {@code 1·x = x}, integer powers of numbers); nothing is simplified, and a
 * number's non-integer power stays a power ({@code 2^(1/2)}), so an irrational constant reaches Symja exactly.
 * Instances are immutable.
 *
 * @param expr the expression
 */
public record SymbolicNumber(Expr expr) implements Real<SymbolicNumber> {

    /** The arithmetic of expressions. */
    public static final RealField<SymbolicNumber> FIELD = new RealField<>() {
        @Override
        public SymbolicNumber constant(double v) {
            return new SymbolicNumber(Expr.num(v));
        }

        @Override
        public SymbolicNumber[] array(int length) {
            return new SymbolicNumber[length];
        }
    };

    /**
     * The symbol {@code name}.
     *
     * @param name the symbol's name
     * @return the number standing for it
     */
    public static SymbolicNumber symbol(String name) {
        return new SymbolicNumber(Expr.sym(name));
    }

    @Override
    public RealField<SymbolicNumber> field() {
        return FIELD;
    }

    /** @return the value if the expression is a number, else NaN */
    @Override
    public double value() {
        return expr instanceof Expr.Num n ? n.value() : Double.NaN;
    }

    @Override
    public SymbolicNumber add(SymbolicNumber other) {
        List<Expr> terms = new ArrayList<>();
        double constant = 0;
        for (Expr e : List.of(expr, other.expr)) {
            for (Expr t : e instanceof Expr.Sum s ? s.terms() : List.of(e)) {
                if (t instanceof Expr.Num n) {
                    constant += n.value();
                } else {
                    terms.add(t);
                }
            }
        }
        if (constant != 0 || terms.isEmpty()) {
            terms.add(Expr.num(constant));
        }
        return new SymbolicNumber(terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms));
    }

    @Override
    public SymbolicNumber multiply(SymbolicNumber other) {
        List<Expr> factors = new ArrayList<>();
        double coefficient = 1;
        for (Expr e : List.of(expr, other.expr)) {
            for (Expr f : e instanceof Expr.Product p ? p.factors() : List.of(e)) {
                if (f instanceof Expr.Num n) {
                    coefficient *= n.value();
                } else {
                    factors.add(f);
                }
            }
        }
        if (coefficient == 0) {
            return FIELD.constant(0);
        }
        if (coefficient != 1 || factors.isEmpty()) {
            factors.add(0, Expr.num(coefficient));
        }
        return new SymbolicNumber(factors.size() == 1 ? factors.get(0) : new Expr.Product(factors));
    }

    @Override
    public SymbolicNumber divide(SymbolicNumber other) {
        return multiply(other.pow(-1));
    }

    @Override
    public SymbolicNumber negate() {
        return multiply(FIELD.constant(-1));
    }

    @Override
    public SymbolicNumber pow(double exponent) {
        if (exponent == 1) {
            return this;
        }
        if (exponent == 0) {
            return FIELD.constant(1);
        }
        if (expr instanceof Expr.Num n && exponent == Math.rint(exponent)) {
            return FIELD.constant(DoubleNumber.power(n.value(), exponent));
        }
        if (expr instanceof Expr.Power p && p.base() instanceof Expr.Num b && b.value() > 0
                && p.exponent() instanceof Expr.Num k) {
            // (b^k)^e = b^{k·e} for b > 0: √2⁻¹ stays the exact 2^(−1/2)
            return new SymbolicNumber(new Expr.Power(b, Expr.num(k.value() * exponent)));
        }
        // a constant's non-integer power stays exact (√2, not 1.4142135623730951), for Symja to see
        return new SymbolicNumber(new Expr.Power(expr, Expr.num(exponent)));
    }

    @Override
    public SymbolicNumber call(Expr.Fn fn) {
        return new SymbolicNumber(Expr.call(fn, expr));
    }

    @Override
    public SymbolicNumber ifPositive(SymbolicNumber whenPositive, SymbolicNumber otherwise) {
        return new SymbolicNumber(new Expr.Conditional(expr, whenPositive.expr, otherwise.expr));
    }
}
