package io.chainproof.check;

import io.chainproof.number.ComplexStepNumber;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one record of outcome thresholds beside the tolerance: its defaults, its rules, its matching. */
class ThresholdsTests {

    @Test
    void the_defaults_are_the_named_constants() {
        Thresholds t = Thresholds.DEFAULT;
        assertEquals(ComplexStepNumber.KINK_BAND, t.kinkBand());
        assertEquals(1e-6, t.match());
        assertEquals(1e-3, t.negligible());
        assertEquals(0.1, t.isolatedFraction());
        assertEquals(1e-8, t.vanishingFactor());
        assertEquals(1e-3, t.saturationRatio());
        assertEquals(1.0, t.explodingFactor());
        assertEquals(1e-12, t.attained());
        assertEquals(1e-9, t.boundSlack());
    }

    @Test
    void a_kink_band_other_than_the_arithmetics_is_refused_with_the_reason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Thresholds(1e-6, 1e-6, 1e-3, 0.1, 1e-8, 1e-3, 1.0, 1e-12, 1e-9));
        assertEquals("Kink band <1.0E-6> must be the arithmetic's <1.0E-8>: the complex step and dual numbers mark kinks "
                + "with it", e.getMessage());
    }

    @Test
    void a_fraction_outside_its_range_is_refused_naming_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Thresholds(1e-8, 1e-6, 1e-3, 1.5, 1e-8, 1e-3, 1.0, 1e-12, 1e-9));
        assertEquals("Isolated fraction <1.5> must lie in [0.0, 1.0]", e.getMessage());
    }

    @Test
    void vectors_match_within_the_fraction_of_the_larger_ones_largest_entry() {
        double[] a = {1.0, -2.0, 1e-9};
        assertTrue(Thresholds.DEFAULT.matches(a, new double[] {1.0, -2.0 + 1.9e-6, 0.0}));
        assertFalse(Thresholds.DEFAULT.matches(a, new double[] {1.0, -2.0 + 2.1e-6, 0.0}));
        assertFalse(Thresholds.DEFAULT.matches(new double[] {Double.NaN}, new double[] {Double.NaN}));
    }
}
