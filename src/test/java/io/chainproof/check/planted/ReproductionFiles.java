package io.chainproof.check.planted;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.check.planted.Mutant.Kind;
import io.chainproof.check.planted.PlantedBugSuite.Outcome;
import io.chainproof.spec.NetworkSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every broken requirement as files the CLI can replay:
 * {@code <label>.spec.json} (the network, DESIGN.md's spec format) and
 * {@code <label>.<mutant>.gradients.json} (the claimed gradient in PyTorch layout), so that
 * {@code chainproof verify <label>.spec.json --gradients <label>.<mutant>.gradients.json} reproduces it.
 * Doubles are written round-trip exact.
 */
final class ReproductionFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReproductionFiles() {
    }

    /** Writes the files for {@code problems} into {@code directory}; returns the directory. */
    static Path write(Path directory, List<Outcome> problems) {
        try {
            Files.createDirectories(directory);
            for (Outcome o : problems) {
                NetworkSpec spec = o.network().spec();
                Files.writeString(directory.resolve(o.network().label() + ".spec.json"), spec(spec));
                String mutant = o.mutant().is(Kind.NONE) ? "true" : o.mutant().label(spec);
                Files.writeString(directory.resolve(o.network().label() + "." + mutant + ".gradients.json"),
                        gradients(spec, ManualBackprop.gradient(spec, o.mutant())));
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network as a spec file. */
    static String spec(NetworkSpec spec) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", spec.name());
        root.put("inputs", spec.inputs());
        root.put("layers", spec.layers().stream()
                .map(l -> Map.of("units", l.units(), "activation", l.activation().specName())).toList());
        root.put("loss", spec.loss().specName());
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            parameters.put("W" + l, spec.parameters().weight(l));
            parameters.put("b" + l, spec.parameters().bias(l));
        }
        root.put("parameters", parameters);
        root.put("data", Map.of("x", spec.data().x(), "y", spec.data().y()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /** A flat gradient as {@code {"gradients": {"W1": [[…]], "b1": […], …}}}. */
    static String gradients(NetworkSpec spec, double[] flat) throws IOException {
        FlatLayout layout = FlatLayout.of(spec);
        Map<String, Object> tensors = new LinkedHashMap<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            double[][] w = new double[spec.units(l)][spec.units(l - 1)];
            double[] b = new double[spec.units(l)];
            for (int j = 0; j < w.length; j++) {
                for (int k = 0; k < w[j].length; k++) {
                    w[j][k] = flat[layout.weight(l, j, k)];
                }
                b[j] = flat[layout.bias(l, j)];
            }
            tensors.put("W" + l, w);
            tensors.put("b" + l, b);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("gradients", tensors));
    }
}
