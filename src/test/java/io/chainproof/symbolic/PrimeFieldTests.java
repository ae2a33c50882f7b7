package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GF(2⁶¹ − 1) against java.math.BigInteger, and the opaque-function evaluation built on it. */
class PrimeFieldTests {

    private static final BigInteger P = BigInteger.ONE.shiftLeft(61).subtract(BigInteger.ONE);

    @Test
    void p_is_the_mersenne_prime_2_61_minus_1() {
        assertEquals(P.longValueExact(), PrimeField.P);
        assertEquals(true, P.isProbablePrime(64));
    }

    @Test
    void products_and_sums_match_big_integer_arithmetic() {
        SplittableRandom random = new SplittableRandom(61);
        List<Long> edges = List.of(0L, 1L, 2L, PrimeField.P - 1, PrimeField.P - 2, 1L << 60, (1L << 60) - 1);
        for (long a : edges) {
            for (long b : edges) {
                assertProduct(a, b);
            }
        }
        for (int i = 0; i < 200_000; i++) {
            long a = random.nextLong(PrimeField.P);
            long b = random.nextLong(PrimeField.P);
            assertProduct(a, b);
            assertEquals(BigInteger.valueOf(a).add(BigInteger.valueOf(b)).mod(P).longValueExact(), PrimeField.add(a, b));
            assertEquals(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).mod(P).longValueExact(),
                    PrimeField.subtract(a, b));
        }
    }

    private static void assertProduct(long a, long b) {
        assertEquals(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(P).longValueExact(), PrimeField.multiply(a, b),
                a + " · " + b);
    }

    @Test
    void inverses_and_powers_match_big_integer_arithmetic() {
        SplittableRandom random = new SplittableRandom(62);
        for (int i = 0; i < 2_000; i++) {
            long a = 1 + random.nextLong(PrimeField.P - 1);
            assertEquals(1, PrimeField.multiply(a, PrimeField.inverse(a)));
            long n = random.nextLong(1L << 40);
            assertEquals(BigInteger.valueOf(a).modPow(BigInteger.valueOf(n), P).longValueExact(), PrimeField.power(a, n));
        }
        assertThrows(ArithmeticException.class, () -> PrimeField.inverse(0));
    }

    @Test
    void a_double_maps_to_its_exact_rational_value() {
        SplittableRandom random = new SplittableRandom(63);
        List<Double> cases = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.5, 1.0 / 3, 0.1, Math.PI,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 6.02e23));
        for (int i = 0; i < 20_000; i++) {
            cases.add(Double.longBitsToDouble(random.nextLong()));
        }
        for (double x : cases) {
            if (!Double.isFinite(x)) {
                assertThrows(ArithmeticException.class, () -> PrimeField.of(x));
                continue;
            }
            BigDecimal exact = new BigDecimal(x);
            BigInteger numerator = exact.unscaledValue();
            BigInteger value = exact.scale() >= 0
                    ? numerator.multiply(BigInteger.TEN.pow(exact.scale()).modInverse(P)).mod(P)
                    : numerator.multiply(BigInteger.TEN.pow(-exact.scale())).mod(P);
            assertEquals(value.longValueExact(), PrimeField.of(x), Double.toString(x));
        }
    }

    @Test
    void opaque_functions_depend_on_the_value_of_their_argument_not_on_how_it_is_written() {
        Expr x = Expr.sym("x");
        Expr y = Expr.sym("y");
        Map<String, Long> point = Map.of("x", 123456789L, "y", 987654321L);
        FieldEvaluator field = FieldEvaluator.over(7, point);
        long a = field.value(Expr.call(Expr.Fn.EXP, new Expr.Sum(List.of(x, y))));
        long b = field.value(Expr.call(Expr.Fn.EXP, new Expr.Sum(List.of(y, x))));
        long c = field.value(Expr.call(Expr.Fn.EXP, new Expr.Product(List.of(x, y))));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(a, field.value(Expr.call(Expr.Fn.LOG, new Expr.Sum(List.of(x, y)))), "each function has its own values");
        assertNotEquals(a, FieldEvaluator.over(8, point).value(Expr.call(Expr.Fn.EXP, new Expr.Sum(List.of(x, y)))),
                "the seed draws new values");
        long s = field.value(Expr.call(Expr.Fn.SIGMOID, x));
        assertEquals(PrimeField.multiply(s, PrimeField.subtract(1, s)), field.value(Expr.call(Expr.Fn.SIGMOID_PRIME, x)));
        assertEquals(PrimeField.subtract(field.value(Expr.call(Expr.Fn.EXP, x)), 1), field.value(Expr.call(Expr.Fn.EXPM1, x)));
        long h = field.oracle(1000, point.get("x"));
        assertEquals(PrimeField.add(PrimeField.multiply(h, point.get("y")), PrimeField.multiply(PrimeField.subtract(1, h), 5)),
                field.value(new Expr.Conditional(x, y, Expr.num(5))));
    }

    @Test
    void a_division_by_zero_is_undefined_not_a_value() {
        FieldEvaluator field = FieldEvaluator.over(1, Map.of("x", 0L));
        assertThrows(FieldEvaluator.Undefined.class, () -> field.value(new Expr.Power(Expr.sym("x"), Expr.num(-1))));
        assertThrows(FieldEvaluator.Undefined.class, () -> field.value(Expr.num(Double.POSITIVE_INFINITY)));
    }

    @Test
    void degrees_bound_the_rational_function() {
        Expr x = Expr.sym("x");
        Expr y = Expr.sym("y");
        FieldEvaluator.Degrees degrees = new FieldEvaluator.Degrees();
        // x/(y) + y²: (x + y³)/y
        FieldEvaluator.Degrees.Degree d = degrees.of(new Expr.Sum(List.of(new Expr.Product(List.of(x,
                new Expr.Power(y, Expr.num(-1)))), new Expr.Power(y, Expr.num(2)))));
        assertEquals(new FieldEvaluator.Degrees.Degree(3, 1), d);
        // σ(x·y) is one opaque value, whose argument has degree 2
        assertEquals(new FieldEvaluator.Degrees.Degree(1, 0), degrees.of(Expr.call(Expr.Fn.SIGMOID, new Expr.Product(List.of(x, y)))));
        assertEquals(1, degrees.opaqueValues());
        assertEquals(2, degrees.widestArgument());
    }
}
