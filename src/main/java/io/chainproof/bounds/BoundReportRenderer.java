package io.chainproof.bounds;

import io.chainproof.check.Thresholds;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** Renders a {@link BoundReport} as a text table or as one JSON object. */
public final class BoundReportRenderer {

    private static final String ROW = "%5s  %13s  %13s  %13s  %10s  %10s  %s%n";

    private BoundReportRenderer() {
    }

    /**
     * @param report the bounds of one spec
     * @return a header line, the norm used, one row per layer and the scalar-chain bound if any
     */
    public static String text(BoundReport report) {
        StringBuilder out = new StringBuilder();
        out.append("bounds of ").append(report.name()).append('\n');
        out.append("norm: ").append(report.norm()).append('\n');
        out.append(String.format(Locale.ROOT, ROW, "layer", "‖∂L/∂W‖_F", "γ bound", "data bound",
                "tight(γ)", "tight(data)", "regime"));
        for (LayerBound b : report.layers()) {
            out.append(String.format(Locale.ROOT, ROW, b.layer(), number(b.actual()), number(b.gammaBound()),
                    number(b.dataBound()), ratio(b.gammaTightness()), ratio(b.dataTightness()), b.regime().label()));
        }
        report.scalarChain().ifPresent(c -> out.append(String.format(Locale.ROOT,
                "scalar chain: |∂L/∂w1| = %s ≤ %s = |L'(a_n)|·|a_0|·∏γ_k·∏_{k≥2}|w_k|%s%n", number(c.actual()),
                number(c.bound()), c.zeroPreactivation() ? " (every z_k = 0: the equality case)" : "")));
        for (String note : report.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        out.append("regime rule: vanishing if data factor < ").append(Thresholds.DEFAULT.vanishingFactor())
                .append(", saturated if data factor < ").append(Thresholds.DEFAULT.saturationRatio())
                .append("·γ factor, exploding if data factor > ").append(Thresholds.DEFAULT.explodingFactor())
                .append(" (Pascanu et al. 2013), else stable\n");
        return out.toString();
    }

    /**
     * @param report the bounds of one spec
     * @return one JSON object on one line, without a trailing newline
     */
    public static String json(BoundReport report) {
        ObjectNode root = io.chainproof.Json.mapper().createObjectNode();
        root.put("name", report.name());
        root.put("norm", report.norm());
        ArrayNode layers = root.putArray("layers");
        for (LayerBound b : report.layers()) {
            ObjectNode n = layers.addObject();
            n.put("layer", b.layer());
            n.put("actual", b.actual());
            n.put("gammaBound", b.gammaBound());
            n.put("dataBound", b.dataBound());
            n.put("gammaTightness", b.gammaTightness());
            n.put("dataTightness", b.dataTightness());
            n.put("gammaFactor", b.gammaFactor());
            n.put("dataFactor", b.dataFactor());
            n.put("spectralNorm", b.spectralNorm());
            n.put("pascanuVanishingSufficient", b.pascanuVanishingSufficient());
            n.put("pascanuExplodingNecessary", b.pascanuExplodingNecessary());
            n.put("regime", b.regime().label());
        }
        report.scalarChain().ifPresent(c -> {
            ObjectNode n = root.putObject("scalarChain");
            n.put("actual", c.actual());
            n.put("bound", c.bound());
            n.put("zeroPreactivation", c.zeroPreactivation());
        });
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        return root.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6e", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }
}
