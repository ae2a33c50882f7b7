package io.chainproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    void without_output_dir_writes_into_a_folder_named_after_the_spec(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep",
                Path.of(CliTests.LECTURE).toAbsolutePath().toString(), "--layer", "2", "--points", "5")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "sweep finished");
        assertEquals(0, p.exitValue(), out);

        String base = "lecture-chain-sweep" + File.separator + "lecture-chain-sweep-layer2";
        assertTrue(out.endsWith("wrote " + base + ".csv, " + base + ".png, " + base + ".svg\n"), out);
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of("lecture-chain-sweep", base + ".csv", base + ".png", base + ".svg"),
                    files.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList(),
                    "everything in the working directory");
        }
    }

    @Test
    void help_says_where_the_files_go_by_default() {
        String help = new CommandLine(new SweepCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        assertTrue(help.contains("--output-dir, by default the folder <name>-sweep in the working directory"), help);
        assertTrue(help.contains("(default: <name>-sweep in the working directory, <name> being the spec's name)"), help);
    }

    /** The SVG is written by hand (XChart's encoder took 3.9 MB for lecture-chain, 5.5 MB for rnn-exploding). */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {"examples/lecture-chain.json; --layer 2",
            "examples/mlp-2-3-2-1.json; --layer 2 --bias zero-preactivation", "examples/rnn-exploding.json; --clip 1",
            "examples/small-cnn.json; --layer 1", "examples/lstm-language-model.json; --layer 2 --forget-bias"})
    void the_svg_of_a_60_point_sweep_stays_under_200_kb(String spec, String options, @TempDir Path dir)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(spec, "--points", "60", "--output-dir", dir.toString()));
        args.addAll(List.of(options.split(" ")));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());

        try (Stream<Path> files = Files.list(dir)) {
            Path svg = files.filter(f -> f.toString().endsWith(".svg")).findFirst().orElseThrow();
            assertTrue(Files.size(svg) <= 200_000, svg + " has " + Files.size(svg) + " bytes");
        }
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

    /** Found by CommandLineFuzzTests (seed 3): W_h rescaled from a norm of 1.8e308 rounded to zero, exit 3 in the plot. */
    @Test
    void an_rnn_whose_wh_cannot_be_rescaled_in_double_precision_exits_with_bad_input(@TempDir Path dir)
            throws Exception {
        Path spec = dir.resolve("huge-wh.json");
        Files.writeString(spec, Files.readString(Path.of("examples/rnn-vanishing.json"))
                .replaceFirst("\"Wh\": *\\[\\[([^,]+),[^\\]]+\\]", "\"Wh\": [[$1, -1.7976931348623157E308]"));
        assertTrue(Files.readString(spec).contains("-1.7976931348623157E308"), Files.readString(spec));
        Run r = run(spec.toString(), "--points", "8", "--output-dir", dir.resolve("out").toString());
        assertEquals(Main.BAD_INPUT, r.exitCode(), r.err());
        assertEquals("chainproof: " + spec + ": parameters.Wh: <spectral norm Infinity> cannot "
                + "be rescaled to 0.01 … 1000.0 in double precision (rescaled, W_h has spectral norm 0.0); give W_h "
                + "entries of moderate size, well inside ±1e150\n", r.err());
        assertEquals("", r.out());
    }
}
