package io.chainproof.proofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two comparisons the lemma checks make, with messages in JUnit's form: an inequality up to a relative rounding
 * margin, and agreement to a relative tolerance. Stateless.
 */
public final class LemmaAssertions {

    /** Relative margin for rounding in an inequality between two computed doubles (a few ulps, far below this). */
    public static final double ROUNDING_MARGIN = 1e-12;
    /** Absolute slack of an inequality, for values that underflow to subnormal numbers. */
    public static final double UNDERFLOW = 1e-300;

    private LemmaAssertions() {
    }

    /**
     * @param smaller what the lemma says is at most {@code larger}
     * @param larger  the bound
     * @param what    what is compared, for the message
     */
    public static void assertAtMost(double smaller, double larger, String what) {
        assertTrue(smaller <= larger * (1 + ROUNDING_MARGIN) + UNDERFLOW,
                () -> what + " ==> expected: <" + smaller + "> ≤ <" + larger + ">");
    }

    /**
     * @param expected the value
     * @param actual   what should agree with it
     * @param relative the allowed error relative to |expected|
     * @param what     what is compared, for the message
     */
    public static void assertRelative(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.abs(expected) + UNDERFLOW, what);
    }
}
