package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.check.LossFunction;

import java.io.PrintWriter;

/** Runs the verifier as the {@code check} and {@code verify} commands' options ask. */
final class VerificationRun {

    private VerificationRun() {
    }

    static VerificationReport run(LossFunction function, double[] claimed, Oracle oracle, VerificationOptions options,
                                  PrintWriter err) {
        GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
        if (options.precision != null) {
            if (oracle == Oracle.CENTRAL_DIFFERENCE) {
                throw new io.chainproof.spec.SpecException(function.source(), "--precision",
                        options.precision.name(), "judges by rounding bounds, which need an exact oracle",
                        "leave --oracle out (the complex step) or give --oracle forward_ad");
            }
            verifier = verifier.withPrecision(options.precision.unitRoundoff);
        }
        if (!options.quiet) {
            verifier = verifier.withProgress(new ProgressLine(err, function.name()));
        }
        return options.fast
                ? verifier.verifyFast(function, claimed, GradientVerifier.DEFAULT_DIRECTIONS, 0L)
                : verifier.verify(function, claimed);
    }
}
