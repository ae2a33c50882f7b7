package io.chainproof.bounds;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link Sweep}. Instances are immutable.
 *
 * @param name       the spec's name
 * @param layerCount the spec's number of layers
 * @param layer      the swept layer, 1-based
 * @param bias       what happened to the swept layer's bias
 * @param points     one point per scale, smallest scale first
 */
public record SweepResult(String name, int layerCount, int layer, Sweep.BiasMode bias, List<SweepPoint> points) {

    /**
     * Validates the components.
     *
     * @param name the spec's name
     * @param layerCount the spec's number of layers
     * @param layer the swept layer, 1-based
     * @param bias what happened to the swept layer's bias
     * @param points one point per scale, smallest scale first
     * @throws IllegalArgumentException if the layer is outside 1…layerCount or there are fewer than 2 points
     */
    public SweepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bias, "bias");
        points = List.copyOf(points);
        if (layer < 1 || layer > layerCount) {
            throw new IllegalArgumentException("Swept layer <" + layer + "> is outside 1…" + layerCount);
        }
        if (points.size() < 2) {
            throw new IllegalArgumentException("Sweep of <" + name + "> has " + points.size() + " points, needs 2");
        }
    }

    /** @return the first point (smallest scale) */
    public SweepPoint first() {
        return points.get(0);
    }

    /** @return the last point (largest scale) */
    public SweepPoint last() {
        return points.get(points.size() - 1);
    }
}
