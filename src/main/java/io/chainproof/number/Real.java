package io.chainproof.number;

import io.chainproof.expr.Expr;

/**
 * A real number in one of chainproof's arithmetics: the type every op's forward rule is written over, so
 * that one definition is evaluated in double precision, complex-stepped, pushed through forward-mode AD
 * and turned into a symbolic expression. Modelled on Hipparchus' {@code CalculusFieldElement}: a small set
 * of primitives — the field operations, a power, the {@link Expr.Fn elementary functions} of
 * {@link Expr} and one branch — from which everything else is defined ({@code a − b} is {@code a + (−b)}).
 *
 * <p>The primitives are exactly the shapes of {@link Expr}, so any expression can be evaluated in any
 * arithmetic ({@link RealEvaluator}) and any forward rule read back as an expression
 * ({@link SymbolicNumber}). Implementations are immutable values.
 *
 * @param <T> the implementing type
 */
public interface Real<T extends Real<T>> {

    /**
     * The arithmetic this number belongs to: constants and arrays of the same kind.
     *
     * @return the field
     */
    RealField<T> field();

    /**
     * The value in double precision (the real part of a complex step, the primal value of a dual number;
     * NaN for a symbolic expression that has no value).
     *
     * @return the value
     */
    double value();

    /**
     * @param other the summand
     * @return {@code this + other}
     */
    T add(T other);

    /**
     * @param other the factor
     * @return {@code this · other}
     */
    T multiply(T other);

    /**
     * @param other the divisor
     * @return {@code this / other}
     */
    T divide(T other);

    /** @return {@code −this} */
    T negate();

    /**
     * {@code this^exponent} for a constant exponent (for a non-integer exponent, {@code this} must be
     * positive).
     *
     * @param exponent the exponent
     * @return {@code this^exponent}
     */
    T pow(double exponent);

    /**
     * {@code this^exponent} for an exponent that is itself a number of this arithmetic (the shape
     * {@code Power(base, exponent)} of an {@link Expr} whose exponent is not a literal): {@code Math.pow}'s value,
     * and where the exponent varies, the derivative of {@code e^{exponent·log this}} — so a varying exponent
     * needs a positive base; a constant one is {@link #pow(double)}.
     *
     * @param exponent the exponent
     * @return {@code this^exponent}
     */
    T pow(T exponent);

    /**
     * One of the elementary functions, in the numerically stable form its arithmetic has for it (σ
     * without overflow, softplus as {@code max(x, 0) + log1p(e^{−|x|})}, …).
     *
     * @param fn the function
     * @return {@code fn(this)}
     */
    T call(Expr.Fn fn);

    /**
     * The one branch: {@code whenPositive} if this number is positive, else {@code otherwise} — decided on
     * the value (the real part), as every piecewise function (relu, leaky_relu, |x|) decides it. Numbers
     * that carry a derivative note when the value lies so close to 0 that the branch is a kink.
     *
     * @param whenPositive the result when {@code value() > 0}
     * @param otherwise    the result when {@code value() ≤ 0} (or NaN)
     * @return one of the two
     */
    T ifPositive(T whenPositive, T otherwise);

    /**
     * {@link #ifPositive} for two branches that join at 0 with equal value and equal first derivative (elu with
     * α = 1, softsign): a branch point that is not a kink, so numbers that carry a derivative do not mark it. Every
     * op that uses it has a test that its one-sided derivatives at 0 agree ({@code ElementwiseOp.kinked()}).
     *
     * @param whenPositive the result when {@code value() > 0}
     * @param otherwise    the result when {@code value() ≤ 0} (or NaN)
     * @return one of the two
     */
    default T ifPositiveJoined(T whenPositive, T otherwise) {
        return ifPositive(whenPositive, otherwise);
    }

    /**
     * The larger value of the two as a constant, without a derivative part: a shift that changes no result in exact
     * arithmetic but keeps exponentials from overflowing (softmax subtracts its row's maximum). A symbolic
     * arithmetic, which has no values, gives 0 (no shift: the definition is the plain formula); an arithmetic that
     * writes code writes the comparison.
     *
     * @param other the other number
     * @return {@code max(value(), other.value())} as a constant
     */
    default T shiftMax(T other) {
        return field().constant(Math.max(value(), other.value()));
    }

    /**
     * {@code x^k} for the exponents every arithmetic takes exactly — 1 for k = 0, x for 1, x·x for 2 — or empty.
     *
     * @param x   the base
     * @param k   the exponent
     * @param <T> the number type
     * @return the power, or empty for another exponent
     */
    static <T extends Real<T>> java.util.Optional<T> exactPower(T x, double k) {
        if (k == 0) {
            return java.util.Optional.of(x.field().constant(1));
        }
        if (k == 1) {
            return java.util.Optional.of(x);
        }
        return k == 2 ? java.util.Optional.of(x.multiply(x)) : java.util.Optional.empty();
    }

    // ---- defined through the primitives -----------------------------------------------------------

    /**
     * @param other the subtrahend
     * @return {@code this − other}
     */
    default T subtract(T other) {
        return add(other.negate());
    }

    /**
     * @param constant a constant summand
     * @return {@code this + constant}
     */
    default T add(double constant) {
        return add(field().constant(constant));
    }

    /**
     * @param constant a constant factor
     * @return {@code this · constant}
     */
    default T multiply(double constant) {
        return multiply(field().constant(constant));
    }

    /** @return {@code this²} */
    @SuppressWarnings("unchecked")
    default T square() {
        return multiply((T) this);
    }

    /** @return {@code e^this} */
    default T exp() {
        return call(Expr.Fn.EXP);
    }

    /** @return {@code e^this − 1}, without cancellation for a small argument */
    default T expm1() {
        return call(Expr.Fn.EXPM1);
    }

    /** @return {@code log this} */
    default T log() {
        return call(Expr.Fn.LOG);
    }

    /** @return {@code tanh this} */
    default T tanh() {
        return call(Expr.Fn.TANH);
    }

    /** @return {@code σ(this) = 1/(1 + e^{−this})} */
    default T sigmoid() {
        return call(Expr.Fn.SIGMOID);
    }

    /** @return {@code log(1 + e^this)} */
    default T softplus() {
        return call(Expr.Fn.SOFTPLUS);
    }

    /** @return {@code erf this} */
    default T erf() {
        return call(Expr.Fn.ERF);
    }

    /** @return {@code √this} */
    default T sqrt() {
        return pow(0.5);
    }

    /** @return {@code |this|}, a kink at 0 */
    @SuppressWarnings("unchecked")
    default T abs() {
        return ifPositive((T) this, negate());
    }
}
