package io.chainproof.check;

import java.util.Locale;

/**
 * Renders a {@link FunctionCheckReport} as text, in the layout of the spec checker's table. Columns:
 * the coordinate or entry; the claimed value; the central difference; its error estimate ({@code ± error});
 * how far the claim is from what the verdict compared it with ({@code off by}: the central difference,
 * or at a kink the range between the one-sided derivatives); the distance allowed; the verdict.
 * {@code off by} and {@code allowed} read {@code -} where the verdict has none (kinks, non-finite values).
 */
final class FunctionCheckRenderer {

    private FunctionCheckRenderer() {
    }

    static String text(FunctionCheckReport r) {
        StringBuilder s = new StringBuilder();
        String header = r.kind().column();
        int width = Math.max(header.length(), r.checks().stream().mapToInt(c -> c.parameter().length()).max().orElse(0));
        String row = "  %-" + width + "s  %24s  %24s  %9s  %9s  %9s  %s\n";
        s.append(String.format(Locale.ROOT, row, header, "claimed", "central difference", "± error", "off by", "allowed", "verdict"));
        for (ParameterCheck c : r.checks()) {
            s.append(String.format(Locale.ROOT, row, c.parameter(), c.claimed(), c.oracle().value(),
                    scientific(c.oracle().errorEstimate()), offBy(c.verdict()), allowed(c.verdict()), describe(c)));
        }
        long unresolved = r.checks().stream().filter(c -> !c.resolved()).count();
        if (unresolved > 0) {
            s.append("NOTE: ").append(unresolved).append(unresolved == 1 ? " derivative is" : " derivatives are")
                    .append(" below what finite differences can resolve (marked unresolved): they agree only in being tiny\n");
        }
        for (ParameterCheck c : r.kinks()) {
            s.append("KINK: ").append(c.parameter()).append(": ")
                    .append(((Verdict.NotDifferentiableHere) c.verdict()).reason()).append("; not differentiable here\n");
        }
        int n = r.checks().size();
        s.append(r.passed()
                ? "PASSED: all " + n + " derivatives agree with finite differences\n"
                : "FAILED: " + r.failures().size() + " of " + n + " derivatives disagree with finite differences\n");
        return s.toString();
    }

    private static String scientific(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String offBy(Verdict v) {
        if (v instanceof Verdict.Agrees a) {
            return scientific(a.error());
        }
        if (v instanceof Verdict.Disagrees d) {
            return scientific(d.error());
        }
        return "-";
    }

    private static String allowed(Verdict v) {
        if (v instanceof Verdict.Agrees a) {
            return scientific(a.allowed());
        }
        if (v instanceof Verdict.Disagrees d) {
            return scientific(d.allowed());
        }
        return "-";
    }

    private static String describe(ParameterCheck c) {
        Verdict v = c.verdict();
        if (v instanceof Verdict.NonFinite nf) {
            return v.label() + " (" + nf.what() + ")";
        }
        return c.resolved() ? v.label() : v.label() + " (unresolved)";
    }
}
