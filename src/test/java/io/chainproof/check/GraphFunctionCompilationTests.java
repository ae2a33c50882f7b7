package io.chainproof.check;

import io.chainproof.model.Models;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graph function walks its graph until walking has cost {@link GraphFunction#WALK_NANOS_BEFORE_COMPILING}, then
 * runs compiled — and nothing but the speed changes: the loss and gradient before and after are the same bits.
 */
class GraphFunctionCompilationTests {

    @Test
    void many_evaluations_switch_to_compiled_code_with_the_same_results() throws IOException {
        GraphFunction f = new GraphFunction(Models.of(SpecReader.readAny(Path.of("examples/rnn-tanh-every.json"))));
        double[] theta = f.point();
        assertFalse(f.isCompiled(), "a fresh function walks");
        double[] walked = f.gradient(theta);
        double walkedLoss = f.loss(theta);
        for (int i = 0; i < 1_000_000 && !f.isCompiled(); i++) {
            // the switch happens on some call: each result must be the walk's
            assertArrayEquals(walked, f.gradient(theta), 0.0);
            assertEquals(walkedLoss, f.loss(theta), 0.0);
        }
        assertTrue(f.isCompiled(), "100 ms of walking compiles the model");
        assertArrayEquals(walked, f.gradient(theta), 0.0);
        assertEquals(walkedLoss, f.loss(theta), 0.0);
    }

    @Test
    void a_heap_too_small_for_the_compiler_leaves_the_walk_to_serve() throws Exception {
        // compiling the 20-block residual MLP's 2.4 MB of code takes Janino about 600 MB; in a 256 MB JVM the check
        // must walk instead of running out of memory (it did: exit 3)
        Path launcher = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Process p = new ProcessBuilder(launcher.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.chainproof.cli.Main", "check", "examples/remedies/residual-sigmoid-20.json", "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "the check finishes");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("all 825 gradients agree") || output.contains("825"), output);
    }
}
