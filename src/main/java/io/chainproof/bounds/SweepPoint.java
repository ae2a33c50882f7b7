package io.chainproof.bounds;

import java.util.List;

/**
 * One scale of a {@link Sweep}. Instances are immutable.
 *
 * @param scale        the factor s multiplying the swept layer's weights
 * @param spectralNorm {@code ‖s·W_l‖₂} of the swept layer
 * @param layers       the bounds of every layer at this scale, layer 1 first
 */
public record SweepPoint(double scale, double spectralNorm, List<LayerBound> layers) {

    /**
     * Validates the components.
     *
     * @param scale the factor s multiplying the swept layer's weights
     * @param spectralNorm {@code ‖s·W_l‖₂} of the swept layer
     * @param layers the bounds of every layer at this scale, layer 1 first
     * @throws IllegalArgumentException if the scale is not positive or there are no layers
     */
    public SweepPoint {
        layers = List.copyOf(layers);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("Sweep scale <" + scale + "> must be > 0");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Sweep point at scale <" + scale + "> has no layers");
        }
    }

    /**
     * @param layer 1-based
     * @return that layer's bounds at this scale
     */
    public LayerBound layer(int layer) {
        return layers.get(layer - 1);
    }

    /**
     * @return the growth across the layers from the last back to the first, whose word names layer 1's regime in
     *     the explanation pages
     */
    public Growth growth() {
        return Growth.across(layers.get(0), layers.get(layers.size() - 1));
    }

    /**
     * The regime of layer 1: its backward signal crosses every layer, the swept one included, so it is the
     * regime of the whole network at this scale.
     *
     * @return layer 1's regime
     */
    public Regime regime() {
        return layers.get(0).regime();
    }
}
