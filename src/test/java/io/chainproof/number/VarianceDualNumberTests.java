package io.chainproof.number;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.math.MathContext;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistical rounding estimate of {@link VarianceDualNumber}: its tangent is the dual number's, bit for bit;
 * on the mpmath references ({@code src/test/resources/reference/number/}) its estimate times the tolerance's safety
 * factor covers the actual error; and on a long recurrence, where the worst-case running bound certifies nothing,
 * it stays at the size of the errors actually made.
 */
class VarianceDualNumberTests {

    /** The multiple of the estimate a verdict allows ({@code io.chainproof.check.Tolerance#DEFAULT_SAFETY}). */
    static final double SAFETY = 10;

    @TestFactory
    Stream<DynamicTest> the_tangent_is_the_dual_numbers_and_the_estimate_covers_the_error() throws IOException {
        return ComplexStepReferenceTests.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            OneParameterRule rule = ComplexStepReferenceTests.RULES.get(c.name());
            VarianceDualNumber v = rule.apply(VarianceDualNumber.seed(c.w(), 1));
            DualNumber d = rule.dual(c.w());
            assertEquals(d.tangent(), v.tangent(), 0.0, c + ": tangent");
            double error = ComplexStepReferenceTests.error(v.tangent(), c.derivative());
            assertTrue(error <= SAFETY * v.errorEstimate(), c + ": |" + v.tangent() + " − "
                    + c.derivative().round(MathContext.DECIMAL64) + "| = " + error + " > " + SAFETY + " × estimate "
                    + v.errorEstimate());
        }));
    }

    /**
     * h ← tanh(W·h + x_t) over 60 steps of 32 units with W uniform in ±0.15 and small inputs (tanh' ≈ 1): Σ_k |W_jk|
     * ≈ 2.4 per row, so the worst case over all rounding signs grows like 2.4⁶⁰, while ‖W‖₂ ≈ 1 keeps the true
     * derivative, and the errors actually made, of ordinary size.
     */
    @Test
    void along_a_long_recurrence_the_estimate_stays_small_where_the_worst_case_bound_explodes() {
        int n = 32;
        int steps = 60;
        java.util.Random r = new java.util.Random(11);
        double[][] w = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i][j] = 0.3 * (r.nextDouble() - 0.5);
            }
        }
        double[][] x = new double[steps][n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                row[j] = 0.1 * r.nextGaussian();
            }
        }
        VarianceDualNumber statistical = recurrence(VarianceDualNumber.FIELD, VarianceDualNumber.seed(w[0][0], 1), w, x);
        DualNumber worst = recurrence(DualNumber.FIELD, DualNumber.seed(w[0][0], 1), w, x);
        assertEquals(worst.tangent(), statistical.tangent(), 0.0);
        double size = Math.abs(worst.tangent());
        assertTrue(worst.errorBound() > 1e3 * size, "the worst case is vacuous here: " + worst.errorBound() + " vs " + size);
        assertTrue(statistical.errorEstimate() < 1e-12 * size, "the statistical estimate stays at rounding size: "
                + statistical.errorEstimate() + " vs " + size);
    }

    private static <T extends Real<T>> T recurrence(RealField<T> field, T w00, double[][] w, double[][] x) {
        int n = w.length;
        T[] h = field.array(n);
        for (int j = 0; j < n; j++) {
            h[j] = field.constant(0);
        }
        for (double[] xt : x) {
            T[] next = field.array(n);
            for (int i = 0; i < n; i++) {
                T acc = field.constant(xt[i]);
                for (int j = 0; j < n; j++) {
                    acc = acc.add((i == 0 && j == 0 ? w00 : field.constant(w[i][j])).multiply(h[j]));
                }
                next[i] = acc.tanh();
            }
            h = next;
        }
        T sum = h[0];
        for (int j = 1; j < n; j++) {
            sum = sum.add(h[j]);
        }
        return sum;
    }
}
