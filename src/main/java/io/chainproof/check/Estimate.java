package io.chainproof.check;

/**
 * A derivative computed by an oracle, with a bound on its own error.
 *
 * @param value         the derivative
 * @param errorEstimate estimated absolute error (truncation + rounding); ≥ 0, or NaN if unknown
 * @param step          the step the oracle used (0 if none)
 */
public record Estimate(double value, double errorEstimate, double step) {
}
