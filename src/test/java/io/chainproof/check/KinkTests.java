package io.chainproof.check;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relu exactly at its kink is reported as not differentiable, never as a failure. */
class KinkTests {

    /** x = 1, z₁ = 1·1 − 1 = 0 exactly: relu's kink; layer 2 is smooth. */
    static final String AT_KINK = """
            {"name": "relu-at-kink", "inputs": 1,
             "layers": [{"units": 1, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}],
             "loss": "sse",
             "parameters": {"W1": [[1.0]], "b1": [-1.0], "W2": [[2.0]], "b2": [0.5]},
             "data": {"x": [[1.0]], "y": [[0.0]]}}""";

    static NetworkSpec spec(String json) {
        return SpecReader.parse(json, "<test>", SpecFormat.JSON);
    }

    @Test
    void a_relu_pre_activation_at_exactly_zero_is_a_kink_for_the_parameters_before_it() {
        VerificationReport r = new GradientVerifier().verify(spec(AT_KINK), new double[] {123.0, -7.0, 0.0, 0.0});
        assertEquals("W1[0][0]", r.checks().get(0).parameter());
        assertInstanceOf(Verdict.NotDifferentiableHere.class, r.checks().get(0).verdict());
        assertInstanceOf(Verdict.NotDifferentiableHere.class, r.checks().get(1).verdict());
        assertTrue(((Verdict.NotDifferentiableHere) r.checks().get(0).verdict()).reason()
                .startsWith("relu pre-activation z₁,₁ of sample 1 is 0.0 and crosses 0 when W1[0][0] moves by ±"), r.checks().get(0).verdict().toString());
        assertEquals(2, r.kinks().size());
    }

    @Test
    void a_kink_is_not_a_failure_but_wrong_smooth_parameters_still_are() {
        VerificationReport r = new GradientVerifier().verify(spec(AT_KINK), new double[] {0.0, 0.0, 5.0, 5.0});
        assertEquals(2, r.failures().size(), r.toString());
        assertEquals("W2[0][0]", r.failures().get(0).parameter());
    }

    @Test
    void away_from_the_kink_relu_is_checked_normally() {
        String away = AT_KINK.replace("\"b1\": [-1.0]", "\"b1\": [-0.5]");
        VerificationReport own = new GradientVerifier().verify(
                io.chainproof.numeric.NetworkCompiler.compile(io.chainproof.graph.ComputationGraph.of(spec(away))));
        assertTrue(own.passed(), own.toString());
        assertTrue(own.kinks().isEmpty(), own.toString());
    }
}
