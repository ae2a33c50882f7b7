package io.chainproof.render;

import io.chainproof.bounds.LayeredSweep;
import io.chainproof.bounds.Sweep;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.w3c.dom.Element;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep plots' SVG, written by hand from the same XChart chart as the PNG. */
class SvgPlotWriterTests {

    private static final NetworkSpec LECTURE = SpecReader.read(Path.of("examples/lecture-chain.json"));
    private static final Pattern TOO_PRECISE = Pattern.compile("\\d\\.\\d{3,}");

    @Test
    void each_line_series_is_one_polyline_with_all_its_points_in_the_plot_area() {
        XYChart chart = SweepPlot.chart(Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP));
        String svg = SvgPlotWriter.svg(chart);
        GraphPictureTests.Picture picture = new GraphPictureTests.Picture(svg);

        List<XYSeries> lines = chart.getSeriesMap().values().stream()
                .filter(s -> s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.Line).toList();
        List<Element> polylines = picture.elements("polyline", "series");
        assertEquals(lines.stream().map(XYSeries::getName).toList(),
                polylines.stream().map(e -> e.getAttribute("data-series")).toList(), "one polyline per series, in order");
        Element area = picture.elements("rect", "plot-area").get(0);
        double left = Double.parseDouble(area.getAttribute("x"));
        double top = Double.parseDouble(area.getAttribute("y"));
        double right = left + Double.parseDouble(area.getAttribute("width"));
        double bottom = top + Double.parseDouble(area.getAttribute("height"));
        double[] xAxis = logAxis(area.getAttribute("data-x-axis"));
        double[] yAxis = logAxis(area.getAttribute("data-y-axis"));
        assertEquals(-2, xAxis[0], "x from the decade of 0.01");
        assertEquals(3, xAxis[1], "x to the decade of 1000");
        assertEquals(Math.log10(chart.getStyler().getYAxisMin()), yAxis[0], 1e-6, "y from the chart's minimum");
        for (int i = 0; i < lines.size(); i++) {
            double[] values = lines.get(i).getYData();
            String[] points = polylines.get(i).getAttribute("points").split(" ");
            assertEquals(60, values.length, lines.get(i).getName() + " ==> points in the chart");
            assertEquals(values.length, points.length, lines.get(i).getName() + " ==> points drawn");
            double[] scales = lines.get(i).getXData();
            for (int j = 0; j < points.length; j++) {
                double x = Double.parseDouble(points[j].split(",")[0]);
                double y = Double.parseDouble(points[j].split(",")[1]);
                String where = lines.get(i).getName() + " ==> point " + j + " <" + points[j] + ">";
                assertTrue(x >= left && x <= right && y >= top && y <= bottom, where + " outside the plot area");
                assertEquals(left + (Math.log10(scales[j]) - xAxis[0]) / (xAxis[1] - xAxis[0]) * (right - left), x,
                        0.0051, where + ": x of scale " + scales[j]);
                assertEquals(bottom - (Math.log10(values[j]) - yAxis[0]) / (yAxis[1] - yAxis[0]) * (bottom - top), y,
                        0.0051, where + ": y of value " + values[j]);
            }
        }
        assertEquals(chart.getTitle(), picture.document().getElementsByTagNameNS(SvgMarkup.NAMESPACE, "title")
                .item(0).getTextContent());
        polylines.forEach(p -> assertFalse(TOO_PRECISE.matcher(p.getAttribute("points")).find(),
                p.getAttribute("data-series") + " ==> a coordinate with more than 2 decimals"));
    }

    /** {@code "log lo hi"} as {lo, hi}. */
    private static double[] logAxis(String attribute) {
        String[] parts = attribute.split(" ");
        assertEquals("log", parts[0], attribute);
        return new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    }

    @Test
    void regime_bands_are_filled_shapes_in_the_legend_once() {
        XYChart chart = SweepPlot.chart(Sweep.run(LECTURE, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP));
        GraphPictureTests.Picture picture = new GraphPictureTests.Picture(SvgPlotWriter.svg(chart));

        List<Element> bands = picture.elements("polygon", "band");
        assertEquals(2, bands.size(), "the vanishing scales either side of the one stable scale");
        bands.forEach(b -> assertEquals("vanishing (layer 1)", b.getAttribute("data-series")));
        assertEquals("0.157", bands.get(0).getAttribute("fill-opacity"), "XChart's alpha 40/255");
        List<String> legend = picture.elements("text", "legend").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("vanishing (layer 1)", "actual ‖∂L/∂W1‖_F", "γ bound, layer 1", "data bound, layer 1",
                "actual ‖∂L/∂W2‖_F", "γ bound, layer 2", "data bound, layer 2"), legend);
        assertEquals(1, picture.elements("rect", "swatch").size());
    }

    @Test
    void a_linear_axis_is_labelled_in_whole_steps() {
        LayeredSweep sweep = LayeredSweep.forgetBias((LayeredSpec) SpecReader.readAny(
                Path.of("examples/lstm-language-model.json")), 2, -2, 6, 9);
        GraphPictureTests.Picture picture = new GraphPictureTests.Picture(SvgPlotWriter.svg(
                LayeredSweepPlot.chart(sweep)));

        assertEquals(List.of("−2", "−1", "0", "1", "2", "3", "4", "5", "6"), picture.elements("text", "tick", "x")
                .stream().map(Element::getTextContent).toList());
        assertTrue(picture.elements("text", "tick", "y").stream().allMatch(t -> t.getTextContent().startsWith("10")),
                "the y axis is logarithmic, labelled 10^k");
    }
}
