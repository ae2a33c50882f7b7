package io.chainproof.bench;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.NetworkFunction;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The phases of checking one large spec in a fresh JVM, as a user's first run of the command line meets them (the
 * compiler warming up in the background while the spec is read, as {@code Main} starts it), then warm: read, compile
 * (the real and the complex kernel), fast mode (first and warm), and optionally the exhaustive check (once); with the
 * process's peak resident memory. Run it with the heap the figures are meant for, e.g.
 * {@code java -Xmx256m -cp target/classes:target/test-classes:DEPENDENCIES io.chainproof.bench.BigModelFigures
 * SPEC [--exhaustive]}; {@code src/test/python/bench_whole_process.py} generates the 1M and 10M-parameter MLPs and
 * runs it. Prints one line per phase; nothing is asserted (timings are measured, not tested).
 */
public final class BigModelFigures {

    private BigModelFigures() {
    }

    /**
     * Measures one spec.
     *
     * @param args the spec file, then {@code --exhaustive} to include the exhaustive check
     * @throws IOException if /proc cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        boolean exhaustive = args.length > 1 && args[1].equals("--exhaustive");
        long t0 = System.nanoTime();
        // as the command line does (Main): the compiler's classes load on the other core while the spec is read
        io.chainproof.numeric.NetworkCompiler.warmUpInBackground();
        Spec spec = SpecReader.readAny(file);
        long t1 = System.nanoTime();
        LossFunction f = LossFunctions.of(spec);
        double[] point = f.point();
        double[] gradient = f.gradient(point);
        if (f instanceof NetworkFunction n) {
            n.network().complexStep();
        }
        long t2 = System.nanoTime();
        GradientVerifier verifier = new GradientVerifier().forOwnGradients().withOracle(Oracle.COMPLEX_STEP);
        VerificationReport fast = verifier.verifyFast(f, gradient, GradientVerifier.DEFAULT_DIRECTIONS, 0L);
        long t3 = System.nanoTime();
        print("parameters", point.length, "");
        print("read", t1 - t0, "");
        print("compile (real and complex kernels, first gradient)", t2 - t1, "");
        print("fast mode, first run", t3 - t2, fast.passed() ? "passed" : "FAILED");
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            verifier.verifyFast(f, gradient, GradientVerifier.DEFAULT_DIRECTIONS, 0L);
            best = Math.min(best, System.nanoTime() - s);
        }
        print("fast mode, warm (best of 5)", best, "");
        if (exhaustive) {
            long s = System.nanoTime();
            VerificationReport all = verifier.verifyExhaustively(f, gradient);
            long first = System.nanoTime() - s;
            // one report of a million entries at a time: a second run beside it would not fit a small heap
            print("exhaustive, first run", first, all.passed() ? "passed" : "FAILED");
        }
        print("peak resident memory (MB)", peakResidentMegabytes(), "max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB");
    }

    private static void print(String what, long nanosOrCount, String note) {
        boolean count = what.equals("parameters") || what.startsWith("peak");
        System.out.println(String.format(Locale.ROOT, "%-52s %12s  %s", what,
                count ? Long.toString(nanosOrCount) : String.format(Locale.ROOT, "%.3f s", nanosOrCount / 1e9), note));
    }

    /** VmHWM of /proc/self/status, in MB; −1 where there is no /proc. */
    private static long peakResidentMegabytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
