package io.chainproof.testing;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A claimed gradient given as tensors by name ({@code "W1"} → {@code double[units_1][inputs]}, {@code "b1"} →
 * {@code double[units_1]}, …, PyTorch's layout), checked against the network's shapes and laid out flat.
 * A missing, extra or wrongly shaped tensor is an assertion failure naming it.
 */
final class ClaimedTensors {

    private ClaimedTensors() {
    }

    static double[] flatten(NetworkSpec spec, Map<String, ?> claimed, Supplier<String> message) {
        Set<String> expected = new LinkedHashSet<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            expected.add("W" + l);
            expected.add("b" + l);
        }
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(claimed.keySet());
        Set<String> extra = new LinkedHashSet<>(claimed.keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw Failures.failure(message, spec.name() + ": the claimed gradient's tensors do not match the network's"
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; not in the network " + extra),
                    expected, claimed.keySet());
        }
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            weights.add(matrix(spec, "W" + l, claimed.get("W" + l), spec.units(l), spec.units(l - 1), message));
            biases.add(vector(spec, "b" + l, claimed.get("b" + l), spec.units(l), message));
        }
        return ComputationGraph.of(spec).flatten(weights, biases);
    }

    private static double[][] matrix(NetworkSpec spec, String name, Object value, int rows, int columns, Supplier<String> message) {
        String want = "[" + rows + "][" + columns + "]";
        if (!(value instanceof double[][] m)) {
            throw Failures.failure(message, spec.name() + ": " + name + " must be a double" + want, "double" + want, type(value));
        }
        boolean ok = m.length == rows;
        for (int j = 0; ok && j < m.length; j++) {
            ok = m[j] != null && m[j].length == columns;
        }
        if (!ok) {
            throw Failures.failure(message, spec.name() + ": " + name + " has the wrong shape (W_l is [units_l][units_{l−1}], "
                    + "as PyTorch's Linear.weight)", want, shape(m));
        }
        return m;
    }

    private static double[] vector(NetworkSpec spec, String name, Object value, int length, Supplier<String> message) {
        String want = "[" + length + "]";
        if (!(value instanceof double[] v)) {
            throw Failures.failure(message, spec.name() + ": " + name + " must be a double" + want, "double" + want, type(value));
        }
        if (v.length != length) {
            throw Failures.failure(message, spec.name() + ": " + name + " has the wrong shape", want, "[" + v.length + "]");
        }
        return v;
    }

    private static String shape(double[][] m) {
        StringBuilder s = new StringBuilder("[" + m.length + "]");
        if (m.length > 0) {
            s.append(m[0] == null ? "[null]" : "[" + m[0].length + "]");
        }
        for (double[] row : m) {
            if (row == null || row.length != (m[0] == null ? -1 : m[0].length)) {
                return s + " (ragged)";
            }
        }
        return s.toString();
    }

    private static String type(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
