package io.chainproof.cli;

import io.chainproof.ChainproofException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one action per spec file, in order, so that one bad file does not hide the results of the others:
 * a bad file's message goes to stderr and the batch's exit code becomes 2 (bad input outranks a failed
 * check, which outranks success).
 */
final class SpecBatch {

    /** What to do with one spec file; returns its exit code. */
    interface Action {
        int run(Path spec);
    }

    private SpecBatch() {
    }

    static int run(List<Path> specs, PrintWriter err, CommonOptions common, Action action) {
        int worst = 0;
        for (Path spec : specs) {
            int code;
            try {
                code = action.run(spec);
            } catch (ChainproofException e) {
                err.println("chainproof: " + e.getMessage());
                if (common.debug) {
                    e.printStackTrace(err);
                }
                err.flush();
                code = e.exitCode();
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }
}
