package io.chainproof.check.planted;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.InitScheme;
import io.chainproof.spec.InitSpec;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The seeded networks the planted bugs are tried on. Every network is a pure function of its family and
 * index, so a label such as {@code saturated-3} names one network for good. Families:
 * <ul>
 * <li>{@code random-k} (36): depth 1–4, inputs and widths 1–5, 1–3 samples; layer 1 cycles through the
 *     eight elementwise activations, the loss through the five losses, the weight scheme through the six
 *     random init schemes; softmax outputs appear for every loss that allows them;</li>
 * <li>{@code saturated-k} (6): sigmoid chains with one or two layers of weights ≈ 500 (no bias, or a bias
 *     that leaves z ≈ 150…250), so that the true gradients of the early layers are 1e-60…1e-250 — far
 *     below any fixed absolute tolerance, yet normal doubles;</li>
 * <li>{@code relu-k} (6): relu / leaky_relu hidden layers with He init, 2–3 samples, identity or softmax
 *     outputs, every relu layer using both branches.</li>
 * </ul>
 * A draw is rejected and redrawn (next attempt of the same seed) when a relu or leaky_relu pre-activation
 * lies within {@value #KINK_MARGIN} of 0, when a layer's whole weight gradient is 0 (a dead path makes
 * most of its faults invisible), or when the loss or a gradient entry is not finite.
 */
final class NetworkZoo {

    /** Smallest |z| allowed for a relu or leaky_relu pre-activation. */
    static final double KINK_MARGIN = 1e-6;

    static final List<Activation> ELEMENTWISE = List.of(Activation.IDENTITY, Activation.SIGMOID, Activation.TANH,
            Activation.RELU, Activation.LEAKY_RELU, Activation.SOFTPLUS, Activation.SILU, Activation.GELU, Activation.ELU,
            Activation.SOFTSIGN);
    private static final List<InitScheme> SCHEMES = List.of(InitScheme.XAVIER_UNIFORM, InitScheme.XAVIER_NORMAL,
            InitScheme.HE_UNIFORM, InitScheme.HE_NORMAL, InitScheme.UNIFORM, InitScheme.NORMAL);
    private static final int MAX_ATTEMPTS = 200;
    private static final List<Network> NETWORKS = build();

    /** One network of the zoo. */
    record Network(String label, NetworkSpec spec) {

        /** The family: the label without its index, e.g. {@code saturated}. */
        String family() {
            return label.substring(0, label.lastIndexOf('-'));
        }

        /** e.g. {@code 2 → 3 tanh → 1 sigmoid | bce | 2 samples}. */
        String describe() {
            StringBuilder text = new StringBuilder().append(spec.inputs());
            spec.layers().forEach(l -> text.append(" → ").append(l.units()).append(' ').append(l.activation().specName()));
            int n = spec.data().samples();
            return text.append(" | ").append(spec.loss().specName()).append(" | ").append(n)
                    .append(n == 1 ? " sample" : " samples").toString();
        }
    }

    private NetworkZoo() {
    }

    /** Every network, in a fixed order. */
    static List<Network> networks() {
        return NETWORKS;
    }

    private static List<Network> build() {
        List<Network> all = new ArrayList<>();
        for (int k = 0; k < 36; k++) {
            all.add(draw("random-" + k, k, NetworkZoo::random));
        }
        for (int k = 0; k < 6; k++) {
            all.add(draw("saturated-" + k, k, NetworkZoo::saturated));
        }
        for (int k = 0; k < 6; k++) {
            all.add(draw("relu-" + k, k, NetworkZoo::relu));
        }
        return List.copyOf(all);
    }

    private static Network draw(String label, int k, LongFunction<NetworkSpec> family) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            NetworkSpec spec = family.apply(((long) k << 16) | attempt);
            if (acceptable(spec, label.startsWith("saturated"), label.startsWith("relu"))) {
                return new Network(label, spec);
            }
        }
        throw new IllegalStateException("No acceptable draw for <" + label + "> in " + MAX_ATTEMPTS + " attempts");
    }

    private static NetworkSpec random(long seed) {
        int k = (int) (seed >> 16);
        Random r = new Random(seed * 31 + 7);
        int depth = 1 + r.nextInt(4);
        Loss loss = Loss.values()[k % Loss.values().length];
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            int units = 1 + r.nextInt(5);
            Activation activation = l == 1 ? ELEMENTWISE.get(k % ELEMENTWISE.size()) : pick(r, ELEMENTWISE);
            if (l == depth) {
                activation = outputActivation(r, loss, activation);
                units = activation == Activation.SOFTMAX ? Math.max(2, units) : units;
            }
            layers.add(new LayerSpec(units, activation));
        }
        int inputs = 1 + r.nextInt(5);
        double scale = 0.75 + r.nextDouble();
        Parameters parameters = withBiases(r, new InitSpec(SCHEMES.get(k % SCHEMES.size()), scale, seed)
                .initialise(inputs, layers));
        return spec("random-" + k, inputs, layers, loss, parameters, data(r, inputs, layers, loss, 1 + r.nextInt(3), -2, 2));
    }

    private static Activation outputActivation(Random r, Loss loss, Activation drawn) {
        boolean softmax = r.nextInt(3) == 0;
        return switch (loss) {
            case BCE, CROSS_ENTROPY -> softmax ? Activation.SOFTMAX : Activation.SIGMOID;
            default -> softmax ? Activation.SOFTMAX : drawn;
        };
    }

    private static NetworkSpec saturated(long seed) {
        int k = (int) (seed >> 16);
        Random r = new Random(seed * 31 + 11);
        boolean twoSaturated = k % 2 == 1;
        int width = 1 + (k / 2) % 2;
        int inputs = 1 + r.nextInt(2);
        List<LayerSpec> layers = new ArrayList<>();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int depth = twoSaturated ? 4 : 3;
        int fanIn = inputs;
        for (int l = 1; l <= depth; l++) {
            int units = l == depth ? 1 + r.nextInt(2) : width;
            boolean big = l == 2 || (twoSaturated && l == 3);
            double[][] w = new double[units][fanIn];
            double[] b = new double[units];
            for (int j = 0; j < units; j++) {
                double rowSum = 0;
                for (int c = 0; c < fanIn; c++) {
                    w[j][c] = big ? 500 + uniform(r, -20, 20) : uniform(r, -1.5, 1.5);
                    rowSum += w[j][c];
                }
                b[j] = l == 3 && big ? -rowSum + uniform(r, 150, 250) : big ? 0.0 : uniform(r, -0.5, 0.5);
            }
            layers.add(new LayerSpec(units, Activation.SIGMOID));
            weights.add(w);
            biases.add(b);
            fanIn = units;
        }
        Loss loss = List.of(Loss.SSE, Loss.MSE, Loss.HALF_SSE, Loss.BCE).get(k % 4);
        return spec("saturated-" + k, inputs, layers, loss, new Parameters(weights, biases),
                data(r, inputs, layers, loss, 1 + r.nextInt(3), 0.2, 1.0));
    }

    private static NetworkSpec relu(long seed) {
        int k = (int) (seed >> 16);
        Random r = new Random(seed * 31 + 13);
        int depth = 2 + r.nextInt(3);
        int inputs = 2 + r.nextInt(3);
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 1; l < depth; l++) {
            layers.add(new LayerSpec(2 + r.nextInt(4), (l + k) % 2 == 0 ? Activation.RELU : Activation.LEAKY_RELU));
        }
        boolean softmax = k % 3 == 2;
        layers.add(new LayerSpec(softmax ? 3 : 1 + r.nextInt(2), softmax ? Activation.SOFTMAX : Activation.IDENTITY));
        Loss loss = softmax ? Loss.CROSS_ENTROPY : List.of(Loss.MSE, Loss.SSE, Loss.HALF_SSE).get(k % 3);
        Parameters parameters = withBiases(r, new InitSpec(InitScheme.HE_NORMAL, 1.0, seed).initialise(inputs, layers));
        return spec("relu-" + k, inputs, layers, loss, parameters, data(r, inputs, layers, loss, 2 + r.nextInt(2), -2, 2));
    }

    private static boolean acceptable(NetworkSpec spec, boolean saturated, boolean bothReluBranches) {
        double[][] xs = spec.data().x();
        for (int l = 1; l <= spec.layerCount(); l++) {
            Activation activation = spec.layers().get(l - 1).activation();
            if (activation != Activation.RELU && activation != Activation.LEAKY_RELU) {
                continue;
            }
            boolean negative = false;
            boolean positive = false;
            for (double[] x : xs) {
                for (double z : ManualBackprop.preActivations(spec, x)[l]) {
                    if (Math.abs(z) < KINK_MARGIN) {
                        return false;
                    }
                    negative |= z < 0;
                    positive |= z > 0;
                }
            }
            if (bothReluBranches && !(negative && positive)) {
                return false;
            }
        }
        double[] g = ManualBackprop.gradient(spec);
        if (!Double.isFinite(ManualBackprop.loss(spec))) {
            return false;
        }
        FlatLayout layout = FlatLayout.of(spec);
        double smallest = Double.POSITIVE_INFINITY;
        for (int l = 1; l <= spec.layerCount(); l++) {
            boolean live = false;
            for (int i = layout.weightOffset(l); i < layout.biasOffset(l); i++) {
                if (!Double.isFinite(g[i])) {
                    return false;
                }
                live |= g[i] != 0;
                smallest = Math.min(smallest, Math.abs(g[i]));
            }
            if (!live) {
                return false;
            }
        }
        return !saturated || (smallest >= 1e-290 && smallest <= 1e-50);
    }

    private static Parameters withBiases(Random r, Parameters drawn) {
        List<double[]> biases = new ArrayList<>();
        for (double[] b : drawn.biases()) {
            double[] filled = new double[b.length];
            for (int j = 0; j < b.length; j++) {
                filled[j] = uniform(r, -0.5, 0.5);
            }
            biases.add(filled);
        }
        return new Parameters(drawn.weights(), biases);
    }

    private static Data data(Random r, int inputs, List<LayerSpec> layers, Loss loss, int samples, double lo, double hi) {
        LayerSpec output = layers.get(layers.size() - 1);
        double[][] x = new double[samples][inputs];
        double[][] y = new double[samples][output.units()];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < inputs; i++) {
                x[s][i] = uniform(r, lo, hi);
            }
            if (loss == Loss.CROSS_ENTROPY && output.activation() == Activation.SOFTMAX) {
                y[s][r.nextInt(output.units())] = 1.0;
                continue;
            }
            for (int j = 0; j < output.units(); j++) {
                y[s][j] = switch (loss) {
                    case BCE, CROSS_ENTROPY -> r.nextDouble();
                    default -> uniform(r, -1, 1);
                };
            }
        }
        return new Data(x, y);
    }

    private static NetworkSpec spec(String name, int inputs, List<LayerSpec> layers, Loss loss, Parameters p, Data d) {
        return new NetworkSpec(name, "planted:" + name, inputs, layers, loss, p, d);
    }

    private static double uniform(Random r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static <T> T pick(Random r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }
}
