package io.chainproof.rnn;

import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.GradientChecker;
import io.chainproof.spec.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.RnnSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RnnNetworkTests {

    static RnnSpec spec(double[] h0, RnnSpec.LossAt at) {
        return new RnnSpec("t", "<test>", 1, 2, Activation.TANH, 2, Activation.SOFTMAX, Loss.CROSS_ENTROPY, at,
                new double[][] {{0.6, -0.4}, {0.3, 0.8}}, new double[][] {{1.0}, {-0.5}}, new double[] {0.1, -0.2},
                new double[][] {{1.0, 0.5}, {-0.3, 0.2}}, new double[] {0.0, 0.1}, h0,
                new double[][][] {{{0.5}, {-1.0}, {2.0}}},
                at == RnnSpec.LossAt.EVERY ? new double[][][] {{{1, 0}, {0, 1}, {1, 0}}} : new double[][][] {{{0, 1}}});
    }

    @Test
    void the_flat_layout_is_wh_wx_b_wy_by_row_major() {
        RnnNetwork net = new RnnNetwork(spec(null, RnnSpec.LossAt.LAST));
        assertEquals(List.of("Wh[0][0]", "Wh[0][1]", "Wh[1][0]", "Wh[1][1]", "Wx[0][0]", "Wx[1][0]", "b[0]", "b[1]",
                "Wy[0][0]", "Wy[0][1]", "Wy[1][0]", "Wy[1][1]", "by[0]", "by[1]"), net.parameterNames());
        assertArrayEquals(new double[] {0.6, -0.4, 0.3, 0.8, 1.0, -0.5, 0.1, -0.2, 1.0, 0.5, -0.3, 0.2, 0.0, 0.1},
                net.parameters());
        assertEquals(List.of(0, 4, 6, 8, 12), List.of(net.whOffset(), net.wxOffset(), net.bOffset(), net.wyOffset(),
                net.byOffset()));
    }

    @Test
    void the_hidden_jacobian_matches_central_differences_of_h_t_in_h_0() {
        double[] h0 = {0.3, -0.7};
        for (int t = 0; t <= 3; t++) {
            int step = t;
            FunctionCheckReport r = GradientChecker.checkJacobian(
                    v -> {
                        RnnNetwork n = new RnnNetwork(spec(v, RnnSpec.LossAt.LAST));
                        return n.hiddenStates(n.parameters(), 0)[step];
                    },
                    v -> {
                        RnnNetwork n = new RnnNetwork(spec(v, RnnSpec.LossAt.LAST));
                        return n.hiddenJacobian(n.parameters(), 0, step, 0);
                    }, h0);
            assertTrue(r.passed(), "∂h_" + t + "/∂h_0:\n" + r.text());
        }
    }

    @Test
    void every_step_loss_is_the_sum_of_the_per_step_losses() {
        RnnNetwork every = new RnnNetwork(spec(null, RnnSpec.LossAt.EVERY));
        double[] theta = every.parameters();
        double[][] h = every.hiddenStates(theta, 0);
        double[][] wy = {{1.0, 0.5}, {-0.3, 0.2}};
        double[] by = {0.0, 0.1};
        int[] label = {0, 1, 0};
        double sum = 0;
        for (int t = 1; t <= 3; t++) {
            double u0 = wy[0][0] * h[t][0] + wy[0][1] * h[t][1] + by[0];
            double u1 = wy[1][0] * h[t][0] + wy[1][1] * h[t][1] + by[1];
            double lse = Math.log(Math.exp(u0) + Math.exp(u1));
            sum += lse - (label[t - 1] == 0 ? u0 : u1);
        }
        assertEquals(sum, every.loss(theta), 1e-14);
        FunctionCheckReport r = GradientChecker.withNames(every.parameterNames()).check(every::loss, every::gradient, theta);
        assertTrue(r.passed(), r.text());
    }

    @Test
    void a_parameter_vector_of_the_wrong_length_is_named_in_the_message() {
        RnnNetwork net = new RnnNetwork(spec(null, RnnSpec.LossAt.LAST));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loss(new double[3]));
        assertEquals("Parameter vector length <3> must be 14 (Wh, Wx, b, Wy, by of t)", e.getMessage());
    }
}
