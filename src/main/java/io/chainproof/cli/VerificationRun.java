package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.check.LossFunction;
import io.chainproof.check.Precision;
import io.chainproof.check.Tolerance;
import io.chainproof.spec.SpecException;

import java.io.PrintWriter;

/** Runs the verifier as the {@code check} and {@code verify} commands' options ask. */
final class VerificationRun {

    private VerificationRun() {
    }

    static VerificationReport run(LossFunction function, double[] claimed, Oracle oracle, VerificationOptions options,
                                  boolean own, PrintWriter err) {
        GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
        if (own) {
            verifier = verifier.forOwnGradients();
        }
        String flag = options.strict ? "--strict" : options.precision != null ? "--precision" : null;
        if (options.blanket) {
            if (flag != null) {
                throw new SpecException(function.source(), "--blanket-tolerance", "with " + flag,
                        "the blanket rule replaces the rounding rule that " + flag + " sets",
                        "give one of them");
            }
            verifier = verifier.withTolerance(Tolerance.DEFAULT);
        } else if (flag != null) {
            if (oracle == Oracle.CENTRAL_DIFFERENCE) {
                throw new SpecException(function.source(), flag, options.precision != null
                        ? options.precision.name() : "on", "judges by rounding bounds, which need an exact oracle",
                        "leave --oracle out (the complex step) or give --oracle forward_ad");
            }
            if (!function.hasBackpropBound()) {
                throw new SpecException(function.source(), flag, options.precision != null
                        ? options.precision.name() : "on", "judges by rounding bounds of an op graph, and <"
                        + function.name() + "> has none", "leave " + flag + " out");
            }
            verifier = verifier.withPrecision(options.precision != null ? options.precision.precision
                    : Precision.FLOAT64);
            if (options.strict) {
                verifier = verifier.strict();
            }
        }
        if (!options.quiet) {
            verifier = verifier.withProgress(new ProgressLine(err, function.name()));
        }
        if (options.fast && options.exhaustive) {
            throw new SpecException(function.source(), "--exhaustive", "with --fast", "checks every parameter, which "
                    + "--fast does only for the layers its random directions find wrong", "give one of them");
        }
        return options.fast ? verifier.verifyFast(function, claimed, GradientVerifier.DEFAULT_DIRECTIONS, 0L)
                : options.exhaustive ? verifier.verifyExhaustively(function, claimed)
                : verifier.verify(function, claimed);
    }
}
