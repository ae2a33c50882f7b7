package io.chainproof.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The columnar checks of a verification read back exactly the checks that were set: every verdict kind with its
 * numbers or reason, the estimate and the rounding bound, names of the rows asked for; the list cannot be changed and
 * the report's pass/fail summary comes from it.
 */
class CheckTableTests {

    private static final List<String> NAMES = List.of("W1[0,0]", "W1[0,1]", "b1[0]", "W2[0,0]", "b2[0]");

    private static List<ParameterCheck> expected() {
        return List.of(
                new ParameterCheck("W1[0,1]", 0.25, new Estimate(0.25 + 1e-17, 3e-17, 1e-20), Oracle.COMPLEX_STEP,
                        new Verdict.Agrees(1e-17, 4e-16), 2e-16),
                new ParameterCheck("b1[0]", -1.5, new Estimate(-1.25, 1e-16, 1e-20), Oracle.COMPLEX_STEP,
                        new Verdict.Disagrees(0.25, 6e-16), Double.NaN),
                new ParameterCheck("W2[0,0]", 0.0, new Estimate(0.5, 0, 1e-20), Oracle.COMPLEX_STEP,
                        new Verdict.NotDifferentiableHere("relu's argument z₁,₀ = 1e-12 is within the kink band"), 0),
                new ParameterCheck("b2[0]", Double.NaN, new Estimate(1.0, 1e-16, 1e-20), Oracle.COMPLEX_STEP,
                        new Verdict.NonFinite("claimed value is NaN"), 1e-16));
    }

    private static CheckTable table(List<ParameterCheck> checks) {
        CheckTable.Builder b = new CheckTable.Builder(NAMES, new int[] {1, 2, 3, 4}, Oracle.COMPLEX_STEP);
        for (int c = 0; c < checks.size(); c++) {
            ParameterCheck check = checks.get(c);
            b.set(c, check.claimed(), check.oracle(), check.verdict(), check.bound());
        }
        return b.build();
    }

    @Test
    void reads_back_every_verdict_kind_exactly() {
        List<ParameterCheck> checks = expected();
        CheckTable table = table(checks);
        assertEquals(checks, table);
        assertEquals(2, table.failures());
        assertEquals(4e-16, table.allowed(0));
        assertEquals(6e-16, table.allowed(1));
        assertTrue(Double.isNaN(table.allowed(2)) && Double.isNaN(table.allowed(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> table.get(4));
    }

    @Test
    void cannot_be_changed_and_summarises_the_report() {
        CheckTable table = table(expected());
        assertThrows(UnsupportedOperationException.class, () -> table.set(0, table.get(1)));
        assertThrows(UnsupportedOperationException.class, () -> table.remove(0));
        VerificationReport report = new VerificationReport("net", "net.json", 0.5, table, java.util.Optional.empty());
        assertFalse(report.passed());
        assertEquals(List.of(expected().get(1), expected().get(3)), report.failures());
        assertEquals(List.of(expected().get(2)), report.kinks());

        CheckTable passing = table(List.of(expected().get(0), expected().get(2), expected().get(0), expected().get(0)));
        VerificationReport good = new VerificationReport("net", "net.json", 0.5, passing, java.util.Optional.empty());
        assertTrue(good.passed());
        assertEquals(List.of(), good.failures());
    }
}
