package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SymbolicNumber}: building an expression makes only exact folds, and the expression a forward rule builds
 * is read back unchanged by {@link RealEvaluator} and evaluates as the rule does.
 */
class SymbolicNumberTests {

    static final SymbolicNumber X = SymbolicNumber.symbol("x");
    static final SymbolicNumber Y = SymbolicNumber.symbol("y");
    static final SymbolicNumber Z = SymbolicNumber.symbol("z");
    static final Expr EX = Expr.sym("x");
    static final Expr EY = Expr.sym("y");
    static final Expr EZ = Expr.sym("z");

    static SymbolicNumber c(double v) {
        return SymbolicNumber.FIELD.constant(v);
    }

    static Expr sum(Expr... terms) {
        return new Expr.Sum(List.of(terms));
    }

    static Expr product(Expr... factors) {
        return new Expr.Product(List.of(factors));
    }

    @Nested
    class ExactFolds {

        @Test
        void adding_zero_and_multiplying_by_one_give_the_operand_back() {
            assertEquals(EX, X.add(0).expr());
            assertEquals(EX, c(0).add(X).expr());
            assertEquals(EX, X.add(-0.0).expr());
            assertEquals(EX, X.multiply(1).expr());
            assertEquals(EX, c(1).multiply(X).expr());
            assertEquals(EX, X.pow(1).expr());
        }

        @Test
        void multiplying_by_zero_and_the_zeroth_power_are_constants() {
            assertEquals(Expr.num(0), X.multiply(0).expr());
            assertEquals(Expr.num(1), X.pow(0).expr());
        }

        @Test
        void constants_combine_where_their_double_sum_or_product_is_exact() {
            assertEquals(Expr.num(5), c(2).add(c(3)).expr());
            assertEquals(sum(EX, Expr.num(5)), X.add(2).add(3).expr());
            assertEquals(product(Expr.num(6), EX), X.multiply(2).multiply(3).expr());
            assertEquals(product(Expr.num(0.25), EX), X.divide(c(4)).expr(), "1/4 is exact");
            assertEquals(Expr.num(2), c(4).sqrt().expr());
        }

        @Test
        void constants_stay_apart_where_combining_them_would_round() {
            assertEquals(sum(EX, Expr.num(0.1), Expr.num(0.2)), X.add(0.1).add(0.2).expr(), "0.1 + 0.2 rounds");
            assertEquals(product(Expr.num(0.1), Expr.num(0.3), EX), X.multiply(0.1).multiply(0.3).expr());
            assertEquals(product(EX, new Expr.Power(Expr.num(3), Expr.num(-1))), X.divide(c(3)).expr(), "1/3 rounds");
            assertEquals(new Expr.Power(Expr.num(2), Expr.num(0.5)), c(2).sqrt().expr());
            assertEquals(new Expr.Power(Expr.num(10), Expr.num(3)), c(10).pow(3).expr(), "no exactness test for x^3");
        }

        @Test
        void constants_whose_fold_is_not_a_number_stay_apart_instead_of_failing() {
            assertEquals(new Expr.Power(Expr.num(-4), Expr.num(0.5)), c(-4).sqrt().expr());
            double inf = Double.POSITIVE_INFINITY;
            assertEquals(sum(Expr.num(inf), Expr.num(-inf)), c(inf).add(c(-inf)).expr());
        }

        @Test
        void nested_sums_and_products_flatten() {
            assertEquals(sum(EX, EY, EZ, Expr.num(1)), X.add(Y).add(Z.add(1)).expr());
            assertEquals(product(Expr.num(-2), EX, EY, EZ), X.multiply(Y).multiply(Z.multiply(-2)).expr());
            assertEquals(EX, X.negate().negate().expr(), "(−1)·(−1) = 1 exactly");
        }

        @Test
        void nothing_else_is_simplified() {
            assertEquals(sum(EX, product(Expr.num(-1), EX)), X.subtract(X).expr());
            assertEquals(product(EX, new Expr.Power(EX, Expr.num(-1))), X.divide(X).expr());
            assertEquals(product(Expr.num(-1), sum(EX, EY)), X.add(Y).negate().expr());
        }

        @Test
        void a_power_with_a_symbolic_exponent_is_a_power() {
            assertEquals(new Expr.Power(EX, EY), X.pow(Y).expr());
            assertEquals(new Expr.Power(EX, Expr.num(3)), X.pow(c(3)).expr());
        }

        @Test
        void only_a_number_has_a_value() {
            assertEquals(2.5, c(2.5).value());
            assertTrue(Double.isNaN(X.value()));
        }
    }

    @Nested
    class RoundTrip {

        static <T extends Real<T>> T neuron(T x, T w, T b) {
            T z = w.multiply(x).add(b);
            return z.ifPositive(z, z.multiply(0.01)).add(z.sigmoid().multiply(0.7)).subtract(z.tanh().multiply(1.1))
                    .add(0.25);
        }

        static <T extends Real<T>> T everything(T x, T y) {
            T base = x.softplus().add(0.5);
            return base.pow(y).add(base.pow(3.7)).add(base.sqrt()).add(x.square()).add(base.pow(-1))
                    .add(x.exp().log()).add(x.erf()).add(x.call(Expr.Fn.SECH)).add(x.call(Expr.Fn.SIGMOID_PRIME))
                    .add(x.abs()).multiply(y.tanh());
        }

        static Expr read(Expr e) {
            return RealEvaluator.evaluate(e, SymbolicNumber.FIELD, SymbolicNumber::symbol).expr();
        }

        @Test
        void the_evaluator_over_symbolic_numbers_reproduces_the_expression_a_rule_builds() {
            Expr neuron = neuron(X, Y, Z).expr();
            Expr everything = everything(X, Y).expr();
            assertEquals(neuron, read(neuron));
            assertEquals(everything, read(everything));
        }

        @Test
        void a_rules_expression_evaluates_bit_for_bit_as_the_rule_does_in_double() {
            // the rules' sums and products associate as the flattened expression does, so no rounding differs
            for (double[] p : new double[][] {{0.3, -1.2, 0.4}, {-2.5, 0.7, 1.9}, {1.5, 0.0, -0.1}}) {
                Map<String, Double> values = Map.of("x", p[0], "y", p[1], "z", p[2]);
                double rule = neuron(new DoubleNumber(p[0]), new DoubleNumber(p[1]), new DoubleNumber(p[2])).value();
                assertEquals(rule, ExprEvaluator.evaluate(neuron(X, Y, Z).expr(), values), 0.0);
                double all = everything(new DoubleNumber(p[0]), new DoubleNumber(p[1])).value();
                assertEquals(all, ExprEvaluator.evaluate(everything(X, Y).expr(), values), 0.0);
            }
        }
    }
}
