package io.chainproof.expr;

import java.util.List;
import java.util.Objects;

/**
 * A real-valued expression over named symbols: the Symja-free currency between the symbolic engine
 * and the numeric compiler.
 *
 * <p>Only a handful of shapes exist — numbers, symbols, sums, products, powers, calls of the
 * {@link Fn elementary functions} and a two-way {@link Conditional} (for piecewise activations such as
 * relu). Everything else is built from them: {@code a − b} is {@code a + (−1)·b}, {@code a / b} is
 * {@code a · b^(−1)}, {@code e^x} is {@code Call(EXP, x)}.
 *
 * <p>Instances are immutable records; equal expressions are {@code equals} and hash alike, which the
 * compiler uses for common-subexpression elimination.
 */
public sealed interface Expr permits Expr.Num, Expr.Sym, Expr.Sum, Expr.Product, Expr.Power, Expr.Call,
        Expr.Conditional {

    /** A double-precision constant. */
    record Num(double value) implements Expr {
        /**
         * Rejects NaN.
         *
         * @param value the constant; finite or ±∞, not NaN
         */
        public Num {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("Value <NaN> is not a number; an expression constant must be finite or infinite");
            }
        }
    }

    /** A named symbol, bound to a value when the expression is evaluated or compiled. */
    record Sym(String name) implements Expr {
        /**
         * Rejects a null or empty name.
         *
         * @param name the symbol's name; not empty
         */
        public Sym {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("Symbol name <> is empty");
            }
        }
    }

    /** {@code t₁ + t₂ + …}, at least two terms. */
    record Sum(List<Expr> terms) implements Expr {
        /**
         * Copies the terms and rejects fewer than two.
         *
         * @param terms the terms, at least two; copied
         */
        public Sum {
            terms = List.copyOf(terms);
            if (terms.size() < 2) {
                throw new IllegalArgumentException("Sum of <" + terms.size() + "> terms; a sum needs at least two");
            }
        }
    }

    /** {@code f₁ · f₂ · …}, at least two factors. */
    record Product(List<Expr> factors) implements Expr {
        /**
         * Copies the factors and rejects fewer than two.
         *
         * @param factors the factors, at least two; copied
         */
        public Product {
            factors = List.copyOf(factors);
            if (factors.size() < 2) {
                throw new IllegalArgumentException("Product of <" + factors.size() + "> factors; a product needs at least two");
            }
        }
    }

    /** {@code base ^ exponent}. */
    record Power(Expr base, Expr exponent) implements Expr {
        /**
         * Rejects null parts.
         *
         * @param base the base
         * @param exponent the exponent
         */
        public Power {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(exponent, "exponent");
        }
    }

    /** {@code fn(argument)} for one of the supported elementary functions. */
    record Call(Fn fn, Expr argument) implements Expr {
        /**
         * Rejects null parts.
         *
         * @param fn the elementary function
         * @param argument its argument
         */
        public Call {
            Objects.requireNonNull(fn, "fn");
            Objects.requireNonNull(argument, "argument");
        }
    }

    /** {@code test > 0 ? ifPositive : otherwise} — the one branch shape piecewise activations need. */
    record Conditional(Expr test, Expr ifPositive, Expr otherwise) implements Expr {
        /**
         * Rejects null parts.
         *
         * @param test the expression whose sign picks the branch
         * @param ifPositive the value when {@code test > 0}
         * @param otherwise the value when {@code test ≤ 0} (or NaN)
         */
        public Conditional {
            Objects.requireNonNull(test, "test");
            Objects.requireNonNull(ifPositive, "ifPositive");
            Objects.requireNonNull(otherwise, "otherwise");
        }
    }

    /** Elementary functions an expression may call; each has a double-precision kernel in the numeric package. */
    enum Fn {
        /** e^x. */
        EXP,
        /** e^x − 1, evaluated as {@code Math.expm1}: no cancellation for small x (e^{−1e−10} − 1 loses 8e−8). */
        EXPM1,
        /** natural logarithm. */
        LOG,
        /** σ(x) = 1/(1+e^{−x}), evaluated without overflow for any x. */
        SIGMOID,
        /** σ'(x) = σ(x)(1−σ(x)), evaluated as e^{−|x|}/(1+e^{−|x|})² so it never rounds to 0 before underflow. */
        SIGMOID_PRIME,
        /** log(1+e^x), evaluated as max(x,0) + log1p(e^{−|x|}). */
        SOFTPLUS,
        /** hyperbolic tangent. */
        TANH,
        /** hyperbolic secant 1/cosh(x). */
        SECH,
        /** error function. */
        ERF
    }

    // ---- structure --------------------------------------------------------------------------------

    /**
     * The direct subexpressions of {@code e}, in order (a conditional's test first).
     *
     * @param e an expression
     * @return its children; empty for a number or symbol
     */
    static List<Expr> children(Expr e) {
        if (e instanceof Sum s) {
            return s.terms();
        }
        if (e instanceof Product p) {
            return p.factors();
        }
        if (e instanceof Power p) {
            return List.of(p.base(), p.exponent());
        }
        if (e instanceof Call c) {
            return List.of(c.argument());
        }
        if (e instanceof Conditional c) {
            return List.of(c.test(), c.ifPositive(), c.otherwise());
        }
        return List.of();
    }

    /**
     * The tests of every conditional in {@code e}, outermost first: where the expression branches.
     *
     * @param e an expression
     * @return the branch tests; empty for an expression without branches
     */
    static List<Expr> tests(Expr e) {
        List<Expr> tests = new java.util.ArrayList<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Expr next = todo.removeFirst();
            if (next instanceof Conditional c) {
                tests.add(c.test());
            }
            List<Expr> children = children(next);
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.addFirst(children.get(i));
            }
        }
        return tests;
    }

    // ---- convenience constructors -------------------------------------------------------------

    /**
     * The constant {@code value}.
     *
     * @param value the constant; not NaN
     * @return a {@link Num}
     */
    static Expr num(double value) {
        return new Num(value);
    }

    /**
     * The symbol {@code name}.
     *
     * @param name the symbol's name; not empty
     * @return a {@link Sym}
     */
    static Expr sym(String name) {
        return new Sym(name);
    }

    /**
     * {@code fn(argument)}.
     *
     * @param fn the elementary function
     * @param argument its argument
     * @return a {@link Call}
     */
    static Expr call(Fn fn, Expr argument) {
        return new Call(fn, argument);
    }
}
