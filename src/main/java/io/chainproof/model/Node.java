package io.chainproof.model;

import io.chainproof.ops.Op;

import java.util.Arrays;
import java.util.Objects;

/**
 * One application of an op: it reads tensors and writes one. Instances are immutable.
 *
 * @param op     the op
 * @param inputs the indices of the tensors it reads, in the op's order; copied
 * @param output the index of the tensor it writes
 * @param label  where the node sits, for people: {@code layer 2}, {@code step 3 of sample 1}
 * @param step   the time step of a recurrent network's node (1-based), or 0 for nodes outside a recurrence
 */
public record Node(Op op, int[] inputs, int output, String label, int step) {

    /**
     * Validates and copies the components.
     *
     * @param op     the op
     * @param inputs the tensors it reads
     * @param output the tensor it writes
     * @param label  where the node sits
     * @param step   the time step, or 0
     */
    public Node {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(label, "label");
        inputs = inputs.clone();
    }

    /** @return the indices of the tensors the node reads (a copy) */
    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    /**
     * @param i the position among the inputs
     * @return the index of the i-th tensor read
     */
    public int input(int i) {
        return inputs[i];
    }

    /** @return how many tensors the node reads */
    public int inputCount() {
        return inputs.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && n.op.equals(op) && Arrays.equals(n.inputs, inputs) && n.output == output
                && n.label.equals(label) && n.step == step;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, Arrays.hashCode(inputs), output, label, step);
    }

    @Override
    public String toString() {
        return label + ": " + op;
    }
}
