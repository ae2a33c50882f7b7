package io.chainproof.number;

import io.chainproof.expr.Expr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * A symbolic number: evaluating a forward rule on these builds its {@link Expr}, which Symja then
 * differentiates — so an op's local derivative rules come from the same definition that computes its
 * values. Only exact folds are made (nested sums and products flattened, numeric terms and factors
 * combined where their double sum or product is exact, {@code x + 0 = x}, {@code 1·x = x}, {@code 0·x = 0});
 * nothing is simplified, and a number's inexact power stays a power ({@code 2^(1/2)}), so an irrational
 * constant reaches Symja exactly. Instances are immutable.
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

    /**
     * The sum, nested sums flattened; numeric terms are added into one where the double sum is exact (its
     * rounding error, by Knuth's TwoSum, is 0), and kept apart where it is not ({@code x + 0.1 + 0.2} stays
     * so, since 0.1 + 0.2 rounds); a zero term is dropped.
     */
    @Override
    public SymbolicNumber add(SymbolicNumber other) {
        List<Expr> terms = new ArrayList<>();
        List<Double> constants = new ArrayList<>();
        for (Expr e : List.of(expr, other.expr)) {
            for (Expr t : e instanceof Expr.Sum s ? s.terms() : List.of(e)) {
                if (t instanceof Expr.Num n) {
                    fold(constants, n.value(), SymbolicNumber::exactSum);
                } else {
                    terms.add(t);
                }
            }
        }
        constants.removeIf(c -> c == 0);
        if (constants.isEmpty() && terms.isEmpty()) {
            constants.add(0.0);
        }
        constants.forEach(c -> terms.add(Expr.num(c)));
        return new SymbolicNumber(terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms));
    }

    /**
     * The product, nested products flattened; numeric factors are multiplied into one leading coefficient where
     * the double product is exact (fma gives a zero residual), and kept apart where it is not; a factor 1 is
     * dropped and a factor 0 makes the product 0.
     */
    @Override
    public SymbolicNumber multiply(SymbolicNumber other) {
        List<Expr> factors = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        for (Expr e : List.of(expr, other.expr)) {
            for (Expr f : e instanceof Expr.Product p ? p.factors() : List.of(e)) {
                if (f instanceof Expr.Num n) {
                    if (n.value() == 0) {
                        return FIELD.constant(0);
                    }
                    fold(coefficients, n.value(), SymbolicNumber::exactProduct);
                } else {
                    factors.add(f);
                }
            }
        }
        coefficients.removeIf(c -> c == 1);
        if (coefficients.isEmpty() && factors.isEmpty()) {
            coefficients.add(1.0);
        }
        List<Expr> all = new ArrayList<>();
        coefficients.forEach(c -> all.add(Expr.num(c)));
        all.addAll(factors);
        return new SymbolicNumber(all.size() == 1 ? all.get(0) : new Expr.Product(all));
    }

    /** Adds {@code c} into the first constant it combines with exactly, or appends it. */
    private static void fold(List<Double> constants, double c, DoubleBinaryOperator exact) {
        for (int i = 0; i < constants.size(); i++) {
            double combined = exact.applyAsDouble(constants.get(i), c);
            if (!Double.isNaN(combined)) {
                constants.set(i, combined);
                return;
            }
        }
        constants.add(c);
    }

    /** {@code a + b} if it is exact in double, else NaN. */
    private static double exactSum(double a, double b) {
        double s = a + b;
        double bv = s - a;
        double error = (a - (s - bv)) + (b - bv);
        return Double.isFinite(s) && error == 0 ? s : Double.NaN;
    }

    /** {@code a · b} if it is exact in double, else NaN. */
    private static double exactProduct(double a, double b) {
        double p = a * b;
        return Double.isFinite(p) && p != 0 && Math.fma(a, b, -p) == 0 ? p : Double.NaN;
    }

    @Override
    public SymbolicNumber divide(SymbolicNumber other) {
        return multiply(other.pow(-1));
    }

    @Override
    public SymbolicNumber negate() {
        return multiply(FIELD.constant(-1));
    }

    /**
     * {@code expr^exponent}; {@code x^1 = x}, {@code x^0 = 1}, and a numeric base is folded only where the power
     * is exact in double (a square, a reciprocal or a square root whose fma residual is 0; {@code 3^−1} stays
     * {@code Power(3, −1)}).
     */
    @Override
    public SymbolicNumber pow(double exponent) {
        if (exponent == 1) {
            return this;
        }
        if (exponent == 0) {
            return FIELD.constant(1);
        }
        if (expr instanceof Expr.Num n && exactPower(n.value(), exponent)) {
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

    private static boolean exactPower(double base, double exponent) {
        double r = DoubleNumber.power(base, exponent);
        if (!Double.isFinite(r) || r == 0) {
            return false;
        }
        if (exponent == 2) {
            return Math.fma(base, base, -r) == 0;
        }
        if (exponent == -1) {
            return Math.fma(r, base, -1) == 0;
        }
        if (exponent == 0.5) {
            return Math.fma(r, r, -base) == 0;
        }
        return false;
    }

    /** {@code Power(expr, exponent)}, or {@link #pow(double)} when the exponent is a number. */
    @Override
    public SymbolicNumber pow(SymbolicNumber exponent) {
        return exponent.expr instanceof Expr.Num n ? pow(n.value())
                : new SymbolicNumber(new Expr.Power(expr, exponent.expr));
    }

    @Override
    public SymbolicNumber call(Expr.Fn fn) {
        return new SymbolicNumber(Expr.call(fn, expr));
    }

    /** No values, so no shift: 0, and the definition stays the plain formula. */
    @Override
    public SymbolicNumber shiftMax(SymbolicNumber other) {
        return FIELD.constant(0);
    }

    @Override
    public SymbolicNumber ifPositive(SymbolicNumber whenPositive, SymbolicNumber otherwise) {
        return new SymbolicNumber(new Expr.Conditional(expr, whenPositive.expr, otherwise.expr));
    }
}
