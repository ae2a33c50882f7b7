package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Evaluates an {@link Expr} exactly in GF(2⁶¹ − 1) ({@link PrimeField}) at a point, for randomised identity
 * tests. Shared subexpressions (the same Java object) are evaluated once, so a closed form built by
 * substitution costs time linear in its DAG, not in its written-out tree.
 *
 * <p>Functions are <em>opaque</em>: the value of f(u) is a pseudo-random field element drawn from the
 * seed, f and the value of u ({@link #oracle}) — a random function of its argument, so equal arguments
 * (however written) give equal values, and an identity proved here holds for every function f. Only
 * the definitions the local rules rely on are kept: {@code σ'(u) = σ(u)·(1 − σ(u))} and
 * {@code expm1(u) = exp(u) − 1}. A branch {@code (a if t > 0 else b)} is {@code h·a + (1 − h)·b} with
 * h = H(t) opaque, and a power with a non-integer exponent is opaque in its base.
 *
 * <p>{@link Degrees} bounds the degree of the rational function an expression is, with every opaque
 * value counted as a variable: the Schwartz–Zippel lemma turns it into an error probability.
 */
final class FieldEvaluator {

    /** A value the field cannot give: a division by 0 or an infinite constant at this point. */
    static final class Undefined extends RuntimeException {
        Undefined(String message) {
            super(message, null, false, false);
        }
    }

    private static final int BRANCH_TAG = 1000;
    private static final int POWER_TAG = 2000;

    private final long seed;
    private final ToLongFunction<String> symbols;
    private final IdentityHashMap<Expr, Long> memo = new IdentityHashMap<>();

    /**
     * @param seed    the seed of the opaque functions' values; evaluators with the same seed share them
     * @param symbols the value of each symbol; must not return a value outside [0, p)
     */
    FieldEvaluator(long seed, ToLongFunction<String> symbols) {
        this.seed = seed;
        this.symbols = symbols;
    }

    /** An evaluator over fixed symbol values. */
    static FieldEvaluator over(long seed, Map<String, Long> values) {
        return new FieldEvaluator(seed, name -> {
            Long v = values.get(name);
            if (v == null) {
                throw new IllegalStateException("Symbol <" + name + "> has no value at this point");
            }
            return v;
        });
    }

    long value(Expr e) {
        Long known = memo.get(e);
        if (known != null) {
            return known;
        }
        long v = compute(e);
        memo.put(e, v);
        return v;
    }

    private long compute(Expr e) {
        if (e instanceof Expr.Num n) {
            try {
                return PrimeField.of(n.value());
            } catch (ArithmeticException ex) {
                throw new Undefined("the constant " + n.value() + " is not finite");
            }
        }
        if (e instanceof Expr.Sym s) {
            return symbols.applyAsLong(s.name());
        }
        if (e instanceof Expr.Sum s) {
            long total = 0;
            for (Expr t : s.terms()) {
                total = PrimeField.add(total, value(t));
            }
            return total;
        }
        if (e instanceof Expr.Product p) {
            long total = 1;
            for (Expr f : p.factors()) {
                total = PrimeField.multiply(total, value(f));
            }
            return total;
        }
        if (e instanceof Expr.Power p) {
            long base = value(p.base());
            Integer n = integerExponent(p);
            if (n == null) {
                return oracle(POWER_TAG, PrimeField.add(PrimeField.multiply(base, 0x5DEECE66DL),
                        PrimeField.of(((Expr.Num) p.exponent()).value())));
            }
            if (n >= 0) {
                return PrimeField.power(base, n);
            }
            if (base == 0) {
                throw new Undefined("a negative power of 0");
            }
            return PrimeField.power(PrimeField.inverse(base), -(long) n);
        }
        if (e instanceof Expr.Call c) {
            long u = value(c.argument());
            return switch (c.fn()) {
                case SIGMOID_PRIME -> {
                    long s = oracle(Expr.Fn.SIGMOID.ordinal(), u);
                    yield PrimeField.multiply(s, PrimeField.subtract(1, s));
                }
                case EXPM1 -> PrimeField.subtract(oracle(Expr.Fn.EXP.ordinal(), u), 1);
                default -> oracle(c.fn().ordinal(), u);
            };
        }
        Expr.Conditional c = (Expr.Conditional) e;
        long h = oracle(BRANCH_TAG, value(c.test()));
        return PrimeField.add(PrimeField.multiply(h, value(c.ifPositive())),
                PrimeField.multiply(PrimeField.subtract(1, h), value(c.otherwise())));
    }

    /** The exponent of {@code p} if it is a constant integer of modest size, else null (opaque power). */
    private static Integer integerExponent(Expr.Power p) {
        if (p.exponent() instanceof Expr.Num n && n.value() == Math.rint(n.value()) && Math.abs(n.value()) <= 1 << 20) {
            return (int) n.value();
        }
        if (!(p.exponent() instanceof Expr.Num)) {
            throw new Undefined("a power with a non-constant exponent");
        }
        return null;
    }

    /** The opaque value of the function with this tag at argument value u. */
    long oracle(int tag, long u) {
        long h = mix(seed ^ mix(0x9E3779B97F4A7C15L * (tag + 1) + u));
        return PrimeField.reduce(h >>> 3);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Degree bounds of expressions as rational functions N/Q in their symbols and opaque values, memoised on
     * the DAG: a sum adds over a common denominator, a product adds degrees, an integer power multiplies
     * them, an opaque value is a new variable of degree 1. Saturates at {@link Long#MAX_VALUE}.
     */
    static final class Degrees {

        /** The numerator's and the denominator's degree bound. */
        record Degree(long numerator, long denominator) {
        }

        private final IdentityHashMap<Expr, Degree> memo = new IdentityHashMap<>();
        private long opaque;
        private long widestArgument;

        Degree of(Expr e) {
            Degree known = memo.get(e);
            if (known != null) {
                return known;
            }
            Degree d = compute(e);
            memo.put(e, d);
            return d;
        }

        /** The number of distinct opaque-value nodes met so far. */
        long opaqueValues() {
            return opaque;
        }

        /** The largest total degree (numerator + denominator) of an opaque value's argument met so far. */
        long widestArgument() {
            return widestArgument;
        }

        private Degree compute(Expr e) {
            if (e instanceof Expr.Num) {
                return new Degree(0, 0);
            }
            if (e instanceof Expr.Sym) {
                return new Degree(1, 0);
            }
            if (e instanceof Expr.Sum s) {
                return sum(s.terms().stream().map(this::of).toList());
            }
            if (e instanceof Expr.Product p) {
                long n = 0;
                long q = 0;
                for (Expr f : p.factors()) {
                    Degree d = of(f);
                    n = add(n, d.numerator());
                    q = add(q, d.denominator());
                }
                return new Degree(n, q);
            }
            if (e instanceof Expr.Power p) {
                Degree base = of(p.base());
                if (p.exponent() instanceof Expr.Num n && n.value() == Math.rint(n.value())
                        && Math.abs(n.value()) <= 1 << 20) {
                    long k = (long) Math.abs(n.value());
                    return n.value() >= 0 ? new Degree(times(k, base.numerator()), times(k, base.denominator()))
                            : new Degree(times(k, base.denominator()), times(k, base.numerator()));
                }
                return opaque(base);
            }
            if (e instanceof Expr.Call c) {
                Degree u = of(c.argument());
                Degree value = opaque(u);
                return c.fn() == Expr.Fn.SIGMOID_PRIME ? new Degree(2, 0) : value;
            }
            Expr.Conditional c = (Expr.Conditional) e;
            opaque(of(c.test()));
            Degree a = of(c.ifPositive());
            Degree b = of(c.otherwise());
            Degree mixed = sum(List.of(a, b));
            return new Degree(add(mixed.numerator(), 1), mixed.denominator());
        }

        private Degree opaque(Degree argument) {
            opaque++;
            widestArgument = Math.max(widestArgument, add(argument.numerator(), argument.denominator()));
            return new Degree(1, 0);
        }

        private static Degree sum(List<Degree> terms) {
            long q = 0;
            for (Degree d : terms) {
                q = add(q, d.denominator());
            }
            long n = 0;
            for (Degree d : terms) {
                n = Math.max(n, add(d.numerator(), q - d.denominator()));
            }
            return new Degree(n, q);
        }

        private static long add(long a, long b) {
            long s = a + b;
            return s < 0 ? Long.MAX_VALUE : s;
        }

        private static long times(long k, long d) {
            return d != 0 && k > Long.MAX_VALUE / d ? Long.MAX_VALUE : k * d;
        }
    }
}
