package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands on layered models (convolutions, pooling, norms, residual blocks), as a user runs them. */
class LayeredCliTests {

    private static final String CNN = "examples/small-cnn.json";
    private static final String CNN_TORCH = "examples/claimed/small-cnn.torch.json";
    private static final String RESIDUAL = "examples/residual-mlp.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void gradient_json_has_pytorchs_names_and_shapes_and_equals_pytorchs_values() throws Exception {
        CliTests.Run r = CliTests.run("gradient", CNN, "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode ours = JSON.readTree(r.out()).get("gradients");
        JsonNode torch = JSON.readTree(Path.of(CNN_TORCH).toFile()).get("gradients");
        java.util.List<String> names = new java.util.ArrayList<>();
        ours.fieldNames().forEachRemaining(names::add);
        assertEquals(java.util.List.of("W1", "b1", "W4", "b4"), names);
        JsonNode w1 = ours.get("W1");
        assertEquals(2, w1.size(), "W1 is [out][in][kh][kw] = [2][1][3][3]");
        assertEquals(1, w1.get(0).size());
        assertEquals(3, w1.get(0).get(0).size());
        assertEquals(3, w1.get(0).get(0).get(0).size());
        double ref = torch.get("W1").get(1).get(0).get(2).get(1).doubleValue();
        double got = w1.get(1).get(0).get(2).get(1).doubleValue();
        assertEquals(ref, got, 1e-9 * Math.abs(ref));
    }

    @Test
    void verify_accepts_pytorchs_gradients_and_names_a_wrong_entry(@TempDir Path dir) throws Exception {
        CliTests.Run right = CliTests.run("verify", RESIDUAL, "--gradients", "examples/claimed/residual-mlp.torch.json");
        assertEquals(0, right.exitCode(), right.out() + right.err());
        assertTrue(right.out().contains("PASSED: all 312 gradients agree with the complex step"), right.out());
        JsonNode claimed = JSON.readTree(Path.of(CNN_TORCH).toFile());
        com.fasterxml.jackson.databind.node.ArrayNode row = (com.fasterxml.jackson.databind.node.ArrayNode)
                claimed.get("gradients").get("W1").get(0).get(0).get(1);
        row.set(2, row.get(2).doubleValue() * (1 + 1e-5));
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, claimed.toString());
        CliTests.Run r = CliTests.run("verify", CNN, "--gradients", wrong.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("W1[0][0][1][2]") && l.contains("WRONG")), r.out());
    }

    @Test
    void check_passes_with_every_oracle() {
        for (String oracle : new String[] {"finite_difference", "complex_step", "forward_ad"}) {
            CliTests.Run r = CliTests.run("check", CNN, "--oracle", oracle);
            assertEquals(0, r.exitCode(), oracle + ": " + r.out() + r.err());
        }
    }

    @Test
    void derive_and_explain_write_the_backward_pass_in_every_format(@TempDir Path dir) throws Exception {
        for (String command : new String[] {"derive", "explain"}) {
            for (String format : new String[] {"text", "markdown", "latex", "html"}) {
                Path file = dir.resolve(command + "." + format);
                CliTests.Run r = CliTests.run(command, CNN, "--format", format, "--output", file.toString());
                assertEquals(0, r.exitCode(), command + " " + format + ": " + r.err());
                assertTrue(Files.readString(file).contains("small-cnn"), command + " " + format);
            }
        }
        CliTests.Run named = CliTests.run("derive", CNN, "--parameter", "W1[0][0][0][0]");
        assertEquals(2, named.exitCode(), named.out());
    }

    @Test
    void verify_reads_a_state_dict_through_a_name_map(@TempDir Path dir) throws Exception {
        JsonNode torch = JSON.readTree(Path.of(CNN_TORCH).toFile()).get("gradients");
        com.fasterxml.jackson.databind.node.ObjectNode stateDict = JSON.createObjectNode();
        stateDict.set("features.0.weight", torch.get("W1"));
        stateDict.set("features.0.bias", torch.get("b1"));
        stateDict.set("classifier.weight", torch.get("W4"));
        stateDict.set("classifier.bias", torch.get("b4"));
        Path claimed = dir.resolve("state_dict_grads.json");
        Files.writeString(claimed, stateDict.toString());
        Path names = dir.resolve("names.json");
        Files.writeString(names, "{\"features.0.weight\": \"W1\", \"features.0.bias\": \"b1\", "
                + "\"classifier.weight\": \"W4\", \"classifier.bias\": \"b4\"}");
        CliTests.Run mapped = CliTests.run("verify", CNN, "--gradients", claimed.toString(), "--names", names.toString());
        assertEquals(0, mapped.exitCode(), mapped.out() + mapped.err());
        CliTests.Run unmapped = CliTests.run("verify", CNN, "--gradients", claimed.toString());
        assertEquals(2, unmapped.exitCode(), unmapped.out());
        assertTrue(unmapped.err().contains("features.0.weight: <features.0.weight> is not a parameter of small-cnn"),
                unmapped.err());
        Files.writeString(names, "{\"features.0.weight\": \"W2\"}");
        CliTests.Run bad = CliTests.run("verify", CNN, "--gradients", claimed.toString(), "--names", names.toString());
        assertEquals(2, bad.exitCode(), bad.out());
        assertTrue(bad.err().contains("names.json: features.0.weight: <W2> is not a parameter of the model"), bad.err());
    }

    @Test
    void a_layered_spec_can_carry_the_name_map(@TempDir Path dir) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(Path.of(CNN).toFile());
        spec.putObject("names").put("0.weight", "W1").put("0.bias", "b1").put("3.weight", "W4").put("3.bias", "b4");
        Path specFile = dir.resolve("cnn.json");
        Files.writeString(specFile, spec.toString());
        JsonNode torch = JSON.readTree(Path.of(CNN_TORCH).toFile()).get("gradients");
        com.fasterxml.jackson.databind.node.ObjectNode claimed = JSON.createObjectNode();
        claimed.putObject("gradients").setAll(java.util.Map.of("0.weight", torch.get("W1"), "0.bias", torch.get("b1"),
                "3.weight", torch.get("W4"), "3.bias", torch.get("b4")));
        Path claimedFile = dir.resolve("claimed.json");
        Files.writeString(claimedFile, claimed.toString());
        CliTests.Run r = CliTests.run("verify", specFile.toString(), "--gradients", claimedFile.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
    }

    @Test
    void bound_prints_each_layers_bounds_and_exact_norm_and_json_has_them_too() throws Exception {
        CliTests.Run r = CliTests.run("bound", RESIDUAL);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("bounds of residual-mlp (layered; Jacobians over the batch of 4 samples)\n"),
                r.out());
        assertEquals(6, r.out().lines().filter(l -> l.matches("^[1-6] +(dense|residual) .*")).count(), r.out());
        CliTests.Run json = CliTests.run("bound", CNN, "--format", "json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode layers = JSON.readTree(json.out()).get("layers");
        assertEquals("conv2d", layers.get(0).get("type").asText());
        for (JsonNode layer : layers) {
            assertTrue(layer.get("actual").asDouble() <= layer.get("atData").asDouble() * (1 + 1e-9), layer.toString());
            assertTrue(layer.get("atData").asDouble() <= layer.get("certified").asDouble() * (1 + 1e-9), layer.toString());
        }
    }

    @Test
    void sweep_scales_one_layers_weights_and_writes_every_layers_gradient_norm(@TempDir Path dir) throws Exception {
        CliTests.Run r = CliTests.run("sweep", "examples/remedies/sigmoid-chain-20.json", "--layer", "10", "--from", "0.5",
                "--to", "8", "--points", "5", "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(5, r.out().lines().filter(l -> l.matches("^ +[0-9.]+e[+-][0-9]+ .*")).count(), r.out());
        List<String> csv = Files.readAllLines(dir.resolve("sigmoid-chain-20-sweep-layer10.csv"));
        assertTrue(Files.size(dir.resolve("sigmoid-chain-20-sweep-layer10.png")) > 10_000, "the PNG plot");
        assertTrue(Files.readString(dir.resolve("sigmoid-chain-20-sweep-layer10.svg")).contains("<svg"), "the SVG plot");
        assertEquals(6, csv.size());
        assertTrue(csv.get(0).startsWith("scale,grad_norm_layer1,grad_norm_layer2,"), csv.get(0));
        // the first layer's gradient grows with W10's scale (every path to it passes layer 10) and stays vanishing
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        double last = Double.parseDouble(csv.get(5).split(",")[1]);
        assertTrue(first < last && last < 1e-12, csv.get(1) + " / " + csv.get(5));
        CliTests.Run missing = CliTests.run("sweep", CNN, "--output-dir", dir.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--layer: <missing> is required for a layered spec"), missing.err());
        CliTests.Run pool = CliTests.run("sweep", CNN, "--layer", "2", "--output-dir", dir.toString());
        assertEquals(2, pool.exitCode());
        assertTrue(pool.err().contains("--layer: <2> is not a dense, convolution or recurrent layer of small-cnn; give one of the "
                + "layers with weights: 1, 4"), pool.err());
    }
}
