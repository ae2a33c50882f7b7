package io.chainproof.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * {@code String.format(Locale.ROOT, "%.2e", v)} without the formatter: a table of thousands of rows formats each cell
 * in microseconds instead of parsing a format string per cell. Digit for digit what {@link java.util.Formatter}
 * prints: the shortest decimal that round-trips ({@link Double#toString}) rounded half-up to the precision, as
 * {@code FormattedFloatingDecimal} does. Stateless.
 */
final class Scientific {

    private Scientific() {
    }

    /**
     * {@code v} in scientific notation with {@code decimals} digits after the point, as {@code %.<decimals>e} prints it.
     *
     * @param v        the value
     * @param decimals digits after the point; ≥ 0
     * @return e.g. {@code 1.76e-10}; {@code NaN}, {@code Infinity} and {@code -Infinity} as the formatter writes them
     */
    static String format(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%." + decimals + "e", v);
        }
        StringBuilder out = new StringBuilder(12);
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            out.append('-');
        }
        double a = Math.abs(v);
        if (a == 0) {
            out.append('0');
            if (decimals > 0) {
                out.append('.').append("0".repeat(decimals));
            }
            return out.append("e+00").toString();
        }
        BigDecimal d = new BigDecimal(Double.toString(a)).round(new MathContext(decimals + 1, RoundingMode.HALF_UP));
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        // the unscaled value may have fewer digits than asked for (a short decimal): pad with zeros
        StringBuilder mantissa = new StringBuilder(digits);
        while (mantissa.length() < decimals + 1) {
            mantissa.append('0');
        }
        out.append(mantissa.charAt(0));
        if (decimals > 0) {
            out.append('.').append(mantissa, 1, decimals + 1);
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            out.append('0');
        }
        return out.append(e).toString();
    }
}
