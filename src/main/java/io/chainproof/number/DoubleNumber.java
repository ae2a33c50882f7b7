package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

/**
 * A double-precision number: the plain evaluation of a forward rule, with the elementary functions in
 * their stable forms ({@link StableFunctions}). Instances are immutable.
 *
 * @param value the value
 */
public record DoubleNumber(double value) implements Real<DoubleNumber> {

    /** The arithmetic of plain doubles. */
    public static final RealField<DoubleNumber> FIELD = new RealField<>() {
        @Override
        public DoubleNumber constant(double v) {
            return new DoubleNumber(v);
        }

        @Override
        public DoubleNumber[] array(int length) {
            return new DoubleNumber[length];
        }
    };

    @Override
    public RealField<DoubleNumber> field() {
        return FIELD;
    }

    @Override
    public DoubleNumber add(DoubleNumber other) {
        return new DoubleNumber(value + other.value);
    }

    @Override
    public DoubleNumber subtract(DoubleNumber other) {
        return new DoubleNumber(value - other.value);
    }

    @Override
    public DoubleNumber multiply(DoubleNumber other) {
        return new DoubleNumber(value * other.value);
    }

    @Override
    public DoubleNumber divide(DoubleNumber other) {
        return new DoubleNumber(value / other.value);
    }

    @Override
    public DoubleNumber negate() {
        return new DoubleNumber(-value);
    }

    @Override
    public DoubleNumber pow(double exponent) {
        return new DoubleNumber(power(value, exponent));
    }

    /** {@code Math.pow}, as {@link io.chainproof.expr.ExprEvaluator} and compiled code evaluate a non-literal exponent. */
    @Override
    public DoubleNumber pow(DoubleNumber exponent) {
        return new DoubleNumber(Math.pow(value, exponent.value));
    }

    @Override
    public DoubleNumber call(Expr.Fn fn) {
        return new DoubleNumber(StableFunctions.apply(fn, value));
    }

    @Override
    public DoubleNumber ifPositive(DoubleNumber whenPositive, DoubleNumber otherwise) {
        return value > 0 ? whenPositive : otherwise;
    }

    /** {@code base^exponent} by {@link StableFunctions#power}, for the arithmetics of this package. */
    static double power(double base, double exponent) {
        return StableFunctions.power(base, exponent);
    }
}
