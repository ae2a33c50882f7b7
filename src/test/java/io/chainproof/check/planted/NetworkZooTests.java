package io.chainproof.check.planted;

import io.chainproof.ops.Activation;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo is as varied as {@link NetworkZoo} promises, and as hard. */
class NetworkZooTests {

    private static final List<NetworkZoo.Network> ZOO = NetworkZoo.networks();

    @Test
    void the_zoo_has_at_least_40_networks_with_distinct_labels() {
        assertTrue(ZOO.size() >= 40, "networks: " + ZOO.size());
        assertEquals(ZOO.size(), ZOO.stream().map(NetworkZoo.Network::label).distinct().count());
    }

    @Test
    void every_activation_loss_depth_1_to_4_width_1_to_5_and_sample_count_1_to_3_occurs() {
        Set<Activation> activations = EnumSet.noneOf(Activation.class);
        Set<Loss> losses = EnumSet.noneOf(Loss.class);
        Set<Integer> depths = new TreeSet<>();
        Set<Integer> widths = new TreeSet<>();
        Set<Integer> samples = new TreeSet<>();
        for (NetworkZoo.Network n : ZOO) {
            NetworkSpec spec = n.spec();
            spec.layers().forEach(l -> activations.add(l.activation()));
            spec.layers().stream().map(LayerSpec::units).forEach(widths::add);
            losses.add(spec.loss());
            depths.add(spec.layerCount());
            samples.add(spec.data().samples());
        }
        assertEquals(EnumSet.allOf(Activation.class), activations);
        assertEquals(EnumSet.allOf(Loss.class), losses);
        assertEquals(Set.of(1, 2, 3, 4), depths);
        assertEquals(Set.of(1, 2, 3, 4, 5), widths);
        assertEquals(Set.of(1, 2, 3), samples);
    }

    @Test
    void saturated_networks_have_weights_near_500_and_true_gradients_below_1e_60_but_no_zero() {
        List<NetworkZoo.Network> saturated = ZOO.stream().filter(n -> n.family().equals("saturated")).toList();
        assertTrue(saturated.size() >= 6);
        long below1e100 = 0;
        for (NetworkZoo.Network n : saturated) {
            double smallest = Double.POSITIVE_INFINITY;
            for (double g : ManualBackprop.gradient(n.spec())) {
                assertTrue(g != 0 && Double.isFinite(g), n.label() + " has gradient entry " + g);
                smallest = Math.min(smallest, Math.abs(g));
            }
            assertTrue(smallest < 1e-60 && smallest > 1e-300, n.label() + " smallest |∂L/∂θ| = " + smallest);
            below1e100 += smallest < 1e-100 ? 1 : 0;
            double w = n.spec().parameters().weight(2)[0][0];
            assertTrue(w >= 480 && w <= 520, n.label() + " W2[0][0] = " + w);
        }
        assertTrue(below1e100 >= saturated.size() / 2, "networks with an entry below 1e-100: " + below1e100);
    }

    @Test
    void no_relu_or_leaky_relu_pre_activation_lies_within_1e_6_of_0() {
        for (NetworkZoo.Network n : ZOO) {
            NetworkSpec spec = n.spec();
            for (double[] x : spec.data().x()) {
                double[][] z = ManualBackprop.preActivations(spec, x);
                for (int l = 1; l <= spec.layerCount(); l++) {
                    Activation act = spec.layers().get(l - 1).activation();
                    if (act == Activation.RELU || act == Activation.LEAKY_RELU) {
                        for (double v : z[l]) {
                            assertTrue(Math.abs(v) >= NetworkZoo.KINK_MARGIN, n.label() + " layer " + l + " z = " + v);
                        }
                    }
                }
            }
        }
    }

    @Test
    void the_zoo_is_the_same_on_every_run() {
        NetworkZoo.Network first = ZOO.get(0);
        assertEquals("random-0", first.label());
        assertEquals("5 → 5 identity → 1 leaky_relu → 1 leaky_relu | mse | 3 samples", first.describe());
    }
}
