package io.chainproof.graph;

import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The computation graph of an MLP spec: named nodes per sample (inputs x, pre-activations z, activations
 * o, targets y, loss L) and the flat parameter layout shared by every evaluator.
 *
 * <p>Layer l computes {@code z_l = W_l·o_{l−1} + b_l}, {@code o_l = φ_l(z_l)} with {@code o_0 = x}; the
 * loss is the mean over samples of the per-sample loss of {@code o_L} against {@code y}. Parameters are
 * laid out flat in the order W1 (row-major), b1, W2, b2, …; {@link #offset(ParameterId)} gives a
 * parameter's index. Instances are immutable.
 */
public final class ComputationGraph {

    private final NetworkSpec spec;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int size;
    /** The parameters, computed from their index on demand: a million-parameter network holds no million objects. */
    private final List<ParameterId> parameters = new Layout();
    private final List<String> names = new Names();

    private ComputationGraph(NetworkSpec spec) {
        this.spec = spec;
        int layers = spec.layers().size();
        this.weightOffsets = new int[layers + 2];
        this.biasOffsets = new int[layers + 1];
        long next = 0;
        for (int l = 1; l <= layers; l++) {
            weightOffsets[l] = (int) next;
            next += (long) units(l) * units(l - 1);
            biasOffsets[l] = (int) next;
            next += units(l);
            if (next > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Network <" + spec.name() + "> has more than " + (Integer.MAX_VALUE - 8)
                        + " parameters by layer " + l + "; a flat parameter array cannot hold them");
            }
        }
        weightOffsets[layers + 1] = (int) next;
        this.size = (int) next;
    }

    /**
     * The layer of the parameter at a flat index, without building its {@link ParameterId}.
     *
     * @param index a flat parameter index
     * @return its layer, 1…L
     * @throws IndexOutOfBoundsException if no parameter has that index
     */
    public int layerOf(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Index <" + index + "> is outside the " + size + " parameters of network <"
                    + spec.name() + ">");
        }
        int lo = 1;
        int hi = layerCount();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (weightOffsets[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The parameter at flat index i: its layer, then row and column. */
    private ParameterId at(int i) {
        int l = layerOf(i);
        if (i >= biasOffsets[l]) {
            return ParameterId.bias(l, i - biasOffsets[l]);
        }
        int in = units(l - 1);
        int r = i - weightOffsets[l];
        return ParameterId.weight(l, r / in, r % in);
    }

    /** The flat layout as a list. */
    private final class Layout extends java.util.AbstractList<ParameterId> implements java.util.RandomAccess {
        @Override
        public ParameterId get(int index) {
            return at(index);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int indexOf(Object o) {
            return o instanceof ParameterId id && ComputationGraph.this.contains(id) ? offset(id) : -1;
        }

        @Override
        public int lastIndexOf(Object o) {
            return indexOf(o);
        }

        @Override
        public boolean contains(Object o) {
            return indexOf(o) >= 0;
        }
    }

    /** The names of the layout, computed on demand. */
    private final class Names extends java.util.AbstractList<String> implements java.util.RandomAccess {
        @Override
        public String get(int index) {
            return at(index).name();
        }

        @Override
        public int size() {
            return size;
        }
    }

    /**
     * The graph of {@code spec}.
     *
     * @param spec the network, with its parameters and data
     * @return the graph; its layout of parameters is fixed here
     */
    public static ComputationGraph of(NetworkSpec spec) {
        return new ComputationGraph(spec);
    }

    /**
     * The network this graph was built from.
     *
     * @return the spec
     */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Number of layers L (the input layer not counted).
     *
     * @return L; ≥ 1
     */
    public int layerCount() {
        return spec.layers().size();
    }

    /**
     * Units of layer l; layer 0 is the input.
     *
     * @param layer the layer, 0…L
     * @return the number of units of that layer
     */
    public int units(int layer) {
        return layer == 0 ? spec.inputs() : spec.layers().get(layer - 1).units();
    }

    /**
     * The spec of layer l (1-based).
     *
     * @param layer the layer, 1…L
     * @return its spec: units and activation
     */
    public LayerSpec layer(int layer) {
        return spec.layers().get(layer - 1);
    }

    /**
     * Every scalar parameter's name in flat order ({@code W1[0][0]}, …), each computed when asked for.
     *
     * @return the names; unmodifiable
     */
    public List<String> parameterNames() {
        return names;
    }

    /**
     * Every scalar parameter in flat order.
     *
     * @return the parameters W1, b1, W2, … each row by row; unmodifiable
     */
    public List<ParameterId> parameters() {
        return parameters;
    }

    /**
     * The flat index of {@code id}.
     *
     * @param id a parameter of this network
     * @return its index in the flat parameter array
     */
    public int offset(ParameterId id) {
        if (!contains(id)) {
            throw new IllegalArgumentException("Parameter <" + id.name() + "> is not in network <" + spec.name()
                    + ">; its parameters run from " + parameters.get(0).name() + " to "
                    + parameters.get(parameters.size() - 1).name());
        }
        return id.kind() == ParameterId.Kind.WEIGHT ? weightOffsets[id.layer()] + id.row() * units(id.layer() - 1)
                + id.column() : biasOffsets[id.layer()] + id.row();
    }

    /**
     * Whether {@code id} names a parameter of this network.
     *
     * @param id any parameter name
     * @return true if its layer, row and column exist here
     */
    public boolean contains(ParameterId id) {
        return id.layer() >= 1 && id.layer() <= layerCount() && id.row() >= 0 && id.row() < units(id.layer())
                && (id.kind() == ParameterId.Kind.BIAS || id.column() >= 0 && id.column() < units(id.layer() - 1));
    }

    /**
     * Flat index of {@code W_l[0][0]}.
     *
     * @param layer the layer, 1…L
     * @return the flat index of the layer's first weight
     */
    public int weightOffset(int layer) {
        return weightOffsets[layer];
    }

    /**
     * Flat index of {@code b_l[0]}.
     *
     * @param layer the layer, 1…L
     * @return the flat index of the layer's first bias
     */
    public int biasOffset(int layer) {
        return biasOffsets[layer];
    }

    /**
     * The spec's parameter values, flat.
     *
     * @return a fresh array, in flat parameter order
     */
    public double[] parameterValues() {
        return flatten(spec.parameters().weights(), spec.parameters().biases());
    }

    /**
     * Per-layer tensors (W_l as [units_l][units_{l−1}], b_l as [units_l]) laid out flat like the parameters.
     *
     * @param weights W_l per layer, l = 1…L
     * @param biases b_l per layer, l = 1…L
     * @return a fresh array, in flat parameter order
     */
    public double[] flatten(List<double[][]> weights, List<double[]> biases) {
        double[] p = new double[size];
        for (int l = 1; l <= layerCount(); l++) {
            double[][] w = weights.get(l - 1);
            int in = units(l - 1);
            for (int j = 0; j < w.length; j++) {
                System.arraycopy(w[j], 0, p, weightOffsets[l] + j * in, in);
            }
            double[] b = biases.get(l - 1);
            System.arraycopy(b, 0, p, biasOffsets[l], b.length);
        }
        return p;
    }

    /**
     * Nodes of one sample in topological order: inputs, then z and o per layer, then targets.
     *
     * @return the nodes; unmodifiable
     */
    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (int k = 0; k < spec.inputs(); k++) {
            nodes.add(Node.input(k));
        }
        for (int l = 1; l <= layerCount(); l++) {
            for (int j = 0; j < units(l); j++) {
                nodes.add(Node.preActivation(l, j));
            }
            for (int j = 0; j < units(l); j++) {
                nodes.add(Node.activation(l, j));
            }
        }
        for (int j = 0; j < units(layerCount()); j++) {
            nodes.add(Node.target(layerCount() + 1, j));
        }
        return List.copyOf(nodes);
    }

    /**
     * Whether every layer (and the input) has one unit: the lecture's scalar chain.
     *
     * @return true for a width-1 chain
     */
    public boolean isScalarChain() {
        for (int l = 0; l <= layerCount(); l++) {
            if (units(l) != 1) {
                return false;
            }
        }
        return true;
    }
}
