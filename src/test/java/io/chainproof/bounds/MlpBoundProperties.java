package io.chainproof.bounds;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MLP bound {@code ‖∂L/∂W_l‖_F ≤ data bound ≤ ‖∇_{a_L}L‖·‖a_{l−1}‖·∏_{k≥l} γ_k·∏_{k>l} ‖W_k‖₂} for every
 * layer of random small MLPs (depth 1–4, widths 1–4, 1–2 samples), for every elementwise activation with
 * the MSE loss and for a softmax output with cross-entropy. Networks are built from primitive parameters
 * (depth, widths, one weight scale 10^s and a list of entries in [−1, 1] consumed in order), so shrinking
 * gives small networks with round entries. The softmax property assumes a finite compiled gradient: with
 * widely spread logits the compiled softmax/cross-entropy gradient is NaN although the loss is finite (e.g.
 * x = (0.38, 0.52), s = 10^1.84, identity layer W1 = s·[[0.06, 0.36]], softmax layer W2 = s·(0, 0.07, −0.64)ᵀ,
 * zero biases, y = (1, 0, 0): logits ≈ (0, 70, −640)) — a defect of the compiled gradient, not of the bound.
 * {@code |φ'(z)| ≤ γ} itself is
 * {@code io.chainproof.symbolic.DerivativeBoundsProperties#derivative_magnitude_never_exceeds_gamma}.
 */
class MlpBoundProperties {

    /** Relative margin for rounding in the bound inequalities. */
    static final double ROUNDING_MARGIN = 1e-12;
    /**
     * The softmax property discards the tries whose compiled gradient is not finite; at least this percentage must be
     * checked (a coverage check of the statistics, which report the counts). Measured: 100 of 100 finite in one run.
     */
    static final double MIN_FINITE_PERCENT = 90;
    static final int MAX_DEPTH = 4;
    static final int MAX_WIDTH = 4;
    static final int MAX_SAMPLES = 2;
    /** Entries needed at most: parameters of the widest, deepest network plus inputs. */
    static final int ENTRIES = MAX_DEPTH * MAX_WIDTH * (MAX_WIDTH + 1) + MAX_SAMPLES * MAX_WIDTH * 2;

    @Provide
    Arbitrary<Activation> elementwise() {
        return Arbitraries.of(Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).toList());
    }

    static void assertBoundsHold(NetworkSpec spec) {
        BoundReport report = GrowthBounds.of(spec);
        for (LayerBound b : report.layers()) {
            assertAtMost(b.actual(), b.dataBound(), "layer " + b.layer() + " actual vs data bound");
            assertAtMost(b.dataBound(), b.gammaBound(), "layer " + b.layer() + " data vs γ bound");
        }
    }

    static void assertAtMost(double smaller, double larger, String what) {
        assertTrue(smaller <= larger * (1 + ROUNDING_MARGIN),
                what + " ==> expected: <" + smaller + "> ≤ <" + larger + ">");
    }

    /**
     * @param widths     widths of layers 0 (inputs) to depth; only the first depth + 1 are used
     * @param activation the activation of every layer but the last
     * @param output     the last layer's activation
     */
    static NetworkSpec mlp(int depth, List<Integer> widths, Activation activation, Activation output, Loss loss,
                           int samples, double log10Scale, List<Double> entries) {
        Iterator<Double> next = entries.iterator();
        double scale = Math.pow(10, log10Scale);
        List<LayerSpec> layers = new ArrayList<>();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            int units = widths.get(l);
            layers.add(new LayerSpec(units, l == depth ? output : activation));
            double[][] w = new double[units][widths.get(l - 1)];
            double[] b = new double[units];
            for (int j = 0; j < units; j++) {
                for (int i = 0; i < w[j].length; i++) {
                    w[j][i] = scale * next.next();
                }
                b[j] = next.next();
            }
            weights.add(w);
            biases.add(b);
        }
        int outputs = widths.get(depth);
        double[][] x = new double[samples][widths.get(0)];
        double[][] y = new double[samples][outputs];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < x[s].length; i++) {
                x[s][i] = 2 * next.next();
            }
            for (int j = 0; j < outputs; j++) {
                y[s][j] = loss == Loss.CROSS_ENTROPY ? (j == s % outputs ? 1 : 0) : next.next();
            }
        }
        return new NetworkSpec("mlp", "<property>", widths.get(0), layers, loss, new Parameters(weights, biases),
                new Data(x, y));
    }

    @Property(tries = 150)
    @Tag("proof:mlp-bound")
    void every_layer_gradient_is_at_most_its_data_bound_which_is_at_most_its_gamma_bound(
            @ForAll("elementwise") Activation activation,
            @ForAll @IntRange(min = 1, max = MAX_DEPTH) int depth,
            @ForAll @Size(MAX_DEPTH + 1) List<@IntRange(min = 1, max = MAX_WIDTH) Integer> widths,
            @ForAll @IntRange(min = 1, max = MAX_SAMPLES) int samples,
            @ForAll @DoubleRange(min = -2, max = 2) double log10WeightScale,
            @ForAll @Size(ENTRIES) List<@DoubleRange(min = -1, max = 1) Double> entries) {
        assertBoundsHold(mlp(depth, widths, activation, activation, Loss.MSE, samples, log10WeightScale, entries));
    }

    @Property(tries = 100)
    @Tag("proof:mlp-bound")
    void every_layer_bound_holds_with_a_softmax_output_and_cross_entropy(
            @ForAll("elementwise") Activation hidden,
            @ForAll @IntRange(min = 1, max = MAX_DEPTH) int depth,
            @ForAll @Size(MAX_DEPTH) List<@IntRange(min = 1, max = MAX_WIDTH) Integer> hiddenWidths,
            @ForAll @IntRange(min = 2, max = MAX_WIDTH) int classes,
            @ForAll @IntRange(min = 1, max = MAX_SAMPLES) int samples,
            @ForAll @DoubleRange(min = -2, max = 2) double log10WeightScale,
            @ForAll @Size(ENTRIES) List<@DoubleRange(min = -1, max = 1) Double> entries) {
        List<Integer> widths = new ArrayList<>(hiddenWidths.subList(0, depth));
        widths.add(classes);
        NetworkSpec spec = mlp(depth, widths, hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY, samples,
                log10WeightScale, entries);
        boolean finite = Arrays.stream(NetworkCompiler.compile(ComputationGraph.of(spec)).evaluate().gradient())
                .allMatch(Double::isFinite);
        Statistics.label("compiled gradient").collect(finite ? "finite" : "not finite (discarded)");
        Statistics.label("compiled gradient").coverage(c -> c.check("finite").percentage(p -> p >= MIN_FINITE_PERCENT));
        Assume.that(finite);
        assertBoundsHold(spec);
    }
}
