package io.chainproof.check;

import io.chainproof.graph.ParameterId;

/**
 * One parameter's claimed derivative next to its finite-difference estimate.
 *
 * @param parameter the parameter
 * @param claimed   the derivative under test (chainproof's own compiled symbolic gradient, or a user's)
 * @param oracle    the finite-difference estimate with its error bound
 * @param verdict   the outcome
 */
public record ParameterCheck(ParameterId parameter, double claimed, Estimate oracle, Verdict verdict) {

    /** |claimed − oracle|. */
    public double absoluteError() {
        return Math.abs(claimed - oracle.value());
    }

    /** |claimed − oracle| / max(1e-300, |oracle|); infinite when the oracle is 0 and the claim is not. */
    public double relativeError() {
        double scale = Math.abs(oracle.value());
        return scale == 0 ? (claimed == 0 ? 0 : Double.POSITIVE_INFINITY) : absoluteError() / scale;
    }
}
