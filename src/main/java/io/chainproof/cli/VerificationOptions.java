package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;
import picocli.CommandLine.Option;

/** Options shared by the commands that verify gradients ({@code check}, {@code verify}). */
final class VerificationOptions {

    @Option(names = "--fast", description = "Random-direction checks per layer (O(1) loss evaluations), then an exhaustive "
            + "check of failing layers only. Automatic above " + GradientVerifier.AUTO_FAST_PARAMETERS + " parameters, "
            + "or when an exhaustive check of a model walked by its op graph would take about a minute.")
    boolean fast;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    /** The arithmetic a library computed its gradients in. */
    enum Precision {
        float64(io.chainproof.check.BackpropBound.FLOAT64),
        float32(io.chainproof.check.BackpropBound.FLOAT32);

        final double unitRoundoff;

        Precision(double unitRoundoff) {
            this.unitRoundoff = unitRoundoff;
        }
    }

    @Option(names = "--precision", paramLabel = "float64|float32", description = "Judge each entry by the rounding a "
            + "correct backward pass in this arithmetic may make (a running error analysis of the op graph with the "
            + "textbook local derivatives), instead of the blanket relative tolerance: float32 for gradients from a "
            + "float32 library. Exact oracles only.")
    Precision precision;
}
