package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code verify --hvp}: a Hessian-vector product from a double backward, checked as a user runs it. */
class HessianVectorCliTests {

    private static final String MLP = "examples/mlp-2-3-2-1.json";
    private static final String RIGHT = "examples/claimed/mlp-2-3-2-1.hvp.torch.json";
    private static final String WRONG =
            "src/test/resources/reference/hvp/mlp-2-3-2-1.sigmoid-second-derivative-missing.hvp.json";

    @Test
    void pytorchs_double_backward_passes_by_both_oracles() {
        for (String oracle : new String[] {"complex_step", "forward_ad"}) {
            CliTests.Run r = CliTests.run("verify", MLP, "--hvp", RIGHT, "--oracle", oracle);
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().startsWith("mlp-2-3-2-1 (Hessian-vector product)"), r.out());
            assertTrue(r.out().contains("PASSED: all 20 entries of H·v agree"), r.out());
        }
    }

    @Test
    void a_missing_second_derivative_fails_with_exit_1_and_gradients_and_hvp_are_checked_together() {
        CliTests.Run r = CliTests.run("verify", MLP, "--hvp", WRONG);
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED: 17 of 20 entries of H·v disagree"), r.out());
        CliTests.Run both = CliTests.run("verify", MLP, "--gradients", "examples/claimed/mlp-2-3-2-1.torch.json",
                "--hvp", WRONG, "--format", "json");
        assertEquals(1, both.exitCode(), both.err());
        assertEquals(2, both.out().lines().count(), "one JSON line per report: " + both.out());
        assertTrue(both.out().lines().findFirst().orElseThrow().contains("\"passed\":true"), both.out());
    }

    @Test
    void bad_requests_exit_2_with_the_rule_and_a_fix(@TempDir Path dir) throws Exception {
        CliTests.Run none = CliTests.run("verify", MLP);
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("--gradients: <missing> is required (or --hvp)"), none.err());
        CliTests.Run fd = CliTests.run("verify", MLP, "--hvp", RIGHT, "--oracle", "finite_difference");
        assertEquals(2, fd.exitCode());
        assertTrue(fd.err().contains("cannot check a Hessian-vector product"), fd.err());
        CliTests.Run gradientsFile = CliTests.run("verify", MLP, "--hvp", "examples/claimed/mlp-2-3-2-1.torch.json");
        assertEquals(2, gradientsFile.exitCode());
        assertTrue(gradientsFile.err().contains("vector: <missing> is required in a Hessian-vector product file"),
                gradientsFile.err());
        Path extra = dir.resolve("extra.json");
        String text = Files.readString(Path.of(RIGHT)).replaceFirst("\"hvp\": \\{", "\"hvp\": {\"W9\": [1],");
        Files.writeString(extra, text);
        CliTests.Run unknown = CliTests.run("verify", MLP, "--hvp", extra.toString());
        assertEquals(2, unknown.exitCode(), unknown.out());
        assertTrue(unknown.err().contains("hvp.W9") && unknown.err().contains("is not a parameter"), unknown.err());
        assertFalse(unknown.err().contains("Exception"), unknown.err());
    }
}
