package io.chainproof.graph;

/**
 * One named value of the computation graph for one data sample.
 *
 * @param kind   what the node computes
 * @param layer  its layer (0 for inputs, L+1 for targets and the loss)
 * @param unit   its unit, 0-based (0 for the loss)
 * @param symbol identifier-safe symbol used in expressions, e.g. {@code z2_0}, {@code o2_0}, {@code x_1}
 */
public record Node(Kind kind, int layer, int unit, String symbol) {

    /** The roles a node can play. */
    public enum Kind {
        /** an input x_k. */
        INPUT,
        /** a pre-activation z_{l,j} = Σ_k w_{jk} o_{l−1,k} + b_j. */
        PRE_ACTIVATION,
        /** an activation o_{l,j} = φ(z_{l,j}). */
        ACTIVATION,
        /** a target y_j. */
        TARGET,
        /** the loss L. */
        LOSS
    }

    /**
     * Input {@code x_k} (0-based k).
     *
     * @param unit k, 0-based
     * @return the input node
     */
    public static Node input(int unit) {
        return new Node(Kind.INPUT, 0, unit, "x_" + unit);
    }

    /**
     * Pre-activation {@code z_{layer,unit}}.
     *
     * @param layer the layer, 1-based
     * @param unit the unit, 0-based
     * @return the pre-activation node
     */
    public static Node preActivation(int layer, int unit) {
        return new Node(Kind.PRE_ACTIVATION, layer, unit, "z" + layer + "_" + unit);
    }

    /**
     * Activation {@code o_{layer,unit}}; layer 0 is the input.
     *
     * @param layer the layer, 0…L
     * @param unit the unit, 0-based
     * @return the activation node
     */
    public static Node activation(int layer, int unit) {
        return layer == 0 ? input(unit) : new Node(Kind.ACTIVATION, layer, unit, "o" + layer + "_" + unit);
    }

    /**
     * Target {@code y_j}.
     *
     * @param outputs the layer recorded for targets: L+1
     * @param unit j, 0-based
     * @return the target node
     */
    public static Node target(int outputs, int unit) {
        return new Node(Kind.TARGET, outputs, unit, "y_" + unit);
    }

    /**
     * Lecture notation in Unicode: {@code o₂} for a width-1 layer, {@code o₂,₁} otherwise (1-based unit);
     * inputs are {@code x₁}, targets {@code y₁}.
     *
     * @param widthOne whether the node's layer has one unit, so the unit index is left out
     * @return the name in Unicode
     */
    public String unicode(boolean widthOne) {
        String unitPart = Notation.subscript(unit + 1);
        return switch (kind) {
            case INPUT -> "x" + unitPart;
            case TARGET -> "y" + unitPart;
            case LOSS -> "L";
            case PRE_ACTIVATION -> "z" + Notation.subscript(layer) + (widthOne ? "" : "," + unitPart);
            case ACTIVATION -> "o" + Notation.subscript(layer) + (widthOne ? "" : "," + unitPart);
        };
    }

    /**
     * Lecture notation in LaTeX: {@code o_{2}} or {@code o_{2,1}}.
     *
     * @param widthOne whether the node's layer has one unit, so the unit index is left out
     * @return the name in LaTeX
     */
    public String latex(boolean widthOne) {
        int u = unit + 1;
        return switch (kind) {
            case INPUT -> "x_{" + u + "}";
            case TARGET -> "y_{" + u + "}";
            case LOSS -> "L";
            case PRE_ACTIVATION -> "z_{" + layer + (widthOne ? "" : "," + u) + "}";
            case ACTIVATION -> "o_{" + layer + (widthOne ? "" : "," + u) + "}";
        };
    }
}
