package io.chainproof.check.planted;

import io.chainproof.check.GradientVerifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verifier measured on real backprop bugs: every fault of {@link Mutant} planted in the independent
 * {@link ManualBackprop} on every {@link NetworkZoo} network, graded by {@link PlantedBugSuite}. Required:
 * every non-equivalent mutant detected, every true gradient passed, the structural faults localised to
 * the right layer and fault (global faults at the last layer), and each one-entry fault reported as
 * exactly its own parameter. The detection table goes to stdout, and into the failure message; broken
 * requirements are also written as replayable files by {@link ReproductionFiles}.
 */
class PlantedBugSuiteTests {

    @Test
    void the_verifier_detects_and_localises_every_planted_bug_and_passes_every_true_gradient() {
        List<PlantedBugSuite.Outcome> outcomes = new PlantedBugSuite(new GradientVerifier()).run(NetworkZoo.networks());
        DetectionTable table = new DetectionTable(outcomes);
        String text = table.render() + (table.allMet() ? "" : "\nReplay files (spec + claimed gradients): "
                + ReproductionFiles.write(Path.of("target/planted-bugs"), table.problems()).toAbsolutePath() + "\n");
        System.out.println(text);
        assertTrue(table.allMet(), () -> "planted-bug requirements broken ==>\n" + text);
    }
}
