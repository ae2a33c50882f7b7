package io.chainproof.model;

import io.chainproof.ops.OpFault;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A classic mistake that spans several nodes of a graph — a layer's whole backward pass, or the model another
 * library actually computed — declared by the builder that knows the layer's structure, so that a localiser can
 * test it as a hypothesis without knowing what an LSTM is. Two kinds:
 * <ul>
 *   <li>a <b>variant</b>: the gradient is the true gradient of another model with the same parameter layout (an
 *       LSTM whose stacked weights hold the gates in TensorFlow's order, a GRU that resets before {@code W_hn});</li>
 *   <li>a <b>backward</b> fault: the reverse walk of this model in which some nodes use another backward rule
 *       ({@code rules}) or pass an input's gradient to another tensor than that input ({@code targets}: the
 *       gradient of a cell's h sent to its c).</li>
 * </ul>
 * Maps are keyed by the tensor a node writes. Instances are immutable (the maps are copied).
 *
 * @param name        the fault's name, as {@code io.chainproof.check.Localisation.Fault} names it
 * @param description what went wrong and where, in words, complete
 * @param variant     the other model (built on demand), or null for a backward fault
 * @param rules       per node (by the tensor it writes), the wrong backward rule; empty for a variant
 * @param targets     per node (by the tensor it writes), the tensor each input's gradient goes to (−1: nowhere, the
 *                    input detached); empty for a variant
 * @param factor      the fault's parameter where it has one (the steps a truncation keeps), else 1
 */
public record GraphFault(String name, String description, Supplier<Model> variant, Map<Integer, OpFault.Rule> rules,
                         Map<Integer, int[]> targets, double factor) {

    /**
     * Validates and copies the components.
     *
     * @param name        the fault's name
     * @param description what went wrong
     * @param variant     the other model, or null
     * @param rules       wrong backward rules per node
     * @param targets     redirected input gradients per node
     * @param factor      the fault's parameter, or 1
     */
    public GraphFault {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        rules = Map.copyOf(rules);
        targets = Map.copyOf(targets);
        if ((variant == null) == (rules.isEmpty() && targets.isEmpty())) {
            throw new IllegalArgumentException("Fault <" + name + "> must be either a variant model or a backward fault");
        }
    }

    /**
     * A fault whose gradient is another model's.
     *
     * @param name        the fault's name
     * @param description what went wrong
     * @param variant     builds the other model, with this model's parameter layout
     * @return the fault
     */
    public static GraphFault variant(String name, String description, Supplier<Model> variant) {
        return new GraphFault(name, description, Objects.requireNonNull(variant, "variant"), Map.of(), Map.of(), 1);
    }

    /**
     * A fault in this model's backward pass.
     *
     * @param name        the fault's name
     * @param description what went wrong
     * @param rules       per node, the wrong backward rule
     * @param targets     per node, where its inputs' gradients go
     * @return the fault
     */
    public static GraphFault backward(String name, String description, Map<Integer, OpFault.Rule> rules,
                                      Map<Integer, int[]> targets) {
        return new GraphFault(name, description, null, rules, targets, 1);
    }

    /**
     * A backward fault with a parameter.
     *
     * @param name        the fault's name
     * @param description what went wrong
     * @param targets     per node, where its inputs' gradients go (−1: dropped)
     * @param factor      the fault's parameter (the steps a truncation keeps)
     * @return the fault
     */
    public static GraphFault backward(String name, String description, Map<Integer, int[]> targets, double factor) {
        return new GraphFault(name, description, null, Map.of(), targets, factor);
    }
}
