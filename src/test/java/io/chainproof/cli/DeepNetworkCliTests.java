package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 300-layer MLP on the command line: the numeric commands give results (its generated code once failed to
 * compile, exit 3); explain and derive, whose closed forms overflow the stack at that depth, refuse it in one line.
 */
class DeepNetworkCliTests {

    private static final String DEEP = "src/test/resources/reference/deep/mlp-300x2.spec.json";

    @Test
    void check_passes() {
        CliTests.Run r = CliTests.run("check", DEEP);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PASSED: all 1797 gradients agree with finite differences"), r.out());
    }

    @Test
    void verify_accepts_pytorchs_gradient() {
        CliTests.Run r = CliTests.run("verify", DEEP, "--gradients", "src/test/resources/reference/deep/mlp-300x2.expected.json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("PASSED: all 1797 gradients agree with the complex step"), r.out());
    }

    @Test
    void bound_and_sweep_give_results(@TempDir Path dir) {
        assertEquals(0, CliTests.run("bound", DEEP).exitCode());
        CliTests.Run sweep = CliTests.run("sweep", DEEP, "--layer", "150", "--points", "4", "--output-dir",
                dir.toString());
        assertEquals(0, sweep.exitCode(), sweep.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"explain", "derive"})
    void explain_and_derive_refuse_it_in_one_line(String command) {
        CliTests.Run r = CliTests.run(command, DEEP);
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertEquals("chainproof: " + DEEP + ": layers: <300 layers> are more than the 200 that " + command
                + " writes in closed form (its expressions nest once per layer); use gradient, check, verify or bound, "
                + "which take any depth, or a network of at most 200 layers\n", r.err());
        assertEquals("", r.out());
    }
}
