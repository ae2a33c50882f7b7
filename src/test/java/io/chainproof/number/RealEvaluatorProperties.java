package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RealEvaluator} over {@link DoubleNumber} is {@link ExprEvaluator} bit for bit on random expressions of
 * every shape — numbers, symbols, sums, products, powers with numeric and symbolic exponents, calls of every
 * function, conditionals — up to depth 4. One difference is allowed and documented: the sign of a zero sum
 * (ExprEvaluator starts its sums at +0, so −0 + −0 comes out +0 there; see {@link RealEvaluatorTests}).
 */
class RealEvaluatorProperties {

    static final double[] EXPONENTS = {2, -1, 0.5, 3.7, -2, 0, 1, 3, -0.5};

    @Provide
    Arbitrary<Expr> expressions() {
        return expression(4);
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.doubles().between(-3, 3).ofScale(9).filter(v -> v != 0);
    }

    static Arbitrary<Expr> expression(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.oneOf(
                Arbitraries.doubles().between(-3, 3).ofScale(6).filter(v -> v != 0).map(Expr::num),
                Arbitraries.of("x", "y").map(Expr::sym));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> expression(depth - 1));
        Arbitrary<Double> exponent = Arbitraries.of(0, 1, 2, 3, 4, 5, 6, 7, 8).map(i -> EXPONENTS[i]);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(2, sub.list().ofMinSize(2).ofMaxSize(4).map(Expr.Sum::new)),
                Tuple.of(2, sub.list().ofMinSize(2).ofMaxSize(3).map(Expr.Product::new)),
                Tuple.of(1, Combinators.combine(sub, exponent).as((b, k) -> new Expr.Power(b, Expr.num(k)))),
                Tuple.of(1, Combinators.combine(sub, sub).as(Expr.Power::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(Expr.Fn.class), sub).as(Expr::call)),
                Tuple.of(1, Combinators.combine(sub, sub, sub).as(Expr.Conditional::new)));
    }

    @Property(tries = 2000, seed = "20261201")
    void the_evaluator_over_doubles_is_the_expression_evaluator_bit_for_bit(
            @ForAll("expressions") Expr e, @ForAll("values") double x, @ForAll("values") double y) {
        Map<String, Double> values = Map.of("x", x, "y", y);
        double expected = ExprEvaluator.evaluate(e, values);
        double actual = RealEvaluator.evaluate(e, DoubleNumber.FIELD, name -> new DoubleNumber(values.get(name))).value();
        Statistics.label("value").collect(Double.isNaN(expected) ? "NaN" : Double.isInfinite(expected) ? "infinite" : "finite");
        Statistics.label("value").coverage(c -> c.check("finite").percentage(p -> p > 50));
        if (expected == 0 && actual == 0) {
            return;
        }
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                e + " at x = " + x + ", y = " + y + " ==> expected: <" + expected + "> but was: <" + actual + ">");
    }
}
