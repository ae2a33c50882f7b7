package io.chainproof.model;

import io.chainproof.ops.Activation;
import io.chainproof.ops.Activations;
import io.chainproof.ops.Add;
import io.chainproof.ops.Attention;
import io.chainproof.ops.Gather;
import io.chainproof.ops.OpFault;
import io.chainproof.ops.Pairwise;
import io.chainproof.ops.Conv;
import io.chainproof.ops.Dense;
import io.chainproof.ops.Embedding;
import io.chainproof.ops.LossTerm;
import io.chainproof.ops.Losses;
import io.chainproof.ops.Normalization;
import io.chainproof.ops.OutputLoss;
import io.chainproof.ops.Pool;
import io.chainproof.ops.Residual;
import io.chainproof.ops.Window;
import io.chainproof.spec.LayeredSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the op graph of a {@link LayeredSpec}: every layer becomes its op over the whole batch
 * ({@code [N][sample shape…]}, row-major), followed by its activation; a residual block is its layers and a
 * {@link Residual} sum with the block's input; flatten only renames the shape; the last layer's activation is fused with the
 * loss ({@link OutputLoss}, over rows of the final output's last axis, weighted so that the loss is the mean over
 * samples of each sample's loss over all its entries).
 */
final class LayeredModels {

    private final LayeredSpec spec;
    private final ModelBuilder b;
    private final int samples;
    private final Map<String, Integer> parameters = new HashMap<>();
    /** The gate blocks of the recurrent layer being built. */
    private int gatesOf;
    /** How the model differs from the spec's (another library's reading of it), or null. */
    private final Variant variant;
    /** The longest chunk of truncated BPTT declared as a fault, in steps (each is one reverse walk to test). */
    private static final int MAX_CHUNK = 128;
    /** Per recurrent layer, per step, the nodes reading the previous step's state: {node, input, its inputs…}. */
    private final List<List<List<int[]>>> chunked = new java.util.ArrayList<>();
    private final List<LayeredSpec.Recurrent> chunkedLayers = new java.util.ArrayList<>();

    private LayeredModels(LayeredSpec spec, Variant variant) {
        this.spec = spec;
        this.variant = variant;
        this.b = new ModelBuilder(spec.name(), spec.source(), "layered");
        this.samples = spec.samples();
    }

    static Model of(LayeredSpec spec) {
        return new LayeredModels(spec, null).build();
    }

    /**
     * The spec as another library reads it, in one recurrent layer: the gate blocks of its stacked weights in
     * another order ({@code order[k]} is the block gate k is read from), or a GRU applying r before {@code W_hn}.
     */
    private record Variant(String position, int[] order, boolean resetBefore) {
    }

    /** PyTorch's gate letters and other libraries' names for their orders of them. */
    private static final Map<String, String> LSTM_ORDERS = Map.of(
            "i, g, f, o", "TensorFlow's i, j, f, o",
            "i, f, o, g", "Caffe's i, f, o, g",
            "i, o, f, g", "ONNX's i, o, f, c");
    private static final Map<String, String> GRU_ORDERS = Map.of("z, r, n", "Keras' and ONNX's z, r, h");

    /**
     * Declares the recurrent layer's classic multi-node mistakes: every other gate order; for an LSTM the forget
     * path through c missing from BPTT and the h and c gradients swapped between steps; for a GRU, r applied before
     * {@code W_hn}.
     */
    private void declareFaults(LayeredSpec.Recurrent r, int steps, List<Integer> forgetProducts,
                               Map<Integer, int[]> swapped) {
        if (variant != null) {
            return;
        }
        String p = r.position();
        String where = "layer " + p + " (" + r.type() + ")";
        if (r.cell() != LayeredSpec.Recurrent.Cell.RNN) {
            String letters = r.cell() == LayeredSpec.Recurrent.Cell.LSTM ? "ifgo" : "rzn";
            Map<String, String> known = r.cell() == LayeredSpec.Recurrent.Cell.LSTM ? LSTM_ORDERS : GRU_ORDERS;
            for (int[] order : permutations(letters.length())) {
                if (java.util.stream.IntStream.range(0, order.length).allMatch(k -> order[k] == k)) {
                    continue;
                }
                char[] layout = new char[order.length];
                for (int k = 0; k < order.length; k++) {
                    layout[order[k]] = letters.charAt(k);
                }
                String stacked = spaced(new String(layout));
                String named = known.containsKey(stacked) ? " (" + known.get(stacked) + ")" : "";
                Variant v = new Variant(p, order, false);
                b.fault(GraphFault.variant("GATES_PERMUTED", where + ": the gradients are those of a layer whose "
                        + "stacked weights hold the gates in the order " + stacked + named + ", while the spec, like "
                        + "PyTorch, stacks them " + spaced(letters) + ": the rows of W_ih" + p + ", W_hh" + p + ", b_ih"
                        + p + " and b_hh" + p + " are read in another layout", () -> new LayeredModels(spec, v).build()));
            }
        }
        if (r.cell() == LayeredSpec.Recurrent.Cell.GRU) {
            Variant v = new Variant(p, new int[] {0, 1, 2}, true);
            b.fault(GraphFault.variant("GRU_RESET_BEFORE_MATMUL", where + ": the gradients are those of a GRU that "
                    + "applies the reset gate before W_hn, n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn) (Cho et al. "
                    + "2014; Keras with reset_after=False), while the spec, like PyTorch, applies it after: "
                    + "r ⊙ (W_hn h + b_hn)", () -> new LayeredModels(spec, v).build()));
        }
        if (r.cell() == LayeredSpec.Recurrent.Cell.LSTM && steps > 1) {
            Map<Integer, OpFault.Rule> rules = new HashMap<>();
            // f ⊙ c_{t−1}: the gradient reaches f but not the previous cell state
            OpFault.Rule forgetOnly = (inputs, output, g, grads, local) -> {
                double[] c = inputs.get(1);
                double[] df = grads.get(0);
                if (df != null) {
                    for (int i = 0; i < g.length; i++) {
                        df[i] += g[i] * c[i];
                    }
                }
            };
            forgetProducts.forEach(node -> rules.put(node, forgetOnly));
            b.fault(GraphFault.backward("FORGET_PATH_MISSING", where + ": backpropagation through time leaves out "
                    + "the cell-state path: ∂L/∂c_{t−1} must receive ∂L/∂c_t ⊙ f_t (the constant-error carousel), "
                    + "but only the path through h_{t−1} is followed", rules, Map.of()));
            b.fault(GraphFault.backward("HIDDEN_CELL_GRADIENTS_SWAPPED", where + ": the gradients passed back to "
                    + "the previous step are swapped: ∂L/∂h_{t−1} receives ∂L/∂c_t ⊙ f_t and ∂L/∂c_{t−1} receives "
                    + "W_hhᵀ ∂L/∂gates_t", Map.of(), swapped));
        }
    }

    /**
     * Truncated backpropagation through time in chunks: every recurrent layer's state detached after every k steps
     * (k = 1 … min(T − 1, 128)), as a training loop that carries the states across batches of k steps does; each output's
     * gradient reaches back to the start of its chunk only.
     */
    private void declareChunks() {
        int steps = chunked.stream().mapToInt(List::size).max().orElse(0);
        if (variant != null) {
            return;
        }
        String layers = chunkedLayers.stream().map(r -> "layer " + r.position() + " (" + r.type() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        boolean cell = chunkedLayers.stream().anyMatch(r -> r.cell() == LayeredSpec.Recurrent.Cell.LSTM);
        for (int k = 1; k < Math.min(steps, MAX_CHUNK + 1); k++) {
            Map<Integer, int[]> targets = new HashMap<>();
            for (List<List<int[]>> readers : chunked) {
                for (int t = k; t < readers.size(); t += k) { // step t + 1 reads the state after step t: detached
                    for (int[] reader : readers.get(t)) {
                        int[] to = Arrays.copyOfRange(reader, 2, reader.length);
                        to[reader[1]] = -1;
                        targets.put(reader[0], to);
                    }
                }
            }
            b.fault(GraphFault.backward("TRUNCATED_BPTT", layers + ": the state is detached every " + k
                    + (k == 1 ? " step" : " steps") + " — backpropagation through time truncated in chunks of " + k
                    + ", so each output's gradient stops at the start of its chunk (the path through h"
                    + (cell ? " and c" : "") + " must be followed back to the first step)", targets, k));
        }
    }

    private static String spaced(String letters) {
        return String.join(", ", letters.split(""));
    }

    private static List<int[]> permutations(int n) {
        List<int[]> out = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] prefix, boolean[] used, int k, List<int[]> out) {
        if (k == prefix.length) {
            out.add(prefix.clone());
            return;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (!used[j]) {
                used[j] = true;
                prefix[k] = j;
                permute(prefix, used, k + 1, out);
                used[j] = false;
            }
        }
    }

    /** A tensor of the graph and the shape of one sample of it. */
    private record Value(int tensor, int[] shape) {
        int size() {
            return Arrays.stream(shape).reduce(1, (a, c) -> a * c);
        }

        int last() {
            return shape[shape.length - 1];
        }
    }

    private Model build() {
        for (Map.Entry<String, LayeredSpec.Weights> e : spec.parameters().entrySet()) {
            parameters.put(e.getKey(), b.parameter(e.getKey(), Shape.of(e.getValue().shape()), e.getValue().values(), 0));
        }
        List<LayeredSpec.Layer> layers = spec.layers();
        Value v;
        int first = 0;
        if (layers.get(0) instanceof LayeredSpec.Embedding e) {
            double[][] x = spec.x();
            int steps = x[0].length;
            int[] ids = new int[samples * steps];
            for (int s = 0; s < samples; s++) {
                for (int t = 0; t < steps; t++) {
                    ids[s * steps + t] = (int) x[s][t];
                }
            }
            v = new Value(b.node(new Embedding(ids, e.vocabulary(), e.dim()), "z" + e.position(),
                    batch(steps, e.dim()), "layer " + e.position(), 0, parameters.get("E" + e.position())),
                    new int[] {steps, e.dim()});
            v = activate(e, v, layers.size() == 1);
            first = 1;
        } else {
            v = new Value(b.data("x", batch(spec.inputShape()), flat(spec.x())), spec.inputShape());
        }
        for (int i = first; i < layers.size(); i++) {
            v = layer(layers.get(i), v, i == layers.size() - 1);
        }
        int[] out = v.shape();
        int width = v.last();
        int rowsPerSample = v.size() / width;
        int y = b.data("y", batch(out), flat(spec.y()));
        LossTerm term = Losses.of(spec.loss());
        double weight = term.meanOverOutputs() ? 1.0 / ((double) samples * rowsPerSample) : 1.0 / samples;
        int loss = b.node(new OutputLoss(term, spec.outputActivation(), samples * rowsPerSample, width, weight), "L",
                Shape.SCALAR, "loss", 0, v.tensor(), y);
        declareChunks();
        return b.build(loss, samples);
    }

    /** One layer and its activation (left to the loss when {@code last}). */
    private Value layer(LayeredSpec.Layer layer, Value in, boolean last) {
        String p = layer.position();
        String label = "layer " + p;
        int[] outShape = LayeredSpec.shapeAfter(layer, in.shape());
        Value out;
        if (layer instanceof LayeredSpec.Dense d) {
            int rows = samples * (in.size() / in.last());
            out = new Value(b.node(new Dense(rows, in.last(), d.units(), true), "z" + p, batch(outShape), label, 0,
                    in.tensor(), parameters.get("W" + p), parameters.get("b" + p)), outShape);
        } else if (layer instanceof LayeredSpec.Conv c) {
            Window window = new Window(spatial(in.shape()), c.kernel(), c.stride(), c.padding(), c.dilation());
            out = new Value(b.node(new Conv(samples, in.shape()[0], c.channels(), window), "z" + p, batch(outShape),
                    label, 0, in.tensor(), parameters.get("W" + p), parameters.get("b" + p)), outShape);
        } else if (layer instanceof LayeredSpec.Pool pool) {
            int[] zeros = new int[pool.axes()];
            int[] ones = new int[pool.axes()];
            Arrays.fill(ones, 1);
            Window window = new Window(spatial(in.shape()), pool.kernel(), pool.stride(), zeros, ones);
            out = new Value(b.node(new Pool(pool.max() ? Pool.Kind.MAX : Pool.Kind.AVG, samples, in.shape()[0], window),
                    "z" + p, batch(outShape), label, 0, in.tensor()), outShape);
        } else if (layer instanceof LayeredSpec.Flatten) {
            out = new Value(in.tensor(), outShape);
        } else if (layer instanceof LayeredSpec.Norm n) {
            Normalization op = n.batch()
                    ? Normalization.batchNorm(samples, in.shape()[0], in.size() / in.shape()[0], n.eps())
                    : Normalization.layerNorm(samples * (in.size() / in.last()), in.last(), n.eps());
            out = new Value(b.node(op, "z" + p, batch(outShape), label, 0, in.tensor(), parameters.get("gamma" + p),
                    parameters.get("beta" + p)), outShape);
        } else if (layer instanceof LayeredSpec.Residual r) {
            Value inner = in;
            for (LayeredSpec.Layer l : r.layers()) {
                inner = layer(l, inner, false);
            }
            out = new Value(b.node(new Residual(samples * in.size()), "z" + p, batch(outShape), label, 0, in.tensor(),
                    inner.tensor()), outShape);
        } else if (layer instanceof LayeredSpec.Recurrent r) {
            out = new Value(recurrent(r, in, label, outShape), outShape);
        } else if (layer instanceof LayeredSpec.Attention a) {
            int steps = in.shape()[0];
            int width = in.shape()[1];
            int rows = samples * steps;
            int qkv = b.node(new Dense(rows, width, 3 * width, true), "qkv" + p, batch(steps, 3 * width), label, 0,
                    in.tensor(), parameters.get("W_in" + p), parameters.get("b_in" + p));
            int heads = b.node(new Attention(samples, steps, width, a.heads(), a.causal()), "heads" + p,
                    batch(steps, width), label, 0, qkv);
            out = new Value(b.node(new Dense(rows, width, width, true), "z" + p, batch(outShape), label, 0, heads,
                    parameters.get("W_out" + p), parameters.get("b_out" + p)), outShape);
        } else {
            throw new IllegalStateException("layer " + p + " (" + layer.type() + ") is not allowed here; the reader "
                    + "admits an embedding only first");
        }
        return activate(layer, out, last);
    }

    /**
     * A recurrent layer unrolled over its T steps, all samples at once (rows n of {@code [N][…]}): per step the
     * step's input is gathered from the sequence, the gates are {@code W_ih x_t + b_ih} plus {@code W_hh h + b_hh}
     * (two dense ops, as PyTorch adds them), and the cell's equations follow in products, sums and activations;
     * the steps' hidden states are stacked into the output sequence, or the last one is the output.
     */
    private int recurrent(LayeredSpec.Recurrent r, Value in, String label, int[] outShape) {
        String p = r.position();
        int steps = in.shape()[0];
        int features = in.shape()[1];
        int hidden = r.hidden();
        int stacked = r.cell().gates() * hidden;
        gatesOf = r.cell().gates();
        int size = samples * hidden;
        int wih = parameters.get("W_ih" + p);
        int whh = parameters.get("W_hh" + p);
        int bih = parameters.get("b_ih" + p);
        int bhh = parameters.get("b_hh" + p);
        int h = b.data("h0_" + p, batch(hidden), new double[size]);
        int c = r.cell() == LayeredSpec.Recurrent.Cell.LSTM ? b.data("c0_" + p, batch(hidden), new double[size]) : -1;
        int[] states = new int[steps];
        List<Integer> forgetProducts = new java.util.ArrayList<>();
        Map<Integer, int[]> swapped = new HashMap<>();
        // per step, the nodes reading the previous step's state: {node, input index, the node's inputs…}
        List<List<int[]>> readers = new java.util.ArrayList<>();
        for (int t = 0; t < steps; t++) {
            String at = p + "[" + (t + 1) + "]";
            int[] source = new int[samples * features];
            int[] index = new int[samples * features];
            for (int n = 0; n < samples; n++) {
                for (int f = 0; f < features; f++) {
                    index[n * features + f] = (n * steps + t) * features + f;
                }
            }
            int x = b.node(new Gather("step", new int[] {samples * steps * features}, source, index), "x" + at,
                    batch(features), label, t + 1, in.tensor());
            int gi = b.node(new Dense(samples, features, stacked, true), "gi" + at, batch(stacked), label, t + 1, x,
                    wih, bih);
            int gh = b.node(new Dense(samples, hidden, stacked, true), "gh" + at, batch(stacked), label, t + 1, h,
                    whh, bhh);
            List<int[]> reading = new java.util.ArrayList<>();
            readers.add(reading);
            reading.add(new int[] {gh, 0, h, whh, bhh});
            switch (r.cell()) {
                case RNN -> {
                    int z = b.node(new Add(size, 2), "z" + at, batch(hidden), label, t + 1, gi, gh);
                    h = b.node(Activations.of(r.nonlinearity(), size, hidden), "h" + at, batch(hidden), label, t + 1, z);
                }
                case LSTM -> {
                    int gates = b.node(new Add(samples * stacked, 2), "gates" + at, batch(stacked), label, t + 1, gi, gh);
                    int i = gate(gates, block(r, 0), hidden, Activation.SIGMOID, "i" + at, label, t + 1);
                    int f = gate(gates, block(r, 1), hidden, Activation.SIGMOID, "f" + at, label, t + 1);
                    int g = gate(gates, block(r, 2), hidden, Activation.TANH, "g" + at, label, t + 1);
                    int o = gate(gates, block(r, 3), hidden, Activation.SIGMOID, "o" + at, label, t + 1);
                    int kept = b.node(Pairwise.product(size), "f⊙c" + at, batch(hidden), label, t + 1, f, c);
                    forgetProducts.add(kept);
                    reading.add(new int[] {kept, 1, f, c});
                    if (t > 0) { // the swap: h_{t−1}'s gradient from the gates goes to c_{t−1}, and c's to h
                        swapped.put(gh, new int[] {c, whh, bhh});
                        swapped.put(kept, new int[] {f, h});
                    }
                    int added = b.node(Pairwise.product(size), "i⊙g" + at, batch(hidden), label, t + 1, i, g);
                    c = b.node(new Add(size, 2), "c" + at, batch(hidden), label, t + 1, kept, added);
                    int squashed = b.node(Activations.of(Activation.TANH, size, hidden), "tanh(c)" + at, batch(hidden),
                            label, t + 1, c);
                    h = b.node(Pairwise.product(size), "h" + at, batch(hidden), label, t + 1, o, squashed);
                }
                case GRU -> {
                    int rs = b.node(new Add(size, 2), "r_in" + at, batch(hidden), label, t + 1,
                            slice(gi, block(r, 0), hidden, "gi_r" + at, label, t + 1),
                            slice(gh, block(r, 0), hidden, "gh_r" + at, label, t + 1));
                    int reset = b.node(Activations.of(Activation.SIGMOID, size, hidden), "r" + at, batch(hidden), label,
                            t + 1, rs);
                    int zs = b.node(new Add(size, 2), "z_in" + at, batch(hidden), label, t + 1,
                            slice(gi, block(r, 1), hidden, "gi_z" + at, label, t + 1),
                            slice(gh, block(r, 1), hidden, "gh_z" + at, label, t + 1));
                    int update = b.node(Activations.of(Activation.SIGMOID, size, hidden), "z" + at, batch(hidden), label,
                            t + 1, zs);
                    int hn;
                    if (resetBefore(r)) { // Cho et al.'s GRU: W_hn (r ⊙ h) + b_hn (gh's n block goes unused)
                        int rh = b.node(Pairwise.product(size), "r⊙h" + at, batch(hidden), label, t + 1, reset, h);
                        int ghr = b.node(new Dense(samples, hidden, stacked, true), "gh_r⊙h" + at, batch(stacked), label,
                                t + 1, rh, whh, bhh);
                        hn = slice(ghr, block(r, 2), hidden, "gh_n" + at, label, t + 1);
                    } else {
                        hn = b.node(Pairwise.product(size), "r⊙gh_n" + at, batch(hidden), label, t + 1, reset,
                                slice(gh, block(r, 2), hidden, "gh_n" + at, label, t + 1));
                    }
                    int ns = b.node(new Add(size, 2), "n_in" + at, batch(hidden), label, t + 1,
                            slice(gi, block(r, 2), hidden, "gi_n" + at, label, t + 1), hn);
                    int n = b.node(Activations.of(Activation.TANH, size, hidden), "n" + at, batch(hidden), label, t + 1,
                            ns);
                    // PyTorch's GRU cell: h' = (h − n) ⊙ z + n
                    int diff = b.node(Pairwise.difference(size), "h−n" + at, batch(hidden), label, t + 1, h, n);
                    reading.add(new int[] {diff, 0, h, n});
                    int scaled = b.node(Pairwise.product(size), "(h−n)⊙z" + at, batch(hidden), label, t + 1, diff, update);
                    h = b.node(new Add(size, 2), "h" + at, batch(hidden), label, t + 1, scaled, n);
                }
                default -> throw new IllegalStateException("cell " + r.cell());
            }
            states[t] = h;
        }
        declareFaults(r, steps, forgetProducts, swapped);
        chunked.add(readers);
        chunkedLayers.add(r);
        if (!r.sequence()) {
            return h;
        }
        int[] sizes = new int[steps];
        java.util.Arrays.fill(sizes, size);
        int[] source = new int[samples * steps * hidden];
        int[] index = new int[source.length];
        for (int n = 0; n < samples; n++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < hidden; j++) {
                    int at = (n * steps + t) * hidden + j;
                    source[at] = t;
                    index[at] = n * hidden + j;
                }
            }
        }
        return b.node(new Gather("stack", sizes, source, index), "z" + r.position(), batch(outShape), label, 0, states);
    }

    /** The block gate {@code k} of layer {@code r} is read from: k, unless a variant reorders them. */
    private int block(LayeredSpec.Recurrent r, int k) {
        return variant != null && variant.position().equals(r.position()) ? variant.order()[k] : k;
    }

    private boolean resetBefore(LayeredSpec.Recurrent r) {
        return variant != null && variant.position().equals(r.position()) && variant.resetBefore();
    }

    /** Gate {@code k} of stacked gates, through its activation. */
    private int gate(int gates, int k, int hidden, Activation activation, String name, String label, int step) {
        int z = slice(gates, k, hidden, name + "_in", label, step);
        return b.node(Activations.of(activation, samples * hidden, hidden), name, batch(hidden), label, step, z);
    }

    /** Block {@code k} of {@code hidden} columns of every row of a stacked tensor. */
    private int slice(int stacked, int k, int hidden, String name, String label, int step) {
        return b.node(Gather.columns("slice", samples, gatesOf * hidden, k * hidden, hidden), name, batch(hidden), label,
                step, stacked);
    }

    private Value activate(LayeredSpec.Layer layer, Value v, boolean last) {
        if (last || layer.activation() == Activation.IDENTITY) {
            return v;
        }
        int size = samples * v.size();
        return new Value(b.node(Activations.of(layer.activation(), size, v.last()), "o" + layer.position(),
                batch(v.shape()), "layer " + layer.position(), 0, v.tensor()), v.shape());
    }

    private Shape batch(int... sample) {
        int[] dims = new int[sample.length + 1];
        dims[0] = samples;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return Shape.of(dims);
    }

    private static int[] spatial(int[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static double[] flat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }
}
