package io.chainproof.check;

import io.chainproof.ChainproofException;

/**
 * The model's loss or gradient is not finite at the spec's point: a finding about the model (exit code 1), with the
 * place where its numbers first overflow or become NaN ({@link NonFiniteValues}), not a verdict on a gradient.
 */
public final class NonFiniteException extends ChainproofException {

    private static final long serialVersionUID = 1L;

    /** The finding; not serialized (the message carries it). */
    private final transient NonFiniteValues.Finding finding;

    /**
     * An exception for {@code finding} in the model read from {@code source}.
     *
     * @param source  the spec file, for the message
     * @param finding where the numbers stop being finite
     */
    public NonFiniteException(String source, NonFiniteValues.Finding finding) {
        super(source + ": " + finding.message());
        this.finding = finding;
    }

    /**
     * An exception for {@code finding} in a variant of the model read from {@code source} (a sweep's scaled network).
     *
     * @param source  the spec file, for the message
     * @param context which variant, e.g. "at scale 1.0e+150 of layer 1's weights"
     * @param finding where the numbers stop being finite
     */
    public NonFiniteException(String source, String context, NonFiniteValues.Finding finding) {
        super(source + ": " + context + ", " + finding.message());
        this.finding = finding;
    }

    /**
     * Checks a function's loss and gradient.
     *
     * @param function the model's loss
     * @param point    the parameters
     * @param loss     the loss there
     * @param gradient the gradient there
     * @throws NonFiniteException if the loss or an entry of the gradient is ±∞ or NaN
     */
    public static void requireFinite(LossFunction function, double[] point, double loss, double[] gradient) {
        java.util.Optional<NonFiniteValues.Finding> found = NonFiniteValues.find(function, point, loss, gradient);
        if (found.isPresent()) {
            throw new NonFiniteException(function.source(), found.get());
        }
    }

    /** @return where the numbers stop being finite; null in a deserialized copy, whose message still says it */
    public NonFiniteValues.Finding finding() {
        return finding;
    }

    /** @return 1: a finding about the model, like a failed check */
    @Override
    public int exitCode() {
        return 1;
    }
}
