package io.chainproof.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StableFunctions#erf} against mpmath at 9438 doubles ({@code src/test/python/make_erf_reference.py}): a grid
 * on [−7, 7], random draws, magnitudes from 1e−300 to 1 and the subnormals, and both sides of each branch boundary.
 * The error is measured in ulps of the correctly rounded result, {@code |erf_computed − erf_exact|/ulp(erf_exact)},
 * and printed per range of |x| beside Commons Math's {@code Erf.erf}, which it replaced.
 *
 * <p>The bound {@link #ULPS} = 2 is the sum of the roundings' worst cases, each in ulps of the result. For
 * |x| &lt; 1 the result is {@code x + x·w} with {@code w = (2/√π − 1) + x²·p(x²)}; the worst case is at |x| → 1, where
 * the two terms of w cancel 2.7-fold: the final addition ½, the product x·w ⅛, w's addition ⅛, x²·p ¼, p's last
 * Horner step ¼, x²'s rounding 0.15, the rest of Horner 0.1 and 2/√π − 1's representation ⅛, about 1.6 in all (a
 * subnormal result is off by at most 2⁻¹⁰⁷⁴, one of its ulps). For 1 ≤ |x| &lt; 6, erfc = (2/√π)·a·e^{−a²}/K carries
 * about 6 roundings and the exponential's degree-16 polynomial (under 4 ulps of erfc), damped by erfc/erf ≤ 0.19
 * into under 0.8 ulp of erf, plus ½ ulp for 1 − erfc: under 1.3. For |x| ≥ 6, ±1 is the correctly rounded result.
 * Measured: 0.98 ulp at worst (x = 0.987); 60,000 random arguments on [0, 6] gave 1.10, also just below 1.
 * {@code RunningError} charges erf's value these 2 ulps (4u relative).
 */
class ErfReferenceTests {

    static final Path REFERENCE = Path.of("src/test/resources/reference/erf/erf.mpmath.json");
    /** The largest error allowed anywhere, in ulps of the result (derived above). */
    static final double ULPS = 2;
    /** Commons Math's erf at tiny |x| is worse than this (it works on x² and e^{x'·ln x²}); ours is not. */
    static final double COMMONS_TINY_ULPS = 100;

    /** Ranges of |x| the errors are reported by: lower ends. */
    private static final double[] RANGES = {0, Double.MIN_NORMAL, 1e-150, 1e-8, 1, 6};
    private static final String[] RANGE_NAMES = {"subnormal", "[2.2e−308, 1e−150)", "[1e−150, 1e−8)", "[1e−8, 1)",
        "[1, 6)", "[6, 7]"};

    private record Point(double x, BigDecimal erf) {
    }

    private static List<Point> points() throws IOException {
        JsonNode root = new ObjectMapper().readTree(REFERENCE.toFile());
        List<Point> points = new ArrayList<>();
        for (JsonNode p : root.get("points")) {
            points.add(new Point(Double.parseDouble(p.get(0).asText()), new BigDecimal(p.get(1).asText())));
        }
        return points;
    }

    /** Error of {@code computed} in ulps of the exact value rounded to double. */
    static double ulps(double computed, BigDecimal exact) {
        double rounded = exact.doubleValue();
        double ulp = Math.ulp(rounded);
        // divided in decimal: the difference of two subnormals may be below the smallest double
        return new BigDecimal(computed).subtract(exact).abs().divide(new BigDecimal(ulp), MathContext.DECIMAL64)
                .doubleValue();
    }

    private static int range(double x) {
        int r = 0;
        while (r + 1 < RANGES.length && Math.abs(x) >= RANGES[r + 1]) {
            r++;
        }
        return r;
    }

    /** Worst error per range, with where: [range][0] ulps, [range][1] x. */
    private static double[][] worst(List<Point> points, DoubleUnaryOperator erf) {
        double[][] worst = new double[RANGES.length][2];
        for (Point p : points) {
            double e = ulps(erf.applyAsDouble(p.x()), p.erf());
            int r = range(p.x());
            if (e >= worst[r][0]) {
                worst[r][0] = e;
                worst[r][1] = p.x();
            }
        }
        return worst;
    }

    @Test
    void erf_is_within_the_bound_in_ulps_at_every_reference_point() throws IOException {
        List<Point> points = points();
        assertTrue(points.size() > 9000, "points: " + points.size());
        double[][] ours = worst(points, StableFunctions::erf);
        double[][] commons = worst(points, Erf::erf);
        System.out.printf(Locale.ROOT, "erf against mpmath at %d doubles, worst error in ulps (at x):%n", points.size());
        for (int r = 0; r < RANGES.length; r++) {
            System.out.printf(Locale.ROOT, "  %-20s chainproof %.3f (%.17g)   Commons Math %.3g (%.17g)%n",
                    RANGE_NAMES[r], ours[r][0], ours[r][1], commons[r][0], commons[r][1]);
        }
        for (Point p : points) {
            double computed = StableFunctions.erf(p.x());
            double e = ulps(computed, p.erf());
            assertTrue(e <= ULPS, "erf(" + p.x() + ") ==> off by " + e + " ulps, expected: at most " + ULPS
                    + " but was: " + computed + " (mpmath " + p.erf() + ")");
        }
        assertTrue(commons[2][0] > COMMONS_TINY_ULPS, "Commons Math's erf on [1e−150, 1e−8) is off by "
                + commons[2][0] + " ulps at most, the reason for our own was more than " + COMMONS_TINY_ULPS);
    }

    @Test
    void erf_is_exactly_odd_and_keeps_the_sign_of_zero() throws IOException {
        for (Point p : points()) {
            assertEquals(-StableFunctions.erf(p.x()), StableFunctions.erf(-p.x()), "erf(−" + p.x() + ")");
        }
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(StableFunctions.erf(-0.0)));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(StableFunctions.erf(0.0)));
    }

    @Test
    void erf_of_nan_is_nan_and_of_infinity_is_one() {
        assertTrue(Double.isNaN(StableFunctions.erf(Double.NaN)));
        assertEquals(1.0, StableFunctions.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, StableFunctions.erf(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, StableFunctions.erf(Double.MAX_VALUE));
    }
}
