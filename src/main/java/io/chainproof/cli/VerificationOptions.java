package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Precision;
import picocli.CommandLine.Option;

/** Options shared by the commands that verify gradients ({@code check}, {@code verify}). */
final class VerificationOptions {

    @Option(names = "--fast", description = "Random-direction checks per layer (O(1) loss evaluations), then an exhaustive "
            + "check of failing layers only. Automatic above " + GradientVerifier.AUTO_FAST_PARAMETERS + " parameters, "
            + "or when an exhaustive check of a model walked by its op graph would take about a minute.")
    boolean fast;

    @Option(names = "--exhaustive", description = "Check every parameter, however large the model (the default up to "
            + GradientVerifier.AUTO_FAST_PARAMETERS + " parameters); a million-parameter MLP takes seconds and a few "
            + "hundred MB.")
    boolean exhaustive;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    /** The arithmetic a library computed its gradients in. */
    enum PrecisionChoice {
        float64(Precision.FLOAT64),
        float32(Precision.FLOAT32);

        final Precision precision;

        PrecisionChoice(Precision precision) {
            this.precision = precision;
        }
    }

    @Option(names = "--precision", paramLabel = "float64|float32", description = "The arithmetic the claimed gradients "
            + "were computed in: each entry may differ from the exact value by what a correct backward pass in it "
            + "may lose to rounding (a running error analysis of the op graph with the textbook local derivatives), "
            + "and no more. Default: float64; float32 for gradients from a float32 library. Exact oracles only.")
    PrecisionChoice precision;

    @Option(names = "--strict", description = "Demand relative accuracy of every entry: at most √u relative (1.05e-8 "
            + "in float64), even where a correct backward pass with the textbook formulas keeps none (σ·(1 − σ) at "
            + "σ ≈ 1).")
    boolean strict;

    @Option(names = "--blanket-tolerance", description = "Judge by the blanket rule of earlier versions instead of "
            + "rounding bounds: 10 × the oracle's error + 1e-8 relative + 1e-11 of the tensor's largest entry.")
    boolean blanket;
}
