package io.chainproof.model;

import java.util.Objects;

/**
 * A tensor of a model: its name, shape and role. Instances are immutable.
 *
 * @param name  the name, unique in the model ({@code W1}, {@code x}, {@code z2}, {@code h[0][3]})
 * @param shape the shape
 * @param role  what the tensor is
 */
public record Tensor(String name, Shape shape, Role role) {

    /** What a tensor is. */
    public enum Role {
        /** A parameter θ: the gradient is taken with respect to its entries. */
        PARAMETER,
        /** Data: inputs, targets, initial states — constants of the loss. */
        DATA,
        /** Computed by a node. */
        INTERMEDIATE
    }

    /**
     * Validates the components.
     *
     * @param name  the name
     * @param shape the shape
     * @param role  what the tensor is
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(role, "role");
    }

    /** @return the number of entries */
    public int size() {
        return shape.size();
    }
}
