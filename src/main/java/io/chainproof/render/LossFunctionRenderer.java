package io.chainproof.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.DifferentiableLoss;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the loss, gradient and check of a {@link DifferentiableLoss} (a recurrent network, a formula) in the
 * same shapes as an MLP's: text tables, and JSON {@code {"loss": …, "gradients": {name: tensor, …}}}.
 */
public final class LossFunctionRenderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LossFunctionRenderer() {
    }

    /**
     * @param model    the model
     * @param loss     its loss at its point
     * @param gradient its gradient there, in layout order
     * @return a header, the loss, and one {@code name  value} line per parameter
     */
    public static String gradientText(DifferentiableLoss model, double loss, double[] gradient) {
        StringBuilder s = new StringBuilder(model.name()).append(" (").append(model.source()).append(")\n");
        s.append("loss = ").append(loss).append('\n');
        List<String> names = model.parameterNames();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < names.size(); i++) {
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", names.get(i), gradient[i]));
        }
        return s.toString();
    }

    /**
     * @param model    the model
     * @param loss     its loss at its point
     * @param gradient its gradient there, in layout order
     * @return {@code {"loss": …, "gradients": {…}}} on one line
     */
    public static String gradientJson(DifferentiableLoss model, double loss, double[] gradient) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("loss", loss);
        root.put("gradients", model.tensors(gradient));
        return write(root);
    }

    /**
     * @param model  the model
     * @param loss   its loss at its point
     * @param report the check of its gradient
     * @return a header, the loss, and the report's table and verdict
     */
    public static String checkText(DifferentiableLoss model, double loss, FunctionCheckReport report) {
        return model.name() + " (" + model.source() + ")\nloss = " + loss + "\n" + report.text();
    }

    /**
     * @param model  the model
     * @param loss   its loss at its point
     * @param report the check of its gradient
     * @return the report as one line of JSON, with the keys of the MLP check's JSON where they apply
     */
    public static String checkJson(DifferentiableLoss model, double loss, FunctionCheckReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", model.name());
        root.put("source", model.source());
        root.put("passed", report.passed());
        root.put("loss", loss);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParameterCheck c : report.checks()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("parameter", c.parameter());
            row.put("symbolic", c.claimed());
            row.put("finiteDifference", c.oracle().value());
            row.put("errorEstimate", c.oracle().errorEstimate());
            row.put("absoluteError", c.absoluteError());
            row.put("oracle", c.decidedBy().name());
            row.put("verdict", c.verdict().getClass().getSimpleName());
            if (c.verdict() instanceof Verdict.NonFinite nf) {
                row.put("detail", nf.what());
            } else if (c.verdict() instanceof Verdict.NotDifferentiableHere k) {
                row.put("detail", k.reason());
            }
            row.put("resolved", c.resolved());
            rows.add(row);
        }
        root.put("parameters", rows);
        return write(root);
    }

    private static String write(Map<String, Object> root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write JSON", ex);
        }
    }
}
