package io.chainproof.check.planted;

import io.chainproof.check.GradientVerifier;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verifier measured on real backprop bugs: every fault of {@link Mutant} planted in the independent
 * {@link ManualBackprop} on every {@link NetworkZoo} network, graded by {@link PlantedBugSuite}. Required:
 * every non-equivalent mutant detected, every true gradient passed, the structural faults localised to
 * the right layer and fault (global faults at the last layer), each one-entry fault (at a tensor's largest entry
 * and at a random one) reported as exactly its own parameter, and enough non-equivalent faults per family of
 * networks that the requirements are not met vacuously. The detection table goes to stdout, and into the failure
 * message; broken requirements are also written as replayable files by {@link ReproductionFiles}.
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

    /** With every fault switch a no-op (the faulty code returns the true gradient), the suite must fail. */
    @Test
    void the_suite_fails_when_every_planted_fault_is_a_no_op() {
        List<NetworkZoo.Network> zoo = NetworkZoo.networks();
        DetectionTable table = new DetectionTable(new PlantedBugSuite(new GradientVerifier(),
                (spec, mutant) -> ManualBackprop.gradient(spec)).run(zoo));
        assertFalse(table.allMet(), table::render);
        List<String> families = zoo.stream().map(NetworkZoo.Network::family).distinct().toList();
        assertEquals(families.size(), table.shortfalls().size(), () -> "every family falls short: " + table.shortfalls());
        for (String family : families) {
            long networks = zoo.stream().filter(n -> n.family().equals(family)).count();
            assertTrue(table.shortfalls().contains("family <" + family + ">: 0 non-equivalent planted faults on "
                    + networks + " networks, at least " + DetectionTable.MIN_TESTED_PER_NETWORK * networks
                    + " required (" + DetectionTable.MIN_TESTED_PER_NETWORK + " per network); the fault switches "
                    + "change too little"), () -> family + ": " + table.shortfalls());
        }
        assertTrue(table.problems().stream().allMatch(o -> o.status() == PlantedBugSuite.Status.EQUIVALENT
                && !o.mutant().kind().canBeEquivalent()), "only the faults that cannot be equivalent break");
        assertTrue(table.render().contains("PLANTS NOTHING ENTRY_OFF_1E6"), table::render);
    }
}
