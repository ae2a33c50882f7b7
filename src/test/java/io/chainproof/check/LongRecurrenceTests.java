package io.chainproof.check;

import io.chainproof.model.Models;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.RnnSpec;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long recurrence (24 tanh units over 40 steps, W_h uniform in ±0.15: Σ_k |W_jk| ≈ 1.8 per row) where the
 * exact oracles' worst-case rounding bound multiplies absolute values along every path: for ∂L/∂W_h[0][5] =
 * 1.75e−2 it is 6.2e−4 (3.6%), so it would let a 1e−6 relative error pass; the statistical estimate is 1.8e−16
 * (measured). The verdicts must resolve that error.
 */
class LongRecurrenceTests {

    static RnnSpec spec() {
        Random r = new Random(5);
        int n = 24;
        int steps = 40;
        double[][] wh = new double[n][n];
        for (double[] row : wh) {
            for (int j = 0; j < n; j++) {
                row[j] = 0.3 * (r.nextDouble() - 0.5);
            }
        }
        double[][] wx = new double[n][2];
        for (double[] row : wx) {
            row[0] = r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        double[] b = new double[n];
        double[][] wy = new double[1][n];
        for (int j = 0; j < n; j++) {
            b[j] = 0.1 * r.nextGaussian();
            wy[0][j] = r.nextGaussian() / 5;
        }
        double[][][] x = new double[2][steps][2];
        for (double[][] sequence : x) {
            for (double[] xt : sequence) {
                xt[0] = 0.2 * r.nextGaussian();
                xt[1] = 0.2 * r.nextGaussian();
            }
        }
        return new RnnSpec("long", "<test>", 2, n, Activation.TANH, 1, Activation.IDENTITY, Loss.MSE, RnnSpec.LossAt.LAST,
                wh, wx, b, wy, new double[] {0.1}, null, x, new double[][][] {{{0.3}}, {{-0.2}}});
    }

    @Test
    void a_one_in_a_million_error_in_one_recurrent_weight_is_flagged_and_the_truth_passes() {
        GraphFunction f = new GraphFunction(Models.rnn(spec()));
        double[] truth = f.gradient(f.point());
        for (Oracle oracle : new Oracle[] {Oracle.COMPLEX_STEP, Oracle.FORWARD_AD}) {
            GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
            VerificationReport right = verifier.verify(f, truth);
            assertTrue(right.passed(), oracle + ": " + right.failures());
            assertFalse(right.fast(), "exhaustive at this size");
            double[] claimed = truth.clone();
            claimed[5] *= 1 + 1e-6;
            VerificationReport wrong = verifier.verify(f, claimed);
            assertEquals(1, wrong.failures().size(), oracle + ": " + wrong.failures());
            assertEquals("Wh[0][5]", wrong.failures().get(0).parameter());
            assertEquals(Localisation.Fault.ISOLATED_ENTRIES, wrong.localisation().orElseThrow().fault());
        }
    }
}
