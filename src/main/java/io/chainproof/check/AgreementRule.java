package io.chainproof.check;

import java.util.Locale;

/**
 * The rule a verification judged its entries by: the rounding rule (the default) or the blanket tolerance.
 *
 * <p>The <b>rounding rule</b> allows a claim c to differ from the exact oracle's value v by
 * <pre>
 *   safety · e + {@value #ROUNDING_SAFETY} · b
 * </pre>
 * e the oracle's own error estimate and b the {@link BackpropBound} of the entry: the largest rounding error a
 * correct backward pass written with the textbook formulas (σ·(1 − σ), 1 − tanh², softmax by exp-normalise) can make
 * in an arithmetic of unit roundoff u. The factor {@value #ROUNDING_SAFETY} on b is the one safety margin: the bound
 * charges each elementary function (exp, tanh, log) one rounding, u, while the libraries' functions are faithful to
 * 1 ulp, up to 2u. A well-conditioned entry's b is ~1e−16 relative in float64, so an error of 1e−10 is seen; an entry
 * that keeps no relative accuracy with those formulas (σ·(1 − σ) at σ ≈ 1) has b ≥ |v| and agrees with any value that
 * small. <b>Strict</b> caps the allowance at √u · |v|: every entry must keep half the digits of the arithmetic.
 *
 * <p>The <b>blanket rule</b> (opt-in; and what central differences, which cannot resolve rounding, are judged by) is
 * the {@link Tolerance}: {@code safety · e + relative · max(|c|, |v|) + tensorRelative · max_T |v_t|}.
 *
 * @param unitRoundoff u of the claims' arithmetic for the rounding rule; 0 for the blanket rule
 * @param strict       whether the rounding rule's allowance is capped at √u relative
 * @param tolerance    the tolerance: its safety factor on the oracle's error always applies; its relative and tensor
 *                     terms only under the blanket rule
 * @param own          whether the claims are chainproof's own gradients, bounded with its stable local derivatives
 *                     rather than the textbook ones
 */
public record AgreementRule(double unitRoundoff, boolean strict, Tolerance tolerance, boolean own) {

    /** The factor on the rounding bound: elementary functions are faithful to 1 ulp (2u), the bound charges u. */
    public static final double ROUNDING_SAFETY = 2.0;

    /**
     * Validates the components.
     *
     * @param unitRoundoff u for the rounding rule, in (0, 0.5); 0 for the blanket rule
     * @param strict       whether the allowance is capped at √u relative; only with the rounding rule
     * @param tolerance    the tolerance
     * @param own          whether the claims are chainproof's own gradients
     */
    public AgreementRule {
        java.util.Objects.requireNonNull(tolerance, "tolerance");
        if (!(unitRoundoff == 0 || unitRoundoff > 0 && unitRoundoff < 0.5)) {
            throw new IllegalArgumentException("Unit roundoff <" + unitRoundoff + "> must lie in (0, 0.5): 2⁻⁵³ for "
                    + "float64, 2⁻²⁴ for float32 (or 0 for the blanket rule)");
        }
        if (strict && unitRoundoff == 0) {
            throw new IllegalArgumentException("Strict judging caps the rounding rule's allowance; the blanket rule has "
                    + "none to cap: give a precision");
        }
    }

    /**
     * The blanket rule under {@code tolerance}.
     *
     * @param tolerance the tolerance
     * @return the blanket rule
     */
    public static AgreementRule blanket(Tolerance tolerance) {
        return new AgreementRule(0, false, tolerance, false);
    }

    /**
     * Whether entries are judged by their rounding bounds.
     *
     * @return true for the rounding rule, false for the blanket rule
     */
    public boolean rounding() {
        return unitRoundoff > 0;
    }

    /**
     * The precision's name ({@code float64}, {@code float32}, or u itself), or {@code blanket}.
     *
     * @return a short name for reports
     */
    public String name() {
        if (!rounding()) {
            return "blanket";
        }
        Precision p = Precision.of(unitRoundoff);
        return (p != null ? p.label() : "u = " + unitRoundoff) + (strict ? ", strict" : "");
    }

    /**
     * The extra absolute allowance of an entry, beside {@code safety · e}: {@value #ROUNDING_SAFETY} · b, capped at
     * √u · |v| when strict.
     *
     * @param bound the entry's rounding bound b (+∞ where none could be given)
     * @param value the oracle's value v
     * @return the allowance; finite
     */
    double allowance(double bound, double value) {
        double a = Double.isFinite(bound) ? Math.min(Double.MAX_VALUE, ROUNDING_SAFETY * bound) : Double.MAX_VALUE;
        return strict && Double.isFinite(value) ? Math.min(a, Math.sqrt(unitRoundoff) * Math.abs(value)) : a;
    }

    /**
     * What a verdict's {@code allowed} is made of, in one line.
     *
     * @return the rule in words
     */
    public String description() {
        String e = format(tolerance.safety()) + " × the oracle's error";
        if (!rounding()) {
            return "allowed = " + e + " + " + format(tolerance.relative()) + " relative + "
                    + format(tolerance.tensorRelative()) + " of the tensor's largest entry (the blanket rule)";
        }
        Precision p = Precision.of(unitRoundoff);
        String arithmetic = p != null ? p.label() : "u = " + unitRoundoff;
        return "allowed = " + e + " + " + format(ROUNDING_SAFETY) + " × bound, the rounding a correct " + arithmetic
                + " backward pass with " + (own ? "chainproof's stable formulas (σ' = e^{−|z|}/(1 + e^{−|z|})²)"
                : "the textbook formulas (σ·(1 − σ), 1 − tanh², softmax by exp-normalise)") + " may make"
                + (strict ? ", at most √u = " + format(Math.sqrt(unitRoundoff)) + " relative (strict)" : "");
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v)
                : new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toString()
                .replace("E", "e");
    }
}
