package io.chainproof.check;

/**
 * The outcome of comparing one claimed derivative with an oracle. Sealed: every caller handles every
 * case, a NaN or an infinity can never be mistaken for agreement, and a kink is never a false failure.
 */
public sealed interface Verdict permits Verdict.Agrees, Verdict.Disagrees, Verdict.NotDifferentiableHere,
        Verdict.NonFinite {

    /**
     * Whether the claim stands (agrees, or the derivative does not exist here so nothing can be claimed).
     *
     * @return true for agreement or a kink, false otherwise
     */
    boolean passed();

    /**
     * A short word for tables: {@code ok}, {@code WRONG}, {@code KINK}, {@code NON-FINITE}.
     *
     * @return one of those four words
     */
    String label();

    /**
     * The claim is within tolerance of the oracle.
     *
     * @param error   |claim − oracle|
     * @param allowed the tolerance it was held to
     */
    record Agrees(double error, double allowed) implements Verdict {
        @Override
        public boolean passed() {
            return true;
        }

        @Override
        public String label() {
            return "ok";
        }
    }

    /**
     * The claim differs from the oracle by more than the tolerance.
     *
     * @param error   |claim − oracle|
     * @param allowed the tolerance it was held to
     */
    record Disagrees(double error, double allowed) implements Verdict {
        @Override
        public boolean passed() {
            return false;
        }

        @Override
        public String label() {
            return "WRONG";
        }
    }

    /**
     * The loss is not differentiable in this parameter at this point (a relu or leaky-relu
     * pre-activation crosses 0 within the stencil), so one-sided derivatives differ and no value is
     * "the" derivative: reported, never counted as a failure.
     *
     * @param reason which pre-activation, and its value
     */
    record NotDifferentiableHere(String reason) implements Verdict {
        @Override
        public boolean passed() {
            return true;
        }

        @Override
        public String label() {
            return "KINK";
        }
    }

    /**
     * The claim or the oracle is NaN or infinite; nothing can be said to agree.
     *
     * @param what which value is not finite, e.g. {@code "claimed value is NaN"}
     */
    record NonFinite(String what) implements Verdict {
        @Override
        public boolean passed() {
            return false;
        }

        @Override
        public String label() {
            return "NON-FINITE";
        }
    }

    /**
     * Compares {@code claim} with {@code oracle} under {@code tolerance}, with {@code floor} extra absolute slack.
     *
     * @param claim the claimed derivative
     * @param oracle the oracle's value with its error estimate
     * @param tolerance the tolerance to apply
     * @param floor extra absolute slack, e.g. {@link Tolerance#tensorFloor}; ≥ 0
     * @return {@code NonFinite} if either value is not finite; {@code Agrees} with an infinite allowance (so the check
     *     reads as unresolved) if the oracle's error estimate is not finite; else {@code Agrees} or {@code Disagrees}
     */
    static Verdict judge(double claim, Estimate oracle, Tolerance tolerance, double floor) {
        if (!Double.isFinite(claim)) {
            return new NonFinite("claimed value is " + claim);
        }
        if (!Double.isFinite(oracle.value())) {
            return new NonFinite("oracle value is " + oracle.value());
        }
        double error = Math.abs(claim - oracle.value());
        if (!(oracle.errorEstimate() < Double.POSITIVE_INFINITY)) {
            // an oracle that cannot bound its own error (e.g. differences of a loss near 1e308, whose rounding
            // estimate overflows) refutes nothing: the claim stands, unresolved, never "wrong"
            return new Agrees(error, Double.POSITIVE_INFINITY);
        }
        double allowed = tolerance.allowed(claim, oracle.value(), oracle.errorEstimate()) + floor;
        return error <= allowed ? new Agrees(error, allowed) : new Disagrees(error, allowed);
    }

    /**
     * Compares {@code claim} with {@code oracle} under {@code tolerance}.
     *
     * @param claim the claimed derivative
     * @param oracle the oracle's value with its error estimate
     * @param tolerance the tolerance to apply
     * @return {@code NonFinite} if either value is not finite, else {@code Agrees} or {@code Disagrees}
     */
    static Verdict judge(double claim, Estimate oracle, Tolerance tolerance) {
        return judge(claim, oracle, tolerance, 0.0);
    }
}
