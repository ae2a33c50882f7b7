package io.chainproof.explain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The number formats of {@link Formula}. Expected strings are written by hand from the format rules
 * (shortest round-trip decimal; three significant digits, exponent without padding), with U+2212 for the
 * minus sign in text and an ASCII hyphen in LaTeX.
 */
class FormulaTests {

    @Nested
    class Number {

        @ParameterizedTest(name = "{0} → {1} | {2}")
        @CsvSource(delimiter = '|', value = {
                "0.25                | 0.25                | 0.25",
                "-5.545216167164804  | −5.545216167164804  | -5.545216167164804",
                "125                 | 125.0               | 125.0",
                "2.67e-109           | 2.67E−109           | 2.67 \\times 10^{-109}",
                "3.4169893819274826e-133 | 3.4169893819274826E−133 | 3.4169893819274826 \\times 10^{-133}",
                "1e7                 | 1.0E7               | 1.0 \\times 10^{7}",
                "-1e-4               | −1.0E−4             | -1.0 \\times 10^{-4}",
                "0.001               | 0.001               | 0.001",
                "0                   | 0.0                 | 0.0",
                "-0.0                | −0.0                | -0.0"})
        void is_the_shortest_round_trip_decimal(double value, String text, String latex) {
            Formula f = Formula.number(value);
            assertEquals(text, f.text());
            assertEquals(latex, f.latex());
        }

        @Test
        void round_trips_in_both_notations() {
            double v = -5.545216167164804;
            Formula f = Formula.number(v);
            assertEquals(v, Double.parseDouble(f.text().replace('−', '-')));
            assertEquals(v, Double.parseDouble(f.latex()));
        }

        @Test
        void writes_nan_and_infinities_as_such() {
            assertEquals(new Formula("NaN", "\\mathrm{NaN}"), Formula.number(Double.NaN));
            assertEquals(new Formula("∞", "\\infty"), Formula.number(Double.POSITIVE_INFINITY));
            assertEquals(new Formula("−∞", "-\\infty"), Formula.number(Double.NEGATIVE_INFINITY));
        }
    }

    @Nested
    class Approximately {

        @ParameterizedTest(name = "{0} → {1} | {2}")
        @CsvSource(delimiter = '|', value = {
                "3.17e-9     | 3.17e−9     | 3.17 \\times 10^{-9}",
                "-3.17e-9    | −3.17e−9    | -3.17 \\times 10^{-9}",
                "2.6701e-109 | 2.67e−109   | 2.67 \\times 10^{-109}",
                "1.0         | 1.00e0      | 1.00",
                "-2.5e10     | −2.50e10    | -2.50 \\times 10^{10}",
                "123456      | 1.23e5      | 1.23 \\times 10^{5}",
                "9.9949e-5   | 9.99e−5     | 9.99 \\times 10^{-5}",
                // 9.995e-5 rounds up into the next decade: the exponent moves from −5 to −4
                "9.995e-5    | 1.00e−4     | 1.00 \\times 10^{-4}",
                "9.995       | 1.00e1      | 1.00 \\times 10^{1}",
                "0.001       | 1.00e−3     | 1.00 \\times 10^{-3}"})
        void keeps_three_significant_digits_and_an_unpadded_exponent(double value, String text, String latex) {
            Formula f = Formula.approximately(value);
            assertEquals(text, f.text());
            assertEquals(latex, f.latex());
        }

        @Test
        void writes_zero_nan_and_infinities_as_number_does() {
            assertEquals(new Formula("0.0", "0.0"), Formula.approximately(0.0));
            assertEquals(new Formula("NaN", "\\mathrm{NaN}"), Formula.approximately(Double.NaN));
            assertEquals(new Formula("∞", "\\infty"), Formula.approximately(Double.POSITIVE_INFINITY));
            assertEquals(new Formula("−∞", "-\\infty"), Formula.approximately(Double.NEGATIVE_INFINITY));
        }

        @Test
        void writes_the_smallest_subnormal_with_a_three_digit_exponent() {
            assertEquals(new Formula("4.90e−324", "4.90 \\times 10^{-324}"), Formula.approximately(Double.MIN_VALUE));
        }
    }

    @Test
    void equals_value_joins_both_notations_with_an_equals_sign() {
        Formula f = new Formula("σ'(z₂)·w₂", "\\sigma'(z_{2}) \\cdot w_{2}").equalsValue(Formula.number(125));
        assertEquals(new Formula("σ'(z₂)·w₂ = 125.0", "\\sigma'(z_{2}) \\cdot w_{2} = 125.0"), f);
    }

    @Test
    void rejects_a_missing_notation() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Formula(null, "x"));
        assertEquals("text", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new Formula("x", null));
        assertEquals("latex", e.getMessage());
    }
}
