package io.chainproof.rnn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.Oracle;
import io.chainproof.check.VerificationReport;
import io.chainproof.model.Models;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.RnnSpecReader;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RNN examples: rnn-tanh-every (loss summed over steps), rnn-vanishing (W_h = 0.5·rotation, ‖W_h‖₂ = 0.5 &lt; 1)
 * and rnn-exploding (W_h = 1.5·rotation, ‖W_h‖₂ = 1.5 &gt; 1, input 0.001 so tanh stays in its linear regime).
 */
class RnnExamplesTests {

    static RnnSpec read(String name) throws IOException {
        Path file = Path.of("examples", name + ".json");
        return RnnSpecReader.read(file.toString(), new ObjectMapper().readTree(file.toFile()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn-tanh-every", "rnn-vanishing", "rnn-exploding"})
    void each_example_reads_and_its_gradient_passes_the_check(String name) throws IOException {
        GraphFunction f = new GraphFunction(Models.rnn(read(name)));
        VerificationReport r = new GradientVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE).verify(f, f.gradient(f.point()));
        assertTrue(r.passed(), r.failures().toString());
    }

    @Test
    void the_vanishing_example_shrinks_by_at_least_half_per_step() throws IOException {
        RnnBoundReport r = RnnBounds.of(read("rnn-vanishing"));
        assertEquals(RnnBoundReport.Regime.VANISHING, r.regime());
        assertEquals(0.5, r.whNorm(), 1e-12);
        assertTrue(r.lags().get(12).actual() <= Math.pow(0.5, 12), "‖∂h_12/∂h_0‖₂ = " + r.lags().get(12).actual());
    }

    @Test
    @Tag("proof:pascanu-rnn-condition")
    void the_exploding_example_grows_like_one_and_a_half_to_the_lag() throws IOException {
        RnnBoundReport r = RnnBounds.of(read("rnn-exploding"), 1.0);
        assertEquals(RnnBoundReport.Regime.EXPLODING_POSSIBLE, r.regime());
        double farthest = r.lags().get(12).actual();
        assertTrue(farthest > 0.95 * Math.pow(1.5, 12) && farthest <= Math.pow(1.5, 12) * (1 + 1e-12),
                "‖∂h_12/∂h_0‖₂ = " + farthest + ", 1.5¹² = " + Math.pow(1.5, 12));
        assertTrue(r.gradientNorm() > 1, "‖∇L‖₂ = " + r.gradientNorm());
        assertEquals(1.0, r.clippedNorm(), 1e-12);
    }
}
