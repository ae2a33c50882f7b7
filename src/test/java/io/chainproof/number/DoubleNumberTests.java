package io.chainproof.number;

import io.chainproof.expr.Expr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link DoubleNumber}: the branch at 0 and NaN, the saturated functions, the exact powers, the defaults. */
class DoubleNumberTests {

    /** e^{−700} by the stable forms against Math.exp: a few roundings apart. */
    static final double STABLE_FORM_AGREEMENT = 1e-15;
    static final DoubleNumber POSITIVE = new DoubleNumber(1);
    static final DoubleNumber OTHERWISE = new DoubleNumber(-1);

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, Double.NaN, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY})
    void if_positive_takes_the_otherwise_branch_at_zero_nan_and_below(double test) {
        assertSame(OTHERWISE, new DoubleNumber(test).ifPositive(POSITIVE, OTHERWISE));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.MIN_VALUE, 1e-300, 1.0, Double.POSITIVE_INFINITY})
    void if_positive_takes_the_positive_branch_for_anything_above_zero(double test) {
        assertSame(POSITIVE, new DoubleNumber(test).ifPositive(POSITIVE, OTHERWISE));
    }

    @Test
    void the_sigmoid_family_at_plus_minus_800_neither_overflows_nor_is_nan() {
        assertEquals(1.0, new DoubleNumber(800).sigmoid().value());
        assertEquals(0.0, new DoubleNumber(-800).sigmoid().value());
        assertEquals(0.0, new DoubleNumber(800).call(Expr.Fn.SIGMOID_PRIME).value());
        assertEquals(0.0, new DoubleNumber(-800).call(Expr.Fn.SIGMOID_PRIME).value());
        assertEquals(800.0, new DoubleNumber(800).softplus().value());
        assertEquals(0.0, new DoubleNumber(-800).softplus().value());
        assertEquals(0.0, new DoubleNumber(800).call(Expr.Fn.SECH).value());
    }

    @Test
    void sigmoid_just_inside_the_range_keeps_its_tiny_values() {
        assertEquals(Math.exp(-700), new DoubleNumber(-700).sigmoid().value(), STABLE_FORM_AGREEMENT * Math.exp(-700));
        assertEquals(Math.exp(-700), new DoubleNumber(700).call(Expr.Fn.SIGMOID_PRIME).value(), STABLE_FORM_AGREEMENT * Math.exp(-700));
    }

    @Test
    void squares_reciprocals_and_square_roots_are_exact_operations_not_math_pow() {
        double v = 1.1;
        assertEquals(v * v, new DoubleNumber(v).pow(2).value(), 0.0);
        assertEquals(1 / v, new DoubleNumber(v).pow(-1).value(), 0.0);
        assertEquals(Math.sqrt(v), new DoubleNumber(v).pow(0.5).value(), 0.0);
        assertEquals(Math.sqrt(v), new DoubleNumber(v).sqrt().value(), 0.0);
        assertEquals(Math.pow(v, 3.7), new DoubleNumber(v).pow(3.7).value(), 0.0);
        assertEquals(Math.pow(v, 2.0), new DoubleNumber(v).pow(new DoubleNumber(2)).value(), 0.0,
                "a symbolic exponent is Math.pow, as ExprEvaluator evaluates it");
    }

    @Test
    void the_defaults_are_the_primitives() {
        DoubleNumber x = new DoubleNumber(-2.5);
        assertEquals(-2.5 - 0.75, x.subtract(new DoubleNumber(0.75)).value(), 0.0);
        assertEquals(-2.5 + 3, x.add(3).value(), 0.0);
        assertEquals(-2.5 * 3, x.multiply(3).value(), 0.0);
        assertEquals(6.25, x.square().value(), 0.0);
        assertEquals(2.5, x.abs().value(), 0.0);
        assertEquals(Math.tanh(-2.5), x.tanh().value(), 0.0);
        assertEquals(Math.exp(-2.5), x.exp().value(), 0.0);
        assertEquals(Math.log(2.5), x.negate().log().value(), 0.0);
    }

    @Test
    void the_field_makes_constants_and_arrays() {
        DoubleNumber[] a = DoubleNumber.FIELD.constants(new double[] {1.5, -2});
        assertArrayEquals(new DoubleNumber[] {new DoubleNumber(1.5), new DoubleNumber(-2)}, a);
        assertEquals(3, DoubleNumber.FIELD.array(3).length);
        assertSame(DoubleNumber.FIELD, new DoubleNumber(0).field());
    }
}
