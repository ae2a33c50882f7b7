package io.chainproof.ops;

import io.chainproof.number.DualNumber;
import io.chainproof.symbolic.SymbolicRules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each op's Jacobian bounds hold: for random inputs the Jacobian, taken independently of the bound (dual numbers
 * through the op's forward rule), never stretches a vector by more than the bound here, and the bound here never
 * exceeds the certified one.
 */
class JacobianBoundProperties {

    /** Rounding allowed between a norm and its bound, relative. */
    static final double ROUNDING = 1e-12;

    @Property(tries = 200)
    void an_activations_bound_here_is_its_largest_derivative_and_never_above_gamma(
            @ForAll("elementwise") Activation activation, @ForAll @DoubleRange(min = -30, max = 30) double z1,
            @ForAll @DoubleRange(min = -30, max = 30) double z2) {
        Op op = activation.op(2, 2);
        double[] z = {z1, z2};
        JacobianBound b = op.jacobianBound(0, List.of(z), new double[2], SymbolicRules.instance()).orElseThrow();
        double largest = 0;
        for (double v : z) {
            DualNumber d = activation.elementwise().apply(DualNumber.seed(v, 1));
            largest = Math.max(largest, Math.abs(d.tangent()));
        }
        assertEquals(largest, b.here(), ROUNDING * Math.max(largest, 1e-300) + 1e-300, activation + " at " + z1 + ", " + z2);
        assertTrue(b.here() <= b.certified() * (1 + ROUNDING), activation + ": " + b);
    }

    @Provide
    Arbitrary<Activation> elementwise() {
        return Arbitraries.of(Activation.values()).filter(a -> a != Activation.SOFTMAX);
    }

    @Property(tries = 100)
    void a_dense_op_stretches_no_vector_by_more_than_its_weight_norm(@ForAll @IntRange(min = 1, max = 5) int in,
                                                                    @ForAll @IntRange(min = 1, max = 5) int out,
                                                                    @ForAll long seed) {
        Random r = new Random(seed);
        double[] w = gaussian(r, out * in);
        double[] a = gaussian(r, in);
        Dense dense = new Dense(1, in, out, false);
        JacobianBound b = dense.jacobianBound(0, List.of(a, w), new double[out], SymbolicRules.instance()).orElseThrow();
        assertEquals(b.certified(), b.here());
        for (int t = 0; t < 20; t++) {
            double[] v = gaussian(r, in);
            double[] wv = new double[out];
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < in; k++) {
                    wv[j] += w[j * in + k] * v[k];
                }
            }
            assertTrue(norm(wv) <= b.here() * norm(v) * (1 + ROUNDING), "‖Wv‖ = " + norm(wv) + " > " + b.here() + "·‖v‖");
        }
        for (int k = 0; k < in; k++) {
            double column = 0;
            for (int j = 0; j < out; j++) {
                column += w[j * in + k] * w[j * in + k];
            }
            assertTrue(Math.sqrt(column) <= b.here() * (1 + ROUNDING), "a column is longer than the spectral norm");
        }
    }

    @Property(tries = 100)
    void a_softmax_jacobian_stretches_no_vector_by_more_than_half(@ForAll @IntRange(min = 2, max = 6) int width,
                                                                 @ForAll long seed) {
        Random r = new Random(seed);
        double[] z = gaussian(r, width);
        for (int j = 0; j < width; j++) {
            z[j] *= 5;
        }
        Softmax softmax = new Softmax(1, width);
        double[] o = values(softmax, z);
        JacobianBound b = softmax.jacobianBound(0, List.of(z), o, SymbolicRules.instance()).orElseThrow();
        assertTrue(b.here() <= b.certified() * (1 + ROUNDING) && b.certified() == 0.5, b.toString());
        for (int t = 0; t < 10; t++) {
            double[] v = gaussian(r, width);
            DualNumber[] seeded = new DualNumber[width];
            for (int j = 0; j < width; j++) {
                seeded[j] = DualNumber.seed(z[j], v[j]);
            }
            DualNumber[] out = softmax.forward(DualNumber.FIELD, Collections.singletonList(seeded));
            double[] jv = new double[width];
            for (int j = 0; j < width; j++) {
                jv[j] = out[j].tangent();
            }
            assertTrue(norm(jv) <= b.here() * norm(v) * (1 + 1e-10), "‖Jv‖ = " + norm(jv) + " > " + b.here() + "·‖v‖");
        }
    }

    private static double[] values(Op op, double[] z) {
        var v = op.forward(io.chainproof.number.DoubleNumber.FIELD,
                Collections.singletonList(io.chainproof.number.DoubleNumber.FIELD.constants(z)));
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j].value();
        }
        return out;
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }
}
