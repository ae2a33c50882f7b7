package io.chainproof.bounds;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The growth bounds of one spec at its parameters and data. Instances are immutable.
 *
 * @param name        the spec's name
 * @param norm        the norms used, {@value GrowthBounds#NORM}
 * @param layers      one bound per layer, layer 1 first
 * @param scalarChain the scalar-chain bound, present exactly when every width is 1
 * @param notes       remarks on how the bounds were formed (e.g. the softmax Jacobian bound)
 */
public record BoundReport(String name, String norm, List<LayerBound> layers, Optional<ScalarChainBound> scalarChain,
                          List<String> notes) {

    /**
     * Validates the components.
     *
     * @param name the spec's name
     * @param norm the norms used, {@value GrowthBounds#NORM}
     * @param layers one bound per layer, layer 1 first
     * @param scalarChain the scalar-chain bound, present exactly when every width is 1
     * @param notes remarks on how the bounds were formed (e.g. the softmax Jacobian bound)
     * @throws IllegalArgumentException if there are no layers
     */
    public BoundReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(scalarChain, "scalarChain");
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Bound report <" + name + "> has no layers");
        }
    }

    /**
     * @param layer 1-based
     * @return that layer's bound
     */
    public LayerBound layer(int layer) {
        return layers.get(layer - 1);
    }
}
