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
}
