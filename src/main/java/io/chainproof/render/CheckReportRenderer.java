package io.chainproof.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.CheckReport;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link CheckReport}: a text table (parameter, claimed value, finite-difference value, errors,
 * tolerance, verdict) ending in the overall verdict, or one JSON object per report.
 */
public final class CheckReportRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckReportRenderer() {
    }

    /** The report as a text table. */
    public static String text(CheckReport r) {
        StringBuilder s = new StringBuilder();
        s.append(r.network()).append(" (").append(r.source()).append(")\n");
        s.append("loss = ").append(r.loss()).append("\n");
        int width = Math.max(9, r.checks().stream().mapToInt(c -> c.parameter().name().length()).max().orElse(0));
        s.append(String.format(Locale.ROOT, "  %-" + width + "s  %24s  %24s  %9s  %9s  %9s  %s%n",
                "parameter", "symbolic", "finite difference", "abs err", "rel err", "allowed", "verdict"));
        for (ParameterCheck c : r.checks()) {
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %24s  %24s  %9.2e  %9.2e  %9.2e  %s%n",
                    c.parameter().name(), c.claimed(), c.oracle().value(), c.absoluteError(), c.relativeError(),
                    allowed(c.verdict()), describe(c)));
        }
        int failed = r.failures().size();
        long unresolved = r.checks().stream().filter(c -> !c.resolved()).count();
        if (unresolved > 0) {
            s.append("NOTE: ").append(unresolved).append(unresolved == 1 ? " gradient is" : " gradients are")
                    .append(" below what finite differences can resolve (marked unresolved): they agree only in being tiny\n");
        }
        s.append(r.passed()
                ? "PASSED: all " + r.checks().size() + " gradients agree with finite differences\n"
                : "FAILED: " + failed + " of " + r.checks().size() + " gradients disagree with finite differences\n");
        return s.toString();
    }

    /** The report as one line of JSON. */
    public static String json(CheckReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", r.network());
        root.put("source", r.source());
        root.put("passed", r.passed());
        root.put("loss", r.loss());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParameterCheck c : r.checks()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("parameter", c.parameter().name());
            row.put("symbolic", c.claimed());
            row.put("finiteDifference", c.oracle().value());
            row.put("errorEstimate", c.oracle().errorEstimate());
            row.put("step", c.oracle().step());
            row.put("absoluteError", c.absoluteError());
            row.put("relativeError", c.relativeError());
            row.put("allowed", allowed(c.verdict()));
            row.put("verdict", c.verdict().getClass().getSimpleName());
            row.put("resolved", c.resolved());
            if (c.verdict() instanceof Verdict.NonFinite nf) {
                row.put("detail", nf.what());
            }
            rows.add(row);
        }
        root.put("parameters", rows);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write check JSON", ex);
        }
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
        return c.resolved() ? v.label() : v.label() + " (unresolved)";
    }
}
