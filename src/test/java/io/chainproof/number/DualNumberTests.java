package io.chainproof.number;

import io.chainproof.expr.Expr;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;

import static io.chainproof.number.CommonsMathReference.derivative;
import static io.chainproof.number.CommonsMathReference.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward-mode AD by {@link DualNumber} against Commons Math {@link DerivativeStructure} (order 1) — the same
 * method, written by others ({@link CommonsMathReference}).
 *
 * <p>Measured: every comparison below agrees to 5.1e−16 relative (tangents) and 3.0e−16 (values) but one:
 * σ'(0.8w + 0.3) at w = −0.5, 4.4e−15 — and that is DerivativeStructure's error, not the dual number's: its
 * quotient rule for e^x/(1 + e^x)² cancels in 1 − e^x near x = −0.1, while mpmath (50 digits) agrees with the
 * dual tangent 0.00996673737717428 to 1e−16.
 */
class DualNumberTests {

    /**
     * Relative agreement with DerivativeStructure: |tangent − expected| ≤ AGREEMENT·max(|expected|, FLOOR). Both
     * sides round a few times, so a few ulps; 1e−14 leaves a factor 2.3 over the worst measured (DerivativeStructure's
     * own 4.4e−15, above) and 20 over the rest.
     */
    static final double AGREEMENT = 1e-14;
    /** The floor of the relative comparison: below it (only underflowed derivatives) agreement is absolute. */
    static final double FLOOR = Double.MIN_NORMAL;

    static final double[] POINTS = {-7.0, -3.0, -0.5, 0.0, 0.7, 2.5, 9.0};

    static void assertAgrees(DerivativeStructure expected, DualNumber actual, String what) {
        double want = derivative(expected);
        assertEquals(expected.getValue(), actual.value(), AGREEMENT * Math.max(Math.abs(expected.getValue()), FLOOR),
                what + ": value");
        assertEquals(want, actual.tangent(), AGREEMENT * Math.max(Math.abs(want), FLOOR), what + ": tangent");
    }

    static void assertAgrees(UnaryOperator<DerivativeStructure> reference, OneParameterRule rule, double w) {
        assertAgrees(reference.apply(variable(w)), rule.dual(w), "at w = " + w);
    }

    @Nested
    class ElementaryFunctions {

        @ParameterizedTest
        @EnumSource(Expr.Fn.class)
        void the_tangent_of_every_function_of_an_affine_argument_is_commons_maths(Expr.Fn fn) {
            for (double x : POINTS) {
                if (fn == Expr.Fn.LOG && x <= 0) {
                    continue;
                }
                DualNumber dual = DualNumber.seed(x, 1).multiply(0.8).add(0.3).call(fn);
                assertAgrees(CommonsMathReference.call(fn, variable(x).multiply(0.8).add(0.3)), dual, fn + " at " + x);
            }
        }

        @ParameterizedTest
        @ValueSource(doubles = {-800.0, 800.0})
        void saturated_sigmoids_have_a_zero_tangent_not_nan(double x) {
            DualNumber s = DualNumber.seed(x, 1).sigmoid();
            assertEquals(x > 0 ? 1.0 : 0.0, s.value());
            assertEquals(0.0, s.tangent());
            assertAgrees(CommonsMathReference.call(Expr.Fn.SIGMOID, variable(x)), s, "σ at " + x);
        }

        @Test
        void tanh_at_30_keeps_its_tangent_where_one_minus_tanh_squared_is_zero() {
            DualNumber t = DualNumber.seed(30, 1).tanh();
            assertEquals(0.0, derivative(variable(30).tanh()), "DerivativeStructure.tanh cancels");
            assertAgrees(CommonsMathReference.call(Expr.Fn.TANH, variable(30)), t, "tanh at 30");
            assertTrue(t.tangent() > 3.5e-26);
        }
    }

    @Nested
    class Powers {

        @ParameterizedTest
        @ValueSource(doubles = {2, -1, 0.5, 3.7, 3, -2.5})
        void the_tangent_of_a_power_is_commons_maths(double k) {
            for (double x : new double[] {0.3, 1.0, 2.7, 40.0}) {
                assertAgrees(CommonsMathReference.variable(x).pow(k), DualNumber.seed(x, 1).pow(k), "x^" + k + " at " + x);
            }
        }

        @ParameterizedTest
        @ValueSource(doubles = {2, 3, -1})
        void an_integer_power_of_a_negative_base_is_commons_maths(double k) {
            assertAgrees(variable(-1.7).pow((int) k), DualNumber.seed(-1.7, 1).pow(k), "(-1.7)^" + k);
        }

        @Test
        void the_zeroth_power_is_the_constant_one_even_at_zero() {
            DualNumber one = DualNumber.seed(0, 1).pow(0);
            assertEquals(1.0, one.value());
            assertEquals(0.0, one.tangent(), "d/dx x⁰ = 0, not 0·x⁻¹ = NaN");
        }

        @Test
        void a_varying_exponent_is_commons_maths_power_of_structures() {
            // w^(w·0.5 + 1) at w = 1.5
            DualNumber w = DualNumber.seed(1.5, 1);
            DerivativeStructure v = variable(1.5);
            assertAgrees(v.pow(v.multiply(0.5).add(1)), w.pow(w.multiply(0.5).add(1)), "w^(w/2 + 1)");
        }

        @Test
        void a_constant_exponent_given_as_a_number_allows_a_negative_base() {
            DualNumber cube = DualNumber.seed(-2, 1).pow(DualNumber.FIELD.constant(3));
            assertEquals(-8.0, cube.value());
            assertEquals(12.0, cube.tangent(), AGREEMENT * 12);
        }
    }

    @Nested
    class Arithmetic {

        @Test
        void products_and_quotients_are_commons_maths() {
            for (double x : POINTS) {
                DualNumber w = DualNumber.seed(x, 1);
                DerivativeStructure v = variable(x);
                assertAgrees(v.multiply(v.exp()), w.multiply(w.exp()), "w·e^w at " + x);
                assertAgrees(v.multiply(v).negate().exp().add(2).divide(v.multiply(v).add(1)),
                        w.square().negate().exp().add(2).divide(w.square().add(1)), "(e^{−w²} + 2)/(w² + 1) at " + x);
                assertAgrees(CommonsMathReference.call(Expr.Fn.SIGMOID, v).divide(CommonsMathReference.call(Expr.Fn.TANH, v).add(2)),
                        w.sigmoid().divide(w.tanh().add(2)), "σ(w)/(tanh w + 2) at " + x);
            }
        }

        @Test
        void a_sigmoid_tanh_network_is_commons_maths() {
            UnaryOperator<DerivativeStructure> network = v -> {
                DerivativeStructure first = CommonsMathReference.call(Expr.Fn.SIGMOID, v.multiply(1.3).add(-0.4)).multiply(0.7);
                DerivativeStructure second = CommonsMathReference.call(Expr.Fn.SIGMOID, v.multiply(-0.6).add(0.9)).multiply(1.1);
                return CommonsMathReference.call(Expr.Fn.TANH, first.subtract(second).add(0.25));
            };
            for (double x : POINTS) {
                assertAgrees(network, ComplexStepReferenceTests.RULES.get("sigmoid-tanh-network"), x);
            }
        }

        @Test
        void a_seed_along_a_direction_scales_the_tangent_by_it() {
            DualNumber unit = DualNumber.seed(0.7, 1).tanh().multiply(DualNumber.seed(0.7, 1).exp());
            DualNumber scaled = DualNumber.seed(0.7, 2.5).tanh().multiply(DualNumber.seed(0.7, 2.5).exp());
            assertEquals(2.5 * unit.tangent(), scaled.tangent(), AGREEMENT * Math.abs(2.5 * unit.tangent()));
        }

        @Test
        void constants_carry_no_tangent_and_no_error() {
            DualNumber c = DualNumber.FIELD.constant(3).multiply(DualNumber.FIELD.constant(7)).exp();
            assertEquals(0.0, c.tangent());
            assertEquals(Double.MIN_NORMAL, c.errorBound(), "an unseeded computation has only the subnormal floor");
        }
    }

    @Nested
    class Kinks {

        static DualNumber relu(DualNumber x) {
            return x.ifPositive(x, x.field().constant(0));
        }

        @Test
        void a_relu_within_the_band_of_zero_on_the_seeded_path_is_near_a_kink() {
            assertTrue(relu(DualNumber.seed(1e-9, 1)).nearKink());
            assertTrue(relu(DualNumber.seed(-1e-9, 1)).nearKink());
        }

        @Test
        void a_relu_far_from_zero_or_off_the_seeded_path_is_not() {
            assertFalse(relu(DualNumber.seed(1e-3, 1)).nearKink());
            assertFalse(relu(DualNumber.FIELD.constant(1e-12)).nearKink(), "an unseeded constant has no kink");
        }

        @Test
        void a_result_decided_by_a_kinked_test_is_near_a_kink() {
            // relu(relu(x)) at x = −1e−10: the inner relu is a constant 0 marked near a kink; the outer branch on
            // it must keep the mark (it was dropped: the outer test is unseeded, so only its flag can tell)
            assertTrue(relu(relu(DualNumber.seed(-1e-10, 1))).nearKink());
        }

        @Test
        void the_band_widens_with_the_scale_of_the_test_as_the_complex_steps_does() {
            // 500·σ(w) − 250 at w = 4e−10: the test is 5e−8, beyond 1e−8 but within 1e−8·scale (scale ≈ 500)
            DualNumber dual = relu(DualNumber.seed(4e-10, 1).sigmoid().multiply(500).add(-250));
            ComplexStepNumber z = ComplexStepNumber.seed(4e-10, 1).sigmoid().multiply(500).add(-250);
            ComplexStepNumber step = z.ifPositive(z, z.field().constant(0));
            assertTrue(dual.nearKink());
            assertEquals(step.nearKink(), dual.nearKink());
        }
    }
}
