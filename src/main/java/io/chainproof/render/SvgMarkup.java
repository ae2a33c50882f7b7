package io.chainproof.render;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The small pieces of markup that {@link GraphPicture} and {@link SweepChart} share: XML escaping that
 * also removes characters XML 1.0 forbids, and numbers written the same way on every machine
 * ({@link java.util.Locale#ROOT}, a fixed number of decimals, no trailing zeros, never an exponent).
 */
final class SvgMarkup {

    /** The SVG namespace of the root element. */
    static final String NAMESPACE = "http://www.w3.org/2000/svg";

    private SvgMarkup() {
    }

    /**
     * Escapes text for element content and attribute values: {@code & < > " '} become entities, and
     * control characters that XML 1.0 does not allow (and lone surrogates) become U+FFFD.
     *
     * @param text any text
     * @return the escaped text
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        b.append(c).append(text.charAt(++i));
                    } else if (allowed(c)) {
                        b.append(c);
                    } else {
                        b.append('\uFFFD');
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean allowed(char c) {
        if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
            return false;
        }
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * A layout coordinate: at most 2 decimals, e.g. {@code 140}, {@code 70.5}, {@code -3.25}.
     *
     * @param value a finite number
     * @return its text
     */
    static String num(double value) {
        return fixed(value, 2);
    }

    /**
     * A number rounded half-even to {@code decimals} places, without trailing zeros or exponent.
     *
     * @param value    a finite number
     * @param decimals the number of decimal places kept
     * @return its text, {@code "0"} for ±0
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Coordinate <" + value + "> is not finite; only finite numbers are drawn");
        }
        BigDecimal d = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
