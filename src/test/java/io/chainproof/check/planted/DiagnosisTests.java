package io.chainproof.check.planted;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Localisation;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.VerificationReport;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diagnosis is only said when it explains the claim and differs from the truth. For leaky relu, φ'(o) and φ'(z)
 * are equal (o and z share their sign), so "φ'(o) instead of φ'(z)" predicts the correct gradient and can explain no
 * error: a gradient with one wrong entry in such a layer is not blamed on it (the Deeplearning4j case, whose
 * real cause — the slope as the float 0.01f — is a wrong constant).
 */
class DiagnosisTests {

    private static final String SPEC = "{\"inputs\": 2, \"layers\": [{\"units\": 3, \"activation\": \"leaky_relu\"},"
            + " {\"units\": 1, \"activation\": \"identity\"}], \"loss\": \"mse\", \"parameters\": {"
            + "\"W1\": [[0.8, -1.1], [-0.6, 0.9], [1.3, 0.4]], \"b1\": [0.1, -0.2, 0.05],"
            + " \"W2\": [[0.7, -1.2, 0.5]], \"b2\": [0.3]},"
            + " \"data\": {\"x\": [[1.0, 0.5], [-0.7, 1.2], [0.3, -1.5]], \"y\": [[0.2], [-0.4], [1.0]]}}";

    @Test
    void a_cause_that_predicts_the_true_gradient_is_never_said() {
        NetworkSpec spec = (NetworkSpec) SpecReader.parseAny(SPEC, "<leaky>", SpecFormat.JSON);
        double[] truth = ManualBackprop.gradient(spec);
        double[] atOutput = ManualBackprop.gradient(spec, new Mutant(Mutant.Kind.DERIVATIVE_AT_OUTPUT, 1, -1));
        assertArrayEquals(truth, atOutput, 0.0, "leaky relu: φ'(o) = φ'(z), the fault changes nothing");
        double[] claimed = truth.clone();
        claimed[0] *= 1 + 1e-7; // W1[0][0] off: flagged, yet close enough to "match" the truth
        VerificationReport report = new GradientVerifier().verify(LossFunctions.of(spec), claimed);
        assertFalse(report.passed(), "the wrong entry is flagged");
        Localisation where = report.localisation().orElseThrow();
        assertNotEquals(Localisation.Fault.DERIVATIVE_AT_OUTPUT, where.fault(), where.explanation());
        assertTrue(where.fault() == Localisation.Fault.ISOLATED_ENTRIES, where.fault() + ": " + where.explanation());
    }
}
