package io.chainproof.proofs;

import io.chainproof.bounds.LayerBound;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static io.chainproof.proofs.LemmaAssertions.assertAtMost;
import static io.chainproof.proofs.LemmaAssertions.assertRelative;

/**
 * The checks of {@code proofs/mlp-bound.md} on an implementation of the per-layer bounds — chainproof's
 * {@code GrowthBounds} in {@link LemmaTests}, broken ones in {@link LemmaSensitivityTests}: the chain of inequalities
 * (2) ≤ (3) on random MLPs, and the two cases where the proof's inequalities are equalities, so that a bound that is
 * too small or too large by any factor fails.
 */
public final class MlpBoundLemma {

    /** The activations of the random MLPs, in turn. */
    static final List<Activation> ACTIVATIONS = List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU,
            Activation.SILU, Activation.GELU, Activation.SOFTPLUS);

    private MlpBoundLemma() {
    }

    /**
     * On {@code networks} random MLPs (depth 1–4, widths 1–4, 1–2 samples, MSE loss, weights of scale 10^{−1…0.5}):
     * ‖∂L/∂W_l‖_F ≤ data bound (2) ≤ γ bound (3) at every layer. On every width-1 chain with one sample, where the
     * Frobenius and spectral norms are absolute values and nothing is dropped: ‖∂L/∂W_l‖_F = (2). On sigmoid chains
     * with every z_k = 0, where every φ'(z_k) = γ = 1/4: (2) = (3).
     *
     * @param bounds   the implementation under test: a spec's per-layer bounds
     * @param random   the source of networks
     * @param networks how many of each kind
     */
    public static void assertLayerBounds(Function<NetworkSpec, List<LayerBound>> bounds, Random random, int networks) {
        for (int n = 0; n < networks; n++) {
            Activation activation = ACTIVATIONS.get(n % ACTIVATIONS.size());
            int depth = 1 + random.nextInt(4);
            int[] widths = new int[depth + 1];
            for (int l = 0; l <= depth; l++) {
                widths[l] = 1 + random.nextInt(4);
            }
            NetworkSpec spec = network(random, widths, activation, 1 + random.nextInt(2), null);
            for (LayerBound b : bounds.apply(spec)) {
                String where = "network " + n + " (" + activation.specName() + ") layer " + b.layer();
                assertAtMost(b.actual(), b.dataBound(), where + ": ‖∂L/∂W_l‖_F vs data bound (2)");
                assertAtMost(b.dataBound(), b.gammaBound(), where + ": data bound (2) vs γ bound (3)");
            }
        }
        for (int n = 0; n < networks; n++) {
            Activation activation = n % 2 == 0 ? Activation.SIGMOID : Activation.TANH;
            int[] widths = new int[2 + random.nextInt(4)];
            Arrays.fill(widths, 1);
            for (LayerBound b : bounds.apply(network(random, widths, activation, 1, null))) {
                assertRelative(b.actual(), b.dataBound(), LemmaAssertions.ROUNDING_MARGIN, "width-1 " + activation.specName()
                        + " chain " + n + " layer " + b.layer() + ": data bound (2) equals ‖∂L/∂W_l‖_F");
            }
            for (LayerBound b : bounds.apply(network(random, widths, Activation.SIGMOID, 1, 0.0))) {
                assertRelative(b.dataBound(), b.gammaBound(), LemmaAssertions.ROUNDING_MARGIN, "sigmoid chain " + n
                        + " with every z_k = 0, layer " + b.layer() + ": γ bound (3) equals the data bound (2)");
            }
        }
    }

    /**
     * A random MLP; with {@code z} given, one sample and biases b_l = z − W_l·a_{l−1} for the sigmoid (a = 1/2 after
     * layer 1), so that every pre-activation is z.
     */
    static NetworkSpec network(Random random, int[] widths, Activation activation, int samples, Double z) {
        int depth = widths.length - 1;
        double scale = Math.pow(10, 1.5 * random.nextDouble() - 1);
        double[][] x = new double[samples][widths[0]];
        double[][] y = new double[samples][widths[depth]];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < widths[0]; i++) {
                x[s][i] = 4 * random.nextDouble() - 2;
            }
            for (int j = 0; j < widths[depth]; j++) {
                y[s][j] = random.nextDouble();
            }
        }
        List<LayerSpec> layers = new ArrayList<>();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        double[] a = x[0];
        for (int l = 1; l <= depth; l++) {
            layers.add(new LayerSpec(widths[l], activation));
            double[][] w = new double[widths[l]][widths[l - 1]];
            double[] b = new double[widths[l]];
            for (int j = 0; j < widths[l]; j++) {
                double wa = 0;
                for (int i = 0; i < widths[l - 1]; i++) {
                    w[j][i] = scale * random.nextGaussian();
                    wa += w[j][i] * a[i];
                }
                b[j] = z == null ? random.nextGaussian() : z - wa;
            }
            weights.add(w);
            biases.add(b);
            a = new double[widths[l]];
            Arrays.fill(a, 0.5);
        }
        return new NetworkSpec("mlp", "<lemma>", widths[0], layers, Loss.MSE, new Parameters(weights, biases),
                new Data(x, y));
    }
}
