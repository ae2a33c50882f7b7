package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sweep} as a user runs it, through picocli. */
class SweepCommandTests {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new SweepCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writes_a_csv_with_one_row_per_point_and_a_png_and_svg_plot(@TempDir Path dir) throws Exception {
        Run r = run("examples/lecture-chain.json", "--layer", "2", "--from", "0.01", "--to", "1000", "--points",
                "60", "--bias", "keep", "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path csv = dir.resolve("lecture-chain-sweep-layer2.csv");
        Path png = dir.resolve("lecture-chain-sweep-layer2.png");
        Path svg = dir.resolve("lecture-chain-sweep-layer2.svg");
        List<String> lines = Files.readAllLines(csv);
        BufferedImage image = ImageIO.read(png.toFile());
        assertAll(
                () -> assertEquals(61, lines.size()),
                () -> assertTrue(lines.get(0).startsWith("scale,spectral_norm_W2,actual_1,"), lines.get(0)),
                () -> assertTrue(lines.get(60).endsWith(",vanishing"), lines.get(60)),
                () -> assertTrue(Files.size(png) > 0),
                () -> assertEquals(io.chainproof.render.SweepPlot.WIDTH, image.getWidth()),
                () -> assertEquals(io.chainproof.render.SweepPlot.HEIGHT, image.getHeight()),
                () -> assertTrue(Files.size(svg) > 0),
                () -> assertTrue(Files.readString(svg).contains("<svg"), "not an SVG"));
    }

    @Test
    void prints_which_scales_vanish_and_explode(@TempDir Path dir) {
        Run r = run("examples/lecture-chain.json", "--layer", "2", "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("sweep of lecture-chain: W2 scaled by 0.01000 to 1000, 60 points, bias keep\n"),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  vanishing  scales ") && l.contains(" to 1000 ")),
                r.out());
    }

    @Test
    void zero_preactivation_explodes_at_large_scale(@TempDir Path dir) {
        Run r = run("examples/lecture-chain.json", "--layer", "2", "--points", "20", "--bias", "zero-preactivation",
                "--output-dir", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  exploding  scales ") && l.contains(" to 1000 ")),
                r.out());
    }

    @Test
    void a_layer_outside_the_network_exits_with_bad_input(@TempDir Path dir) {
        Run r = run("examples/lecture-chain.json", "--layer", "9", "--output-dir", dir.toString());
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertEquals("chainproof: examples/lecture-chain.json: --layer: <9> is not a layer of lecture-chain; "
                + "use 1 to 3\n", r.err());
    }

    @Test
    void a_from_of_zero_exits_with_bad_input(@TempDir Path dir) {
        Run r = run("examples/lecture-chain.json", "--layer", "2", "--from", "0", "--output-dir", dir.toString());
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertEquals("chainproof: examples/lecture-chain.json: --from: <0.0> must be a finite scale > 0; "
                + "give a positive scale such as 0.01\n", r.err());
    }

    @Test
    void an_unknown_bias_mode_exits_with_bad_input() {
        Run r = run("examples/lecture-chain.json", "--layer", "2", "--bias", "zero");
        assertEquals(Main.BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains("<zero> is not a bias mode; use keep or zero-preactivation"), r.err());
    }
}
