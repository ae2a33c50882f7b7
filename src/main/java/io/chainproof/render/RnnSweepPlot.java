package io.chainproof.render;

import io.chainproof.rnn.RnnBoundReport;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A log-log plot, with XChart, of a recurrent network's sweep over ‖W_h‖₂ (or ρ(W_h)): the actual
 * ‖∂h_T/∂h_0‖₂ against Pascanu's bound (γ‖W_h‖₂)^T, ‖∂L/∂W_h‖_F, and — when clipping — the clipped ‖∇L‖₂, with a
 * vertical line at ‖W_h‖₂ = 1/γ, where the bound stops guaranteeing that gradients vanish. Values at or below
 * {@value SweepPlot#FLOOR} are drawn at it. Renders headless.
 */
public final class RnnSweepPlot {

    private RnnSweepPlot() {
    }

    /**
     * @param sweep one report per swept W_h, in order
     * @param x     the swept quantity of each report (‖W_h‖₂ or ρ(W_h)), as the x axis
     * @param label the x axis title
     * @return the chart, not yet written
     */
    public static XYChart chart(List<RnnBoundReport> sweep, ToDoubleFunction<RnnBoundReport> x, String label) {
        System.setProperty("java.awt.headless", "true");
        RnnBoundReport first = sweep.get(0);
        XYChart chart = new XYChartBuilder().width(SweepPlot.WIDTH).height(SweepPlot.HEIGHT)
                .title(first.name() + ": W_h rescaled (" + first.activation().specName() + ", T = " + first.steps() + ")")
                .xAxisTitle(label).yAxisTitle("norms").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setMarkerSize(4)
                .setChartBackgroundColor(Color.WHITE);
        double top = SweepPlot.FLOOR;
        double bottom = Double.POSITIVE_INFINITY;
        List<ToDoubleFunction<RnnBoundReport>> values = List.of(RnnSweepPlot::jacobian, RnnSweepPlot::bound,
                RnnBoundReport::gradientWhFrobenius, RnnBoundReport::clippedNorm);
        for (RnnBoundReport r : sweep) {
            for (ToDoubleFunction<RnnBoundReport> f : values) {
                double v = f.applyAsDouble(r);
                if (Double.isFinite(v)) {
                    top = Math.max(top, v);
                    bottom = Math.min(bottom, Math.max(v, SweepPlot.FLOOR));
                }
            }
        }
        bottom = Math.min(bottom, top / 10);
        line(chart, sweep, x, "actual ‖∂h_T/∂h_0‖₂", RnnSweepPlot::jacobian, SeriesLines.SOLID, Color.BLACK);
        line(chart, sweep, x, "Pascanu bound (γ‖W_h‖₂)^T", RnnSweepPlot::bound, SeriesLines.DASH_DASH, new Color(230, 97, 0));
        line(chart, sweep, x, "‖∂L/∂W_h‖_F", RnnBoundReport::gradientWhFrobenius, SeriesLines.SOLID, new Color(0, 140, 70));
        if (Double.isFinite(first.maxNorm())) {
            line(chart, sweep, x, "‖∇L‖₂ clipped to " + first.maxNorm(), RnnBoundReport::clippedNorm, SeriesLines.DOT_DOT,
                    new Color(0, 90, 181));
        }
        double critical = 1 / first.gamma();
        XYSeries edge = chart.addSeries("‖W_h‖₂ = 1/γ", new double[] {critical, critical}, new double[] {bottom, top});
        edge.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        edge.setLineStyle(SeriesLines.DASH_DOT);
        edge.setLineColor(new Color(200, 0, 90));
        chart.getStyler().setYAxisMin(bottom).setYAxisMax(top);
        return chart;
    }

    /**
     * Writes {@code <base>.png} and {@code <base>.svg}.
     *
     * @param sweep one report per swept W_h
     * @param x     the swept quantity of each report
     * @param label the x axis title
     * @param base  the path without extension
     * @throws UncheckedIOException if a file cannot be written
     */
    public static void write(List<RnnBoundReport> sweep, ToDoubleFunction<RnnBoundReport> x, String label, Path base) {
        SweepPlot.save(chart(sweep, x, label), base);
    }

    private static double jacobian(RnnBoundReport r) {
        return r.lags().get(r.lags().size() - 1).actual();
    }

    private static double bound(RnnBoundReport r) {
        return r.lags().get(r.lags().size() - 1).bound();
    }

    private static void line(XYChart chart, List<RnnBoundReport> sweep, ToDoubleFunction<RnnBoundReport> x, String name,
                             ToDoubleFunction<RnnBoundReport> value, BasicStroke style, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (RnnBoundReport r : sweep) {
            double v = value.applyAsDouble(r);
            if (Double.isFinite(v)) {
                xs.add(x.applyAsDouble(r));
                ys.add(Math.max(v, SweepPlot.FLOOR));
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(style);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }
}
