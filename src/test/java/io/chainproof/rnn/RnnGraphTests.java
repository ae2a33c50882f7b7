package io.chainproof.rnn;

import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.check.GradientChecker;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.RnnSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recurrent network as an op graph: its cell unrolled over the steps with shared weights (see
 * {@link Models#rnn}), in the spec's parameter layout, with the hidden-state Jacobians of reverse walks checked
 * against central differences and the every-step loss against a hand-written sum.
 */
class RnnGraphTests {

    static RnnSpec spec(double[] h0, RnnSpec.LossAt at) {
        return new RnnSpec("t", "<test>", 1, 2, Activation.TANH, 2, Activation.SOFTMAX, Loss.CROSS_ENTROPY, at,
                new double[][] {{0.6, -0.4}, {0.3, 0.8}}, new double[][] {{1.0}, {-0.5}}, new double[] {0.1, -0.2},
                new double[][] {{1.0, 0.5}, {-0.3, 0.2}}, new double[] {0.0, 0.1}, h0,
                new double[][][] {{{0.5}, {-1.0}, {2.0}}},
                at == RnnSpec.LossAt.EVERY ? new double[][][] {{{1, 0}, {0, 1}, {1, 0}}} : new double[][][] {{{0, 1}}});
    }

    /** h_t of the first sequence (h_0 for t = 0). */
    static double[] state(Model model, int t) {
        return ModelEvaluator.values(model, model.point())[model.tensorIndex(t == 0 ? "h0" : "h[1][" + t + "]")];
    }

    @Test
    void the_flat_layout_is_wh_wx_b_wy_by_row_major() {
        Model model = Models.rnn(spec(null, RnnSpec.LossAt.LAST));
        assertEquals(List.of("Wh[0][0]", "Wh[0][1]", "Wh[1][0]", "Wh[1][1]", "Wx[0][0]", "Wx[1][0]", "b[0]", "b[1]",
                "Wy[0][0]", "Wy[0][1]", "Wy[1][0]", "Wy[1][1]", "by[0]", "by[1]"), model.parameterNames());
        assertArrayEquals(new double[] {0.6, -0.4, 0.3, 0.8, 1.0, -0.5, 0.1, -0.2, 1.0, 0.5, -0.3, 0.2, 0.0, 0.1},
                model.point());
        assertEquals(List.of(0, 4, 6, 8, 12), model.parameters().stream().map(Parameter::offset).toList());
    }

    @Test
    void the_hidden_jacobian_matches_central_differences_of_h_t_in_h_0() {
        double[] h0 = {0.3, -0.7};
        for (int t = 1; t <= 3; t++) {
            int step = t;
            FunctionCheckReport r = GradientChecker.checkJacobian(
                    v -> state(Models.rnn(spec(v, RnnSpec.LossAt.LAST)), step),
                    v -> {
                        Model m = Models.rnn(spec(v, RnnSpec.LossAt.LAST));
                        return ModelEvaluator.jacobian(m, m.point(), m.tensorIndex("h0"), m.tensorIndex("h[1][" + step + "]"));
                    }, h0);
            assertTrue(r.passed(), "∂h_" + t + "/∂h_0:\n" + r.text());
        }
    }

    @Test
    void every_step_loss_is_the_sum_of_the_per_step_losses() {
        Model every = Models.rnn(spec(null, RnnSpec.LossAt.EVERY));
        double[] theta = every.point();
        double[][] wy = {{1.0, 0.5}, {-0.3, 0.2}};
        double[] by = {0.0, 0.1};
        int[] label = {0, 1, 0};
        double sum = 0;
        for (int t = 1; t <= 3; t++) {
            double[] h = state(every, t);
            double u0 = wy[0][0] * h[0] + wy[0][1] * h[1] + by[0];
            double u1 = wy[1][0] * h[0] + wy[1][1] * h[1] + by[1];
            double lse = Math.log(Math.exp(u0) + Math.exp(u1));
            sum += lse - (label[t - 1] == 0 ? u0 : u1);
        }
        assertEquals(sum, ModelEvaluator.loss(every, theta), 1e-14);
        GraphFunction f = new GraphFunction(every);
        VerificationReport r = new GradientVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE).verify(f, f.gradient(theta));
        assertTrue(r.passed(), r.failures().toString());
    }

    @Test
    void a_parameter_vector_of_the_wrong_length_is_named_in_the_message() {
        Model model = Models.rnn(spec(null, RnnSpec.LossAt.LAST));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelEvaluator.loss(model, new double[3]));
        assertEquals("Parameter vector of length <3> does not fit the <14> parameters of model <t>", e.getMessage());
    }
}
