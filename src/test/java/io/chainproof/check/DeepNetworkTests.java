package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.InitScheme;
import io.chainproof.spec.InitSpec;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 20-layer, 16-wide tanh MLP (Xavier initialisation, 5,185 parameters): the compiled complex step's worst-case
 * rounding bound for ∂L/∂W1[0][0] = −1.71e−4 is 3.5e−8, 2e−4 of it (measured), so with the safety factor 10 a
 * one-in-a-thousand error would pass; with the statistical estimate a one-in-a-million error in that weight is
 * flagged, and the truth passes.
 */
class DeepNetworkTests {

    static NetworkSpec spec() {
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 1; l < 20; l++) {
            layers.add(new LayerSpec(16, Activation.TANH));
        }
        layers.add(new LayerSpec(1, Activation.IDENTITY));
        Random r = new Random(3);
        double[][] x = new double[2][16];
        for (double[] row : x) {
            for (int k = 0; k < 16; k++) {
                row[k] = r.nextGaussian();
            }
        }
        return new NetworkSpec("deep", "<test>", 16, layers, Loss.MSE,
                new InitSpec(InitScheme.XAVIER_NORMAL, 1.0, 3).initialise(16, layers),
                new Data(x, new double[][] {{0.5}, {-0.5}}));
    }

    @Test
    void a_one_in_a_million_error_in_a_first_layer_weight_is_flagged_and_the_truth_passes() {
        CompiledNetwork network = NetworkCompiler.compile(ComputationGraph.of(spec()));
        double[] truth = network.evaluate().gradient();
        GradientVerifier verifier = new GradientVerifier();
        VerificationReport right = verifier.verify(network, truth);
        assertTrue(right.passed(), right.failures().toString());
        double[] claimed = truth.clone();
        claimed[0] *= 1 + 1e-6;
        VerificationReport wrong = verifier.verify(network, claimed);
        assertEquals(List.of("W1[0][0]"), wrong.failures().stream().map(ParameterCheck::parameter).toList());
        double allowed = ((Verdict.Disagrees) wrong.failures().get(0).verdict()).allowed();
        assertTrue(allowed < 1e-7 * Math.abs(truth[0]), "allowed " + allowed + " of " + truth[0]);
    }
}
