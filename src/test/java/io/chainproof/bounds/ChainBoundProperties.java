package io.chainproof.bounds;

import io.chainproof.expr.StableFunctions;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lecture's scalar-chain bound {@code |∂L/∂w_1| ≤ |L'(a_n)|·|a_0|·(1/4)^n·∏_{k≥2}|w_k|} on random sigmoid
 * chains of depth 1–8 with |w_k| log-uniform in [1e−3, 1e3], and its equality case, every z_k = 0. A chain is
 * built from primitive parameters (depth, log10|w_k|, signs, biases), so a shrunk counterexample is a short
 * chain of round numbers.
 */
class ChainBoundProperties {

    /** Relative margin for rounding in the bound inequality and the equality case. */
    static final double ROUNDING_MARGIN = 1e-12;
    static final int MAX_DEPTH = 8;

    /** w_k = ±10^{log10|w_k|}, for k = 1..depth. */
    static double[] weights(int depth, List<Double> log10Magnitudes, List<Boolean> negative) {
        double[] w = new double[depth];
        for (int k = 0; k < depth; k++) {
            w[k] = (negative.get(k) ? -1 : 1) * Math.pow(10, log10Magnitudes.get(k));
        }
        return w;
    }

    /** A chain of {@code w.length} sigmoid units, one input, half-SSE loss, one sample (x, y). */
    static NetworkSpec sigmoidChain(double[] w, double[] b, double x, double y) {
        List<LayerSpec> layers = Collections.nCopies(w.length, new LayerSpec(1, Activation.SIGMOID));
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int k = 0; k < w.length; k++) {
            weights.add(new double[][] {{w[k]}});
            biases.add(new double[] {b[k]});
        }
        return new NetworkSpec("chain", "<property>", 1, layers, Loss.HALF_SSE, new Parameters(weights, biases),
                new Data(new double[][] {{x}}, new double[][] {{y}}));
    }

    @Property(tries = 200)
    @Tag("proof:chain-bound")
    void first_weight_gradient_never_exceeds_the_scalar_chain_bound(
            @ForAll @IntRange(min = 1, max = MAX_DEPTH) int depth,
            @ForAll @Size(MAX_DEPTH) List<@DoubleRange(min = -3, max = 3) Double> log10Magnitudes,
            @ForAll @Size(MAX_DEPTH) List<Boolean> negative,
            @ForAll @Size(MAX_DEPTH) List<@DoubleRange(min = -2, max = 2) Double> biases,
            @ForAll @DoubleRange(min = -2, max = 2) double x,
            @ForAll @DoubleRange(min = 0, max = 1) double y) {
        double[] w = weights(depth, log10Magnitudes, negative);
        double[] b = biases.subList(0, depth).stream().mapToDouble(Double::doubleValue).toArray();
        ScalarChainBound chain = GrowthBounds.of(sigmoidChain(w, b, x, y)).scalarChain().orElseThrow();
        assertTrue(chain.actual() <= chain.bound() * (1 + ROUNDING_MARGIN),
                "scalar chain ==> expected: <" + chain.actual() + "> ≤ <" + chain.bound() + ">");
    }

    @Property(tries = 200)
    @Tag("proof:chain-bound")
    void first_weight_gradient_equals_the_scalar_chain_bound_when_every_preactivation_is_zero(
            @ForAll @IntRange(min = 1, max = MAX_DEPTH) int depth,
            @ForAll @Size(MAX_DEPTH) List<@DoubleRange(min = -3, max = 3) Double> log10Magnitudes,
            @ForAll @Size(MAX_DEPTH) List<Boolean> negative,
            @ForAll @DoubleRange(min = -2, max = 2) double x,
            @ForAll @DoubleRange(min = 0, max = 1) double y) {
        double[] w = weights(depth, log10Magnitudes, negative);
        double[] b = new double[depth];
        double a = x;
        for (int k = 0; k < depth; k++) {
            b[k] = -(w[k] * a);
            a = StableFunctions.sigmoid(0);
        }
        BoundReport report = GrowthBounds.of(sigmoidChain(w, b, x, y));
        ScalarChainBound chain = report.scalarChain().orElseThrow();
        assertTrue(chain.zeroPreactivation(), "every z_k = 0 with b_k = −w_k·a_{k−1}");
        assertEquals(chain.bound(), chain.actual(), ROUNDING_MARGIN * chain.bound(),
                "scalar chain equality case");
    }
}
