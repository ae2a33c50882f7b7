package io.chainproof.testing;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything {@link MlpArbitrary} draws before the values: the architecture, the loss, the number of
 * samples and the weight scale. {@link #build} turns it into a {@link NetworkSpec} by consuming
 * {@link #entryCount()} entries {@code u ∈ [−1, 1]} in a fixed order: W1 row by row, then b1, then W2,
 * b2, ... (each parameter {@code scale·u}); then data.x sample by sample ({@code u}); then the targets
 * sample by sample (see {@link #target}). Instances are immutable.
 *
 * @param inputs  the number of inputs
 * @param hidden  the hidden layers, first first (empty for a single-layer network)
 * @param output  the output layer
 * @param loss    the loss, which fits the output activation
 * @param samples the number of samples
 * @param scale   the weight scale {@code s > 0}
 */
record MlpShape(int inputs, List<LayerSpec> hidden, LayerSpec output, Loss loss, int samples, double scale) {

    /** The source of every generated spec. */
    static final String SOURCE = "<jqwik>";

    MlpShape {
        hidden = List.copyOf(hidden);
    }

    /** @return the hidden layers followed by the output layer */
    List<LayerSpec> layers() {
        List<LayerSpec> layers = new ArrayList<>(hidden);
        layers.add(output);
        return layers;
    }

    /** @return the entries {@link #build} consumes: parameters, inputs, and targets (one per sample for cross_entropy) */
    int entryCount() {
        int count = 0;
        int previous = inputs;
        for (LayerSpec layer : layers()) {
            count += layer.units() * (previous + 1);
            previous = layer.units();
        }
        int targetsPerSample = loss == Loss.CROSS_ENTROPY ? 1 : output.units();
        return count + samples * (inputs + targetsPerSample);
    }

    /** @return e.g. {@code mlp-2-3-1}: the units of the inputs, of every hidden layer and of the outputs */
    String name() {
        return Stream.concat(Stream.of(inputs), layers().stream().map(LayerSpec::units))
                .map(String::valueOf)
                .collect(Collectors.joining("-", "mlp-", ""));
    }

    /**
     * @param name    the spec's name
     * @param entries at least {@link #entryCount()} values in [−1, 1]
     * @return the network with those values
     */
    NetworkSpec build(String name, PrimitiveIterator.OfDouble entries) {
        List<LayerSpec> layers = layers();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int previous = inputs;
        for (LayerSpec layer : layers) {
            double[][] w = new double[layer.units()][previous];
            double[] b = new double[layer.units()];
            for (double[] row : w) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = scale * entries.nextDouble();
                }
            }
            for (int j = 0; j < b.length; j++) {
                b[j] = scale * entries.nextDouble();
            }
            weights.add(w);
            biases.add(b);
            previous = layer.units();
        }
        double[][] x = new double[samples][inputs];
        for (double[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = entries.nextDouble();
            }
        }
        double[][] y = new double[samples][];
        for (int s = 0; s < samples; s++) {
            y[s] = targets(entries);
        }
        return new NetworkSpec(name, SOURCE, inputs, layers, loss, new Parameters(weights, biases), new Data(x, y));
    }

    private double[] targets(PrimitiveIterator.OfDouble entries) {
        int outputs = output.units();
        double[] y = new double[outputs];
        if (loss == Loss.CROSS_ENTROPY) {
            y[Math.min(outputs - 1, (int) (Math.abs(entries.nextDouble()) * outputs))] = 1;
            return y;
        }
        for (int j = 0; j < outputs; j++) {
            y[j] = target(entries.nextDouble());
        }
        return y;
    }

    /**
     * A target within the range of the output activation: {@code |u|} for bce and for outputs that are
     * never negative (sigmoid, softmax, relu, softplus), {@code u} otherwise.
     */
    private double target(double u) {
        Activation a = output.activation();
        boolean nonNegative = loss == Loss.BCE || a == Activation.SIGMOID || a == Activation.SOFTMAX
                || a == Activation.RELU || a == Activation.SOFTPLUS;
        return nonNegative ? Math.abs(u) : u;
    }
}
