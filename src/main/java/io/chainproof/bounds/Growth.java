package io.chainproof.bounds;

/**
 * The growth of a gradient norm across a chain of layers or steps, {@code g = first/last}: the norm that reaches
 * the first layer (step) over the norm at the last. Its words are defined by {@link #RULE}: vanishing when the first
 * layer gets less than a thousandth of the last one's gradient, exploding when it gets more than a thousand times
 * as much — three orders of magnitude, the gap at which one learning rate cannot suit both ends.
 *
 * @param first the norm at the first layer (step)
 * @param last  the norm at the last layer (step)
 * @param links the number of layers (steps) between them: positions − 1, at least 1
 */
public record Growth(double first, double last, int links) {

    /** Below this g the gradient vanishes. */
    public static final double VANISHING = 1e-3;
    /** Above this g the gradient explodes. */
    public static final double EXPLODING = 1e3;
    /** The rule, as printed. */
    public static final String RULE = "g = ‖first‖/‖last‖: vanishing if g < 10⁻³, exploding if g > 10³, "
            + "neither in between";

    /**
     * Requires at least one link.
     *
     * @param first the first norm
     * @param last  the last norm
     * @param links the links between them
     */
    public Growth {
        if (links < 1) {
            throw new IllegalArgumentException("growth needs at least one link, not " + links);
        }
    }

    /**
     * The growth across an MLP's layers from the last back to {@code layer}: {@code ‖∂L/∂W_l‖_F / ‖∂L/∂W_L‖_F}.
     *
     * @param layer the bounds of layer l, with its gradient norm
     * @param last  the bounds of the last layer L
     * @return the growth over the L − l layers between them (1 for the last layer itself)
     */
    public static Growth across(LayerBound layer, LayerBound last) {
        return new Growth(layer.actual(), last.actual(), Math.max(1, last.layer() - layer.layer()));
    }

    /** @return g = first/last; NaN when either is not finite or both are 0 */
    public double ratio() {
        return first / last;
    }

    /** @return the geometric mean change per link, g^(1/links) */
    public double perLink() {
        return Math.pow(ratio(), 1.0 / links);
    }

    /** @return {@code vanishing}, {@code exploding}, {@code neither}, or {@code undefined} for a non-finite g */
    public String word() {
        double g = ratio();
        if (Double.isNaN(g)) {
            return "undefined";
        }
        if (g < VANISHING) {
            return "vanishing";
        }
        return g > EXPLODING ? "exploding" : "neither";
    }
}
