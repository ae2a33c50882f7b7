package io.chainproof.check;

/**
 * How far a claimed derivative may sit from an oracle's value and still agree with it: the one place
 * tolerances live. A claim {@code c} agrees with an oracle value {@code v} carrying error estimate
 * {@code e} when
 * <pre>
 *   |c − v| ≤ safety · e + relative · max(|c|, |v|) + absolute + tensorRelative · max_T |v_t|
 * </pre>
 * where the last term scales with the largest oracle value of the same tensor T (W_l or b_l): an entry
 * that is the small difference of large terms carries the rounding of those terms, which a gradient
 * computed in another order cannot reproduce bit for bit.
 * The error estimate comes from the oracle (truncation + rounding for finite differences), so the
 * tolerance follows the step size and the scale of the function instead of being one fixed number.
 *
 * @param relative relative slack on top of the oracle's own error; ≥ 0
 * @param absolute absolute slack; ≥ 0 (0 by default: tiny gradients are compared, not waved through)
 * @param safety   multiple of the oracle's error estimate allowed; ≥ 1
 * @param tensorRelative slack as a fraction of the largest oracle value in the same tensor; ≥ 0
 */
public record Tolerance(double relative, double absolute, double safety, double tensorRelative) {

    /**
     * Relative slack by default: 1e−8 — far above the 1e−16…1e−13 at which two correct float64 backprops
     * agree, far below a planted 1e−6 error (with an exact oracle such as the complex step).
     */
    public static final double DEFAULT_RELATIVE = 1e-8;
    /** Tensor-relative slack by default: 1e−11 of the tensor's largest entry. */
    public static final double DEFAULT_TENSOR_RELATIVE = 1e-11;
    /** Absolute slack by default: none. */
    public static final double DEFAULT_ABSOLUTE = 0.0;
    /** Error-estimate multiple by default: estimates are order-of-magnitude, so allow a factor 10. */
    public static final double DEFAULT_SAFETY = 10.0;
    /** The defaults above. */
    public static final Tolerance DEFAULT = new Tolerance(DEFAULT_RELATIVE, DEFAULT_ABSOLUTE, DEFAULT_SAFETY,
            DEFAULT_TENSOR_RELATIVE);

    /**
     * A tolerance without the tensor-relative term.
     *
     * @param relative relative slack on top of the oracle's own error; ≥ 0
     * @param absolute absolute slack; ≥ 0
     * @param safety multiple of the oracle's error estimate allowed; ≥ 1
     */
    public Tolerance(double relative, double absolute, double safety) {
        this(relative, absolute, safety, 0.0);
    }

    /**
     * Validates the components.
     *
     * @param relative relative slack on top of the oracle's own error; ≥ 0
     * @param absolute absolute slack; ≥ 0 (0 by default: tiny gradients are compared, not waved through)
     * @param safety multiple of the oracle's error estimate allowed; ≥ 1
     * @param tensorRelative slack as a fraction of the largest oracle value in the same tensor; ≥ 0
     */
    public Tolerance {
        if (!(relative >= 0) || !Double.isFinite(relative)) {
            throw new IllegalArgumentException("Relative tolerance <" + relative + "> must be finite and ≥ 0");
        }
        if (!(absolute >= 0) || !Double.isFinite(absolute)) {
            throw new IllegalArgumentException("Absolute tolerance <" + absolute + "> must be finite and ≥ 0");
        }
        if (!(safety >= 1) || !Double.isFinite(safety)) {
            throw new IllegalArgumentException("Safety factor <" + safety + "> must be finite and ≥ 1");
        }
        if (!(tensorRelative >= 0) || !Double.isFinite(tensorRelative)) {
            throw new IllegalArgumentException("Tensor-relative tolerance <" + tensorRelative + "> must be finite and ≥ 0");
        }
    }

    /**
     * The extra slack for an entry of a tensor whose largest oracle value is {@code tensorMax}.
     *
     * @param tensorMax the largest |v_t| of the oracle over the tensor
     * @return {@code tensorRelative · tensorMax}
     */
    public double tensorFloor(double tensorMax) {
        return tensorRelative * tensorMax;
    }

    /**
     * The allowed |claim − oracle| for these values and the oracle's error estimate (without the tensor term).
     *
     * @param claim the claimed derivative c
     * @param oracle the oracle's value v
     * @param errorEstimate the oracle's error estimate e; ≥ 0
     * @return {@code safety · e + relative · max(|c|, |v|) + absolute}
     */
    public double allowed(double claim, double oracle, double errorEstimate) {
        return safety * errorEstimate + relative * Math.max(Math.abs(claim), Math.abs(oracle)) + absolute;
    }

    /**
     * A copy with another relative slack.
     *
     * @param newRelative the relative slack; ≥ 0
     * @return a new tolerance; this one is unchanged
     */
    public Tolerance withRelative(double newRelative) {
        return new Tolerance(newRelative, absolute, safety, tensorRelative);
    }

    /**
     * A copy with another absolute slack.
     *
     * @param newAbsolute the absolute slack; ≥ 0
     * @return a new tolerance; this one is unchanged
     */
    public Tolerance withAbsolute(double newAbsolute) {
        return new Tolerance(relative, newAbsolute, safety, tensorRelative);
    }
}
