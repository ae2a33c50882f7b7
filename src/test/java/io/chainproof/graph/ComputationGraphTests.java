package io.chainproof.graph;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flat layout, computed from indices (no object per parameter), against the layout written out by hand. */
class ComputationGraphTests {

    private static NetworkSpec network(int inputs, int... units) {
        List<LayerSpec> layers = new ArrayList<>();
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int in = inputs;
        for (int u : units) {
            layers.add(new LayerSpec(u, Activation.TANH));
            weights.add(new double[u][in]);
            biases.add(new double[u]);
            in = u;
        }
        return new NetworkSpec("layout", "<test>", inputs, layers, Loss.MSE, new Parameters(weights, biases),
                new Data(new double[][] {new double[inputs]}, new double[][] {new double[in]}));
    }

    @Test
    void the_layout_is_w1_row_by_row_then_b1_then_w2_and_so_on() {
        for (NetworkSpec spec : List.of(network(1, 1), network(3, 4, 2), network(2, 5, 1, 3), network(7, 1, 1, 1, 6))) {
            ComputationGraph graph = ComputationGraph.of(spec);
            List<ParameterId> expected = new ArrayList<>();
            int in = spec.inputs();
            for (int l = 1; l <= spec.layerCount(); l++) {
                int out = spec.units(l);
                for (int j = 0; j < out; j++) {
                    for (int k = 0; k < in; k++) {
                        expected.add(ParameterId.weight(l, j, k));
                    }
                }
                for (int j = 0; j < out; j++) {
                    expected.add(ParameterId.bias(l, j));
                }
                in = out;
            }
            assertEquals(expected, graph.parameters());
            assertEquals(expected.stream().map(ParameterId::name).toList(), graph.parameterNames());
            for (int i = 0; i < expected.size(); i++) {
                ParameterId id = expected.get(i);
                assertEquals(i, graph.offset(id));
                assertEquals(i, graph.parameters().indexOf(id));
                assertEquals(id.layer(), graph.layerOf(i));
                assertTrue(graph.contains(id));
            }
            assertFalse(graph.contains(ParameterId.bias(spec.layerCount() + 1, 0)));
            assertFalse(graph.contains(ParameterId.weight(1, spec.units(1), 0)));
            assertFalse(graph.contains(ParameterId.weight(1, 0, spec.inputs())));
            assertEquals(-1, graph.parameters().indexOf(ParameterId.weight(1, 0, spec.inputs())));
            assertThrows(IllegalArgumentException.class, () -> graph.offset(ParameterId.bias(1, spec.units(1))));
            assertThrows(IndexOutOfBoundsException.class, () -> graph.parameters().get(expected.size()));
            assertThrows(IndexOutOfBoundsException.class, () -> graph.layerOf(-1));
        }
    }
}
