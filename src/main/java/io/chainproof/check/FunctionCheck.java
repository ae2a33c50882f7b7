package io.chainproof.check;

import java.util.Objects;

/**
 * One claimed partial derivative of a user's function next to an oracle's estimate, and the verdict: a
 * gradient coordinate ({@code x[3]}, or the user's name for it) or a Jacobian entry ({@code J[1][0]}).
 *
 * @param name      the coordinate or entry, as reports print it
 * @param claimed   the derivative under test, from the user's gradient or Jacobian function
 * @param oracle    the deciding oracle's estimate with its error bound and step
 * @param decidedBy which oracle that was
 * @param verdict   the outcome
 */
public record FunctionCheck(String name, double claimed, Estimate oracle, Oracle decidedBy, Verdict verdict) {

    /**
     * Validates the components.
     *
     * @param name the coordinate or entry, as reports print it
     * @param claimed the derivative under test, from the user's gradient or Jacobian function
     * @param oracle the deciding oracle's estimate with its error bound and step
     * @param decidedBy which oracle that was
     * @param verdict the outcome
     */
    public FunctionCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(oracle, "oracle");
        Objects.requireNonNull(decidedBy, "decidedBy");
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * |claimed − oracle|.
     *
     * @return |claimed − oracle|
     */
    public double absoluteError() {
        return Math.abs(claimed - oracle.value());
    }

    /**
     * Whether the oracle could tell this derivative from zero: false when both the claim and the oracle
     * lie within the allowed error, so that their agreement (or disagreement) says only that both are
     * tiny. Kinks and non-finite values count as resolved.
     *
     * @return whether the derivative is distinguishable from zero
     */
    public boolean resolved() {
        double allowed;
        if (verdict instanceof Verdict.Agrees a) {
            allowed = a.allowed();
        } else if (verdict instanceof Verdict.Disagrees d) {
            allowed = d.allowed();
        } else {
            return true;
        }
        return Math.max(Math.abs(claimed), Math.abs(oracle.value())) > allowed;
    }
}
