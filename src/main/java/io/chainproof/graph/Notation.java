package io.chainproof.graph;

/** Unicode super- and subscript digits for the lecture notation (o₃, w⁽²⁾₁₂). */
public final class Notation {

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private static final String SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

    private Notation() {
    }

    /**
     * {@code 12} → {@code ¹²}; n ≥ 0.
     *
     * @param n the number; ≥ 0
     * @return its digits as Unicode superscripts
     */
    public static String superscript(int n) {
        return map(n, SUPERSCRIPTS);
    }

    /**
     * {@code 12} → {@code ₁₂}.
     *
     * @param n the number; ≥ 0
     * @return its digits as Unicode subscripts
     */
    public static String subscript(int n) {
        return map(n, SUBSCRIPTS);
    }

    private static String map(int n, String digits) {
        String s = Integer.toString(n);
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(digits.charAt(c - '0'));
        }
        return b.toString();
    }
}
