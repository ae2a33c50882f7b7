package io.chainproof.number;

import io.chainproof.expr.Expr;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.MathContext;

import static io.chainproof.number.CommonsMathReference.derivative;
import static io.chainproof.number.CommonsMathReference.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ComplexStepNumber}: its derivative against Commons Math {@link DerivativeStructure} and against
 * {@link DualNumber}, its kink flag, Smith's division and the edges of its error bound. (The bound against
 * 30-digit references is {@link ComplexStepReferenceTests}.)
 */
class ComplexStepNumberTests {

    /** Smith's quotient is a few roundings from the exact one (Higham 2002, §27.7): 4 ulps of the exact result. */
    static final int SMITH_ULPS = 4;
    /**
     * How tight the bound of a quotient by a constant must be, relative to the derivative: a handful of roundings
     * (measured: 7.8e−16 for every one of the four divisors: seven roundings at u each).
     */
    static final double QUOTIENT_BOUND = 1e-14;

    static ComplexStepNumber relu(ComplexStepNumber x) {
        return x.ifPositive(x, x.field().constant(0));
    }

    @Nested
    class AgreementWithForwardMode {

        /**
         * Measured: the largest gap to DerivativeStructure is σ' at −0.1, 4.5e−15 — DerivativeStructure's own
         * cancellation, see {@link DualNumberTests}; every other function agrees to 4.4e−16.
         */
        @ParameterizedTest
        @EnumSource(Expr.Fn.class)
        void the_derivative_of_every_function_of_an_affine_argument_is_commons_maths(Expr.Fn fn) {
            for (double x : DualNumberTests.POINTS) {
                if (fn == Expr.Fn.LOG && x <= 0) {
                    continue;
                }
                ComplexStepNumber z = ComplexStepNumber.seed(x, 1).multiply(0.8).add(0.3).call(fn);
                double expected = derivative(CommonsMathReference.call(fn, variable(x).multiply(0.8).add(0.3)));
                assertEquals(expected, z.derivative(),
                        DualNumberTests.AGREEMENT * Math.max(Math.abs(expected), DualNumberTests.FLOOR), fn + " at " + x);
            }
        }

        @Test
        void the_derivative_of_every_reference_rule_is_the_dual_tangent_within_both_bounds() {
            for (OneParameterRule rule : ComplexStepReferenceTests.RULES.values()) {
                for (double w : new double[] {0.01, 0.3, 1.0, 1.7, 3.0}) {
                    ComplexStepNumber z = rule.complexStep(w);
                    DualNumber d = rule.dual(w);
                    assertTrue(Math.abs(z.derivative() - d.tangent()) <= z.errorBound() + d.errorBound(),
                            "at w = " + w + " ==> complex step " + z.derivative() + " vs dual " + d.tangent());
                }
            }
        }

        @Test
        void the_zeroth_power_has_derivative_zero_even_at_zero() {
            ComplexStepNumber one = ComplexStepNumber.seed(0, 1).pow(0);
            assertEquals(1.0, one.re());
            assertEquals(0.0, one.derivative(), "d/dx x⁰ = 0, not 0·x⁻¹ = NaN");
        }

        @Test
        void a_seed_has_its_direction_as_derivative_and_a_bound_of_two_roundings() {
            ComplexStepNumber w = ComplexStepNumber.seed(0.7, 1);
            assertEquals(1.0, w.derivative());
            assertEquals(RunningError.gamma(2), w.errorBound(), 1e-300);
        }
    }

    @Nested
    class Kinks {

        @ParameterizedTest
        @ValueSource(doubles = {1e-9, -1e-9, 0.0, 9.9e-9})
        void a_relu_within_the_band_of_zero_on_a_perturbed_path_is_near_a_kink(double x) {
            assertTrue(relu(ComplexStepNumber.seed(x, 1)).nearKink());
            assertTrue(ComplexStepNumber.seed(x, 1).abs().nearKink(), "|x| is a kink at 0 too");
        }

        @ParameterizedTest
        @ValueSource(doubles = {1e-3, -1e-3, 2e-8})
        void a_relu_outside_the_band_is_not(double x) {
            assertFalse(relu(ComplexStepNumber.seed(x, 1)).nearKink());
        }

        @ParameterizedTest
        @ValueSource(doubles = {0.0, 1e-12, -1e-12})
        void an_unperturbed_constant_never_sets_the_flag(double x) {
            ComplexStepNumber c = ComplexStepNumber.FIELD.constant(x);
            assertFalse(relu(c).nearKink());
            assertFalse(relu(c.multiply(c).add(c)).nearKink());
        }

        @Test
        void the_flag_survives_the_arithmetic_after_the_kink() {
            ComplexStepNumber w = ComplexStepNumber.seed(1e-10, 1);
            assertTrue(relu(w).multiply(3).add(1).tanh().divide(w.add(2)).nearKink());
        }

        @Test
        void a_result_decided_by_a_kinked_test_is_near_a_kink() {
            // relu(relu(x)) at x = −1e−10: the inner result is an unperturbed 0 marked near a kink, and the outer
            // branch on it chose a fresh constant 0 — the mark was dropped before the test's own flag was kept
            assertTrue(relu(relu(ComplexStepNumber.seed(-1e-10, 1))).nearKink());
        }

        @Test
        void the_band_is_relative_to_the_scale_of_the_tested_value() {
            // z = 500·σ(w) − 250: at w = 4e−10, z = 5e−8 is within 1e−8·scale (scale ≈ 500) of 0; at 4e−6, z = 5e−4 is not
            assertTrue(relu(ComplexStepNumber.seed(4e-10, 1).sigmoid().multiply(500).add(-250)).nearKink());
            assertFalse(relu(ComplexStepNumber.seed(4e-6, 1).sigmoid().multiply(500).add(-250)).nearKink());
        }
    }

    @Nested
    class Division {

        /** The exact Re and Im of (a + ib)/(c + id), in BigDecimal, rounded to double. */
        static double[] exactQuotient(double a, double b, double c, double d) {
            BigDecimal ba = new BigDecimal(a), bb = new BigDecimal(b), bc = new BigDecimal(c), bd = new BigDecimal(d);
            BigDecimal norm = bc.multiply(bc).add(bd.multiply(bd));
            MathContext m = MathContext.DECIMAL128;
            return new double[] {ba.multiply(bc).add(bb.multiply(bd)).divide(norm, m).doubleValue(),
                    bb.multiply(bc).subtract(ba.multiply(bd)).divide(norm, m).doubleValue()};
        }

        @ParameterizedTest
        @ValueSource(doubles = {1e300, 1e-300, 1.0})
        void smith_division_of_equal_numbers_is_one_even_where_c_squared_overflows_or_underflows(double s) {
            assertEquals(1.0, ComplexStepNumber.divideRe(s, s, s, s));
            assertEquals(0.0, ComplexStepNumber.divideIm(s, s, s, s));
        }

        @Test
        void the_textbook_quotient_would_overflow_there() {
            double c = 1e300;
            assertTrue(Double.isNaN((c * c + c * c) / (c * c + c * c)), "(ac + bd)/(c² + d²) is ∞/∞");
        }

        @Test
        void both_branches_of_smith_division_are_the_exact_quotient_to_rounding() {
            double[][] cases = {{1, 2, 3, 4}, {1, 2, 1e-3, 4}, {-7, 1e-20, 0.25, -1e-20}, {3, -5, -1e-5, 2e5}};
            for (double[] q : cases) {
                double[] exact = exactQuotient(q[0], q[1], q[2], q[3]);
                double re = ComplexStepNumber.divideRe(q[0], q[1], q[2], q[3]);
                double im = ComplexStepNumber.divideIm(q[0], q[1], q[2], q[3]);
                assertEquals(exact[0], re, SMITH_ULPS * Math.ulp(exact[0]), "Re of " + java.util.Arrays.toString(q));
                assertEquals(exact[1], im, SMITH_ULPS * Math.ulp(exact[1]), "Im of " + java.util.Arrays.toString(q));
            }
        }

        @Test
        void a_quotient_of_huge_numbers_keeps_a_finite_bound() {
            // magnitude·|c| and c² both overflowed: the bound was ∞/∞ = NaN
            ComplexStepNumber huge = new ComplexStepNumber(1e300, 1e300, 1e300, 1e300, 1, false);
            ComplexStepNumber q = huge.divide(huge);
            assertEquals(1.0, q.re());
            assertEquals(0.0, q.im());
            assertTrue(Double.isFinite(q.errorBound()), "bound " + q.errorBound());
        }

        @ParameterizedTest
        @ValueSource(doubles = {1e200, 1e-200, 3.0, -1e154})
        void dividing_by_a_constant_has_the_reciprocal_as_derivative_within_the_bound(double c) {
            ComplexStepNumber q = ComplexStepNumber.seed(0.3, 1).divide(ComplexStepNumber.FIELD.constant(c));
            BigDecimal exact = BigDecimal.ONE.divide(new BigDecimal(c), MathContext.DECIMAL128);
            double error = new BigDecimal(q.derivative()).subtract(exact).abs().doubleValue();
            assertTrue(error <= q.errorBound(), "d/dw w/" + c + " = " + q.derivative() + ", error " + error
                    + " ==> bound " + q.errorBound());
            assertTrue(q.errorBound() <= QUOTIENT_BOUND * Math.abs(exact.doubleValue()), "bound " + q.errorBound() + " is loose");
        }
    }

    @Nested
    class UnboundedCases {

        @Test
        void erf_of_a_subnormal_argument_has_no_error_bound() {
            // erf(a) ≈ 1.128·a is subnormal there and rounded by 2⁻¹⁰⁷⁴ absolute, no relative bound; the slope is right
            ComplexStepNumber z = ComplexStepNumber.seed(1e-310, 1).erf();
            assertEquals(2 / Math.sqrt(Math.PI), z.derivative());
            assertEquals(Double.POSITIVE_INFINITY, z.errorBound());
            assertEquals(Double.POSITIVE_INFINITY, DualNumber.seed(1e-310, 1).erf().errorBound());
        }

        @Test
        void erf_where_commons_math_lost_it_is_accurate_and_bounded() {
            // Commons Math's erf(1e−160) was off by 5.6e−6 relative (a² subnormal) and erf(1e−170) was 0
            for (double a : new double[] {1e-160, 1e-170, 1e-300}) {
                double exact = 2 / Math.sqrt(Math.PI) * a;
                ComplexStepNumber z = ComplexStepNumber.seed(a, 1).erf();
                assertEquals(exact, z.re(), 2 * Math.ulp(exact), "erf(" + a + ")");
                assertTrue(z.errorBound() < ERF_BOUND_AT_0, "bound at " + a + ": " + z.errorBound());
                assertTrue(DualNumber.seed(a, 1).erf().errorBound() < ERF_BOUND_AT_0, "dual bound at " + a);
            }
        }

        /**
         * Above the subnormals the erf charge is finite: max(4, 7 + ⌈a²⌉) roundings, 7 at 0 and at 1e−150 (bound
         * about 1e−15 on the slope 1.13). The limits leave a factor ~10 or more over that.
         */
        static final double ERF_BOUND_AT_1E_150 = 1e-12;
        static final double ERF_BOUND_AT_0 = 1e-14;

        @Test
        void erf_of_a_moderate_argument_keeps_a_finite_bound() {
            assertTrue(ComplexStepNumber.seed(1e-150, 1).erf().errorBound() < ERF_BOUND_AT_1E_150);
            assertTrue(ComplexStepNumber.seed(0.0, 1).erf().errorBound() < ERF_BOUND_AT_0);
        }
    }
}
