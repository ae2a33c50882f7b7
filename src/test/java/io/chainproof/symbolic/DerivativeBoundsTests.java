package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.proofs.ActivationBoundLemma;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DerivativeBoundsTests {

    /** Agreement of a derived γ or argmax with the published value (given to 7–8 digits). */
    private static final double PUBLISHED_TOLERANCE = 1e-6;
    /** Agreement of a derived γ with its closed form from the written proof (double rounding only). */
    private static final double CLOSED_FORM_TOLERANCE = 1e-12;

    @Test
    @Tag("proof:chain-bound")
    @Tag("proof:saturation-bound")
    @Tag("proof:sigmoid-derivative-bound")
    void sigmoid_derivative_is_at_most_a_quarter() {
        ActivationBound b = DerivativeBounds.of(Activation.SIGMOID);
        assertEquals(0.25, b.gamma());
        assertTrue(b.attained());
        assertEquals(0.0, b.argmax().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IDENTITY   | 1          | 0               | true",
            "SIGMOID    | 0.25       | 0               | true",
            "TANH       | 1          | 0               | true",
            "RELU       | 1          | 1               | true",
            "LEAKY_RELU | 1          | 1               | true",
            "SOFTPLUS   | 1          |                 | false",
            "SILU       | 1.0998393  | 2.3993573       | true",
            "GELU       | 1.1289041  | 1.4142135623731 | true"})
    @Tag("proof:activation-derivative-bounds")
    @Tag("proof:chain-bound")
    @Tag("proof:mlp-bound")
    @Tag("proof:pascanu-rnn-condition")
    void each_bound_matches_the_published_value(Activation activation, double gamma, Double argmax, boolean attained) {
        ActivationBound b = DerivativeBounds.of(activation);
        assertEquals(gamma, b.gamma(), PUBLISHED_TOLERANCE, b.method());
        assertEquals(attained, b.attained(), b.method());
        if (argmax != null) {
            assertEquals(argmax, b.argmax().orElseThrow(), PUBLISHED_TOLERANCE, b.method());
        }
    }

    @Test
    @Tag("proof:activation-derivative-bounds")
    void silu_and_gelu_bounds_exceed_one_and_are_attained_at_a_positive_critical_point() {
        for (Activation a : new Activation[] {Activation.SILU, Activation.GELU}) {
            ActivationBound b = DerivativeBounds.of(a);
            assertTrue(b.gamma() > 1, a + ": " + b);
            assertTrue(b.argmax().orElseThrow() > 1, a + ": " + b);
        }
    }

    @Test
    @Tag("proof:activation-derivative-bounds")
    void gelu_bound_is_attained_at_root_two_exactly_as_solved() {
        ActivationBound b = DerivativeBounds.of(Activation.GELU);
        assertEquals(Math.sqrt(2), b.argmax().orElseThrow(), 1e-15);
        assertTrue(b.method().contains("Solve"), b.method());
    }

    @Test
    @Tag("proof:activation-derivative-bounds")
    void silu_and_gelu_bounds_have_the_closed_forms_of_the_proof() {
        ActivationBound silu = DerivativeBounds.of(Activation.SILU);
        double zStar = silu.argmax().orElseThrow();
        assertEquals(2.0, zStar * Math.tanh(zStar / 2), CLOSED_FORM_TOLERANCE);
        assertEquals(0.5 + zStar / 4, silu.gamma(), CLOSED_FORM_TOLERANCE);
        double geluGamma = 0.5 * (1 + Erf.erf(1)) + 1 / (Math.E * Math.sqrt(Math.PI));
        assertEquals(geluGamma, DerivativeBounds.of(Activation.GELU).gamma(), CLOSED_FORM_TOLERANCE);
    }

    @Test
    @Tag("proof:activation-derivative-bounds")
    void softplus_bound_is_a_limit_and_not_attained() {
        ActivationBound b = DerivativeBounds.of(Activation.SOFTPLUS);
        assertEquals(1.0, b.gamma());
        assertFalse(b.attained());
        assertTrue(b.argmax().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    @Tag("proof:activation-derivative-bounds")
    @Tag("proof:sigmoid-derivative-bound")
    void each_bound_is_the_maximum_of_the_stable_derivative_on_a_dense_grid(Activation activation) {
        Expr derivative = LocalDerivatives.activation(activation).derivative();
        ActivationBoundLemma.assertGammaIsTheSupremum(activation.toString(),
                z -> ExprEvaluator.evaluate(derivative, Map.of(ActivationDerivative.ARGUMENT, z)),
                DerivativeBounds.of(activation).gamma());
    }

    @Test
    void bounds_are_cached_and_a_second_request_reaches_no_symja() {
        ActivationBound first = DerivativeBounds.of(Activation.SILU);
        long before = SymbolicEngine.instance().evaluations();
        assertSame(first, DerivativeBounds.of(Activation.SILU));
        assertEquals(before, SymbolicEngine.instance().evaluations());
    }

    @Test
    void softmax_has_no_elementwise_bound() {
        ChainproofException e = assertThrows(ChainproofException.class, () -> DerivativeBounds.of(Activation.SOFTMAX));
        assertEquals("Activation <softmax> has no derivative bound γ = sup|φ'(z)|: it is not elementwise, its "
                + "derivative is the Jacobian of LocalDerivatives.softmax(); bound that instead", e.getMessage());
    }

    @Test
    void a_bound_that_claims_attainment_without_an_argmax_is_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ActivationBound(
                "tanh", 1, java.util.OptionalDouble.empty(), true, "by hand"));
        assertEquals("Bound of activation <tanh> is attained but has no argmax", e.getMessage());
    }

    /** A branching op for the tests: φ given per branch of the sign of z. */
    private static io.chainproof.ops.ElementwiseOp branching(String kind,
            java.util.function.UnaryOperator<io.chainproof.number.SymbolicNumber> positive,
            java.util.function.UnaryOperator<io.chainproof.number.SymbolicNumber> otherwise) {
        return new io.chainproof.ops.ElementwiseOp(1) {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T extends io.chainproof.number.Real<T>> T apply(T z) {
                io.chainproof.number.SymbolicNumber s = (io.chainproof.number.SymbolicNumber) z;
                return (T) s.ifPositive(positive.apply(s), otherwise.apply(s));
            }
        };
    }

    @Test
    void elu_like_branches_are_bounded_branch_by_branch_attained_on_the_constant_side() {
        // φ = z (z > 0), e^z − 1 (z ≤ 0): φ' is 1 and e^z ≤ 1, so γ = 1, attained for every z > 0
        ActivationBound b = DerivativeBounds.of(branching("elu-like", z -> z, z -> z.expm1()));
        assertEquals(1.0, b.gamma(), 1e-15);
        assertTrue(b.attained(), b.method());
    }

    @Test
    void softsign_like_branches_attain_their_bound_at_the_branch_point_of_the_closed_side() {
        // φ = z/(1 + z) (z > 0), z/(1 − z) (z ≤ 0): φ' = 1/(1 ± z)² ≤ 1, attained at z = 0, which belongs to z ≤ 0
        ActivationBound b = DerivativeBounds.of(branching("softsign-like", z -> z.divide(z.add(1)),
                z -> z.divide(z.negate().add(1))));
        assertEquals(1.0, b.gamma(), 1e-15);
        assertTrue(b.attained(), b.method());
        assertEquals(0.0, b.argmax().getAsDouble());
    }

    @Test
    void a_supremum_at_the_excluded_branch_point_is_not_attained() {
        // φ = z·e^{−z} (z > 0), 0 (z ≤ 0): φ' = (1 − z)·e^{−z} on z > 0 tends to 1 as z → 0⁺ but never reaches it;
        // its critical point z = 2 gives only e^{−2}
        ActivationBound b = DerivativeBounds.of(branching("bump", z -> z.multiply(z.negate().exp()),
                z -> z.field().constant(0)));
        assertEquals(1.0, b.gamma(), 1e-15);
        assertFalse(b.attained(), b.method());
    }
}
