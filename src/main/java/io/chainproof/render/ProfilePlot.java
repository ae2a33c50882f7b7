package io.chainproof.render;

import io.chainproof.bounds.GradientProfile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * One log-scale plot, with XChart, of several models' gradient profiles ({@link GradientProfile}) against the layer
 * (or step) index 1, 2, …: one line per model, so that a vanishing chain and its remedies sit side by side. Values
 * at or below {@value SweepPlot#FLOOR} are drawn at it; non-finite ones are left out. Renders headless.
 */
public final class ProfilePlot {

    /** Colours told apart with colour-blindness (Okabe and Ito), then black. */
    private static final Color[] COLOURS = {new Color(0, 0, 0), new Color(230, 159, 0), new Color(0, 114, 178),
        new Color(0, 158, 115), new Color(204, 121, 167), new Color(213, 94, 0), new Color(86, 180, 233)};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.SOLID,
        SeriesLines.DOT_DOT, SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT};

    private ProfilePlot() {
    }

    /**
     * @param title    the plot's title
     * @param profiles the models, all through depth or all through time; at least one
     * @return the chart, not yet written
     * @throws IllegalArgumentException if the list is empty or mixes depth and time
     */
    public static XYChart chart(String title, List<GradientProfile> profiles) {
        if (profiles.isEmpty() || profiles.stream().anyMatch(p -> p.time() != profiles.get(0).time())) {
            throw new IllegalArgumentException("a profile plot needs one or more profiles, all through depth or all "
                    + "through time");
        }
        System.setProperty("java.awt.headless", "true");
        boolean time = profiles.get(0).time();
        XYChart chart = new XYChartBuilder().width(SweepPlot.WIDTH).height(SweepPlot.HEIGHT).title(title)
                .xAxisTitle(time ? "step t" : "layer l (with weights)").yAxisTitle(profiles.get(0).measure()).build();
        chart.getStyler().setYAxisLogarithmic(true).setMarkerSize(4).setChartBackgroundColor(Color.WHITE);
        for (int m = 0; m < profiles.size(); m++) {
            GradientProfile p = profiles.get(m);
            double[] norms = p.norms();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < norms.length; i++) {
                if (Double.isFinite(norms[i])) {
                    xs.add((double) (i + 1));
                    ys.add(Math.max(norms[i], SweepPlot.FLOOR));
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            Color colour = COLOURS[m % COLOURS.length];
            XYSeries s = chart.addSeries(p.name(), xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(LINES[m % LINES.length]);
            s.setLineColor(colour);
            s.setMarkerColor(colour);
        }
        return chart;
    }
}
