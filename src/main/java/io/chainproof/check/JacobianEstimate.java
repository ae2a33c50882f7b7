package io.chainproof.check;

/**
 * One entry ∂f_i/∂x_j of a Jacobian (or one partial derivative of a loss) as finite differences see it: the Richardson central difference with
 * its error estimate, the one-sided derivatives D₊ and D₋ from the same samples, and whether they show
 * a kink (see {@link JacobianDifference} for how they are computed and the kink decided).
 *
 * @param central       the Richardson central difference with its error estimate and step h
 * @param forward       D₊, the extrapolated derivative from the right
 * @param backward      D₋, the extrapolated derivative from the left
 * @param oneSidedError the rounding bound of each of D₊ and D₋
 * @param kink          whether f has a kink in x_j within the stencil
 */
public record JacobianEstimate(Estimate central, double forward, double backward, double oneSidedError, boolean kink) {

    /**
     * A central difference with no one-sided information (a model whose kinks are known from its structure).
     *
     * @param central the central difference with its error estimate and step
     * @return the estimate, never a kink
     */
    public static JacobianEstimate smooth(Estimate central) {
        return new JacobianEstimate(central, Double.NaN, Double.NaN, Double.NaN, false);
    }

    /**
     * The verdict on {@code claim}. At a kink a claim between the one-sided derivatives (any subgradient
     * convention: relu'(0) = 0, ½ or 1) is {@link Verdict.NotDifferentiableHere}; a claim outside that
     * range is wrong under every convention and {@link Verdict.Disagrees}, by its distance from the range.
     * Elsewhere the claim is judged against the central difference; NaN and infinities are
     * {@link Verdict.NonFinite} either way.
     */
    Verdict judge(double claim, Tolerance tolerance) {
        return judge(claim, tolerance, 0.0);
    }

    /** As {@link #judge(double, Tolerance)}, with {@code floor} extra absolute slack away from kinks. */
    Verdict judge(double claim, Tolerance tolerance, double floor) {
        if (!kink || !Double.isFinite(claim) || !Double.isFinite(central.value())) {
            return Verdict.judge(claim, central, tolerance, floor);
        }
        double nearest = Math.max(Math.min(forward, backward), Math.min(claim, Math.max(forward, backward)));
        double distance = Math.abs(claim - nearest);
        double allowed = tolerance.allowed(claim, nearest, oneSidedError);
        return distance <= allowed
                ? new Verdict.NotDifferentiableHere("one-sided differences <" + forward + "> and <" + backward + "> differ")
                : new Verdict.Disagrees(distance, allowed);
    }
}
