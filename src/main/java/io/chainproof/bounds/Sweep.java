package io.chainproof.bounds;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.spec.SpecException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A weight-scale sweep: the growth bounds of a spec as one layer's weights are scaled.
 *
 * <p>For scales {@code s_i = from·(to/from)^{i/(n−1)}}, i = 0…n−1 (log-spaced, {@code s_{n−1} = to} exactly), the
 * swept layer's weights become {@code s_i·W_l} (the spec's own {@code W_l}, scaled), every other parameter is
 * kept, and the bounds of {@link GrowthBounds#of} (computed with the gradient compiled once) give the actual {@code ‖∂L/∂W_k‖_F}, the γ bound, the data bound and the
 * regime of every layer k. Scaling {@code W_l} by s multiplies {@code ‖W_l‖₂} by s, so the γ bound of every layer
 * below l grows linearly in s; whether the actual gradient follows depends on the pre-activations:
 * <ul>
 *   <li>{@link BiasMode#KEEP} keeps {@code b_l}, so {@code z_l = s·W_l·a_{l−1} + b_l} grows with s and a sigmoid
 *       saturates: {@code σ'(z) ≤ min(1/4, e^{−|z|})} makes the gradient vanish although the γ bound grows;</li>
 *   <li>{@link BiasMode#ZERO_PREACTIVATION} sets {@code b_l = −s·W_l·a_{l−1}} for the <em>first</em> sample, so
 *       every {@code z_l} of that sample is 0 (to rounding) and {@code |φ_l'(z_l)| = γ_l}: the layer's local factor
 *       attains its bound — the lecture's equality case, where {@code w = 500} gives the factor
 *       {@code 500/4 = 125}. Later layers keep their biases, so their factors need not attain theirs.</li>
 * </ul>
 * Instances are not created; the methods are {@link #run} and {@link #runWhileFinite}.
 */
public final class Sweep {

    /** What happens to the swept layer's bias as its weights are scaled. */
    public enum BiasMode {
        /** Keep {@code b_l} as in the spec. */
        KEEP,
        /** Set {@code b_l = −s·W_l·a_{l−1}} of the first sample, so that its {@code z_l = 0}. */
        ZERO_PREACTIVATION;

        /** @return the name used on the command line, e.g. {@code "zero-preactivation"} */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private Sweep() {
    }

    /**
     * @param spec   a network with its parameters and data
     * @param layer  the layer whose weights are scaled, 1 to {@code spec.layerCount()}
     * @param from   the smallest scale, &gt; 0
     * @param to     the largest scale, ≥ {@code from}
     * @param points the number of scales, ≥ 2
     * @param bias   what happens to {@code b_l}
     * @return the bounds at every scale, smallest scale first
     * @throws SpecException naming the option ({@code --layer}, {@code --from}, {@code --to}, {@code --points})
     *                       that breaks its rule
     */
    public static SweepResult run(NetworkSpec spec, int layer, double from, double to, int points, BiasMode bias) {
        validate(spec, layer, from, to, points);
        return sweep(spec, layer, from, to, points, bias, false);
    }

    /**
     * {@link #run}'s points up to the last whose scaled weights and forward pass stay finite: for a range the user did
     * not choose ({@code explain}'s), which a spec with weights near the largest double cannot reach.
     *
     * @param spec   a network with its parameters and data
     * @param layer  the layer whose weights are scaled, 1 to {@code spec.layerCount()}
     * @param from   the smallest scale, &gt; 0
     * @param to     the largest scale, ≥ {@code from}
     * @param points the number of scales, ≥ 2
     * @param bias   what happens to {@code b_l}
     * @return the bounds at the finite scales, smallest scale first; at least 2
     * @throws SpecException naming the swept layer's weights if fewer than 2 scales stay finite
     */
    public static SweepResult runWhileFinite(NetworkSpec spec, int layer, double from, double to, int points,
                                             BiasMode bias) {
        validate(spec, layer, from, from, points);
        SweepResult result = sweep(spec, layer, from, to, points, bias, true);
        if (result.points().size() < 2) {
            throw new SpecException(spec.source(), "parameters.W" + layer, "largest |entry| "
                    + largestWeight(spec, layer), String.format(Locale.ROOT, "leaves the finite doubles when scaled by "
                    + "%.3g or more, so layer %d's weights cannot be swept over %.3g … %.3g", from, layer, from, to),
                    "scale layer " + layer + "'s weights down, well below 1e300");
        }
        return result;
    }

    private static SweepResult sweep(NetworkSpec spec, int layer, double from, double to, int points, BiasMode bias,
                                     boolean whileFinite) {
        double largest = largestWeight(spec, layer);
        List<SweepPoint> result = new ArrayList<>(points);
        double ratio = to / from;
        SweepBounds bounds = new SweepBounds(spec);
        for (int i = 0; i < points; i++) {
            double scale = i == points - 1 ? to : from * Math.pow(ratio, (double) i / (points - 1));
            if (whileFinite && !Double.isFinite(largest * scale)) {
                break;
            }
            java.util.Optional<Parameters> parameters = scaledParameters(spec, layer, scale, bias);
            if (parameters.isEmpty() && whileFinite) {
                break;
            }
            if (parameters.isEmpty()) {
                throw new SpecException(spec.source(), "--to", Double.toString(to), String.format(Locale.ROOT,
                        "makes layer %d's zero-preactivation bias −s·W%d·a leave the finite doubles at scale %.3g "
                                + "(point %d of %d)", layer, layer, scale, i + 1, points),
                        "lower --to below it, or sweep with --bias keep");
            }
            NetworkSpec scaled = spec.withParameters(parameters.get());
            java.util.Optional<io.chainproof.check.NonFiniteValues.Finding> overflow = bounds.nonFinite(scaled);
            if (overflow.isPresent() && whileFinite) {
                break;
            }
            if (overflow.isPresent()) {
                // no bound from numbers that are not there: say where the sweep leaves the finite doubles
                throw new io.chainproof.check.NonFiniteException(spec.source(), String.format(java.util.Locale.ROOT,
                        "the sweep of layer %d leaves the finite numbers at scale %.3g (point %d of %d; lower --to "
                                + "below it)", layer, scale, i + 1, points), overflow.get());
            }
            List<LayerBound> layers = bounds.layers(scaled);
            result.add(new SweepPoint(scale, layers.get(layer - 1).spectralNorm(), layers));
        }
        return new SweepResult(spec.name(), spec.layerCount(), layer, bias, result);
    }

    private static void validate(NetworkSpec spec, int layer, double from, double to, int points) {
        String source = spec.source();
        if (layer < 1 || layer > spec.layerCount()) {
            throw new SpecException(source, "--layer", Integer.toString(layer), "is not a layer of " + spec.name(),
                    "use 1 to " + spec.layerCount());
        }
        if (!(from > 0) || Double.isInfinite(from)) {
            throw new SpecException(source, "--from", Double.toString(from), "must be a finite scale > 0",
                    "give a positive scale such as 0.01");
        }
        if (!(to >= from) || Double.isInfinite(to)) {
            throw new SpecException(source, "--to", Double.toString(to), "must be a finite scale ≥ --from ("
                    + from + ")", "give a scale of at least " + from);
        }
        double largest = largestWeight(spec, layer);
        if (!Double.isFinite(largest * to)) {
            throw new SpecException(source, "--to", Double.toString(to), "scales layer " + layer + "'s largest weight "
                    + largest + " beyond the largest double", String.format(java.util.Locale.ROOT,
                    "give --to below %.3g", Double.MAX_VALUE / largest));
        }
        if (points < 2) {
            throw new SpecException(source, "--points", Integer.toString(points), "must be at least 2",
                    "give 2 or more points, such as 60");
        }
    }

    private static double largestWeight(NetworkSpec spec, int layer) {
        double largest = 0;
        for (double[] row : spec.parameters().weight(layer)) {
            for (double w : row) {
                largest = Math.max(largest, Math.abs(w));
            }
        }
        return largest;
    }

    /** The parameters at {@code scale}; empty if the zero-preactivation bias −s·W_l·a leaves the finite doubles. */
    private static java.util.Optional<Parameters> scaledParameters(NetworkSpec spec, int layer, double scale,
                                                                   BiasMode bias) {
        Parameters p = spec.parameters();
        List<double[][]> weights = new ArrayList<>(p.weights());
        List<double[]> biases = new ArrayList<>(p.biases());
        double[][] w = p.weight(layer);
        for (double[] row : w) {
            for (int i = 0; i < row.length; i++) {
                row[i] *= scale;
            }
        }
        weights.set(layer - 1, w);
        Parameters scaled = new Parameters(weights, biases);
        if (bias == BiasMode.KEEP) {
            return java.util.Optional.of(scaled);
        }
        double[] z = ForwardPass.of(spec.withParameters(scaled), spec.data().x()[0], spec.data().y()[0])
                .preActivation(layer);
        double[] b = p.bias(layer);
        for (int j = 0; j < b.length; j++) {
            b[j] -= z[j];
            if (!Double.isFinite(b[j])) {
                return java.util.Optional.empty();
            }
        }
        biases.set(layer - 1, b);
        return java.util.Optional.of(new Parameters(weights, biases));
    }
}
