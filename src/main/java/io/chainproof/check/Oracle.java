package io.chainproof.check;

/** The independent methods that can decide whether a claimed derivative is right. */
public enum Oracle {
    /** Im f(θ + ih)/h with h = 1e−20: exact to rounding for analytic functions (Squire &amp; Trapp 1998). */
    COMPLEX_STEP("the complex step"),
    /** Forward-mode AD in dual numbers ({@link io.chainproof.number.DualNumber}) through the ops' forward rules, one pass per parameter. */
    FORWARD_AD("forward-mode AD"),
    /** Central differences with Richardson extrapolation and a truncation + rounding error estimate. */
    CENTRAL_DIFFERENCE("finite differences"),
    /** A directional derivative along a random direction, compared with ⟨claimed gradient, v⟩. */
    DIRECTIONAL("directional derivatives");

    private final String description;

    Oracle(String description) {
        this.description = description;
    }

    /**
     * Plain words for reports, e.g. {@code finite differences}.
     *
     * @return the oracle's name in plain words
     */
    public String description() {
        return description;
    }
}
