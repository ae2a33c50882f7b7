package io.chainproof.check;

/**
 * The arithmetic a library computed its gradients in, for the rounding rule ({@link GradientVerifier#withPrecision}).
 */
public enum Precision {
    /** IEEE 754 binary64 (Java's {@code double}, PyTorch's {@code float64}): u = 2⁻⁵³. */
    FLOAT64(BackpropBound.FLOAT64),
    /** IEEE 754 binary32 (Java's {@code float}, most GPU training): u = 2⁻²⁴. */
    FLOAT32(BackpropBound.FLOAT32);

    private final double unitRoundoff;

    Precision(double unitRoundoff) {
        this.unitRoundoff = unitRoundoff;
    }

    /**
     * The unit roundoff u.
     *
     * @return 2⁻⁵³ or 2⁻²⁴
     */
    public double unitRoundoff() {
        return unitRoundoff;
    }

    /**
     * The name users write, {@code float64} or {@code float32}.
     *
     * @return the lower-case name
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The precision of unit roundoff {@code u}, if it is one of these.
     *
     * @param u a unit roundoff
     * @return its precision, or null for another u
     */
    static Precision of(double u) {
        for (Precision p : values()) {
            if (p.unitRoundoff == u) {
                return p;
            }
        }
        return null;
    }
}
