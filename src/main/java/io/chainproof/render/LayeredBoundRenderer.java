package io.chainproof.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chainproof.bounds.LayeredBounds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link LayeredBounds.Report} as text or JSON. */
public final class LayeredBoundRenderer {


    private LayeredBoundRenderer() {
    }

    /**
     * @param r the report
     * @return one row per layer: its certified bound, the bound at the data and the exact norm, then the same for the
     *     chain from the layer to the output
     */
    public static String text(LayeredBounds.Report r) {
        StringBuilder s = new StringBuilder("bounds of ").append(r.name()).append(" (layered; Jacobians over the batch of ")
                .append(r.samples()).append(r.samples() == 1 ? " sample" : " samples").append(")\n");
        s.append(String.format(Locale.ROOT, "%-6s %-11s %13s %13s %13s   %13s %13s %13s   %13s%n", "layer", "type",
                "certified", "at the data", "‖J_l‖₂", "chain bound", "at the data", "‖∂z_L/∂x_l‖₂", "‖∂L/∂θ_l‖_F"));
        for (LayeredBounds.Row row : r.rows()) {
            s.append(String.format(Locale.ROOT, "%-6s %-11s %13s %13s %13s   %13s %13s %13s   %13s%n", row.position(),
                    row.type(), number(row.certified()), number(row.here()), number(row.actual()),
                    number(row.chainCertified()), number(row.chainHere()), number(row.chainActual()),
                    number(row.gradientNorm())));
        }
        if (!r.paths().isEmpty()) {
            s.append("paths:\n");
            for (LayeredBounds.Path path : r.paths()) {
                s.append(String.format(Locale.ROOT, "  layer %s (%s) %s: certified %s, at the data %s, exact %s%n",
                        path.position(), path.type(), path.path(), number(path.certified()), number(path.here()),
                        number(path.actual())));
            }
        }
        s.append("certified: for every input (a norm at σ = √ε); at the data: the same ops' bounds at these values "
                + "(activations' max|φ'(z)|, norms' max|γ|/σ); ‖J_l‖₂ exact at the data (— where too large to form); "
                + "the chain multiplies the bounds from layer l to the output z_L, before the activation the loss "
                + "fuses, and bounds ‖∂z_L/∂x_l‖₂ by the chain rule; a residual block's bound is 1 + its block's; ‖∂L/∂θ_l‖_F is the gradient "
                + "norm of the layer's parameters; an lstm or gru layer's bound sums, over the block diagonals of its "
                + "Jacobian, the largest product of per-step bounds; attention has no bound for every input (∞: "
                + "not Lipschitz)\n");
        return s.toString();
    }

    /**
     * @param r the report
     * @return the report as one line of JSON (exact norms too large to form, and bounds that do not exist or
     *     overflow, are null)
     */
    public static String json(LayeredBounds.Report r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", r.name());
        root.put("samples", r.samples());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayeredBounds.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", row.position());
            m.put("type", row.type());
            m.put("certified", finite(row.certified()));
            m.put("atData", Double.isNaN(row.here()) ? null : row.here());
            m.put("actual", Double.isNaN(row.actual()) ? null : row.actual());
            m.put("chainCertified", finite(row.chainCertified()));
            m.put("chainAtData", Double.isNaN(row.chainHere()) ? null : row.chainHere());
            m.put("chainActual", Double.isNaN(row.chainActual()) ? null : row.chainActual());
            m.put("gradientNorm", Double.isNaN(row.gradientNorm()) ? null : row.gradientNorm());
            rows.add(m);
        }
        root.put("layers", rows);
        List<Map<String, Object>> paths = new ArrayList<>();
        for (LayeredBounds.Path path : r.paths()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", path.position());
            m.put("type", path.type());
            m.put("path", path.path());
            m.put("certified", finite(path.certified()));
            m.put("atData", finite(path.here()));
            m.put("actual", finite(path.actual()));
            paths.add(m);
        }
        root.put("paths", paths);
        try {
            return io.chainproof.Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bound report of " + r.name() + " is not JSON-serialisable", e);
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "—" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.6e", v);
    }

    /** A number for JSON: null where it is not finite (no bound, or none that a double can hold). */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
