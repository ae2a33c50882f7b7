package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of the stable lowering: Symja agrees the identity holds, reading Symja's form gives the
 * lowered call, and the lowered expression agrees numerically with the naive formula where the naive
 * formula is accurate — and stays accurate where it is not.
 */
class StableLoweringTests {

    private static final Expr U = Expr.sym("u");
    /** Agreement of the lowered and the naive forms where the naive form is accurate (|u| ≤ 5; at 20 it cancels). */
    private static final double MODERATE_RELATIVE = 1e-13;
    private static final double[] MODERATE = {-5, -2, -0.5, 0, 0.7, 3, 5};
    private static final String SIGMOID_DEFINITION = "/.LogisticSigmoid[v_]:>1/(1+E^(-v))";

    /**
     * @param name     the identity, as in the javadoc of {@link SymjaReader}
     * @param symja    Symja input whose evaluation the reader lowers
     * @param identity Symja input that is zero exactly when the rule's identity holds
     * @param lowered  the expected lowered expression
     * @param naive    the textbook formula in double precision
     */
    record Rule(String name, String symja, String identity, Expr lowered, DoubleUnaryOperator naive) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rule> rules() {
        return Stream.of(
                new Rule("E^u ≡ exp(u)", "E^u", "E^u-Exp[u]", Expr.call(Fn.EXP, U), Math::exp),
                new Rule("E^u·(1+E^u)^(−1) = σ(u)", "E^u/(1+E^u)", "E^u/(1+E^u)-LogisticSigmoid[u]" + SIGMOID_DEFINITION,
                        Expr.call(Fn.SIGMOID, U), u -> Math.exp(u) / (1 + Math.exp(u))),
                new Rule("E^u·(1+E^u)^(−2) = σ'(u)", "E^u/(1+E^u)^2",
                        "E^u/(1+E^u)^2-E^(-u)/(1+E^(-u))^2", Expr.call(Fn.SIGMOID_PRIME, U),
                        u -> Math.exp(u) / ((1 + Math.exp(u)) * (1 + Math.exp(u)))),
                // the kernel's u > 0 branch u + log(1 + e^{−u}), compared through exp, which is injective
                new Rule("Log(1+E^u) = softplus(u)", "Log[1+E^u]", "ExpandAll[E^(u+Log[1+E^(-u)])]-(1+E^u)",
                        Expr.call(Fn.SOFTPLUS, U), u -> Math.log(1 + Math.exp(u))),
                new Rule("σ(u)·(1−σ(u)) = σ'(u)", "LogisticSigmoid[u]*(1-LogisticSigmoid[u])",
                        "(LogisticSigmoid[u]*(1-LogisticSigmoid[u])-E^(-u)/(1+E^(-u))^2)" + SIGMOID_DEFINITION,
                        Expr.call(Fn.SIGMOID_PRIME, U), u -> sigmoid(u) * (1 - sigmoid(u))),
                new Rule("σ(u)·(σ(u)−1) = −σ'(u)", "LogisticSigmoid[u]*(LogisticSigmoid[u]-1)",
                        "(LogisticSigmoid[u]*(LogisticSigmoid[u]-1)+E^(-u)/(1+E^(-u))^2)" + SIGMOID_DEFINITION,
                        ExprAlgebra.negate(Expr.call(Fn.SIGMOID_PRIME, U)), u -> sigmoid(u) * (sigmoid(u) - 1)),
                new Rule("Sech(u) ≡ sech(u)", "Sech[u]", "TrigToExp[Sech[u]]-2*E^(-u)/(1+E^(-2*u))", Expr.call(Fn.SECH, U),
                        u -> 1 / Math.cosh(u)),
                new Rule("E^u − 1 = expm1(u)", "E^u-1", "(E^u-1)-(Exp[u]-1)", Expr.call(Fn.EXPM1, U), u -> Math.exp(u) - 1));
    }

    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void symja_confirms_the_identity_of_each_rule(Rule rule) {
        SymbolicEngine engine = SymbolicEngine.instance();
        assertTrue(engine.evaluate("PossibleZeroQ[" + rule.identity() + "]").isTrue(), rule.name());
        assertTrue(SymbolicEngine.isExactZero(engine.evaluate("Together[" + rule.identity() + "]")), rule.name());
    }

    @ParameterizedTest
    @MethodSource("rules")
    void reading_the_textbook_form_gives_the_lowered_call(Rule rule) {
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        assertEquals(rule.lowered(), reader.read(SymbolicEngine.instance().evaluate(rule.symja())));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void the_lowered_form_agrees_with_the_naive_formula_where_that_is_accurate(Rule rule) {
        for (double u : MODERATE) {
            double lowered = ExprEvaluator.evaluate(rule.lowered(), Map.of("u", u));
            double naive = rule.naive().applyAsDouble(u);
            assertEquals(naive, lowered, MODERATE_RELATIVE * Math.max(Math.abs(naive), Double.MIN_NORMAL), rule + " at " + u);
        }
    }

    @Test
    void sigmoid_prime_at_250_is_tiny_but_not_zero_where_the_naive_form_rounds_to_zero() {
        Expr lowered = LocalDerivatives.activation(Activation.SIGMOID).derivative();
        double value = ExprEvaluator.evaluate(lowered, Map.of("z", 250.0));
        assertTrue(value >= 2.6e-109 && value <= 2.7e-109, "σ'(250) = " + value);
        assertEquals(0.0, sigmoid(250) * (1 - sigmoid(250)));
    }

    @Test
    void the_softplus_derivative_at_800_is_one_where_the_naive_form_is_nan() {
        Expr lowered = LocalDerivatives.activation(Activation.SOFTPLUS).derivative();
        assertEquals(1.0, ExprEvaluator.evaluate(lowered, Map.of("z", 800.0)));
        assertEquals(800.0, ExprEvaluator.evaluate(LocalDerivatives.activation(Activation.SOFTPLUS).value(), Map.of("z", 800.0)));
        assertTrue(Double.isNaN(Math.exp(800) / (1 + Math.exp(800))));
    }

    @Test
    void expm1_near_zero_keeps_every_digit_where_the_naive_form_loses_eight() {
        // e^{−1e−10} − 1 = −9.9999999995000000000166…e−11 (mpmath, 60 digits; src/test/resources/reference/activations/README.md)
        double exact = -9.9999999995000007e-11;
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        Expr lowered = reader.read(SymbolicEngine.instance().evaluate("E^u-1"));
        assertEquals(exact, ExprEvaluator.evaluate(lowered, Map.of("u", -1e-10)));
        assertTrue(Math.abs((Math.exp(-1e-10) - 1) - exact) > 1e-8 * Math.abs(exact), "the naive form is off by 8e−8");
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void a_lowered_loss_has_no_bare_log_a_or_one_minus_a(Loss loss) {
        LossDerivative d = LocalDerivatives.loss(loss);
        Expr a = Expr.sym("a");
        Expr oneMinusA = ExprAlgebra.sum(Expr.num(1), ExprAlgebra.negate(a));
        for (Expr e : new Expr[] {d.term(), d.derivative()}) {
            assertFalse(ExprAlgebra.contains(e, Expr.call(Fn.LOG, a)), MathNotation.text(e));
            assertFalse(ExprAlgebra.contains(e, oneMinusA), MathNotation.text(e));
        }
    }

    @Test
    void bce_is_lowered_to_the_stable_symbols() {
        LossDerivative bce = LocalDerivatives.loss(Loss.BCE);
        assertEquals("log1mA·(y − 1) − y·logA", MathNotation.text(bce.term()));
        assertEquals("(1 − y)/oneMinusA − y/a", MathNotation.text(bce.derivative()));
    }

    @Test
    void the_lowered_bce_derivative_stays_finite_where_one_minus_a_rounds_to_zero() {
        double z = 40;
        double a = 1 / (1 + Math.exp(-z));
        assertEquals(1.0, a);
        Map<String, Double> stable = Map.of("a", a, "y", 0.0, "oneMinusA", 1 / (1 + Math.exp(z)));
        assertEquals(Math.exp(z) + 1, ExprEvaluator.evaluate(LocalDerivatives.loss(Loss.BCE).derivative(), stable),
                1e-15 * Math.exp(z));
        assertEquals(Double.POSITIVE_INFINITY,
                ExprEvaluator.evaluate(LocalDerivatives.loss(Loss.BCE).plainDerivative(), Map.of("a", a, "y", 0.0)));
    }
}
