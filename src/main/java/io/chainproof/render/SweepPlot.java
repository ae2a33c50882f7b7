package io.chainproof.render;

import io.chainproof.bounds.LayerBound;
import io.chainproof.bounds.Regime;
import io.chainproof.bounds.SweepPoint;
import io.chainproof.bounds.SweepResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A log-log plot of a {@link SweepResult} with XChart: x is the scale s of the swept layer's weights, y the
 * actual {@code ‖∂L/∂W_k‖_F}, the γ bound and the data bound of layer 1 and of the swept layer. Scales where
 * layer 1's regime is exploding or vanishing are shaded by translucent vertical bands (area series reaching
 * the top of the plot), each band running between the geometric midpoints to the neighbouring scales.
 * Values below {@value #FLOOR} (a fully saturated sigmoid gives exact zeros, which a log axis cannot show) are
 * drawn at {@value #FLOOR}, the bottom of the plot; the title says so. Renders headless.
 */
public final class SweepPlot {

    /** Width of the bitmap, pixels. */
    public static final int WIDTH = 900;
    /** Height of the bitmap, pixels. */
    public static final int HEIGHT = 600;
    /** Values at or below this are not drawn. */
    public static final double FLOOR = 1e-30;

    private static final Color EXPLODING = new Color(220, 50, 32, 40);
    private static final Color VANISHING = new Color(0, 90, 181, 40);
    /** Actual, γ bound, data bound of layer 1. */
    private static final Color[] LAYER_1 = {Color.BLACK, new Color(230, 97, 0), new Color(0, 140, 70)};
    /** Actual, γ bound, data bound of the swept layer. */
    private static final Color[] SWEPT_LAYER = {new Color(120, 0, 160), new Color(200, 0, 90),
        new Color(0, 150, 200)};

    private SweepPlot() {
    }

    /**
     * @param result a sweep
     * @return the chart, not yet written
     */
    public static XYChart chart(SweepResult result) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(result.name() + ": W" + result.layer() + " scaled, bias " + result.bias().label()
                        + " (values below " + FLOOR + " drawn at " + FLOOR + ")")
                .xAxisTitle("scale s of W" + result.layer()).yAxisTitle("‖∂L/∂W‖_F and bounds").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setMarkerSize(4)
                .setChartBackgroundColor(Color.WHITE);
        List<Integer> layers = result.layer() == 1 ? List.of(1) : List.of(1, result.layer());
        double top = FLOOR;
        double bottom = Double.POSITIVE_INFINITY;
        for (SweepPoint p : result.points()) {
            for (int k : layers) {
                LayerBound b = p.layer(k);
                for (double v : new double[] {b.actual(), b.gammaBound(), b.dataBound()}) {
                    if (Double.isFinite(v)) {
                        top = Math.max(top, v);
                        bottom = Math.min(bottom, Math.max(v, FLOOR));
                    }
                }
            }
        }
        bottom = Math.min(bottom, top / 10);
        bands(chart, result, bottom, top);
        for (int k : layers) {
            Color[] colors = k == 1 ? LAYER_1 : SWEPT_LAYER;
            line(chart, result, "actual ‖∂L/∂W" + k + "‖_F", LayerBound::actual, k, SeriesLines.SOLID, colors[0]);
            line(chart, result, "γ bound, layer " + k, LayerBound::gammaBound, k, SeriesLines.DASH_DASH, colors[1]);
            line(chart, result, "data bound, layer " + k, LayerBound::dataBound, k, SeriesLines.DOT_DOT, colors[2]);
        }
        chart.getStyler().setYAxisMin(bottom).setYAxisMax(top);
        return chart;
    }

    /**
     * Writes {@code <base>.png} and {@code <base>.svg}.
     *
     * @param result a sweep
     * @param base   the path without extension
     * @throws UncheckedIOException if a file cannot be written
     */
    public static void write(SweepResult result, Path base) {
        save(chart(result), base);
    }

    /**
     * Writes a chart as {@code <base>.png} (XChart's bitmap) and {@code <base>.svg} ({@link SvgPlotWriter}): every
     * sweep plot's files.
     *
     * @param chart the chart
     * @param base  the path without extension
     * @throws UncheckedIOException if a file cannot be written
     */
    static void save(XYChart chart, Path base) {
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        try {
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.writeString(svg, SvgPlotWriter.svg(chart), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png + " or " + svg, e);
        }
    }

    private static void line(XYChart chart, SweepResult result, String name, ToDoubleFunction<LayerBound> value,
                             int layer, BasicStroke style, Color color) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (SweepPoint p : result.points()) {
            double v = value.applyAsDouble(p.layer(layer));
            if (Double.isFinite(v)) {
                xs.add(p.scale());
                ys.add(Math.max(v, FLOOR));
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

    private static void bands(XYChart chart, SweepResult result, double bottom, double top) {
        List<SweepPoint> points = result.points();
        boolean[] shown = new boolean[2];
        int start = 0;
        for (int i = 1; i <= points.size(); i++) {
            Regime regime = points.get(start).regime();
            if (i < points.size() && points.get(i).regime() == regime) {
                continue;
            }
            if (regime == Regime.EXPLODING || regime == Regime.VANISHING) {
                int which = regime == Regime.EXPLODING ? 0 : 1;
                double left = start == 0 ? points.get(0).scale()
                        : Math.sqrt(points.get(start - 1).scale() * points.get(start).scale());
                double right = i == points.size() ? points.get(i - 1).scale()
                        : Math.sqrt(points.get(i - 1).scale() * points.get(i).scale());
                for (double edge : new double[] {top, bottom}) {
                    String name = regime.label() + " (layer 1)" + " ".repeat(2 * start + (edge == top ? 0 : 1));
                    XYSeries band = chart.addSeries(name, new double[] {left, right}, new double[] {edge, edge});
                    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area).setMarker(SeriesMarkers.NONE);
                    Color color = which == 0 ? EXPLODING : VANISHING;
                    band.setFillColor(color);
                    band.setLineColor(color);
                    band.setShowInLegend(!shown[which]);
                    shown[which] = true;
                }
            }
            start = i;
        }
    }
}
