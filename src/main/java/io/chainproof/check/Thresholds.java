package io.chainproof.check;

import io.chainproof.number.ComplexStepNumber;

/**
 * Every threshold besides the {@link Tolerance} that decides an outcome: when a branch counts as a kink, when a
 * wrong gradient matches a known fault, and which growth regime a layer is in. Its sibling {@link Tolerance}
 * decides whether a claim agrees with an oracle. Instances are immutable; {@link #DEFAULT} holds the named
 * defaults, which every stage uses.
 *
 * @param kinkBand         a piecewise op's argument within {@code kinkBand·max(1, scale)} of its branch point on
 *                         a perturbed path makes the derivative one-sided (a kink); the number arithmetic marks
 *                         kinks with {@link ComplexStepNumber#KINK_BAND}, which this must equal
 * @param match            a claimed tensor matches a fault's prediction when they differ by at most this fraction
 *                         of the larger one's largest entry
 * @param negligible       gradient entries below this fraction of the largest are left out of a common ratio
 *                         claimed/true (their ratio is noise)
 * @param isolatedFraction at most {@code max(2, isolatedFraction·size)} wrong entries of a tensor are "isolated"
 * @param vanishingFactor  a layer whose data factor is below this is vanishing
 * @param saturationRatio  a layer whose data factor is below this fraction of its γ factor is saturated
 * @param explodingFactor  a layer whose data factor exceeds this may explode
 * @param attained         a value within this relative distance of its bound attains it (and one above it by no
 *                         more still lies within it: the rounding of a product of a few dozen factors)
 * @param boundSlack       a gradient assertion fails only when the gradient exceeds its certified bound by more
 *                         than this, relative (a user's deeper networks round more than chainproof's own tables)
 */
public record Thresholds(double kinkBand, double match, double negligible, double isolatedFraction,
                         double vanishingFactor, double saturationRatio, double explodingFactor, double attained,
                         double boundSlack) {

    /** The kink band by default: the one the number arithmetic uses, 1e−8 relative. */
    public static final double DEFAULT_KINK_BAND = ComplexStepNumber.KINK_BAND;
    /** Fault matching by default: 1e−6 of the largest entry, far above rounding, far below any real fault. */
    public static final double DEFAULT_MATCH = 1e-6;
    /** Entries below 1e−3 of the largest do not decide a common ratio. */
    public static final double DEFAULT_NEGLIGIBLE = 1e-3;
    /** A tenth of a tensor, and at least two entries, can be isolated errors. */
    public static final double DEFAULT_ISOLATED_FRACTION = 0.1;
    /** Vanishing below a data factor of 1e−8. */
    public static final double DEFAULT_VANISHING_FACTOR = 1e-8;
    /** Saturated below 1e−3 of the γ factor. */
    public static final double DEFAULT_SATURATION_RATIO = 1e-3;
    /** Exploding above a data factor of 1 (Pascanu, Mikolov, Bengio 2013, §3.1). */
    public static final double DEFAULT_EXPLODING_FACTOR = 1.0;
    /** Bounds are attained within 1e−12, relative. */
    public static final double DEFAULT_ATTAINED = 1e-12;
    /** Gradient assertions allow 1e−9 above a bound, relative. */
    public static final double DEFAULT_BOUND_SLACK = 1e-9;
    /** The defaults above. */
    public static final Thresholds DEFAULT = new Thresholds(DEFAULT_KINK_BAND, DEFAULT_MATCH, DEFAULT_NEGLIGIBLE,
            DEFAULT_ISOLATED_FRACTION, DEFAULT_VANISHING_FACTOR, DEFAULT_SATURATION_RATIO, DEFAULT_EXPLODING_FACTOR,
            DEFAULT_ATTAINED, DEFAULT_BOUND_SLACK);

    /**
     * Validates the components.
     *
     * @param kinkBand         the kink band, as {@link ComplexStepNumber#KINK_BAND}
     * @param match            the fault-matching fraction; in (0, 1]
     * @param negligible       the negligible fraction; in [0, 1]
     * @param isolatedFraction the isolated fraction; in [0, 1]
     * @param vanishingFactor  the vanishing factor; ≥ 0
     * @param saturationRatio  the saturation ratio; in [0, 1]
     * @param explodingFactor  the exploding factor; &gt; 0
     * @param attained         the attainment distance; in [0, 1]
     * @param boundSlack       the assertions' slack above a bound; in [0, 1]
     */
    public Thresholds {
        if (kinkBand != ComplexStepNumber.KINK_BAND) {
            throw new IllegalArgumentException("Kink band <" + kinkBand + "> must be the arithmetic's <"
                    + ComplexStepNumber.KINK_BAND + ">: the complex step and dual numbers mark kinks with it");
        }
        requireIn("Match", match, Double.MIN_VALUE, 1);
        requireIn("Negligible fraction", negligible, 0, 1);
        requireIn("Isolated fraction", isolatedFraction, 0, 1);
        requireIn("Saturation ratio", saturationRatio, 0, 1);
        requireIn("Attained distance", attained, 0, 1);
        requireIn("Bound slack", boundSlack, 0, 1);
        if (!(vanishingFactor >= 0) || !Double.isFinite(vanishingFactor)) {
            throw new IllegalArgumentException("Vanishing factor <" + vanishingFactor + "> must be finite and ≥ 0");
        }
        if (!(explodingFactor > 0) || !Double.isFinite(explodingFactor)) {
            throw new IllegalArgumentException("Exploding factor <" + explodingFactor + "> must be finite and > 0");
        }
    }

    /** Requires {@code low ≤ v ≤ high}. */
    private static void requireIn(String what, double v, double low, double high) {
        if (!(v >= low && v <= high)) {
            throw new IllegalArgumentException(what + " <" + v + "> must lie in [" + low + ", " + high + "]");
        }
    }

    /**
     * Whether two vectors match: they differ by at most {@link #match()} of the larger one's largest entry.
     *
     * @param a a vector
     * @param b a vector of the same length
     * @return whether they match
     */
    public boolean matches(double[] a, double[] b) {
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= match * scale)) {
                return false;
            }
        }
        return true;
    }
}
