package io.chainproof.render;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Scientific} prints what {@code String.format("%.Ne")} prints, on edge cases and 200,000 random doubles. */
class ScientificTests {

    private static void same(double v, int decimals) {
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "e", v), Scientific.format(v, decimals),
                "value " + v + " (bits " + Long.toHexString(Double.doubleToRawLongBits(v)) + ")");
    }

    @Test
    void edge_cases_match_the_formatter() {
        double[] values = {0.0, -0.0, 1, -1, 9.995, 9.994999, 9.9951, 0.00125, 1.25e-5, 99.95, 999.5, 1e100, 1e-100,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1.005, 2.675, 5e-324, 1e22, 1e23,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1, 0.5, 1.5, 2.5};
        for (double v : values) {
            for (int decimals = 0; decimals <= 4; decimals++) {
                same(v, decimals);
            }
        }
    }

    @Test
    void random_doubles_match_the_formatter() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < 200_000; i++) {
            double v = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-20, 20));
            if (Double.isNaN(v)) {
                continue;
            }
            same(v, 2);
        }
    }
}
