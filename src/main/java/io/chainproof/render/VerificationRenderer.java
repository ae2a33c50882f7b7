package io.chainproof.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chainproof.check.VerificationReport;
import io.chainproof.check.DirectionalCheck;
import io.chainproof.check.Oracle;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link VerificationReport}: a text table (parameter, claimed value, finite-difference value, errors,
 * tolerance, verdict) ending in the overall verdict, or one JSON object per report.
 */
public final class VerificationRenderer {

    /** Entries listed by name in a note, at most. */
    private static final int MAX_LISTED = 5;

    private VerificationRenderer() {
    }

    /**
     * The report as a text table.
     *
     * @param r the report
     * @param claimedColumn the heading of the claimed values, e.g. {@code symbolic} or {@code claimed}
     * @return the table, with notes and the verdict
     */
    public static String text(VerificationReport r, String claimedColumn) {
        return text(r, claimedColumn, "gradient", "gradients");
    }

    /**
     * {@link #text(VerificationReport, String)} for another checked quantity than gradients.
     *
     * @param r             the report
     * @param claimedColumn the heading of the claimed values
     * @param one           what one check is, e.g. {@code entry of H·v}
     * @param many          what several are, e.g. {@code entries of H·v}
     * @return the table, with notes and the verdict
     */
    public static String text(VerificationReport r, String claimedColumn, String one, String many) {
        StringBuilder s = new StringBuilder();
        s.append(r.network()).append(" (").append(r.source()).append(")\n");
        s.append("loss = ").append(r.loss()).append("\n");
        if (!r.checks().isEmpty()) {
            s.append("rule: ").append(r.rule().description()).append("\n");
        }
        if (r.fast()) {
            directional(s, r);
        }
        if (!r.checks().isEmpty()) {
            parameterTable(s, r, claimedColumn);
        }
        int failed = r.failures().size();
        List<ParameterCheck> lost = r.checks().stream().filter(ParameterCheck::lostRelativeAccuracy).toList();
        if (!lost.isEmpty()) {
            s.append("NOTE: ").append(lost.size()).append(lost.size() == 1 ? " " + one + " agrees" : " " + many + " agree")
                    .append(" only within rounding (marked rounding): a correct ").append(precision(r))
                    .append(" backward pass with the textbook formulas keeps no relative accuracy there (its bound "
                            + "reaches the value, e.g. σ·(1 − σ) at σ ≈ 1); the exact ")
                    .append(lost.size() == 1 ? "value is " : "values are ")
                    .append(lost.stream().limit(MAX_LISTED).map(c -> c.parameter() + " = " + c.oracle().value())
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .append(lost.size() > MAX_LISTED ? ", …" : "").append(" (--strict demands relative accuracy)\n");
        }
        long unbounded = r.checks().stream().filter(VerificationRenderer::unbounded).count();
        if (unbounded > 0) {
            s.append("NOTE: ").append(unbounded).append(unbounded == 1 ? " " + one + " was" : " " + many + " were")
                    .append(" not checked (marked unresolved): the oracle's error estimate is not finite there (values "
                            + "near the largest double leave its steps no room), so it can neither confirm nor refute "
                            + "them; check them with the complex step (verify), or at smaller values\n");
        }
        long unresolved = r.checks().stream().filter(c -> !c.resolved() && !c.lostRelativeAccuracy() && !unbounded(c))
                .count();
        if (unresolved > 0) {
            s.append("NOTE: ").append(unresolved).append(unresolved == 1 ? " " + one + " is" : " " + many + " are")
                    .append(" below what the oracle can resolve (marked unresolved): they agree only in being tiny\n");
        }
        for (ParameterCheck c : r.kinks()) {
            s.append("KINK: ").append(c.parameter()).append(": ")
                    .append(((Verdict.NotDifferentiableHere) c.verdict()).reason()).append("; not differentiable here\n");
        }
        r.localisation().ifPresent(l -> s.append("LIKELY CAUSE: ").append(l.explanation()).append("\n"));
        if (r.fast() && r.checks().isEmpty()) {
            s.append("PASSED: all ").append(r.directional().size()).append(" directional derivatives agree (fast mode; no ")
                    .append(blockUnit(r)).append(" needed an exhaustive check)\n");
        } else if (r.passed() && unbounded == r.checks().size()) {
            s.append("NOT CHECKED: ").append(oracles(r)).append(" could resolve none of the ").append(r.checks().size())
                    .append(" ").append(many).append(" (see the note); no disagreement was found, and none could be\n");
        } else {
            s.append(r.passed()
                    ? "PASSED: all " + r.checks().size() + " " + many + " agree with " + oracles(r) + "\n"
                    : "FAILED: " + failed + " of " + r.checks().size() + " " + many + " disagree with " + oracles(r) + "\n");
        }
        return s.toString();
    }

    /** Whether a check agreed only because its oracle could not bound its own error (an infinite allowance). */
    private static boolean unbounded(ParameterCheck c) {
        return c.verdict() instanceof Verdict.Agrees a && a.allowed() == Double.POSITIVE_INFINITY;
    }

    /** {@code layer} when fast mode's blocks are an MLP's layers (named by number), else {@code tensor}. */
    private static String blockUnit(VerificationReport r) {
        return r.directional().stream().allMatch(d -> d.block().chars().allMatch(Character::isDigit)) ? "layer" : "tensor";
    }

    private static void directional(StringBuilder s, VerificationReport r) {
        String unit = blockUnit(r);
        int width = Math.max(5, r.directional().stream().mapToInt(d -> d.block().length()).max().orElse(0));
        s.append("fast mode: random unit directions v per ").append(unit)
                .append(", ⟨claimed, v⟩ against the directional derivative D_v L\n");
        s.append(String.format(Locale.ROOT, "  %-" + width + "s  %9s  %24s  %24s  %9s  %s%n", unit, "direction",
                "⟨claimed, v⟩", "D_v L", "allowed", "verdict"));
        for (DirectionalCheck d : r.directional()) {
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %9d  %24s  %24s  %9.2e  %s%n", d.block(),
                    d.direction() + 1, d.claimed(), d.oracle().value(), allowed(d.verdict()), d.verdict().label()));
        }
        long failing = r.directional().stream().filter(d -> !d.verdict().passed()).map(DirectionalCheck::block).distinct().count();
        if (failing > 0) {
            s.append("checking the ").append(failing).append(" failing ").append(unit).append(failing == 1 ? "" : "s")
                    .append(" exhaustively:\n");
        }
    }

    private static void parameterTable(StringBuilder s, VerificationReport r, String claimedColumn) {
        int width = Math.max(9, r.checks().stream().mapToInt(c -> c.parameter().length()).max().orElse(0));
        boolean bounds = r.rule().rounding();
        s.append(String.format(Locale.ROOT, "  %-" + width + "s  %24s  %24s  %9s  %9s  " + (bounds ? "%9s  " : "%s")
                        + "%9s  %s%n", "parameter", claimedColumn, columnTitle(r.checks().get(0).decidedBy()),
                "abs err", "rel err", bounds ? "bound" : "", "allowed", "verdict"));
        // by hand rather than String.format: a check of thousands of parameters prints thousands of rows
        String newline = System.lineSeparator();
        for (ParameterCheck c : r.checks()) {
            s.append("  ");
            pad(s, c.parameter(), -width).append("  ");
            pad(s, Double.toString(c.claimed()), 24).append("  ");
            pad(s, Double.toString(c.oracle().value()), 24).append("  ");
            pad(s, Scientific.format(c.absoluteError(), 2), 9).append("  ");
            pad(s, Scientific.format(c.relativeError(), 2), 9).append("  ");
            if (bounds) {
                pad(s, Scientific.format(c.bound(), 2), 9).append("  ");
            }
            pad(s, Scientific.format(allowed(c.verdict()), 2), 9).append("  ").append(describe(c)).append(newline);
        }
    }

    /** {@code text} right-aligned in {@code width} columns, or left-aligned in {@code −width}, as {@code %Ns} pads. */
    private static StringBuilder pad(StringBuilder s, String text, int width) {
        int fill = Math.abs(width) - text.length();
        if (width < 0) {
            s.append(text);
        }
        for (int i = 0; i < fill; i++) {
            s.append(' ');
        }
        return width < 0 ? s : s.append(text);
    }

    /** The arithmetic the rounding rule judged by, e.g. {@code float64}. */
    private static String precision(VerificationReport r) {
        String name = r.rule().name();
        int comma = name.indexOf(',');
        return comma < 0 ? name : name.substring(0, comma);
    }

    /**
     * The report as one line of JSON.
     *
     * @param r the report
     * @return one line of JSON, without a trailing newline
     */
    public static String json(VerificationReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", r.network());
        root.put("source", r.source());
        root.put("passed", r.passed());
        root.put("loss", r.loss());
        root.put("rule", r.rule().name());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParameterCheck c : r.checks()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("parameter", c.parameter());
            row.put("symbolic", c.claimed());
            row.put("finiteDifference", c.oracle().value());
            row.put("errorEstimate", c.oracle().errorEstimate());
            row.put("step", c.oracle().step());
            row.put("absoluteError", c.absoluteError());
            row.put("relativeError", c.relativeError());
            if (r.rule().rounding()) {
                row.put("bound", Double.isFinite(c.bound()) ? c.bound() : null);
            }
            row.put("allowed", allowed(c.verdict()));
            row.put("oracle", c.decidedBy().name());
            row.put("verdict", c.verdict().getClass().getSimpleName());
            if (c.verdict() instanceof Verdict.NotDifferentiableHere k) {
                row.put("detail", k.reason());
            }
            row.put("resolved", c.resolved());
            row.put("lostRelativeAccuracy", c.lostRelativeAccuracy());
            if (c.verdict() instanceof Verdict.NonFinite nf) {
                row.put("detail", nf.what());
            }
            rows.add(row);
        }
        root.put("parameters", rows);
        r.localisation().ifPresent(l -> {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("layer", l.layer());
            where.put("fault", l.fault().name());
            where.put("factor", l.factor());
            where.put("explanation", l.explanation());
            root.put("localisation", where);
        });
        try {
            return io.chainproof.Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write check JSON", ex);
        }
    }

    private static String columnTitle(Oracle oracle) {
        return switch (oracle) {
            case COMPLEX_STEP -> "complex step";
            case FORWARD_AD -> "forward-mode AD";
            case CENTRAL_DIFFERENCE -> "finite difference";
            case DIRECTIONAL -> "directional";
        };
    }

    private static String oracles(VerificationReport r) {
        return r.checks().stream().map(c -> c.decidedBy().description()).distinct()
                .reduce((a, b) -> a + " and " + b).orElse("the oracles");
    }

    private static double allowed(Verdict v) {
        if (v instanceof Verdict.Agrees a) {
            return a.allowed();
        }
        if (v instanceof Verdict.Disagrees d) {
            return d.allowed();
        }
        return Double.NaN;
    }

    private static String describe(ParameterCheck c) {
        Verdict v = c.verdict();
        if (v instanceof Verdict.NonFinite nf) {
            return v.label() + " (" + nf.what() + ")";
        }
        if (v instanceof Verdict.NotDifferentiableHere) {
            return v.label();
        }
        return c.lostRelativeAccuracy() ? v.label() + " (rounding)" : c.resolved() ? v.label() : v.label() + " (unresolved)";
    }
}
