package io.chainproof.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model: a graph of ops over named, shaped tensors, the values of its parameters and data, and the tensor that
 * holds the (scalar) loss. Nodes are in evaluation order (every node's inputs are parameters, data, or outputs of
 * earlier nodes). The parameters are laid out flat, tensor after tensor in {@link #parameters()} order, each
 * row-major. Built by {@link ModelBuilder}; {@link Models#of} builds one from a spec. Instances are immutable.
 */
public final class Model {

    private final String name;
    private final String source;
    private final String kind;
    private final List<Tensor> tensors;
    private final List<Node> nodes;
    private final List<Parameter> parameters;
    private final Map<Integer, double[]> values;
    private final int loss;
    private final int samples;
    private final int parameterCount;
    private final List<GraphFault> faults;

    Model(String name, String source, String kind, List<Tensor> tensors, List<Node> nodes, List<Parameter> parameters,
          Map<Integer, double[]> values, int loss, int samples, List<GraphFault> faults) {
        this.name = name;
        this.source = source;
        this.kind = kind;
        this.tensors = List.copyOf(tensors);
        this.nodes = List.copyOf(nodes);
        this.parameters = List.copyOf(parameters);
        Map<Integer, double[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        this.values = Collections.unmodifiableMap(copy);
        this.loss = loss;
        this.samples = samples;
        this.parameterCount = parameters.stream().mapToInt(Parameter::size).sum();
        this.faults = List.copyOf(faults);
    }

    /** @return the model's name, for reports */
    public String name() {
        return name;
    }

    /** @return where the model came from (a file name), for messages */
    public String source() {
        return source;
    }

    /** @return what kind of spec it was built from, in words: {@code MLP}, {@code RNN}, {@code formula} */
    public String kind() {
        return kind;
    }

    /** @return every tensor; a node refers to them by index */
    public List<Tensor> tensors() {
        return tensors;
    }

    /**
     * @param index a tensor index
     * @return that tensor
     */
    public Tensor tensor(int index) {
        return tensors.get(index);
    }

    /**
     * The index of the tensor named {@code name}.
     *
     * @param name a tensor's name, e.g. {@code W1}, {@code h[1][3]}
     * @return its index
     * @throws IllegalArgumentException if the model has no such tensor
     */
    public int tensorIndex(String name) {
        for (int t = 0; t < tensors.size(); t++) {
            if (tensors.get(t).name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Model <" + this.name + "> has no tensor <" + name + ">");
    }

    /** @return the nodes in evaluation order */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the parameter tensors in layout order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return the multi-node mistakes its builder declared (an LSTM's gate order, …), for localisers */
    public List<GraphFault> faults() {
        return faults;
    }

    /** @return the index of the scalar loss tensor */
    public int loss() {
        return loss;
    }

    /** @return the number of samples the loss averages over */
    public int samples() {
        return samples;
    }

    /** @return the number of scalar parameters: the length of every flat parameter vector */
    public int parameterCount() {
        return parameterCount;
    }

    /**
     * The value of a parameter or data tensor as the spec gives it.
     *
     * @param tensor the index of a parameter or data tensor
     * @return a copy of its values, flat
     */
    public double[] value(int tensor) {
        double[] v = values.get(tensor);
        if (v == null) {
            throw new IllegalArgumentException("Tensor <" + tensors.get(tensor).name() + "> of model <" + name
                    + "> is computed, not given");
        }
        return v.clone();
    }

    /** @return the spec's parameter values in the flat layout (a fresh copy) */
    public double[] point() {
        double[] p = new double[parameterCount];
        for (Parameter q : parameters) {
            System.arraycopy(values.get(q.tensor()), 0, p, q.offset(), q.size());
        }
        return p;
    }

    /** @return every scalar parameter's name in layout order, e.g. {@code W1[0][0]}, …, {@code b2[0]} */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(parameterCount);
        for (Parameter q : parameters) {
            names.addAll(q.entryNames());
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * The parameter tensor that holds the flat entry {@code index}.
     *
     * @param index a flat index
     * @return its tensor
     */
    public Parameter parameterAt(int index) {
        for (Parameter q : parameters) {
            if (index >= q.offset() && index < q.offset() + q.size()) {
                return q;
            }
        }
        throw new IndexOutOfBoundsException("Flat index <" + index + "> is outside the <" + parameterCount
                + "> parameters of model <" + name + ">");
    }

    /**
     * A flat vector (θ or a gradient) as named tensors in the spec's layout: the layout of PyTorch's
     * {@code {name: p.grad}}.
     *
     * @param flat a vector of {@link #parameterCount()} entries
     * @return per parameter tensor, in order, a {@code Double}, {@code double[]} or {@code double[][]}
     */
    public Map<String, Object> tensors(double[] flat) {
        if (flat.length != parameterCount) {
            throw new IllegalArgumentException("Vector of length <" + flat.length + "> does not fit the <" + parameterCount
                    + "> parameters of model <" + name + ">");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Parameter q : parameters) {
            m.put(q.name(), q.shaped(flat));
        }
        return m;
    }

    @Override
    public String toString() {
        return kind + " model " + name + " (" + nodes.size() + " nodes, " + parameterCount + " parameters)";
    }
}
