package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link RealEvaluator} over {@link DoubleNumber} is {@link ExprEvaluator} bit for bit on every shape of
 * {@link Expr}, and over the derivative-carrying numbers it differentiates what it evaluates.
 */
class RealEvaluatorTests {

    static final Expr X = Expr.sym("x");
    static final Expr Y = Expr.sym("y");
    static final List<Map<String, Double>> POINTS = List.of(Map.of("x", 0.7, "y", -1.3), Map.of("x", -2.9, "y", 0.45),
            Map.of("x", 31.0, "y", 3.0), Map.of("x", 1e-9, "y", -250.0));

    static double real(Expr e, Map<String, Double> values) {
        return RealEvaluator.evaluate(e, DoubleNumber.FIELD, name -> new DoubleNumber(values.get(name))).value();
    }

    static void assertBitForBit(Expr e) {
        for (Map<String, Double> p : POINTS) {
            double expected = ExprEvaluator.evaluate(e, p);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(real(e, p)),
                    e + " at " + p + " ==> expected: <" + expected + "> but was: <" + real(e, p) + ">");
        }
    }

    static Expr sum(Expr... terms) {
        return new Expr.Sum(List.of(terms));
    }

    static Expr product(Expr... factors) {
        return new Expr.Product(List.of(factors));
    }

    @ParameterizedTest
    @EnumSource(Expr.Fn.class)
    void a_call_of_every_function_is_the_expression_evaluators(Expr.Fn fn) {
        assertBitForBit(Expr.call(fn, X));
        assertBitForBit(Expr.call(fn, sum(product(Expr.num(0.3), X), Y, Expr.num(-0.1))));
    }

    @Test
    void numbers_symbols_sums_and_products_are_the_expression_evaluators() {
        assertBitForBit(Expr.num(-3.25));
        assertBitForBit(X);
        assertBitForBit(sum(X, Y, Expr.num(0.1), product(Expr.num(0.2), X, Y)));
        assertBitForBit(product(Expr.num(1.1), X, Y, sum(X, Expr.num(-0.3))));
    }

    @Test
    void powers_with_numeric_and_symbolic_exponents_are_the_expression_evaluators() {
        Expr positive = sum(Expr.call(Expr.Fn.EXP, X), Expr.num(0.5));
        List<Expr> powers = new ArrayList<>();
        for (double k : new double[] {2, -1, 0.5, 3.7, -2, 1, 0, 3, -0.5}) {
            powers.add(new Expr.Power(positive, Expr.num(k)));
            powers.add(new Expr.Power(X, Expr.num(k)));
        }
        powers.add(new Expr.Power(positive, Y));
        powers.add(new Expr.Power(Y, X));
        powers.add(new Expr.Power(X, sum(Y, Expr.num(1))));
        powers.forEach(RealEvaluatorTests::assertBitForBit);
    }

    @Test
    void a_symbolic_exponent_with_an_integer_value_allows_a_negative_base_as_math_pow_does() {
        // it was e^{y·log x}: NaN for x < 0, and a few ulps off Math.pow elsewhere (2^3 = 7.999999999999998)
        Expr power = new Expr.Power(X, Y);
        assertEquals(-8.0, real(power, Map.of("x", -2.0, "y", 3.0)));
        assertEquals(8.0, real(power, Map.of("x", 2.0, "y", 3.0)));
    }

    @Test
    void a_conditional_takes_the_branch_its_test_picks() {
        Expr relu = new Expr.Conditional(X, X, Expr.num(0));
        assertBitForBit(relu);
        assertBitForBit(new Expr.Conditional(sum(X, Y), Expr.call(Expr.Fn.TANH, X), product(Expr.num(0.01), Y)));
        assertEquals(0.0, real(relu, Map.of("x", 0.0)));
        assertEquals(0.0, real(relu, Map.of("x", Double.NaN)), "NaN is not positive");
    }

    @Test
    void a_sum_of_negative_zeros_is_negative_zero() {
        // IEEE: −0 + −0 = −0, as compiled code (t₀ + t₁) gives it; ExprEvaluator starts its sum at +0 and gives +0
        Expr sum = sum(X, Y);
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(real(sum, Map.of("x", -0.0, "y", -0.0))));
    }

    @Test
    void a_symbol_without_a_value_is_an_error_naming_it() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RealEvaluator.evaluate(sum(X, Y), DoubleNumber.FIELD, name -> name.equals("x") ? new DoubleNumber(1) : null));
        assertEquals("Symbol <y> has no value", e.getMessage());
    }

    @Test
    void over_dual_and_complex_step_numbers_it_differentiates_what_it_evaluates() {
        // d/dx [x^y + relu(x)·σ(x)] at x = 0.7, y = 2.5: y·x^{y−1} + σ(x) + x·σ'(x)
        Expr e = sum(new Expr.Power(X, Y), product(new Expr.Conditional(X, X, Expr.num(0)), Expr.call(Expr.Fn.SIGMOID, X)));
        double x = 0.7;
        double s = 1 / (1 + Math.exp(-x));
        double expected = 2.5 * Math.pow(x, 1.5) + s + x * s * (1 - s);
        DualNumber dual = RealEvaluator.evaluate(e, DualNumber.FIELD,
                name -> name.equals("x") ? DualNumber.seed(x, 1) : DualNumber.FIELD.constant(2.5));
        ComplexStepNumber step = RealEvaluator.evaluate(e, ComplexStepNumber.FIELD,
                name -> name.equals("x") ? ComplexStepNumber.seed(x, 1) : ComplexStepNumber.FIELD.constant(2.5));
        assertEquals(expected, dual.tangent(), DualNumberTests.AGREEMENT * expected);
        assertEquals(expected, step.derivative(), DualNumberTests.AGREEMENT * expected);
        assertEquals(real(e, Map.of("x", x, "y", 2.5)), dual.value(), 0.0);
    }
}
