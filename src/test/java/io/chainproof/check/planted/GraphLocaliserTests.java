package io.chainproof.check.planted;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.Localisation;
import io.chainproof.check.VerificationReport;
import io.chainproof.model.Models;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The op graph's generic localiser on the planted-bug zoo: the activation faults that the independent hand-written
 * backprop ({@link ManualBackprop}) plants — φ' missing, φ for φ', φ'(a) for φ'(z) — verified through the MLP's op
 * graph ({@link GraphFunction}) must be detected and named from the activation op's own fault catalogue, at the
 * right layer, as the MLP's dedicated localiser names them (by the strict rule where the default one passed the fault
 * within what a correct float64 backward pass may lose, marking each changed entry so).
 */
class GraphLocaliserTests {

    private static final Set<Mutant.Kind> ACTIVATION_FAULTS = EnumSet.of(Mutant.Kind.MISSING_ACTIVATION_DERIVATIVE,
            Mutant.Kind.ACTIVATION_INSTEAD_OF_DERIVATIVE, Mutant.Kind.DERIVATIVE_AT_OUTPUT);

    @Test
    void every_planted_activation_fault_is_named_at_its_layer_from_the_ops_fault_catalogue() {
        List<NetworkZoo.Network> zoo = NetworkZoo.networks();
        List<String> wrong = new ArrayList<>();
        int detected = 0;
        for (int index = 0; index < zoo.size(); index++) {
            NetworkSpec spec = zoo.get(index).spec();
            double[] truth = ManualBackprop.gradient(spec);
            Map<Mutant, double[]> gradients = new LinkedHashMap<>();
            for (Mutant m : Mutant.catalogue(spec, truth, new Random(1_000_003L * index + 17))) {
                gradients.put(m, ManualBackprop.gradient(spec, m));
            }
            GraphFunction f = new GraphFunction(Models.mlp(spec));
            for (Map.Entry<Mutant, double[]> e : gradients.entrySet()) {
                if (!ACTIVATION_FAULTS.contains(e.getKey().kind())
                        || PlantedBugSuite.same(e.getValue(), truth, PlantedBugSuite.EQUIVALENT)) {
                    continue;
                }
                VerificationReport report = new GradientVerifier().verify(f, e.getValue());
                if (report.passed()) {
                    // in a saturated network the default rule passes a fault only where it marked every changed entry
                    // as computed without relative accuracy by a correct float64 backward pass; --strict must name it
                    VerificationReport strict = new GradientVerifier().strict().verify(f, e.getValue());
                    Set<String> withinRounding = report.checks().stream()
                            .filter(io.chainproof.check.ParameterCheck::lostRelativeAccuracy)
                            .map(io.chainproof.check.ParameterCheck::parameter).collect(java.util.stream.Collectors.toSet());
                    if (strict.failures().stream().allMatch(c -> withinRounding.contains(c.parameter()))) {
                        report = strict;
                    }
                }
                Set<String> right = PlantedBugSuite.acceptable(spec, e.getValue(), truth, gradients);
                Localisation where = report.localisation().orElse(null);
                boolean named = where != null
                        && right.stream().anyMatch(k -> k.equals(layerOf(spec, where) + ":" + where.fault()));
                if (report.passed() || !named) {
                    wrong.add(zoo.get(index).label() + " " + e.getKey() + " → "
                            + (report.passed() ? "passed" : where == null ? "no localisation" : where.fault() + ": "
                                    + where.explanation()) + " (right: " + right + ")");
                } else {
                    detected++;
                }
            }
        }
        assertTrue(detected > 40, "only " + detected + " planted activation faults were non-equivalent");
        assertEquals(List.of(), wrong);
    }

    /**
     * The layer a graph localisation names: its explanation starts with the node's label, {@code layer 2: …}; a
     * fault that scales every gradient is placed, as the MLP localiser places it, at the last layer.
     */
    private static String layerOf(NetworkSpec spec, Localisation where) {
        if (where.fault() == Localisation.Fault.SCALED || where.fault() == Localisation.Fault.MEAN_OVER_SAMPLES_MISSING) {
            return Integer.toString(spec.layerCount());
        }
        String e = where.explanation();
        return e.startsWith("layer ") ? e.substring(6, e.indexOf(':')) : "?";
    }
}
