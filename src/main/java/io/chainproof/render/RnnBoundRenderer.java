package io.chainproof.render;

import io.chainproof.check.Thresholds;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.chainproof.rnn.RnnBoundReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@link RnnBoundReport}s: one report as text or JSON, a sweep over ‖W_h‖₂ as a table or CSV. */
public final class RnnBoundRenderer {


    private RnnBoundRenderer() {
    }

    /**
     * @param r the report
     * @return the Pascanu bound per lag, the regime, and the gradient norms with and without clipping
     */
    public static String text(RnnBoundReport r) {
        StringBuilder s = new StringBuilder("bounds of ").append(r.name()).append(" (recurrent, first sequence, T = ")
                .append(r.steps()).append(")\n");
        s.append(String.format(Locale.ROOT, "γ = sup|%s'| = %s, ‖W_h‖₂ = %.6e, γ·‖W_h‖₂ = %.6e: %s%n", r.activation().specName(),
                r.gamma(), r.whNorm(), r.gamma() * r.whNorm(), regime(r.regime())));
        s.append(String.format(Locale.ROOT, "%5s  %5s  %16s  %16s  %s%n", "k", "T−k", "‖∂h_T/∂h_k‖₂", "(γ‖W_h‖₂)^(T−k)", "within"));
        for (RnnBoundReport.LagBound l : r.lags()) {
            s.append(String.format(Locale.ROOT, "%5d  %5d  %16.6e  %16.6e  %s%n", l.k(), l.lag(), l.actual(), l.bound(),
                    l.holds() ? "yes" : "NO"));
        }
        s.append(String.format(Locale.ROOT, "data factor ∏ max|%s'(z_t)|·‖W_h‖₂ = %.6e, γ factor (γ‖W_h‖₂)^T = %.6e: %s%n",
                r.activation().specName(), r.dataFactor(), r.gammaFactor(), r.chainRegime().label()));
        s.append(String.format(Locale.ROOT, "‖∂L/∂W_h‖_F = %.6e, ‖∇L‖₂ = %.6e", r.gradientWhFrobenius(), r.gradientNorm()));
        if (Double.isFinite(r.maxNorm())) {
            s.append(String.format(Locale.ROOT, ", clipped to max norm %s: ‖∇L‖₂ = %.6e", r.maxNorm(), r.clippedNorm()));
        }
        s.append('\n');
        s.append("regime rule: ‖W_h‖₂ < 1/γ is sufficient for vanishing, ‖W_h‖₂ > 1/γ necessary for exploding "
                + "(Pascanu, Mikolov, Bengio 2013)\n");
        s.append("chain regime rule, as for an MLP's layers: vanishing if data factor < ").append(Thresholds.DEFAULT.vanishingFactor())
                .append(", saturated if data factor < ").append(Thresholds.DEFAULT.saturationRatio())
                .append("·γ factor, exploding if data factor > ").append(Thresholds.DEFAULT.explodingFactor())
                .append(", stable otherwise\n");
        return s.toString();
    }

    /**
     * @param r the report
     * @return the report as one line of JSON
     */
    public static String json(RnnBoundReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", r.name());
        root.put("activation", r.activation().specName());
        root.put("gamma", r.gamma());
        root.put("whNorm", r.whNorm());
        root.put("steps", r.steps());
        root.put("regime", r.regime().label());
        root.put("dataFactor", r.dataFactor());
        root.put("gammaFactor", r.gammaFactor());
        root.put("chainRegime", r.chainRegime().label());
        List<Map<String, Object>> lags = new ArrayList<>();
        for (RnnBoundReport.LagBound l : r.lags()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", l.k());
            m.put("lag", l.lag());
            m.put("actual", l.actual());
            m.put("bound", l.bound());
            m.put("holds", l.holds());
            lags.add(m);
        }
        root.put("lags", lags);
        root.put("gradientWhFrobenius", r.gradientWhFrobenius());
        root.put("gradientNorm", r.gradientNorm());
        if (Double.isFinite(r.maxNorm())) {
            root.put("maxNorm", r.maxNorm());
            root.put("clippedNorm", r.clippedNorm());
        }
        try {
            return io.chainproof.Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write bound JSON", e);
        }
    }

    /**
     * @param sweep one report per swept ‖W_h‖₂
     * @return CSV with a header: the norm, the spectral radius, γ‖W_h‖₂, the regime, ‖∂h_T/∂h_0‖₂ and its bound, and the gradient norms
     */
    public static String csv(List<RnnBoundReport> sweep) {
        StringBuilder s = new StringBuilder("wh_norm,wh_radius,gamma_wh_norm,regime,jacobian_T_0,bound_T_0,grad_wh_frobenius,grad_norm,"
                + "clipped_grad_norm\n");
        for (RnnBoundReport r : sweep) {
            RnnBoundReport.LagBound last = r.lags().get(r.lags().size() - 1);
            s.append(r.whNorm()).append(',').append(r.whRadius()).append(',').append(r.gamma() * r.whNorm()).append(',').append(r.regime().label()).append(',')
                    .append(last.actual()).append(',').append(last.bound()).append(',').append(r.gradientWhFrobenius())
                    .append(',').append(r.gradientNorm()).append(',').append(r.clippedNorm()).append('\n');
        }
        return s.toString();
    }

    /**
     * @param sweep one report per swept ‖W_h‖₂
     * @return a fixed-width table of the columns of {@link #csv} but the unclipped gradient norm
     */
    public static String table(List<RnnBoundReport> sweep) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%12s  %12s  %12s  %18s  %14s  %14s  %14s  %14s%n",
                "‖W_h‖₂", "ρ(W_h)", "γ‖W_h‖₂", "regime", "‖∂h_T/∂h_0‖₂", "bound", "‖∂L/∂W_h‖_F", "clipped ‖∇L‖₂"));
        for (RnnBoundReport r : sweep) {
            RnnBoundReport.LagBound last = r.lags().get(r.lags().size() - 1);
            s.append(String.format(Locale.ROOT, "%12.4e  %12.4e  %12.4e  %18s  %14.4e  %14.4e  %14.4e  %14.4e%n", r.whNorm(),
                    r.whRadius(), r.gamma() * r.whNorm(), r.regime().label(), last.actual(), last.bound(), r.gradientWhFrobenius(),
                    r.clippedNorm()));
        }
        return s.toString();
    }

    private static String regime(RnnBoundReport.Regime r) {
        return switch (r) {
            case VANISHING -> "vanishing (γ‖W_h‖₂ < 1 is sufficient)";
            case BOUNDED -> "bounded (γ‖W_h‖₂ = 1)";
            case EXPLODING_POSSIBLE -> "exploding possible (γ‖W_h‖₂ > 1 is necessary)";
        };
    }
}
