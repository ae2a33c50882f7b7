package io.chainproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.model.Model;
import io.chainproof.model.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading the checked-in reference data: {@code <name>.spec.json} with its {@code <name>.expected.json}. */
public final class ReferenceData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceData() {
    }

    /**
     * @param dir a reference directory
     * @return its spec files, sorted
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> specs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".spec.json")).sorted().toList();
        }
    }

    /**
     * @param spec a spec file
     * @return its expected file's tree ({@code loss}, {@code gradients}, {@code producer})
     * @throws IOException if it cannot be read
     */
    public static JsonNode expected(Path spec) throws IOException {
        return JSON.readTree(spec.resolveSibling(spec.getFileName().toString().replace(".spec.json", ".expected.json"))
                .toFile());
    }

    /**
     * @param model     the model
     * @param gradients the reference's {@code gradients} object
     * @return the reference gradient in the model's flat layout, tensor by tensor
     */
    public static double[] flatten(Model model, JsonNode gradients) {
        List<Double> flat = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            JsonNode t = gradients.get(p.name());
            if (t == null) {
                throw new AssertionError("the reference has no gradient for " + p.name());
            }
            collect(t, flat);
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param node a number or nested lists of numbers
     * @return its numbers, row-major
     */
    public static double[] values(JsonNode node) {
        List<Double> out = new ArrayList<>();
        collect(node, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, into));
        } else {
            into.add(node.doubleValue());
        }
    }
}
