package io.chainproof.render;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.BasicStroke;
import java.awt.Color;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.chainproof.render.SvgMarkup.escape;
import static io.chainproof.render.SvgMarkup.num;

/**
 * Writes a sweep plot built with XChart ({@link SweepPlot}, {@link RnnSweepPlot}, {@link LayeredSweepPlot}) as a
 * small SVG by hand: the same title, axes, series, colours, dashes, shaded bands and legend as the PNG, as text
 * and one {@code <polyline>} per series with coordinates rounded to 0.01 px. XChart's own SVG encoder draws every
 * glyph and every dash as a filled outline with full-precision coordinates, so a 60-point sweep over 60 decades
 * (a dashed grid line per minor tick) took 3.9 MB; this one takes about 10 KB.
 *
 * <p>The y range is the chart's {@code YAxisMin}/{@code YAxisMax} where both are set; otherwise an axis spans the
 * data, widened to whole decades on a logarithmic axis and to whole steps of 1, 2 or 5 times a power of ten on a
 * linear one. Logarithmic axes are labelled 10<sup>k</sup> as in {@link SweepChart} (at most
 * {@value SweepChart#MAX_LABELS} labels). A {@code Line} series is a polyline, an {@code Area} series a shape
 * filled down to the bottom of the plot (none if it lies on the bottom). The plot area, {@code <rect
 * class="plot-area">}, gives its axes as {@code data-x-axis} and {@code data-y-axis}: {@code "log lo hi"} in
 * powers of ten or {@code "linear lo hi"}.
 */
public final class SvgPlotWriter {

    /** The class of the root element, which scopes the style sheet. */
    public static final String ROOT_CLASS = "chainproof-plot";

    private static final double LEFT = 84;
    private static final double RIGHT = 590;
    private static final double TOP = 44;
    private static final double LEGEND_WIDTH = 280;
    private static final int LINEAR_TICKS = 8;
    private static final String STYLE = ("svg.R{background:#fff}"
            + ".R text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px;fill:#212529}"
            + ".R text.heading{font-size:14px;font-weight:bold}.R .tick.x,.R .axis-title{text-anchor:middle}"
            + ".R .tick.y{text-anchor:end}.R .exp{font-size:9px}"
            + ".R .plot-area{fill:none;stroke:#495057;stroke-width:1}"
            + ".R .grid{stroke:#dee2e6;stroke-width:0.8}.R .grid.minor{stroke:#f1f3f5}"
            + ".R polyline,.R .legend-line{fill:none;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}")
            .replace(".R", "." + ROOT_CLASS);

    /** One axis: its range in drawn units (log₁₀ of the value on a log axis) and its ticks. */
    private record Axis(boolean log, double lo, double hi, List<Tick> ticks) {

        double fraction(double value) {
            return ((log ? StrictMath.log10(value) : value) - lo) / (hi - lo);
        }
    }

    /** A tick at {@code at} (drawn units); a labelled one has a grid line of its own style. */
    private record Tick(double at, boolean labelled, String label, boolean power) {
    }

    private final XYChart chart;
    private final double width;
    private final double bottom;
    private final StringBuilder out = new StringBuilder(16384);

    private SvgPlotWriter(XYChart chart) {
        this.chart = chart;
        this.width = chart.getWidth();
        this.bottom = chart.getHeight() - 70;
    }

    /**
     * @param chart a chart whose series are set
     * @return the whole SVG document, UTF-8 text
     */
    public static String svg(XYChart chart) {
        return new SvgPlotWriter(chart).render();
    }

    private String render() {
        List<XYSeries> series = new ArrayList<>(chart.getSeriesMap().values());
        Axis x = axis(chart.getStyler().isXAxisLogarithmic(), series, true, null, null);
        Axis y = axis(chart.getStyler().isYAxisLogarithmic(), series, false, chart.getStyler().getYAxisMin(),
                chart.getStyler().getYAxisMax());
        double plotRight = Math.max(RIGHT, width - LEGEND_WIDTH);
        out.append("<svg xmlns=\"").append(SvgMarkup.NAMESPACE).append("\" class=\"").append(ROOT_CLASS)
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(chart.getHeight())
                .append("\" width=\"").append(num(width)).append("\" height=\"").append(chart.getHeight())
                .append("\" role=\"img\" aria-label=\"").append(escape(chart.getTitle())).append("\">\n");
        out.append("<title>").append(escape(chart.getTitle())).append("</title>\n");
        out.append("<style>").append(STYLE).append("</style>\n");
        text("heading", LEFT, 24, null, chart.getTitle());
        for (XYSeries s : series) {
            if (s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.Area) {
                area(s, x, y, plotRight);
            }
        }
        grid(x, y, plotRight);
        for (XYSeries s : series) {
            if (s.getXYSeriesRenderStyle() != XYSeries.XYSeriesRenderStyle.Area) {
                line(s, x, y, plotRight);
            }
        }
        legend(series, plotRight + 20);
        out.append("</svg>\n");
        return out.toString();
    }

    private static Axis axis(boolean log, List<XYSeries> series, boolean horizontal, Double min, Double max) {
        double lo = min != null ? min : Double.POSITIVE_INFINITY;
        double hi = max != null ? max : Double.NEGATIVE_INFINITY;
        for (XYSeries s : series) {
            for (double v : horizontal ? s.getXData() : s.getYData()) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = min != null ? lo : Math.min(lo, v);
                    hi = max != null ? hi : Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = log ? 1 : 0;
            hi = log ? 10 : 1;
        }
        List<Tick> ticks = new ArrayList<>();
        boolean given = min != null && max != null;
        if (log) {
            int[] decades = SweepChart.decades(lo, hi);
            double from = given ? StrictMath.log10(lo) : decades[0];
            double to = given && hi > lo ? StrictMath.log10(hi) : given ? from + 1 : decades[1];
            int first = (int) Math.ceil(from - 1e-9);
            int last = (int) Math.floor(to + 1e-9);
            int step = SweepChart.labelStep(last - first);
            for (int k = first; k <= last; k++) {
                boolean labelled = Math.floorMod(k, step) == 0;
                if (labelled || last - first <= SweepChart.GRID_EVERY_DECADE_UP_TO) {
                    ticks.add(new Tick(k, labelled, Integer.toString(k), true));
                }
            }
            return new Axis(true, from, to, ticks);
        }
        double step = niceStep((hi - lo) / LINEAR_TICKS);
        double first = Math.floor(lo / step);
        double last = Math.ceil(hi / step);
        last = last == first ? first + 1 : last;
        for (double i = first; i <= last; i++) {
            ticks.add(new Tick(i * step, true, new BigDecimal(Double.toString(i * step)).stripTrailingZeros()
                    .toPlainString(), false));
        }
        return new Axis(false, first * step, last * step, ticks);
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code rough} (1 if it is not positive). */
    private static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough * (1 - 1e-12)) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private double px(Axis x, double value, double plotRight) {
        return LEFT + x.fraction(value) * (plotRight - LEFT);
    }

    private double py(Axis y, double value) {
        return bottom - y.fraction(value) * (bottom - TOP);
    }

    private void grid(Axis x, Axis y, double plotRight) {
        for (Tick t : x.ticks()) {
            double at = LEFT + (t.at() - x.lo()) / (x.hi() - x.lo()) * (plotRight - LEFT);
            gridLine(t.labelled(), at, TOP, at, bottom);
            if (t.labelled()) {
                tick("tick x", at, bottom + 18, t);
            }
        }
        for (Tick t : y.ticks()) {
            double at = bottom - (t.at() - y.lo()) / (y.hi() - y.lo()) * (bottom - TOP);
            gridLine(t.labelled(), LEFT, at, plotRight, at);
            if (t.labelled()) {
                tick("tick y", LEFT - 6, at + 4, t);
            }
        }
        out.append("<rect class=\"plot-area\" x=\"").append(num(LEFT)).append("\" y=\"").append(num(TOP))
                .append("\" width=\"").append(num(plotRight - LEFT)).append("\" height=\"").append(num(bottom - TOP))
                .append("\" data-x-axis=\"").append(range(x)).append("\" data-y-axis=\"").append(range(y))
                .append("\"/>\n");
        text("axis-title", (LEFT + plotRight) / 2, bottom + 40, null, chart.getXAxisTitle());
        double cy = (TOP + bottom) / 2;
        text("axis-title", 22, cy, "rotate(-90 22 " + num(cy) + ")", chart.getYAxisTitle());
    }

    /** An axis as {@code "log lo hi"} (powers of ten) or {@code "linear lo hi"}. */
    private static String range(Axis axis) {
        return (axis.log() ? "log " : "linear ") + SvgMarkup.fixed(axis.lo(), 6) + " " + SvgMarkup.fixed(axis.hi(), 6);
    }

    private void gridLine(boolean labelled, double x1, double y1, double x2, double y2) {
        out.append("<line class=\"grid").append(labelled ? "" : " minor").append("\" x1=\"").append(num(x1))
                .append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"")
                .append(num(y2)).append("\"/>\n");
    }

    private void tick(String cssClass, double x, double y, Tick t) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\">");
        if (t.power()) {
            int k = (int) t.at();
            out.append("10<tspan class=\"exp\" dy=\"-6\">").append(k < 0 ? "−" : "").append(Math.abs(k))
                    .append("</tspan>");
        } else {
            out.append(escape(t.label().replace('-', '−')));
        }
        out.append("</text>\n");
    }

    /** The series' drawable points as {@code "x,y"} pairs. */
    private List<String> points(XYSeries s, Axis x, Axis y, double plotRight) {
        List<String> points = new ArrayList<>();
        double[] xs = s.getXData();
        double[] ys = s.getYData();
        for (int i = 0; i < xs.length; i++) {
            boolean drawable = Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!x.log() || xs[i] > 0)
                    && (!y.log() || ys[i] > 0);
            if (drawable) {
                points.add(num(px(x, xs[i], plotRight)) + "," + num(py(y, ys[i])));
            }
        }
        return points;
    }

    private void line(XYSeries s, Axis x, Axis y, double plotRight) {
        List<String> points = points(s, x, y, plotRight);
        if (points.isEmpty()) {
            return;
        }
        out.append("<polyline class=\"series\" data-series=\"").append(escape(s.getName())).append("\" stroke=\"")
                .append(colour(s.getLineColor())).append('"').append(dashes(s.getLineStyle()))
                .append(" points=\"").append(String.join(" ", points)).append("\"/>\n");
    }

    private void area(XYSeries s, Axis x, Axis y, double plotRight) {
        List<String> points = points(s, x, y, plotRight);
        if (points.isEmpty()) {
            return;
        }
        String floor = "," + num(bottom);
        if (points.stream().allMatch(p -> p.endsWith(floor))) {
            return;
        }
        String left = points.get(0).substring(0, points.get(0).indexOf(','));
        String right = points.get(points.size() - 1).substring(0, points.get(points.size() - 1).indexOf(','));
        out.append("<polygon class=\"band\" data-series=\"").append(escape(s.getName().strip())).append('"')
                .append(fill(s.getFillColor())).append(" points=\"").append(String.join(" ", points)).append(' ')
                .append(right).append(',').append(num(bottom)).append(' ').append(left).append(',')
                .append(num(bottom)).append("\"/>\n");
    }

    private void legend(List<XYSeries> series, double x) {
        double y = TOP + 8;
        for (XYSeries s : series) {
            if (!s.isShowInLegend()) {
                continue;
            }
            if (s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.Area) {
                out.append("<rect class=\"swatch\" x=\"").append(num(x)).append("\" y=\"").append(num(y - 6))
                        .append("\" width=\"30\" height=\"12\"").append(fill(s.getFillColor())).append("/>\n");
            } else {
                out.append("<line class=\"legend-line\" x1=\"").append(num(x)).append("\" y1=\"").append(num(y))
                        .append("\" x2=\"").append(num(x + 30)).append("\" y2=\"").append(num(y)).append("\" stroke=\"")
                        .append(colour(s.getLineColor())).append('"').append(dashes(s.getLineStyle())).append("/>\n");
            }
            text("legend", x + 38, y + 4, null, s.getName().strip());
            y += 20;
        }
    }

    private static String colour(Color c) {
        Color colour = c == null ? Color.BLACK : c;
        return String.format(Locale.ROOT, "#%02x%02x%02x", colour.getRed(), colour.getGreen(), colour.getBlue());
    }

    private static String fill(Color c) {
        Color colour = c == null ? Color.GRAY : c;
        String f = " fill=\"" + colour(colour) + '"';
        return colour.getAlpha() == 255 ? f : f + " fill-opacity=\"" + SvgMarkup.fixed(colour.getAlpha() / 255.0, 3)
                + '"';
    }

    private static String dashes(BasicStroke stroke) {
        float[] dash = stroke == null ? null : stroke.getDashArray();
        if (dash == null || dash.length == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder(" stroke-dasharray=\"");
        for (int i = 0; i < dash.length; i++) {
            b.append(i == 0 ? "" : " ").append(num(dash[i]));
        }
        return b.append('"').toString();
    }

    private void text(String cssClass, double x, double y, String transform, String content) {
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append('"');
        if (transform != null) {
            out.append(" transform=\"").append(transform).append('"');
        }
        out.append('>').append(escape(content)).append("</text>\n");
    }
}
