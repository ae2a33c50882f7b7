package io.chainproof.render;

import io.chainproof.bounds.LayeredSweep;
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
 * A log-log plot, with XChart, of a layered model's sweep over one layer's weight scale (log-linear over an lstm's
 * forget-gate bias): the first, the swept and the last layer's gradient norms, the first layer's chain
 * ‖∂z_L/∂x_1‖₂ against its bound at the data, and a recurrent layer's state path ‖∂h_T/∂h_1‖₂. Values at
 * or below {@value SweepPlot#FLOOR} are drawn at it. Renders headless.
 */
public final class LayeredSweepPlot {

    private LayeredSweepPlot() {
    }

    /**
     * @param sweep the sweep
     * @return the chart, not yet written
     */
    public static XYChart chart(LayeredSweep sweep) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(SweepPlot.WIDTH).height(SweepPlot.HEIGHT)
                .title(sweep.name() + ": " + sweep.weight() + (sweep.logarithmic() ? " scaled" : " set"))
                .xAxisTitle(sweep.logarithmic() ? "scale of " + sweep.weight() : sweep.weight()).yAxisTitle("norms")
                .build();
        chart.getStyler().setXAxisLogarithmic(sweep.logarithmic()).setYAxisLogarithmic(true).setMarkerSize(4)
                .setChartBackgroundColor(Color.WHITE);
        List<String> layers = sweep.layers();
        int swept = layers.indexOf(sweep.layer());
        int last = layers.size() - 1;
        line(chart, sweep, "‖∂L/∂θ_" + layers.get(0) + "‖_F (first layer)", p -> p.gradientNorms()[0],
                SeriesLines.SOLID, Color.BLACK);
        if (swept > 0 && swept < last) {
            line(chart, sweep, "‖∂L/∂θ_" + sweep.layer() + "‖_F (swept layer)", p -> p.gradientNorms()[swept],
                    SeriesLines.SOLID, new Color(120, 0, 160));
        }
        line(chart, sweep, "‖∂L/∂θ_" + layers.get(last) + "‖_F (last layer)", p -> p.gradientNorms()[last],
                SeriesLines.SOLID, new Color(0, 140, 70));
        line(chart, sweep, "exact ‖∂z_L/∂x_" + layers.get(0) + "‖₂", LayeredSweep.Point::chainActual,
                SeriesLines.DOT_DOT, new Color(0, 90, 181));
        line(chart, sweep, "its bound at the data", LayeredSweep.Point::chainAtData, SeriesLines.DASH_DASH,
                new Color(230, 97, 0));
        if (sweep.hasPath()) {
            line(chart, sweep, "exact ‖∂h_T/∂h_1‖₂ (layer " + sweep.layer() + ")", LayeredSweep.Point::pathActual,
                    SeriesLines.SOLID, new Color(200, 30, 30));
        }
        return chart;
    }

    /**
     * Writes {@code <base>.png} and {@code <base>.svg}.
     *
     * @param sweep the sweep
     * @param base  the path without extension
     * @throws UncheckedIOException if a file cannot be written
     */
    public static void write(LayeredSweep sweep, Path base) {
        SweepPlot.save(chart(sweep), base);
    }

    private static void line(XYChart chart, LayeredSweep sweep, String name, ToDoubleFunction<LayeredSweep.Point> value,
                             BasicStroke style, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (LayeredSweep.Point p : sweep.points()) {
            double v = value.applyAsDouble(p);
            if (Double.isFinite(v)) {
                xs.add(p.scale());
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
