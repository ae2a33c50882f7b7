package io.chainproof.render;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a line plot built with XChart as a LaTeX {@code picture} that plain pdflatex typesets with no package
 * beyond the kernel: the axes and their ticks, one polyline per series drawn with {@code \qbezier} (a straight
 * segment when its control point is the midpoint), a marker of its own shape at every point, and a legend that
 * pairs each series' name with its marker — so the PDF shows the same plot as the HTML, in black and white. Only a
 * logarithmic y axis and a linear x axis are written (the comparison plots); the y range is widened to whole
 * decades.
 */
final class LatexPlotWriter {

    /** The plot area, in millimetres. */
    private static final double WIDTH = 110;
    private static final double HEIGHT = 70;
    private static final double LEFT = 14;
    private static final double BOTTOM = 10;
    private static final String[] MARKERS = {"\\circle*{1.3}", "\\circle{1.6}", "\\makebox(0,0){\\scriptsize$\\times$}",
        "\\makebox(0,0){\\scriptsize$+$}", "\\makebox(0,0){\\scriptsize$\\triangle$}",
        "\\makebox(0,0){\\scriptsize$\\diamond$}", "\\makebox(0,0){\\scriptsize$\\ast$}"};

    private LatexPlotWriter() {
    }

    /**
     * @param chart a chart with a logarithmic y axis and a linear x axis, whose series are set
     * @return the picture, a {@code center} environment
     * @throws IllegalArgumentException if the chart's axes are not log-y, linear-x, or it has no positive point
     */
    static String picture(XYChart chart) {
        if (!chart.getStyler().isYAxisLogarithmic() || chart.getStyler().isXAxisLogarithmic()) {
            throw new IllegalArgumentException("LaTeX plots have a logarithmic y axis and a linear x axis");
        }
        List<XYSeries> series = new ArrayList<>(chart.getSeriesMap().values());
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (XYSeries s : series) {
            for (int i = 0; i < s.getXData().length; i++) {
                double y = s.getYData()[i];
                if (y > 0 && Double.isFinite(y)) {
                    xMin = Math.min(xMin, s.getXData()[i]);
                    xMax = Math.max(xMax, s.getXData()[i]);
                    yMin = Math.min(yMin, StrictMath.log10(y));
                    yMax = Math.max(yMax, StrictMath.log10(y));
                }
            }
        }
        if (!(xMin <= xMax)) {
            throw new IllegalArgumentException("the chart has no positive point to plot");
        }
        int lo = (int) Math.floor(yMin);
        int hi = Math.max((int) Math.ceil(yMax), lo + 1);
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        StringBuilder s = new StringBuilder();
        s.append("\\begin{center}\n\\setlength{\\unitlength}{1mm}\n\\begin{picture}(")
                .append(n(LEFT + WIDTH + 4)).append(',').append(n(BOTTOM + HEIGHT + 8 + 5 * series.size()))
                .append(")\n\\thinlines\n");
        double top = BOTTOM + HEIGHT;
        s.append("\\put(").append(n(LEFT)).append(',').append(n(BOTTOM)).append("){\\framebox(").append(n(WIDTH))
                .append(',').append(n(HEIGHT)).append("){}}\n");
        int decades = hi - lo;
        int every = Math.max(1, (int) Math.ceil(decades / 8.0));
        for (int k = lo; k <= hi; k += every) {
            double y = BOTTOM + HEIGHT * (k - lo) / decades;
            s.append("\\put(").append(n(LEFT)).append(',').append(n(y)).append("){\\line(1,0){1.5}}");
            s.append("\\put(").append(n(LEFT - 1)).append(',').append(n(y)).append("){\\makebox(0,0)[r]{\\scriptsize $10^{")
                    .append(k).append("}$}}\n");
        }
        double xStep = niceStep((xMax - xMin) / 8);
        for (double x = Math.ceil(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep) {
            double px = LEFT + WIDTH * (x - xMin) / (xMax - xMin);
            s.append("\\put(").append(n(px)).append(',').append(n(BOTTOM)).append("){\\line(0,1){1.5}}");
            s.append("\\put(").append(n(px)).append(',').append(n(BOTTOM - 3)).append("){\\makebox(0,0){\\scriptsize ")
                    .append(label(x)).append("}}\n");
        }
        s.append("\\put(").append(n(LEFT + WIDTH / 2)).append(',').append(n(BOTTOM - 8)).append("){\\makebox(0,0){\\small ")
                .append(LatexWriter.text(chart.getXAxisTitle())).append("}}\n");
        s.append("\\put(").append(n(LEFT)).append(',').append(n(top + 3)).append("){\\makebox(0,0)[l]{\\small ")
                .append(LatexWriter.text(chart.getYAxisTitle())).append("}}\n");
        for (int m = 0; m < series.size(); m++) {
            XYSeries ser = series.get(m);
            double[] xs = ser.getXData();
            double[] ys = ser.getYData();
            double px0 = Double.NaN;
            double py0 = Double.NaN;
            for (int i = 0; i < xs.length; i++) {
                if (!(ys[i] > 0) || !Double.isFinite(ys[i])) {
                    px0 = Double.NaN;
                    continue;
                }
                double px = LEFT + WIDTH * (xs[i] - xMin) / (xMax - xMin);
                double py = BOTTOM + HEIGHT * (StrictMath.log10(ys[i]) - lo) / decades;
                if (!Double.isNaN(px0)) {
                    s.append("\\qbezier(").append(n(px0)).append(',').append(n(py0)).append(")(")
                            .append(n((px0 + px) / 2)).append(',').append(n((py0 + py) / 2)).append(")(")
                            .append(n(px)).append(',').append(n(py)).append(")");
                }
                s.append("\\put(").append(n(px)).append(',').append(n(py)).append("){").append(MARKERS[m % MARKERS.length])
                        .append("}\n");
                px0 = px;
                py0 = py;
            }
            double ly = top + 8 + 5 * (series.size() - 1 - m);
            s.append("\\put(").append(n(LEFT + 2)).append(',').append(n(ly)).append("){").append(MARKERS[m % MARKERS.length])
                    .append("}\\put(").append(n(LEFT + 5)).append(',').append(n(ly)).append("){\\makebox(0,0)[l]{\\small ")
                    .append(LatexWriter.text(ser.getName())).append("}}\n");
        }
        s.append("\\end{picture}\n\\end{center}\n");
        return s.toString();
    }

    private static double niceStep(double rough) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(rough, 1e-300))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= rough) {
                return Math.max(m * p, 1);
            }
        }
        return 10 * p;
    }

    private static String label(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.3g", x);
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
