package io.chainproof.render;

import io.chainproof.bounds.LayerBound;
import io.chainproof.bounds.Regime;
import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepPoint;
import io.chainproof.bounds.SweepResult;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SweepChart} on sweeps of the lecture chain: series, scales, gaps and well-formed, repeatable SVG. */
class SweepChartTests {

    /** Relative error allowed when a drawn point is mapped back to its value through the axis scale. */
    private static final double MAPS_BACK = 1e-6;

    private static final NetworkSpec LECTURE = SpecReader.read(Path.of("examples/lecture-chain.json"));
    private static final SweepResult KEEP = Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP);
    private static final SweepResult ZERO = Sweep.run(LECTURE, 2, 0.01, 1000, 60,
            Sweep.BiasMode.ZERO_PREACTIVATION);

    private static final List<String> NAMES = List.of("actual ‖∂L/∂W1‖_F", "γ bound, layer 1", "data bound, layer 1",
            "actual ‖∂L/∂W2‖_F", "γ bound, layer 2", "data bound, layer 2");
    private static final List<ToDoubleFunction<LayerBound>> VALUES = List.of(LayerBound::actual,
            LayerBound::gammaBound, LayerBound::dataBound);

    /** The values of series {@code i} (in {@link #NAMES} order) at every scale of {@code sweep}. */
    private static double[] values(SweepResult sweep, int i) {
        int layer = i < 3 ? 1 : sweep.layer();
        return sweep.points().stream().mapToDouble(p -> VALUES.get(i % 3).applyAsDouble(p.layer(layer))).toArray();
    }

    private static boolean drawable(double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** The axis ranges and plot box of a parsed chart, to invert its scales. */
    record Axes(double left, double top, double width, double height, int[] x, int[] y) {

        static Axes of(GraphPictureTests.Picture p) {
            Element r = p.elements("rect", "plot-area").get(0);
            return new Axes(d(r, "x"), d(r, "y"), d(r, "width"), d(r, "height"), decades(r, "data-x-decades"),
                    decades(r, "data-y-decades"));
        }

        private static double d(Element e, String name) {
            return Double.parseDouble(e.getAttribute(name));
        }

        private static int[] decades(Element e, String name) {
            String[] parts = e.getAttribute(name).split(" ");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }

        double value(double py) {
            return Math.pow(10, y[0] + (top + height - py) / height * (y[1] - y[0]));
        }
    }

    /** The points of every polyline of the series group named {@code name}, as [x, y] pairs. */
    private static List<double[]> points(GraphPictureTests.Picture p, String name) {
        List<double[]> points = new ArrayList<>();
        Element group = p.elements("g", "series").stream().filter(g -> g.getAttribute("data-series").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + name));
        var lines = group.getElementsByTagNameNS(SvgMarkup.NAMESPACE, "polyline");
        for (int i = 0; i < lines.getLength(); i++) {
            for (String xy : ((Element) lines.item(i)).getAttribute("points").split(" ")) {
                String[] parts = xy.split(",");
                points.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
            }
        }
        return points;
    }

    @Nested
    class SweepingLayer2WithZeroPreactivation {

        private final String svg = SweepChart.svg(ZERO);
        private final GraphPictureTests.Picture picture = new GraphPictureTests.Picture(svg);

        @Test
        void draws_six_series_each_one_polyline_in_legend_order() {
            List<Element> groups = picture.elements("g", "series");
            assertAll(
                    () -> assertEquals(NAMES, groups.stream().map(g -> g.getAttribute("data-series")).toList()),
                    () -> assertEquals(6, picture.elements("polyline").size()));
        }

        @Test
        void each_series_has_one_point_per_finite_positive_value_at_increasing_x_inside_the_plot() {
            Axes axes = Axes.of(picture);
            for (int i = 0; i < NAMES.size(); i++) {
                List<double[]> points = points(picture, NAMES.get(i));
                long drawable = java.util.Arrays.stream(values(ZERO, i)).filter(SweepChartTests::drawable).count();
                assertEquals(drawable, points.size(), NAMES.get(i));
                for (int j = 0; j < points.size(); j++) {
                    double x = points.get(j)[0];
                    assertTrue(x >= axes.left() && x <= axes.left() + axes.width(), NAMES.get(i) + " x " + x);
                    assertTrue(j == 0 || x > points.get(j - 1)[0], NAMES.get(i) + " x not increasing at " + j);
                }
            }
        }

        @Test
        void every_point_maps_back_to_its_value() {
            Axes axes = Axes.of(picture);
            for (int i = 0; i < NAMES.size(); i++) {
                double[] expected = java.util.Arrays.stream(values(ZERO, i)).filter(SweepChartTests::drawable)
                        .toArray();
                List<double[]> points = points(picture, NAMES.get(i));
                for (int j = 0; j < expected.length; j++) {
                    double back = axes.value(points.get(j)[1]);
                    assertEquals(expected[j], back, MAPS_BACK * expected[j], NAMES.get(i) + " point " + j);
                }
            }
        }

        @Test
        void spans_whole_decades_of_the_scale_with_labelled_ticks() {
            Axes axes = Axes.of(picture);
            List<String> ticks = picture.elements("text", "tick", "x").stream().map(Element::getTextContent).toList();
            assertAll(
                    () -> assertEquals(-2, axes.x()[0]),
                    () -> assertEquals(3, axes.x()[1]),
                    () -> assertEquals(List.of("10−2", "10−1", "100", "101", "102", "103"), ticks));
        }

        @Test
        void has_no_gap_notes() {
            assertEquals(List.of(), picture.elements("text", "note"));
        }
    }

    @Nested
    class SweepingLayer2KeepingTheBias {

        private final String svg = SweepChart.svg(KEEP);
        private final GraphPictureTests.Picture picture = new GraphPictureTests.Picture(svg);

        @Test
        void shades_the_vanishing_scales() {
            long vanishing = KEEP.points().stream().filter(p -> p.regime() == Regime.VANISHING).count();
            assertTrue(vanishing > 0, "the lecture chain vanishes at large scale");
            assertFalse(picture.elements("rect", "band", "vanishing").isEmpty());
            assertEquals(1, picture.elements("rect", "swatch", "vanishing").size());
        }

        @Test
        void every_point_maps_back_to_its_value_across_the_whole_range() {
            Axes axes = Axes.of(picture);
            for (int i = 0; i < NAMES.size(); i++) {
                double[] expected = java.util.Arrays.stream(values(KEEP, i)).filter(SweepChartTests::drawable)
                        .toArray();
                List<double[]> points = points(picture, NAMES.get(i));
                assertEquals(expected.length, points.size(), NAMES.get(i));
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], axes.value(points.get(j)[1]), MAPS_BACK * expected[j],
                            NAMES.get(i) + " point " + j);
                }
            }
        }

        @Test
        void labels_at_most_twelve_decades_on_the_y_axis() {
            int labels = picture.elements("text", "tick", "y").size();
            assertTrue(labels >= 2 && labels <= SweepChart.MAX_LABELS, labels + " labels");
        }
    }

    @Nested
    class ZerosAndInfinities {

        /** {@link #ZERO} with layer 1's actual gradient set to 0 at points 10–14 and to +∞ at point 30. */
        private final SweepResult holed = withHoles(ZERO);

        private static SweepResult withHoles(SweepResult sweep) {
            List<SweepPoint> points = new ArrayList<>();
            for (int i = 0; i < sweep.points().size(); i++) {
                SweepPoint p = sweep.points().get(i);
                LayerBound b = p.layer(1);
                double actual = i >= 10 && i < 15 ? 0 : i == 30 ? Double.POSITIVE_INFINITY : b.actual();
                LayerBound changed = new LayerBound(1, actual, b.gammaBound(), b.dataBound(), b.gammaFactor(),
                        b.dataFactor(), b.spectralNorm(), b.pascanuVanishingSufficient(),
                        b.pascanuExplodingNecessary(), b.regime());
                points.add(new SweepPoint(p.scale(), p.spectralNorm(), List.of(changed, p.layer(2), p.layer(3))));
            }
            return new SweepResult(sweep.name(), sweep.layerCount(), sweep.layer(), sweep.bias(), points);
        }

        @Test
        void leave_gaps_and_say_how_many_points_were_not_drawn() {
            GraphPictureTests.Picture p = new GraphPictureTests.Picture(SweepChart.svg(holed));
            Element actual = p.elements("g", "series").get(0);
            assertAll(
                    () -> assertEquals(3, actual.getElementsByTagNameNS(SvgMarkup.NAMESPACE, "polyline").getLength()),
                    () -> assertEquals(54, points(p, NAMES.get(0)).size()),
                    () -> assertEquals(List.of("6 points of series actual ‖∂L/∂W1‖_F not drawn (0 or non-finite)"),
                            p.elements("text", "note").stream().map(Element::getTextContent).toList()),
                    () -> assertTrue(p.title().endsWith(
                            "6 points of series actual ‖∂L/∂W1‖_F not drawn (0 or non-finite)."), p.title()));
        }
    }

    @Nested
    class TheMarkup {

        @Test
        void is_one_svg_element_with_title_and_aria_label() {
            GraphPictureTests.Picture p = new GraphPictureTests.Picture(SweepChart.svg(ZERO));
            Element root = p.document().getDocumentElement();
            assertAll(
                    () -> assertEquals("img", root.getAttribute("role")),
                    () -> assertEquals(p.title(), root.getAttribute("aria-label")),
                    () -> assertEquals("Weight-scale sweep of lecture-chain, log-log: ‖∂L/∂W‖_F and its γ and data"
                            + " bounds as W2 is scaled from 0.01 to 1000 (60 points, bias zero-preactivation).",
                            p.title()),
                    () -> assertFalse(p.svg().contains("href")),
                    () -> assertFalse(p.svg().contains("<?xml")));
        }

        @Test
        void is_the_same_string_every_time() {
            SweepResult again = Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP);
            assertEquals(SweepChart.svg(KEEP), SweepChart.svg(again));
        }

        @Test
        void stays_small() {
            int size = SweepChart.svg(KEEP).length();
            assertTrue(size < 40_000, size + " characters");
        }

        @Test
        void sweeping_layer_1_draws_three_series() {
            SweepResult first = Sweep.run(LECTURE, 1, 0.1, 10, 5, Sweep.BiasMode.KEEP);
            GraphPictureTests.Picture p = new GraphPictureTests.Picture(SweepChart.svg(first));
            assertEquals(NAMES.subList(0, 3),
                    p.elements("g", "series").stream().map(g -> g.getAttribute("data-series")).toList());
        }

        @Test
        void a_sweep_at_one_scale_still_has_a_decade_wide_x_axis() {
            SweepResult one = Sweep.run(LECTURE, 2, 1, 1, 2, Sweep.BiasMode.KEEP);
            Axes axes = Axes.of(new GraphPictureTests.Picture(SweepChart.svg(one)));
            assertEquals(1, axes.x()[1] - axes.x()[0]);
        }
    }
}
