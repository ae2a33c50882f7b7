package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDerivativesTests {

    /** Agreement of φ' with an independent derivative (Commons Math forward-mode AD, or a hand formula). */
    private static final double DERIVATIVE_TOLERANCE = 1e-14;
    private static final double[] POINTS = {-3.5, -1, -0.25, 0.3, 1, 2.75};

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IDENTITY   | z                        | 1",
            "SIGMOID    | σ(z)                     | σ(z)·(1 − σ(z))",
            "TANH       | tanh(z)                  | sech(z)²",
            "RELU       | (z if z > 0 else 0)      | (1 if z > 0 else 0)",
            "LEAKY_RELU | (z if z > 0 else z/100)  | (1 if z > 0 else 0.01)",
            "SOFTPLUS   | log(1 + e^z)             | e^z/(1 + e^z)",
            "SILU       | z·σ(z)                   | σ(z) + z·σ(z)·(1 − σ(z))",
            "GELU       | z·(1 + erf(z/√2))/2      | e^(−z²/2)·z/√(2·π) + (1 + erf(z/√2))/2"})
    @Tag("proof:activation-derivative-bounds")
    @Tag("proof:sigmoid-derivative-bound")
    void each_activation_shows_its_definition_and_the_derivative_symja_derived(Activation activation, String definition,
                                                                              String derivative) {
        ActivationDerivative d = LocalDerivatives.activation(activation);
        assertEquals(definition, d.definitionText());
        assertEquals(derivative, d.derivativeText());
    }

    @Test
    void the_sigmoid_derivative_is_lowered_and_its_latex_is_symjas_form() {
        ActivationDerivative d = LocalDerivatives.activation(Activation.SIGMOID);
        assertEquals("σ'(z)", MathNotation.text(d.derivative()));
        assertEquals("\\sigma\\left(z\\right) \\cdot \\left(1 - \\sigma\\left(z\\right)\\right)", d.derivativeLatex());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void each_derivative_agrees_with_an_independent_derivative(Activation activation) {
        ActivationDerivative d = LocalDerivatives.activation(activation);
        for (double z : POINTS) {
            double expected = reference(activation, z);
            double actual = ExprEvaluator.evaluate(d.derivative(), Map.of("z", z));
            assertEquals(expected, actual, DERIVATIVE_TOLERANCE * Math.max(1, Math.abs(expected)), activation + " at " + z);
        }
    }

    /** φ'(z) by Commons Math's DerivativeStructure (forward-mode AD; elu and softsign on the branch of z), or by hand for relu and gelu. */
    private static double reference(Activation activation, double z) {
        DerivativeStructure x = new DerivativeStructure(1, 1, 0, z);
        UnaryOperator<DerivativeStructure> sigmoid = u -> u.negate().exp().add(1).reciprocal();
        DerivativeStructure y = switch (activation) {
            case IDENTITY -> x;
            case SIGMOID -> sigmoid.apply(x);
            case TANH -> x.tanh();
            case SOFTPLUS -> x.exp().add(1).log();
            case SILU -> x.multiply(sigmoid.apply(x));
            case ELU -> z > 0 ? x : x.expm1();
            case SOFTSIGN -> x.divide(x.abs().add(1));
            default -> null;
        };
        if (y != null) {
            return y.getPartialDerivative(1);
        }
        DoubleUnaryOperator byHand = switch (activation) {
            case RELU -> u -> u > 0 ? 1 : 0;
            case LEAKY_RELU -> u -> u > 0 ? 1 : 0.01;
            case GELU -> u -> 0.5 * (1 + Erf.erf(u / Math.sqrt(2))) + u * Math.exp(-u * u / 2) / Math.sqrt(2 * Math.PI);
            default -> throw new AssertionError(activation);
        };
        return byHand.applyAsDouble(z);
    }

    @Test
    void the_softmax_jacobian_is_proved_and_agrees_with_forward_mode_differentiation() {
        SoftmaxDerivative s = LocalDerivatives.softmax();
        assertTrue(s.proved());
        assertEquals("∂oᵢ/∂zᵢ = oᵢ·(1 − oᵢ),  ∂oᵢ/∂zⱼ = −oᵢ·oⱼ (j ≠ i)", s.text());
        double[] z = {0.3, -1.2, 2.0};
        double[] o = NetworkModel.softmax(z);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                DerivativeStructure[] zs = new DerivativeStructure[3];
                for (int k = 0; k < 3; k++) {
                    zs[k] = new DerivativeStructure(3, 1, k, z[k]);
                }
                DerivativeStructure sum = zs[0].exp().add(zs[1].exp()).add(zs[2].exp());
                int[] order = new int[3];
                order[j] = 1;
                double expected = zs[i].exp().divide(sum).getPartialDerivative(order);
                Expr jacobian = s.jacobianAt(i == j, Expr.sym("p"), Expr.sym("q"));
                double actual = ExprEvaluator.evaluate(jacobian, Map.of("p", o[i], "q", o[j]));
                assertEquals(expected, actual, 1e-15, "∂o" + i + "/∂z" + j);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MSE           | (a − y)²                        | 2·(a − y) | MEAN",
            "SSE           | (a − y)²                        | 2·(a − y) | SUM",
            "HALF_SSE      | (a − y)²/2                      | a − y     | SUM",
            "BCE           | log(1 − a)·(y − 1) − y·log(a)   | (1 − y)/(1 − a) − y/a | MEAN",
            "CROSS_ENTROPY | −y·log(a)                       | −y/a      | SUM"})
    void each_loss_shows_its_term_and_the_derivative_symja_derived(Loss loss, String term, String derivative,
                                                                  LossDerivative.Reduction reduction) {
        LossDerivative d = LocalDerivatives.loss(loss);
        assertEquals(term, d.termText());
        assertEquals(derivative, d.derivativeText());
        assertEquals(reduction, d.reduction());
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void substituting_the_plain_definitions_back_gives_symjas_derivative(Loss loss) {
        LossDerivative d = LocalDerivatives.loss(loss);
        String term = switch (loss) {
            case MSE, SSE -> "(a-y)^2";
            case HALF_SSE -> "(a-y)^2/2";
            case BCE -> "-(y*Log[a]+(1-y)*Log[1-a])";
            case CROSS_ENTROPY -> "-y*Log[a]";
        };
        SymjaReader literal = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LITERAL);
        Expr symja = literal.read(SymbolicEngine.instance().evaluate("D[" + term + ",a]"));
        Expr symjaTerm = literal.read(SymbolicEngine.instance().evaluate(term));
        for (double a : new double[] {0.05, 0.3, 0.5, 0.81, 0.999}) {
            for (double y : new double[] {0, 0.4, 1}) {
                Map<String, Double> at = Map.of("a", a, "y", y);
                assertEquals(ExprEvaluator.evaluate(symja, at), ExprEvaluator.evaluate(d.plainDerivative(), at), 1e-12,
                        loss + " at a=" + a + ", y=" + y);
                assertEquals(ExprEvaluator.evaluate(symjaTerm, at), ExprEvaluator.evaluate(d.plainTerm(), at), 1e-12);
            }
        }
    }

    @Test
    void the_affine_map_has_the_textbook_derivatives() {
        AffineDerivative affine = LocalDerivatives.affine();
        assertEquals(Expr.sym("o"), affine.dzdw());
        assertEquals(Expr.num(1), affine.dzdb());
        assertEquals(Expr.sym("w"), affine.dzdo());
    }

    @Test
    void a_second_request_reaches_no_symja() {
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX) {
                LocalDerivatives.activation(a);
            }
        }
        for (Loss l : Loss.values()) {
            LocalDerivatives.loss(l);
        }
        LocalDerivatives.softmax();
        LocalDerivatives.affine();
        long before = SymbolicEngine.instance().evaluations();
        ActivationDerivative sigmoid = LocalDerivatives.activation(Activation.SIGMOID);
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX) {
                LocalDerivatives.activation(a);
            }
        }
        for (Loss l : Loss.values()) {
            LocalDerivatives.loss(l);
        }
        LocalDerivatives.softmax();
        LocalDerivatives.affine();
        assertEquals(before, SymbolicEngine.instance().evaluations());
        assertSame(sigmoid, LocalDerivatives.activation(Activation.SIGMOID));
    }

    @Test
    void concurrent_requests_get_the_same_cached_derivative() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ActivationDerivative>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> LocalDerivatives.activation(Activation.GELU)));
            }
            for (Future<ActivationDerivative> r : results) {
                assertSame(LocalDerivatives.activation(Activation.GELU), r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void softmax_has_no_elementwise_derivative() {
        ChainproofException e = assertThrows(ChainproofException.class, () -> LocalDerivatives.activation(Activation.SOFTMAX));
        assertEquals("Activation <softmax> is not elementwise: it has no single derivative φ'(z); use "
                + "LocalDerivatives.softmax() for its Jacobian", e.getMessage());
    }
}
