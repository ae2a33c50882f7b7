package io.chainproof.check;

import io.chainproof.model.Models;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.RnnSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No false alarms from the exact oracles' error estimates on graphs: for random RNNs — up to 40 steps, recurrent
 * weights up to a spectral scale of about 1.5, where the worst-case rounding bounds are useless and the statistical
 * estimate decides — chainproof's own reverse-walk gradient, computed in another order, always passes the complex
 * step and forward AD, and a one-in-a-million error in the largest entry never does.
 */
class GraphVerdictProperties {

    @Property(tries = 40)
    void the_reverse_walk_passes_and_a_planted_error_fails(@ForAll long seed, @ForAll("hidden") Activation phi,
                                                           @ForAll @IntRange(min = 2, max = 8) int hidden,
                                                           @ForAll @IntRange(min = 5, max = 40) int steps,
                                                           @ForAll @DoubleRange(min = 0.1, max = 1.5) double scale) {
        Random r = new Random(seed);
        double[][] wh = matrix(r, hidden, hidden, scale / Math.sqrt(hidden));
        double[][] wx = matrix(r, hidden, 2, 1);
        double[][][] x = new double[2][steps][];
        for (double[][] sequence : x) {
            for (int t = 0; t < steps; t++) {
                sequence[t] = new double[] {r.nextGaussian(), r.nextGaussian()};
            }
        }
        RnnSpec spec = new RnnSpec("random", "<test>", 2, hidden, phi, 1, Activation.IDENTITY, Loss.MSE,
                RnnSpec.LossAt.LAST, wh, wx, matrix(r, 1, hidden, 0.3)[0], matrix(r, 1, hidden, 1),
                new double[] {0.1}, null, x, new double[][][] {{{0.5}}, {{-0.5}}});
        GraphFunction f = new GraphFunction(Models.rnn(spec));
        double[] truth = f.gradient(f.point());
        int largest = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Math.abs(truth[i]) > Math.abs(truth[largest])) {
                largest = i;
            }
        }
        double[] wrong = truth.clone();
        wrong[largest] *= 1 + 1e-6;
        for (Oracle oracle : new Oracle[] {Oracle.COMPLEX_STEP, Oracle.FORWARD_AD}) {
            GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
            VerificationReport right = verifier.verify(f, truth);
            assertTrue(right.passed(), oracle + " false alarm: " + right.failures());
            assertTrue(!verifier.verify(f, wrong).passed(), oracle + " missed a 1e−6 error in " + f.parameterNames().get(largest));
        }
    }

    @Provide
    Arbitrary<Activation> hidden() {
        return Arbitraries.of(Activation.TANH, Activation.SIGMOID);
    }

    private static double[][] matrix(Random r, int rows, int columns, double scale) {
        double[][] m = new double[rows][columns];
        for (double[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return m;
    }
}
