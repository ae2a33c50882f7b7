package io.chainproof.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CentralDifferenceTests {

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -0.25, 0.0, 0.3, 1.0, 7.5, 1e3})
    void the_error_estimate_bounds_the_true_error_of_sine(double x) {
        Estimate e = CentralDifference.derivative(Math::sin, x);
        double trueError = Math.abs(e.value() - Math.cos(x));
        assertTrue(trueError <= e.errorEstimate(), "x=" + x + ": error " + trueError + " > estimate " + e.errorEstimate());
        assertTrue(e.errorEstimate() < 1e-6 * Math.max(1, Math.abs(x)), "estimate too loose: " + e.errorEstimate());
    }

    @Test
    void the_step_scales_with_the_argument_and_is_exactly_representable() {
        double x = 12345.678;
        Estimate e = CentralDifference.derivative(t -> t * t, x);
        assertTrue(e.step() > 1e-6 * x && e.step() < 1e-4 * x, "step " + e.step());
        assertTrue((x + e.step()) - x == e.step(), "step " + e.step() + " is not representable at " + x);
    }

    @Test
    void a_claim_off_by_1e_minus_4_relative_is_judged_wrong() {
        Estimate e = CentralDifference.derivative(Math::exp, 0.7);
        double truth = Math.exp(0.7);
        assertTrue(Verdict.judge(truth, e, Tolerance.DEFAULT).passed());
        assertFalse(Verdict.judge(truth * (1 + 1e-4), e, Tolerance.DEFAULT).passed());
    }

    @Test
    void nan_is_never_agreement() {
        Estimate e = CentralDifference.derivative(Math::exp, 0.7);
        assertTrue(Verdict.judge(Double.NaN, e, Tolerance.DEFAULT) instanceof Verdict.NonFinite);
        assertTrue(Verdict.judge(1.0, new Estimate(Double.POSITIVE_INFINITY, 0, 1e-6), Tolerance.DEFAULT) instanceof Verdict.NonFinite);
    }

    @Test
    void an_oracle_without_a_finite_error_estimate_refutes_nothing() {
        for (double estimate : new double[] {Double.POSITIVE_INFINITY, Double.NaN}) {
            Verdict v = Verdict.judge(0.43, new Estimate(0.0, estimate, 1e302), Tolerance.DEFAULT);
            Verdict.Agrees a = assertInstanceOf(Verdict.Agrees.class, v, "estimate " + estimate);
            assertEquals(Double.POSITIVE_INFINITY, a.allowed(), "an unbounded allowance marks it unresolved");
        }
        // a finite estimate still refutes: the same claim against an oracle sure of its 0
        assertFalse(Verdict.judge(0.43, new Estimate(0.0, 1e-12, 1e-6), Tolerance.DEFAULT).passed());
    }
}
