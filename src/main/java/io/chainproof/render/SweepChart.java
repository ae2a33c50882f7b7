package io.chainproof.render;

import io.chainproof.bounds.LayerBound;
import io.chainproof.bounds.Regime;
import io.chainproof.bounds.SweepPoint;
import io.chainproof.bounds.SweepResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

import static io.chainproof.render.SvgMarkup.escape;
import static io.chainproof.render.SvgMarkup.num;

/**
 * A log-log chart of a {@link SweepResult} as a small, self-contained SVG element written by hand, so that it
 * is byte-identical on every machine (no font metrics, numbers in {@link Locale#ROOT}) and stays small across
 * hundreds of decades (logarithms by {@link StrictMath}, so coordinates agree to the last digit across JVMs).
 * It shows what {@link SweepPlot} shows: x is the scale s of the swept layer's weights,
 * y the actual {@code ‖∂L/∂W_k‖_F}, the γ bound and the data bound of layer 1 and of the swept layer (three
 * series when layer 1 is swept, six otherwise), and scales where layer 1's regime is exploding or vanishing (by the
 * growth across the layers, {@link io.chainproof.bounds.Growth}) are shaded by vertical bands running between the
 * geometric midpoints to the neighbouring scales.
 *
 * <p>Both axes span whole decades, from the decade below the smallest drawn value to the decade above the
 * largest; ticks and grid lines sit at decades only, labelled 10<sup>k</sup> (every decade up to 12 of them,
 * otherwise every 2nd, 5th, 10th, … so that at most 12 are labelled; beyond 60 decades only labelled decades
 * get grid lines). A value that is 0 or not finite cannot be drawn on a log axis: the series leaves a gap there
 * and a note says {@code n points of series X not drawn (0 or non-finite)}.
 *
 * <p>Markup contract, for pages and tests: one {@code <g class="series" data-series="name">} per series, in
 * legend order, holding one {@code <polyline>} per run of drawable points (so a series without gaps is one
 * polyline); the plot area is {@code <rect class="plot-area">} whose {@code data-x-decades} and
 * {@code data-y-decades} give the axis ranges as {@code "lo hi"} powers of ten. Data coordinates carry
 * {@value #DATA_DECIMALS} decimals, so a point maps back to its value within about 2e-7 relative even across
 * the full double range. The style sheet is scoped to the root class {@value #ROOT_CLASS}.
 */
public final class SweepChart {

    /** The class of the root element, which scopes the style sheet. */
    public static final String ROOT_CLASS = "chainproof-sweep";
    /** At most this many decades are labelled per axis. */
    public static final int MAX_LABELS = 12;
    /** Decimals of the data coordinates (polyline points). */
    public static final int DATA_DECIMALS = 7;

    private static final double WIDTH = 900;
    private static final double LEFT = 84;
    private static final double RIGHT = 620;
    private static final double TOP = 44;
    private static final double BOTTOM = 430;
    private static final double BASE_HEIGHT = 496;
    private static final double NOTE_LINE = 16;
    /** Up to this many decades every decade has a grid line; beyond, only labelled ones. */
    static final int GRID_EVERY_DECADE_UP_TO = 60;
    private static final int[] LABEL_STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    /** Actual, γ bound, data bound of layer 1, then of the swept layer (as in {@link SweepPlot}). */
    private static final String[][] COLOURS = {{"#000000", "#e66100", "#008c46"}, {"#7800a0", "#c8005a", "#0096c8"}};
    private static final String[] DASHES = {null, "7 4", "2 3"};
    private static final String STYLE = ("svg.R{background:#fff}"
            + ".R text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px;fill:#212529}"
            + ".R text.heading{font-size:14px;font-weight:bold}.R .tick.x,.R .axis-title.x{text-anchor:middle}"
            + ".R .tick.y{text-anchor:end}.R .axis-title.y{text-anchor:middle}.R .exp{font-size:9px}"
            + ".R .plot-area{fill:none;stroke:#495057;stroke-width:1}"
            + ".R .grid{stroke:#dee2e6;stroke-width:0.8}.R .grid.minor{stroke:#f1f3f5}"
            + ".R .exploding{fill:rgba(220,50,32,0.16)}.R .vanishing{fill:rgba(0,90,181,0.16)}"
            + ".R polyline{fill:none;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}"
            + ".R .note{fill:#a61e4d}").replace(".R", "." + ROOT_CLASS);

    private record Series(String name, int layer, ToDoubleFunction<LayerBound> value, String colour, String dash) {
    }

    private final SweepResult result;
    private final List<Series> series = new ArrayList<>();
    private final int xLo;
    private final int xHi;
    private final int yLo;
    private final int yHi;
    private final List<String> notes = new ArrayList<>();
    private final StringBuilder out = new StringBuilder(16384);

    private SweepChart(SweepResult result) {
        this.result = result;
        List<Integer> layers = result.layer() == 1 ? List.of(1) : List.of(1, result.layer());
        for (int i = 0; i < layers.size(); i++) {
            int k = layers.get(i);
            series.add(new Series("actual ‖∂L/∂W" + k + "‖_F", k, LayerBound::actual, COLOURS[i][0], DASHES[0]));
            series.add(new Series("γ bound, layer " + k, k, LayerBound::gammaBound, COLOURS[i][1], DASHES[1]));
            series.add(new Series("data bound, layer " + k, k, LayerBound::dataBound, COLOURS[i][2], DASHES[2]));
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Series s : series) {
            int missing = 0;
            for (SweepPoint p : result.points()) {
                double v = s.value().applyAsDouble(p.layer(s.layer()));
                if (drawable(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                } else {
                    missing++;
                }
            }
            if (missing > 0) {
                notes.add(missing + (missing == 1 ? " point" : " points") + " of series " + s.name()
                        + " not drawn (0 or non-finite)");
            }
        }
        int[] y = max > 0 ? decades(min, max) : new int[] {0, 1};
        int[] x = decades(result.first().scale(), result.last().scale());
        this.xLo = x[0];
        this.xHi = x[1];
        this.yLo = y[0];
        this.yHi = y[1];
    }

    /**
     * Draws {@code result}.
     *
     * @param result a sweep
     * @return one {@code <svg>} element, without XML declaration, ready to inline into HTML
     * @throws NullPointerException if {@code result} is null
     */
    public static String svg(SweepResult result) {
        Objects.requireNonNull(result, "result");
        return new SweepChart(result).render();
    }

    private static boolean drawable(double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** The whole decades [lo, hi] around [min, max], at least one decade wide. */
    static int[] decades(double min, double max) {
        int lo = (int) Math.floor(StrictMath.log10(min));
        int hi = (int) Math.ceil(StrictMath.log10(max));
        return new int[] {lo, hi == lo ? lo + 1 : hi};
    }

    private double px(double scale) {
        return LEFT + (StrictMath.log10(scale) - xLo) / (xHi - xLo) * (RIGHT - LEFT);
    }

    private double py(double value) {
        return BOTTOM - (StrictMath.log10(value) - yLo) / (yHi - yLo) * (BOTTOM - TOP);
    }

    private String render() {
        double height = BASE_HEIGHT + notes.size() * NOTE_LINE;
        String title = title();
        out.append("<svg xmlns=\"").append(SvgMarkup.NAMESPACE).append("\" class=\"").append(ROOT_CLASS)
                .append("\" viewBox=\"0 0 ").append(num(WIDTH)).append(' ').append(num(height))
                .append("\" width=\"").append(num(WIDTH)).append("\" height=\"").append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">\n");
        out.append("<title>").append(escape(title)).append("</title>\n");
        out.append("<style>").append(STYLE).append("</style>\n");
        text("heading", LEFT, 24, null, result.name() + ": W" + result.layer() + " scaled, bias "
                + result.bias().label());
        boolean[] shaded = bands();
        axes();
        for (Series s : series) {
            line(s);
        }
        legend(shaded);
        double y = BASE_HEIGHT - 8;
        for (String note : notes) {
            text("note", LEFT, y, null, note);
            y += NOTE_LINE;
        }
        out.append("</svg>\n");
        return out.toString();
    }

    private String title() {
        StringBuilder t = new StringBuilder("Weight-scale sweep of ").append(result.name()).append(", log-log: ")
                .append("‖∂L/∂W‖_F and its γ and data bounds as W").append(result.layer()).append(" is scaled from ")
                .append(number(result.first().scale())).append(" to ").append(number(result.last().scale()))
                .append(" (").append(result.points().size()).append(" points, bias ").append(result.bias().label())
                .append(").");
        for (String note : notes) {
            t.append(' ').append(note).append('.');
        }
        return t.toString();
    }

    private static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Layer 1's regime at a point, by the growth across the layers (the rule the page's tables print). */
    private static Regime regime(SweepPoint p) {
        return switch (p.growth().word()) {
            case "vanishing" -> Regime.VANISHING;
            case "exploding" -> Regime.EXPLODING;
            default -> Regime.STABLE;
        };
    }

    /** Exploding and vanishing bands of layer 1; returns which of the two were drawn. */
    private boolean[] bands() {
        boolean[] shown = new boolean[2];
        List<SweepPoint> points = result.points();
        int start = 0;
        for (int i = 1; i <= points.size(); i++) {
            Regime regime = regime(points.get(start));
            if (i < points.size() && regime(points.get(i)) == regime) {
                continue;
            }
            if (regime == Regime.EXPLODING || regime == Regime.VANISHING) {
                double left = start == 0 ? points.get(0).scale()
                        : Math.sqrt(points.get(start - 1).scale()) * Math.sqrt(points.get(start).scale());
                double right = i == points.size() ? points.get(i - 1).scale()
                        : Math.sqrt(points.get(i - 1).scale()) * Math.sqrt(points.get(i).scale());
                out.append("<rect class=\"band ").append(regime.label()).append("\" x=\"").append(num(px(left)))
                        .append("\" y=\"").append(num(TOP)).append("\" width=\"").append(num(px(right) - px(left)))
                        .append("\" height=\"").append(num(BOTTOM - TOP)).append("\"/>\n");
                shown[regime == Regime.EXPLODING ? 0 : 1] = true;
            }
            start = i;
        }
        return shown;
    }

    private void axes() {
        int xStep = labelStep(xHi - xLo);
        for (int k = xLo; k <= xHi; k++) {
            double x = LEFT + (double) (k - xLo) / (xHi - xLo) * (RIGHT - LEFT);
            boolean labelled = Math.floorMod(k, xStep) == 0;
            if (labelled || xHi - xLo <= GRID_EVERY_DECADE_UP_TO) {
                grid(labelled, x, TOP, x, BOTTOM);
            }
            if (labelled) {
                power("tick x", x, BOTTOM + 18, k);
            }
        }
        int yStep = labelStep(yHi - yLo);
        for (int k = yLo; k <= yHi; k++) {
            double y = BOTTOM - (double) (k - yLo) / (yHi - yLo) * (BOTTOM - TOP);
            boolean labelled = Math.floorMod(k, yStep) == 0;
            if (labelled || yHi - yLo <= GRID_EVERY_DECADE_UP_TO) {
                grid(labelled, LEFT, y, RIGHT, y);
            }
            if (labelled) {
                power("tick y", LEFT - 6, y + 4, k);
            }
        }
        out.append("<rect class=\"plot-area\" x=\"").append(num(LEFT)).append("\" y=\"").append(num(TOP))
                .append("\" width=\"").append(num(RIGHT - LEFT)).append("\" height=\"").append(num(BOTTOM - TOP))
                .append("\" data-x-decades=\"").append(xLo).append(' ').append(xHi).append("\" data-y-decades=\"")
                .append(yLo).append(' ').append(yHi).append("\"/>\n");
        text("axis-title x", (LEFT + RIGHT) / 2, BOTTOM + 40, null, "scale s of W" + result.layer());
        double cy = (TOP + BOTTOM) / 2;
        text("axis-title y", 22, cy, "rotate(-90 22 " + num(cy) + ")", "‖∂L/∂W‖_F and bounds");
    }

    /** The smallest step in {@link #LABEL_STEPS} that labels at most {@value #MAX_LABELS} decades. */
    static int labelStep(int decades) {
        for (int step : LABEL_STEPS) {
            if (decades / step + 1 <= MAX_LABELS) {
                return step;
            }
        }
        return LABEL_STEPS[LABEL_STEPS.length - 1];
    }

    private void grid(boolean labelled, double x1, double y1, double x2, double y2) {
        out.append("<line class=\"grid").append(labelled ? "" : " minor").append("\" x1=\"").append(num(x1))
                .append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"")
                .append(num(y2)).append("\"/>\n");
    }

    private void power(String cssClass, double x, double y, int exponent) {
        String sign = exponent < 0 ? "−" : "";
        out.append("<text class=\"").append(cssClass).append("\" x=\"").append(num(x)).append("\" y=\"")
                .append(num(y)).append("\">10<tspan class=\"exp\" dy=\"-6\">").append(sign)
                .append(Math.abs(exponent)).append("</tspan></text>\n");
    }

    private void line(Series s) {
        out.append("<g class=\"series\" data-series=\"").append(escape(s.name())).append("\" stroke=\"")
                .append(s.colour()).append('"');
        if (s.dash() != null) {
            out.append(" stroke-dasharray=\"").append(s.dash()).append('"');
        }
        out.append(">\n");
        List<String> run = new ArrayList<>();
        for (SweepPoint p : result.points()) {
            double v = s.value().applyAsDouble(p.layer(s.layer()));
            if (drawable(v)) {
                run.add(SvgMarkup.fixed(px(p.scale()), DATA_DECIMALS) + "," + SvgMarkup.fixed(py(v), DATA_DECIMALS));
            } else {
                polyline(run, s.colour());
            }
        }
        polyline(run, s.colour());
        out.append("</g>\n");
    }

    /** Writes and clears a run; a run of one point also gets a dot, as a one-point polyline is invisible. */
    private void polyline(List<String> run, String colour) {
        if (run.isEmpty()) {
            return;
        }
        out.append("<polyline points=\"").append(String.join(" ", run)).append("\"/>\n");
        if (run.size() == 1) {
            String[] xy = run.get(0).split(",");
            out.append("<circle class=\"isolated\" cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1])
                    .append("\" r=\"2.5\" fill=\"").append(colour).append("\" stroke=\"none\"/>\n");
        }
        run.clear();
    }

    private void legend(boolean[] shaded) {
        double x = RIGHT + 20;
        double y = TOP + 8;
        for (Series s : series) {
            out.append("<line class=\"legend-line\" x1=\"").append(num(x)).append("\" y1=\"").append(num(y))
                    .append("\" x2=\"").append(num(x + 30)).append("\" y2=\"").append(num(y)).append("\" stroke=\"")
                    .append(s.colour()).append("\" stroke-width=\"1.8\"");
            if (s.dash() != null) {
                out.append(" stroke-dasharray=\"").append(s.dash()).append('"');
            }
            out.append("/>\n");
            text("legend", x + 38, y + 4, null, s.name());
            y += 20;
        }
        String[] labels = {Regime.EXPLODING.label(), Regime.VANISHING.label()};
        for (int i = 0; i < 2; i++) {
            if (shaded[i]) {
                out.append("<rect class=\"swatch ").append(labels[i]).append("\" x=\"").append(num(x))
                        .append("\" y=\"").append(num(y - 6)).append("\" width=\"30\" height=\"12\"/>\n");
                text("legend", x + 38, y + 4, null, labels[i] + " (layer 1)");
                y += 20;
            }
        }
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
