package io.chainproof.numeric;

import io.chainproof.check.CentralDifference;
import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The complex kernels against Commons Math {@link DerivativeStructure} (forward-mode AD, an outside reference). */
class ComplexFunctionsTests {

    /** Slopes agree with DerivativeStructure to a few ulps. */
    private static final double RELATIVE = 1e-14;

    @ParameterizedTest
    @ValueSource(doubles = {-7.0, -3.0, -0.5, 0.0, 0.7, 2.5, 9.0})
    void every_slope_is_the_derivative_computed_by_forward_mode_ad(double x) {
        assertSlope(Expr.Fn.EXP, x, DerivativeStructure::exp);
        // tanh = 1 − 2/(e^{2x} + 1): DerivativeStructure.tanh differentiates as 1 − tanh², which cancels for |x| > 3
        assertSlope(Expr.Fn.TANH, x, d -> d.multiply(2).exp().add(1).reciprocal().multiply(-2).add(1));
        assertSlope(Expr.Fn.SIGMOID, x, d -> d.negate().exp().add(1).reciprocal());
        assertSlope(Expr.Fn.SIGMOID_PRIME, x, d -> {
            DerivativeStructure s = d.negate().exp().add(1).reciprocal();
            return s.multiply(s.negate().add(1));
        });
        assertSlope(Expr.Fn.SOFTPLUS, x, d -> d.exp().log1p());
        assertSlope(Expr.Fn.SECH, x, d -> d.cosh().reciprocal());
        if (x > 0) {
            assertSlope(Expr.Fn.LOG, x, DerivativeStructure::log);
        }
    }

    private static void assertSlope(Expr.Fn fn, double x, UnaryOperator<DerivativeStructure> f) {
        double expected = f.apply(new DerivativeStructure(1, 1, 0, x)).getPartialDerivative(1);
        double actual = ComplexFunctions.slope(fn, x, ComplexFunctions.value(fn, x));
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), fn + " at " + x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.3, 0.0, 0.8, 1.7})
    void the_erf_slope_is_the_central_difference_of_commons_math_erf(double x) {
        var fd = CentralDifference.derivative(Erf::erf, x);
        assertEquals(fd.value(), ComplexFunctions.erfSlope(x), 10 * fd.errorEstimate(), "erf' at " + x);
    }

    @Test
    void the_slopes_of_saturated_units_do_not_round_to_zero() {
        double s250 = StableFunctions.sigmoidPrime(250);
        assertEquals(s250, ComplexFunctions.sigmoidSlope(250), 0.0);
        assertEquals(-s250, ComplexFunctions.sigmoidPrimeSlope(250), 1e-15 * s250, "σ'' = σ'(1 − 2σ) → −σ' for large z");
        double naive = 1 - Math.tanh(30) * Math.tanh(30);
        assertEquals(0.0, naive, "1 − tanh² cancels");
        assertEquals(4 * Math.exp(-60), ComplexFunctions.tanhSlope(30), 1e-15 * 4 * Math.exp(-60));
        assertEquals(1.0, ComplexFunctions.softplusSlope(800), 0.0);
    }

    @Test
    void division_is_exact_complex_division_and_does_not_overflow() {
        assertEquals(0.44, ComplexFunctions.divideRe(1, 2, 3, 4), 1e-16);
        assertEquals(0.08, ComplexFunctions.divideIm(1, 2, 3, 4), 1e-16);
        assertEquals(0.5, ComplexFunctions.divideRe(0, 1, 1, 1), 1e-16, "i/(1 + i) = (1 + i)/2");
        assertEquals(0.5, ComplexFunctions.divideIm(0, 1, 1, 1), 1e-16);
        assertEquals(1.0, ComplexFunctions.divideRe(1e300, 1e300, 1e300, 1e300), 0.0, "c² + d² would overflow");
        assertEquals(0.0, ComplexFunctions.divideIm(1e300, 1e300, 1e300, 1e300), 0.0);
        assertTrue(Double.isFinite(ComplexFunctions.divideIm(1, 1e-20, 1e-200, 1e-220)));
    }
}
