package io.chainproof.model;

import io.chainproof.ops.Activation;
import io.chainproof.ops.Activations;
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

    private LayeredModels(LayeredSpec spec) {
        this.spec = spec;
        this.b = new ModelBuilder(spec.name(), spec.source(), "layered");
        this.samples = spec.samples();
    }

    static Model of(LayeredSpec spec) {
        return new LayeredModels(spec).build();
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
        } else {
            throw new IllegalStateException("layer " + p + " (" + layer.type() + ") is not allowed here; the reader "
                    + "admits an embedding only first");
        }
        return activate(layer, out, last);
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
