package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.numeric.CompiledNetwork;

import java.io.PrintWriter;

/** Runs the verifier as the {@code check} and {@code verify} commands' options ask. */
final class VerificationRun {

    private VerificationRun() {
    }

    static VerificationReport run(CompiledNetwork network, double[] claimed, Oracle oracle, boolean fast, boolean quiet,
                                  PrintWriter err) {
        GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
        if (!quiet) {
            verifier = verifier.withProgress(new ProgressLine(err, network.graph().spec().name()));
        }
        return fast
                ? verifier.verifyFast(network, claimed, GradientVerifier.DEFAULT_DIRECTIONS, 0L)
                : verifier.verify(network, claimed);
    }
}
