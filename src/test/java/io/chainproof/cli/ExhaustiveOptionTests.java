package io.chainproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --exhaustive}: every parameter checked above the size where fast mode would be chosen by itself. */
class ExhaustiveOptionTests {

    /** A 250-200-1 sigmoid MLP: 50,401 parameters, just above the automatic fast mode's 50,000. */
    private static Path network(Path dir) throws IOException {
        StringBuilder w1 = new StringBuilder();
        for (int j = 0; j < 200; j++) {
            w1.append(j == 0 ? "[" : ",[");
            for (int k = 0; k < 250; k++) {
                w1.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", 0.05 * Math.sin(j * 250 + k)));
            }
            w1.append(']');
        }
        StringBuilder b1 = new StringBuilder();
        StringBuilder w2 = new StringBuilder();
        for (int j = 0; j < 200; j++) {
            b1.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", 0.01 * Math.cos(j)));
            w2.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", 0.1 * Math.sin(3 * j)));
        }
        StringBuilder x = new StringBuilder();
        for (int k = 0; k < 250; k++) {
            x.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", Math.cos(k)));
        }
        Path spec = dir.resolve("mlp-250-200-1.json");
        Files.writeString(spec, "{\"name\": \"mlp-250-200-1\", \"inputs\": 250, \"layers\": [{\"units\": 200, "
                + "\"activation\": \"sigmoid\"}, {\"units\": 1, \"activation\": \"identity\"}], \"loss\": \"mse\", "
                + "\"parameters\": {\"W1\": [" + w1 + "], \"b1\": [" + b1 + "], \"W2\": [[" + w2 + "]], \"b2\": [0.0]}, "
                + "\"data\": {\"x\": [[" + x + "]], \"y\": [[0.5]]}}");
        return spec;
    }

    @Test
    void checks_every_parameter_where_fast_mode_would_be_automatic(@TempDir Path dir) throws IOException {
        Path spec = network(dir);
        CliTests.Run automatic = CliTests.run("check", spec.toString(), "--oracle", "complex_step", "--quiet",
                "--format", "json");
        assertEquals(0, automatic.exitCode(), automatic.err());
        JsonNode fast = new ObjectMapper().readTree(automatic.out());
        assertEquals(0, fast.get("parameters").size(), "fast mode checks directions, not entries");

        CliTests.Run all = CliTests.run("check", spec.toString(), "--oracle", "complex_step", "--quiet", "--format",
                "json", "--exhaustive");
        assertEquals(0, all.exitCode(), all.err());
        JsonNode report = new ObjectMapper().readTree(all.out());
        assertEquals(50_401, report.get("parameters").size());
        assertTrue(report.get("passed").asBoolean());
    }

    @Test
    void cannot_be_given_with_fast(@TempDir Path dir) throws IOException {
        CliTests.Run r = CliTests.run("check", CliTests.LECTURE, "--fast", "--exhaustive");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--exhaustive") && r.err().contains("give one of them"), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());
    }
}
