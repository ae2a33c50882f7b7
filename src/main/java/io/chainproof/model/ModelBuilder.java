package io.chainproof.model;

import io.chainproof.ops.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Model} node by node; every tensor a node reads must exist when the node is added, which keeps
 * the nodes in evaluation order. Not thread-safe; one builder per model.
 */
public final class ModelBuilder {

    private final String name;
    private final String source;
    private final String kind;
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<Integer, double[]> values = new LinkedHashMap<>();
    private final Map<Integer, Integer> sizes = new HashMap<>();
    private final List<GraphFault> faults = new ArrayList<>();
    private int offset;

    /**
     * @param name   the model's name
     * @param source where it came from
     * @param kind   the kind of spec in words ({@code MLP}, {@code RNN}, {@code formula})
     */
    public ModelBuilder(String name, String source, String kind) {
        this.name = name;
        this.source = source;
        this.kind = kind;
    }

    /**
     * Adds a parameter tensor; the flat layout follows the order of these calls.
     *
     * @param tensorName the tensor's name
     * @param shape      its shape
     * @param value      its values, flat; copied
     * @param indexBase  0 or 1, how its entries' indices are written
     * @return the tensor's index
     */
    public int parameter(String tensorName, Shape shape, double[] value, int indexBase) {
        int t = tensor(tensorName, shape, Tensor.Role.PARAMETER, value);
        parameters.add(new Parameter(t, tensorName, shape, offset, indexBase));
        offset += shape.size();
        return t;
    }

    /**
     * Adds a data tensor: inputs, targets, an initial state.
     *
     * @param tensorName the tensor's name
     * @param shape      its shape
     * @param value      its values, flat; copied
     * @return the tensor's index
     */
    public int data(String tensorName, Shape shape, double[] value) {
        return tensor(tensorName, shape, Tensor.Role.DATA, value);
    }

    /**
     * Adds a node writing a new tensor.
     *
     * @param op         the op
     * @param outputName the name of the tensor it writes
     * @param shape      that tensor's shape; its size must be the op's output size
     * @param label      where the node sits, for people
     * @param step       the time step (1-based), or 0
     * @param inputs     the tensors it reads, in the op's order
     * @return the index of the tensor written
     */
    public int node(Op op, String outputName, Shape shape, String label, int step, int... inputs) {
        if (shape.size() != op.outputSize()) {
            throw new IllegalArgumentException("Op <" + op + "> writes " + op.outputSize() + " entries but tensor <"
                    + outputName + "> has shape " + shape);
        }
        for (int i : inputs) {
            if (i < 0 || i >= tensors.size()) {
                throw new IllegalArgumentException("Node <" + label + "> reads tensor <" + i + ">, which does not exist yet");
            }
        }
        int t = tensor(outputName, shape, Tensor.Role.INTERMEDIATE, null);
        nodes.add(new Node(op, inputs, t, label, step));
        return t;
    }

    /**
     * Declares a classic mistake spanning several nodes, for localisers to test.
     *
     * @param fault the fault; its nodes must exist by {@link #build}
     */
    public void fault(GraphFault fault) {
        faults.add(fault);
    }

    private int tensor(String tensorName, Shape shape, Tensor.Role role, double[] value) {
        if (!names.add(tensorName)) {
            throw new IllegalArgumentException("Tensor <" + tensorName + "> is already in model <" + name + ">");
        }
        if (value != null && value.length != shape.size()) {
            throw new IllegalArgumentException("Tensor <" + tensorName + "> of shape " + shape + " given "
                    + value.length + " values");
        }
        tensors.add(new Tensor(tensorName, shape, role));
        int t = tensors.size() - 1;
        if (value != null) {
            values.put(t, value.clone());
        }
        sizes.put(t, shape.size());
        return t;
    }

    /**
     * The model, with {@code loss} as its loss.
     *
     * @param loss    the index of a scalar tensor written by a node
     * @param samples the number of samples the loss averages over
     * @return the model
     */
    public Model build(int loss, int samples) {
        if (sizes.get(loss) != 1 || tensors.get(loss).role() != Tensor.Role.INTERMEDIATE) {
            throw new IllegalArgumentException("Loss tensor <" + tensors.get(loss).name() + "> must be a computed scalar");
        }
        return new Model(name, source, kind, tensors, nodes, parameters, values, loss, samples, faults);
    }
}
