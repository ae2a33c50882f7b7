package io.chainproof.cli;

import io.chainproof.check.GradientVerifier;

import java.io.PrintWriter;

/**
 * A progress line on stderr for checks that run longer than a second: {@code checking NAME: 3000/6273
 * parameters}, rewritten in place at most five times a second, and ended with a newline at the end.
 */
final class ProgressLine implements GradientVerifier.Progress {

    /** Nothing is shown for checks shorter than this. */
    static final long QUIET_NANOS = 1_000_000_000L;
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String name;
    private final long quietNanos;
    private final long start = System.nanoTime();
    private long lastShown;
    private boolean shown;

    ProgressLine(PrintWriter err, String name) {
        this(err, name, QUIET_NANOS);
    }

    /** A progress line that stays silent for the first {@code quietNanos} (tests pass 0 or a day). */
    ProgressLine(PrintWriter err, String name, long quietNanos) {
        this.err = err;
        this.name = name;
        this.quietNanos = quietNanos;
    }

    @Override
    public synchronized void update(int done, int total) {
        long now = System.nanoTime();
        if (now - start < quietNanos || (now - lastShown < INTERVAL_NANOS && done < total)) {
            return;
        }
        lastShown = now;
        shown = true;
        err.print("\rchecking " + name + ": " + done + "/" + total + " parameters");
        if (done == total) {
            err.println();
        }
        err.flush();
    }

    /** Whether a line was printed (tests). */
    synchronized boolean shown() {
        return shown;
    }
}
