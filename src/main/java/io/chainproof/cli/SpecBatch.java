package io.chainproof.cli;

import io.chainproof.ChainproofException;
import io.chainproof.Json;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one action per spec file, in order, so that one bad file does not hide the results of the others:
 * a bad file's message goes to stderr and the batch's exit code becomes the worst of its files' (an internal
 * error, 3, outranks bad input, 2, which outranks a failed check, 1, which outranks success, 0); the message
 * of an internal error is the one {@link Main} prints. With
 * {@code --format json} a failed file also prints, in its place on stdout, one line
 * {@code {"file": "<path>", "error": "<message>"}}, so that line i of the JSON Lines always belongs to spec i.
 */
final class SpecBatch {

    /** What to do with one spec file; returns its exit code. */
    interface Action {
        int run(Path spec);
    }

    private SpecBatch() {
    }

    /**
     * Runs a command that takes one or several specs ({@link SpecFiles}).
     *
     * @param files  the specs and the output format
     * @param out    where results, and with {@code --format json} error objects, go
     * @param err    where error messages go
     * @param common the shared options ({@code --debug})
     * @param action what to do with one spec
     * @return the worst exit code of the batch
     */
    static int run(SpecFiles files, PrintWriter out, PrintWriter err, CommonOptions common, Action action) {
        return run(files.specs, files.json() ? out : null, err, common, action);
    }

    /**
     * Runs a command on specs whose failures are reported on stderr only.
     *
     * @param specs  the spec files, in order
     * @param err    where error messages go
     * @param common the shared options ({@code --debug})
     * @param action what to do with one spec
     * @return the worst exit code of the batch
     */
    static int run(List<Path> specs, PrintWriter err, CommonOptions common, Action action) {
        return run(specs, null, err, common, action);
    }

    private static int run(List<Path> specs, PrintWriter jsonOut, PrintWriter err, CommonOptions common,
                           Action action) {
        if (common.maxParameters != null && common.maxParameters < 1) {
            throw new io.chainproof.spec.SpecException(specs.isEmpty() ? "<no spec>" : specs.get(0).toString(),
                    "--max-parameters", Long.toString(common.maxParameters), "must be at least 1",
                    "give the most parameters a model may have, e.g. --max-parameters 1000000");
        }
        int worst = 0;
        for (Path spec : specs) {
            int code;
            try {
                code = common.maxParameters == null ? action.run(spec)
                        : io.chainproof.spec.ReadLimits.withMaxParameters(common.maxParameters, () -> action.run(spec));
            } catch (ChainproofException e) {
                code = failed(spec, e.getMessage(), e, e.exitCode(), jsonOut, err, common);
            } catch (picocli.CommandLine.PicocliException e) {
                throw e;
            } catch (RuntimeException e) {
                code = failed(spec, "internal error: " + e + (common.debug ? "" : " (run with --debug for the "
                        + "stack trace)"), e, Main.INTERNAL_ERROR, jsonOut, err, common);
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }

    private static int failed(Path spec, String message, Exception e, int code, PrintWriter jsonOut, PrintWriter err,
                              CommonOptions common) {
        if (jsonOut != null) {
            jsonOut.println(errorLine(spec, message));
            jsonOut.flush();
        }
        err.println("chainproof: " + message);
        if (common.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** {@code {"file": …, "error": …}} on one line. */
    static String errorLine(Path spec, String message) {
        try {
            return Json.mapper().writeValueAsString(Json.mapper().createObjectNode().put("file", spec.toString())
                    .put("error", message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object of two strings", e);
        }
    }
}
