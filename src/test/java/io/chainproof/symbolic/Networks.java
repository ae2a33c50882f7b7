package io.chainproof.symbolic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Small network specs for the symbolic tests, and the PyTorch reference gradients checked in as data. */
final class Networks {

    static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Networks() {
    }

    /** The lecture's input → hidden 1 → hidden 2 → output sigmoid chain, sse, x = y = 1. */
    static NetworkSpec lectureChain(double b1, double b2) {
        return chain(List.of(0.5, 500.0, 1.0), List.of(b1, b2, 0.0), Activation.SIGMOID, Loss.SSE, 1.0, 1.0);
    }

    /** A width-1 chain with the given weights and biases. */
    static NetworkSpec chain(List<Double> w, List<Double> b, Activation activation, Loss loss, double x, double y) {
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < w.size(); l++) {
            weights.add(new double[][] {{w.get(l)}});
            biases.add(new double[] {b.get(l)});
        }
        return new NetworkSpec("chain-" + w.size(), "<test>", 1,
                Collections.nCopies(w.size(), new LayerSpec(1, activation)), loss, new Parameters(weights, biases),
                new Data(new double[][] {{x}}, new double[][] {{y}}));
    }

    /** A 12-layer (or {@code depth}-layer) width-1 sigmoid chain, as in the lead's benchmark. */
    static NetworkSpec sigmoidChain(int depth) {
        List<Double> w = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            w.add(0.5 + 0.1 * l);
            b.add(-0.1 * l);
        }
        return chain(w, b, Activation.SIGMOID, Loss.SSE, 1.0, 0.5);
    }

    /**
     * 2 inputs → {@code hidden} (2 units) → {@code output} (2 units), fixed parameters, two samples; targets
     * are probabilities so every loss applies.
     */
    static NetworkSpec twoLayer(Activation hidden, Activation output, Loss loss) {
        List<double[][]> weights = List.of(new double[][] {{0.5, -0.3}, {0.2, 0.1}}, new double[][] {{1.0, 2.0}, {-1.0, 0.5}});
        List<double[]> biases = List.of(new double[] {0.1, -0.1}, new double[] {0.0, 0.2});
        return new NetworkSpec(hidden.specName() + "-" + output.specName(), "<test>", 2,
                List.of(new LayerSpec(2, hidden), new LayerSpec(2, output)), loss, new Parameters(weights, biases),
                new Data(new double[][] {{1.0, 2.0}, {-0.5, 0.25}}, new double[][] {{1.0, 0.0}, {0.25, 0.75}}));
    }

    /** A network of {@code depth} layers of {@code width} tanh units after {@code width} inputs, mse. */
    static NetworkSpec deep(int depth, int width) {
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            double[][] w = new double[width][width];
            for (int j = 0; j < width; j++) {
                for (int k = 0; k < width; k++) {
                    w[j][k] = 0.3 * (j + 1) - 0.2 * k + 0.05 * l;
                }
            }
            weights.add(w);
            biases.add(new double[width]);
        }
        double[][] x = {new double[width]};
        double[][] y = {new double[width]};
        x[0][0] = 1.0;
        return new NetworkSpec("deep", "<test>", width, Collections.nCopies(depth, new LayerSpec(width, Activation.TANH)),
                Loss.MSE, new Parameters(weights, biases), new Data(x, y));
    }

    /** The checked-in PyTorch (or sympy-verified) gradient of {@code parameter} for reference spec {@code name}. */
    /** The {@code producer} of reference {@code name}'s expected file. */
    static String producer(String name) throws IOException {
        return JSON.readTree(REFERENCE.resolve(name + ".expected.json").toFile()).get("producer").asText();
    }

    static double referenceGradient(String name, ParameterId parameter) throws IOException {
        JsonNode g = JSON.readTree(REFERENCE.resolve(name + ".expected.json").toFile()).get("gradients")
                .get(parameter.tensorName());
        return parameter.kind() == ParameterId.Kind.WEIGHT ? g.get(parameter.row()).get(parameter.column()).asDouble()
                : g.get(parameter.row()).asDouble();
    }
}
