package io.chainproof.check.planted;

import io.chainproof.check.planted.Mutant.Kind;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.InitScheme;
import io.chainproof.spec.InitSpec;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted faults do what they say: each touches only the gradients its bug can reach, the global ones
 * scale by exactly n or ½, and the equivalences the suite relies on hold bitwise.
 */
class MutantTests {

    /** 2 → 3 identity → 2 tanh → 2 sigmoid, sse, 3 samples: every layer fault is visible somewhere. */
    private static final NetworkSpec NET = network(List.of(new LayerSpec(3, Activation.IDENTITY),
            new LayerSpec(2, Activation.TANH), new LayerSpec(2, Activation.SIGMOID)), 3);

    @Test
    void a_layer_fault_leaves_every_later_layer_bitwise_unchanged() {
        double[] truth = ManualBackprop.gradient(NET);
        FlatLayout layout = FlatLayout.of(NET);
        for (Mutant m : Mutant.catalogue(NET, truth, new Random(1))) {
            if (m.kind().scope() != Mutant.Scope.LAYER) {
                continue;
            }
            double[] g = ManualBackprop.gradient(NET, m);
            int after = layout.weightOffset(m.layer() + 1);
            for (int i = after; i < truth.length; i++) {
                assertEquals(truth[i], g[i], 0.0, m + " changed " + layout.name(i));
            }
        }
    }

    @Test
    void sign_flip_bias_and_pre_activation_faults_touch_only_their_own_tensor() {
        double[] truth = ManualBackprop.gradient(NET);
        FlatLayout layout = FlatLayout.of(NET);
        double[] flipped = ManualBackprop.gradient(NET, new Mutant(Kind.WEIGHT_GRADIENT_SIGN_FLIPPED, 2, -1));
        double[] oneSample = ManualBackprop.gradient(NET, new Mutant(Kind.BIAS_FROM_ONE_SAMPLE, 2, -1));
        double[] preActivation = ManualBackprop.gradient(NET, new Mutant(Kind.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION, 3, -1));
        for (int i = 0; i < truth.length; i++) {
            boolean w2 = i >= layout.weightOffset(2) && i < layout.biasOffset(2);
            boolean b2 = i >= layout.biasOffset(2) && i < layout.weightOffset(3);
            boolean w3 = i >= layout.weightOffset(3) && i < layout.biasOffset(3);
            assertEquals(w2 ? -truth[i] : truth[i], flipped[i], 0.0, "sign flip at " + layout.name(i));
            assertEquals(b2, oneSample[i] != truth[i], "bias from one sample at " + layout.name(i));
            assertEquals(w3, preActivation[i] != truth[i], "z instead of a at " + layout.name(i));
        }
    }

    @Test
    void mean_missing_multiplies_by_the_sample_count_and_halving_by_one_half() {
        double[] truth = ManualBackprop.gradient(NET);
        assertEquals(3.0, PlantedBugSuite.commonFactor(
                ManualBackprop.gradient(NET, new Mutant(Kind.MEAN_OVER_SAMPLES_MISSING, 3, -1)), truth), 1e-14);
        assertEquals(0.5, PlantedBugSuite.commonFactor(
                ManualBackprop.gradient(NET, new Mutant(Kind.LOSS_GRADIENT_HALVED, 3, -1)), truth), 1e-14);
    }

    @Test
    void an_entry_fault_changes_exactly_its_entry_by_its_relative_error() {
        double[] truth = ManualBackprop.gradient(NET);
        for (Kind kind : List.of(Kind.ENTRY_OFF_1E2, Kind.ENTRY_OFF_1E4, Kind.ENTRY_OFF_1E6)) {
            Mutant m = new Mutant(kind, 2, FlatLayout.of(NET).bias(2, 1));
            double[] g = ManualBackprop.gradient(NET, m);
            for (int i = 0; i < truth.length; i++) {
                double expected = i == m.entry() ? truth[i] * (1 + kind.relativeError()) : truth[i];
                assertEquals(expected, g[i], 0.0, kind + " at " + FlatLayout.of(NET).name(i));
            }
            assertTrue(g[m.entry()] != truth[m.entry()], kind + " must change its entry");
        }
    }

    @Test
    void random_entry_faults_land_on_any_nonzero_entry_not_only_on_the_largest() {
        int elsewhere = 0;
        int planted = 0;
        for (NetworkZoo.Network n : NetworkZoo.networks()) {
            double[] truth = ManualBackprop.gradient(n.spec());
            double largest = java.util.Arrays.stream(truth).map(Math::abs).max().orElseThrow();
            for (Mutant m : Mutant.catalogue(n.spec(), truth, new Random(n.label().hashCode()))) {
                if (m.kind().name().startsWith("RANDOM_ENTRY_")) {
                    planted++;
                    assertTrue(truth[m.entry()] != 0, n.label() + ": " + m.label(n.spec()) + " on a zero entry");
                    elsewhere += Math.abs(truth[m.entry()]) < largest ? 1 : 0;
                }
            }
        }
        assertEquals(3 * NetworkZoo.networks().size(), planted, "three random entry faults per network");
        assertTrue(elsewhere >= planted * 3 / 4, "only " + elsewhere + " of " + planted
                + " random entry faults off the largest entry");
    }

    @Test
    void the_textbook_equivalences_hold_bitwise() {
        double[] truth = ManualBackprop.gradient(NET);
        assertArrayEquals(truth, ManualBackprop.gradient(NET, new Mutant(Kind.MISSING_ACTIVATION_DERIVATIVE, 1, -1)),
                "missing derivative of an identity layer");
        assertArrayEquals(truth, ManualBackprop.gradient(NET, new Mutant(Kind.DERIVATIVE_AT_OUTPUT, 1, -1)),
                "φ'(a) for φ'(z) on an identity layer");
        assertArrayEquals(truth, ManualBackprop.gradient(NET, new Mutant(Kind.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION, 2, -1)),
                "z instead of a after an identity layer");
        assertArrayEquals(truth, ManualBackprop.gradient(NET, new Mutant(Kind.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION, 1, -1)),
                "z instead of a in layer 1");
        NetworkSpec oneSample = network(NET.layers(), 1);
        double[] single = ManualBackprop.gradient(oneSample);
        assertArrayEquals(single, ManualBackprop.gradient(oneSample, new Mutant(Kind.MEAN_OVER_SAMPLES_MISSING, 3, -1)),
                "mean missing with one sample");
        assertArrayEquals(single, ManualBackprop.gradient(oneSample, new Mutant(Kind.BIAS_FROM_ONE_SAMPLE, 2, -1)),
                "bias from one sample with one sample");
        assertFalse(PlantedBugSuite.same(truth, ManualBackprop.gradient(NET,
                new Mutant(Kind.MISSING_ACTIVATION_DERIVATIVE, 2, -1)), PlantedBugSuite.EQUIVALENT), "tanh layer");
    }

    @Test
    void softmax_layers_get_a_missing_jacobian_but_no_elementwise_derivative_faults() {
        NetworkSpec softmax = network(List.of(new LayerSpec(3, Activation.TANH), new LayerSpec(3, Activation.SOFTMAX)), 2);
        List<Mutant> mutants = Mutant.catalogue(softmax, ManualBackprop.gradient(softmax), new Random(2));
        assertTrue(mutants.contains(new Mutant(Kind.MISSING_ACTIVATION_DERIVATIVE, 2, -1)));
        assertFalse(mutants.contains(new Mutant(Kind.ACTIVATION_INSTEAD_OF_DERIVATIVE, 2, -1)));
        assertFalse(mutants.contains(new Mutant(Kind.DERIVATIVE_AT_OUTPUT, 2, -1)));
        assertTrue(mutants.contains(new Mutant(Kind.DERIVATIVE_AT_OUTPUT, 1, -1)));
    }

    private static NetworkSpec network(List<LayerSpec> layers, int samples) {
        Random r = new Random(5);
        double[][] x = new double[samples][2];
        double[][] y = new double[samples][layers.get(layers.size() - 1).units()];
        for (int s = 0; s < samples; s++) {
            x[s] = new double[] {2 * r.nextDouble() - 1, 2 * r.nextDouble() - 1};
            for (int j = 0; j < y[s].length; j++) {
                y[s][j] = r.nextDouble();
            }
        }
        return new NetworkSpec("mutant-test", "MutantTests", 2, layers, Loss.SSE,
                new InitSpec(InitScheme.XAVIER_NORMAL, 1.5, 3).initialise(2, layers), new Data(x, y));
    }
}
