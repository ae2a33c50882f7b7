package io.chainproof.spec;

import io.chainproof.ops.Activation;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layered model: PyTorch modules in order — dense, convolutions, pooling, flatten, layer and batch norm, residual
 * blocks, embeddings — each with an optional elementwise activation, over samples of a fixed shape, with a loss on
 * the final output (per sample over all its entries, then the mean over samples). The contract is
 * {@code ../shared/DESIGN.md}, "Layered models"; {@link LayeredSpecReader} reads it and checks every rule, so an
 * instance is valid: the layers fit the shapes, the parameters have PyTorch's shapes, the data fits. Immutable.
 *
 * @param name        the model's name
 * @param source      the file it was read from, for messages
 * @param inputShape  the shape of one sample: {@code [F]}, {@code [C, L]}, {@code [C, H, W]}, {@code [T]} (ids) or
 *                    {@code [T, F]}
 * @param layers      the layers, in order
 * @param loss        the loss on the final output
 * @param parameters  every parameter by name ({@code W1}, {@code b1}, {@code gamma3.2}, …), in layer order
 * @param x           the samples, each flattened row-major from {@link #inputShape}
 * @param y           the targets, each flattened row-major from the final output's shape
 * @param names       another library's names of the parameters, mapped to these ({@code "0.weight" → "W1"})
 */
public record LayeredSpec(String name, String source, int[] inputShape, List<Layer> layers, Loss loss,
                          Map<String, Weights> parameters, double[][] x, double[][] y, Map<String, String> names)
        implements Spec {

    /**
     * A parameter tensor in PyTorch's shape, its entries flattened row-major.
     *
     * @param shape  the shape, e.g. {@code [out][in][k]}
     * @param values the entries, row-major
     */
    public record Weights(int[] shape, double[] values) {

        /**
         * Validates that the entries fill the shape.
         *
         * @param shape  the shape
         * @param values the entries, row-major
         */
        public Weights {
            shape = shape.clone();
            values = values.clone();
            if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != values.length) {
                throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " does not hold "
                        + values.length + " entries");
            }
        }

        /** @return the shape (a copy) */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** @return the entries, row-major (a copy) */
        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * The prefix of a parameter's name before its layer's position ({@code W_ih}, {@code gamma}, {@code W}, …), as a
     * regular expression: removing it leaves the position ({@code W_ih2.1} → {@code 2.1}).
     */
    public static final String OWNER_PREFIX = "^(gamma|beta|W_ih|W_hh|b_ih|b_hh|W_in|b_in|W_out|b_out|W|b|E)";

    /** One layer: its position ({@code 3}, or {@code 3.1} inside a residual block) and its activation. */
    public sealed interface Layer permits Dense, Conv, Pool, Flatten, Norm, Residual, Embedding, Recurrent,
            Attention {

        /** @return the position that names the layer's parameters, e.g. {@code 2} or {@code 4.1} */
        String position();

        /** @return the elementwise activation after the layer ({@code identity} by default) */
        Activation activation();

        /** @return the layer's type as specs write it, e.g. {@code conv2d} */
        String type();
    }

    /**
     * {@code Linear} on the last axis.
     *
     * @param position   the position
     * @param units      the output features
     * @param activation the activation
     */
    public record Dense(String position, int units, Activation activation) implements Layer {
        @Override
        public String type() {
            return "dense";
        }
    }

    /**
     * {@code Conv1d}/{@code Conv2d}, zero padding.
     *
     * @param position   the position
     * @param axes       1 or 2 spatial axes
     * @param channels   the output channels
     * @param kernel     the kernel size per axis
     * @param stride     the stride per axis
     * @param padding    the padding per axis
     * @param dilation   the dilation per axis
     * @param activation the activation
     */
    public record Conv(String position, int axes, int channels, int[] kernel, int[] stride, int[] padding,
                       int[] dilation, Activation activation) implements Layer {
        @Override
        public String type() {
            return "conv" + axes + "d";
        }
    }

    /**
     * Max or average pooling, no padding.
     *
     * @param position   the position
     * @param max        max (else average) pooling
     * @param axes       1 or 2 spatial axes
     * @param kernel     the window per axis
     * @param stride     the stride per axis
     * @param activation the activation
     */
    public record Pool(String position, boolean max, int axes, int[] kernel, int[] stride, Activation activation)
            implements Layer {
        @Override
        public String type() {
            return (max ? "max_pool" : "avg_pool") + axes + "d";
        }
    }

    /**
     * Row-major flattening of a sample to a vector.
     *
     * @param position   the position
     * @param activation the activation
     */
    public record Flatten(String position, Activation activation) implements Layer {
        @Override
        public String type() {
            return "flatten";
        }
    }

    /**
     * {@code LayerNorm} over the last axis (affine) or {@code BatchNorm1d/2d} in training mode (affine).
     *
     * @param position   the position
     * @param batch      batch norm (else layer norm)
     * @param eps        ε
     * @param activation the activation
     */
    public record Norm(String position, boolean batch, double eps, Activation activation) implements Layer {
        @Override
        public String type() {
            return batch ? "batch_norm" : "layer_norm";
        }
    }

    /**
     * {@code x + block(x)}; the block keeps the shape.
     *
     * @param position   the position
     * @param layers     the block's layers, positioned {@code p.1}, {@code p.2}, …
     * @param activation the activation after the sum
     */
    public record Residual(String position, List<Layer> layers, Activation activation) implements Layer {
        /**
         * Copies the block.
         *
         * @param position   the position
         * @param layers     the block's layers
         * @param activation the activation after the sum
         */
        public Residual {
            layers = List.copyOf(layers);
        }

        @Override
        public String type() {
            return "residual";
        }
    }

    /**
     * {@code Embedding}: ids to rows of E.
     *
     * @param position   the position
     * @param vocabulary the number of ids
     * @param dim        the length of a row
     * @param activation the activation
     */
    public record Embedding(String position, int vocabulary, int dim, Activation activation) implements Layer {
        @Override
        public String type() {
            return "embedding";
        }
    }

    /**
     * A recurrent layer over the steps of a sequence: PyTorch's {@code RNN}, {@code LSTM} or {@code GRU} with one
     * layer, batch first, a zero initial state, PyTorch's equations and gate order (LSTM i, f, g, o; GRU r, z, n
     * with {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}). Parameters {@code W_ih}, {@code W_hh},
     * {@code b_ih}, {@code b_hh} with the gates stacked ({@code [gates·hidden][…]}).
     *
     * @param position     the position
     * @param cell         rnn, lstm or gru
     * @param hidden       the hidden size
     * @param nonlinearity an rnn's tanh or relu (tanh for the others, which fix their own)
     * @param sequence     whether the output is every step's hidden state ({@code [T, hidden]}), else the last's
     * @param activation   the activation after the layer
     */
    public record Recurrent(String position, Cell cell, int hidden, Activation nonlinearity, boolean sequence,
                            Activation activation) implements Layer {

        /** The cell, with the number of gate blocks stacked in its weights. */
        public enum Cell {
            /** {@code h' = φ(W_ih x + b_ih + W_hh h + b_hh)}. */
            RNN(1),
            /** Gates i, f, g, o; {@code c' = f ⊙ c + i ⊙ g}, {@code h' = o ⊙ tanh(c')}. */
            LSTM(4),
            /** Gates r, z, n; {@code h' = (1 − z) ⊙ n + z ⊙ h}. */
            GRU(3);

            private final int gates;

            Cell(int gates) {
                this.gates = gates;
            }

            /** @return the number of hidden-sized blocks stacked in W_ih, W_hh, b_ih and b_hh */
            public int gates() {
                return gates;
            }
        }

        @Override
        public String type() {
            return cell.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Multi-head self-attention, PyTorch's {@code MultiheadAttention(D, heads, batch_first=True)} with q = k = v = x
     * and no dropout: {@code W_in} {@code [3D][D]}, {@code b_in} {@code [3D]} project to q, k, v; each head attends
     * with {@code softmax(Q Kᵀ/√d)}, d = D/heads (a causal mask hides later steps); {@code W_out} {@code [D][D]},
     * {@code b_out} {@code [D]} project the heads side by side back to D.
     *
     * @param position   the position
     * @param heads      the number of heads; divides the width
     * @param causal     whether each step attends only to itself and earlier steps
     * @param activation the activation after the layer
     */
    public record Attention(String position, int heads, boolean causal, Activation activation) implements Layer {
        @Override
        public String type() {
            return "attention";
        }
    }

    /**
     * Copies the collections.
     *
     * @param name        the model's name
     * @param source      the file it was read from
     * @param inputShape  the shape of one sample
     * @param layers      the layers, in order
     * @param loss        the loss on the final output
     * @param parameters  every parameter by name, in layer order
     * @param x           the samples, each flattened
     * @param y           the targets, each flattened
     * @param names       another library's names of the parameters, mapped to these
     */
    public LayeredSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loss, "loss");
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        x = Arrays.stream(x).map(double[]::clone).toArray(double[][]::new);
        y = Arrays.stream(y).map(double[]::clone).toArray(double[][]::new);
        names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
    }

    /** @return the shape of one sample (a copy) */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** @return the samples, each flattened row-major (a copy) */
    @Override
    public double[][] x() {
        return Arrays.stream(x).map(double[]::clone).toArray(double[][]::new);
    }

    /** @return the targets, each flattened row-major (a copy) */
    @Override
    public double[][] y() {
        return Arrays.stream(y).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * The same network as a layered spec: each MLP layer a dense layer at position l with its activation, its
     * parameters {@code Wl} {@code [units][inputs]} and {@code bl}, the same loss and data. Every layered analysis
     * (per-layer bounds, gradient profiles) then applies to an MLP too.
     *
     * @param mlp a validated MLP spec
     * @return the equivalent layered spec
     */
    public static LayeredSpec of(NetworkSpec mlp) {
        List<Layer> layers = new java.util.ArrayList<>();
        Map<String, Weights> parameters = new LinkedHashMap<>();
        for (int l = 1; l <= mlp.layerCount(); l++) {
            LayerSpec layer = mlp.layers().get(l - 1);
            layers.add(new Dense(Integer.toString(l), layer.units(), layer.activation()));
            double[][] w = mlp.parameters().weight(l);
            parameters.put("W" + l, new Weights(new int[] {w.length, w.length == 0 ? 0 : w[0].length},
                    Arrays.stream(w).flatMapToDouble(Arrays::stream).toArray()));
            double[] bias = mlp.parameters().bias(l);
            parameters.put("b" + l, new Weights(new int[] {bias.length}, bias));
        }
        return new LayeredSpec(mlp.name(), mlp.source(), new int[] {mlp.inputs()}, layers, mlp.loss(), parameters,
                mlp.data().x(), mlp.data().y(), Map.of());
    }

    /** @return the number of samples */
    public int samples() {
        return x.length;
    }

    /** @return the activation of the last layer, which the loss fuses with */
    public Activation outputActivation() {
        return layers.get(layers.size() - 1).activation();
    }

    /**
     * The shape a layer gives a sample of shape {@code in} (which the reader has checked it accepts).
     *
     * @param layer the layer
     * @param in    the sample's shape before it
     * @return the shape after it
     */
    public static int[] shapeAfter(Layer layer, int[] in) {
        if (layer instanceof Dense d) {
            int[] out = in.clone();
            out[out.length - 1] = d.units();
            return out;
        }
        if (layer instanceof Conv c) {
            int[] out = new int[in.length];
            out[0] = c.channels();
            for (int a = 0; a < c.axes(); a++) {
                out[a + 1] = io.chainproof.ops.Window.outputSize(in[a + 1], c.kernel()[a], c.stride()[a],
                        c.padding()[a], c.dilation()[a]);
            }
            return out;
        }
        if (layer instanceof Pool pool) {
            int[] out = in.clone();
            for (int a = 0; a < pool.axes(); a++) {
                out[a + 1] = io.chainproof.ops.Window.outputSize(in[a + 1], pool.kernel()[a], pool.stride()[a], 0, 1);
            }
            return out;
        }
        if (layer instanceof Flatten) {
            return new int[] {Arrays.stream(in).reduce(1, (a, b) -> a * b)};
        }
        if (layer instanceof Embedding e) {
            return new int[] {in[0], e.dim()};
        }
        if (layer instanceof Recurrent r) {
            return r.sequence() ? new int[] {in[0], r.hidden()} : new int[] {r.hidden()};
        }
        return in.clone();
    }

    /**
     * The final output's shape per sample.
     *
     * @return the shape after the last layer
     */
    public int[] outputShape() {
        int[] shape = inputShape.clone();
        for (Layer layer : layers) {
            shape = shapeAfter(layer, shape);
        }
        return shape;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.layered(this);
    }
}
