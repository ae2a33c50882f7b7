package io.chainproof.cli;

import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepCsv;
import io.chainproof.bounds.SweepResult;
import io.chainproof.bounds.SweepSummary;
import io.chainproof.render.SweepPlot;
import io.chainproof.bounds.MatrixNorms;
import io.chainproof.render.RnnBoundRenderer;
import io.chainproof.render.RnnSweepPlot;
import io.chainproof.rnn.RnnBoundReport;
import io.chainproof.rnn.RnnBounds;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainproof sweep SPEC --layer L}: gradient norms and bounds as one layer's weights are scaled. */
@Command(name = "sweep", header = "Scale one layer's weights and record gradient norms and bounds.",
        description = "Scales W_L by factors log-spaced from --from to --to and records, per scale, ‖W_L‖₂, the "
                + "actual ‖∂L/∂W_k‖_F of every layer, the γ and data bounds and the regime. Writes "
                + "<name>-sweep-layer<L>.csv and log-log .png and .svg plots (exploding and vanishing scales "
                + "shaded) to --output-dir, by default the folder <name>-sweep in the working directory (<name> "
                + "is the spec's name), and prints which scales vanish or explode. With --bias "
                + "zero-preactivation, b_L is set so that z_L = 0 for the first sample (where |φ'| = γ).")
final class SweepCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "SPEC", description = "A network spec (.json, .yaml).")
    Path spec;

    @Option(names = "--layer", description = "MLP and layered specs: the layer whose weights are scaled, 1-based "
            + "(required; for a layered spec a dense or convolution layer at the top level).")
    Integer layer;

    @Option(names = "--rescale", defaultValue = "norm", paramLabel = "norm|radius",
            description = "RNN specs: rescale W_h to the swept spectral norm ‖W_h‖₂ or spectral radius ρ(W_h) "
                    + "(default: ${DEFAULT-VALUE}).")
    Rescale rescale;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "Infinity",
            description = "RNN specs: also report gradients clipped to this global norm (default: no clipping).")
    double clip;

    @Option(names = "--from", defaultValue = "0.01", description = "Smallest scale, > 0 (default: ${DEFAULT-VALUE}; "
            + "with --forget-bias the first bias, default −2).")
    double from;

    @Option(names = "--to", defaultValue = "1000", description = "Largest scale (default: ${DEFAULT-VALUE}; with "
            + "--forget-bias the last bias, default 6).")
    double to;

    @Option(names = "--points", defaultValue = "60", description = "Number of scales (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--bias", defaultValue = "keep", converter = BiasConverter.class,
            description = "keep or zero-preactivation (default: ${DEFAULT-VALUE}).")
    Sweep.BiasMode bias;

    @Option(names = "--forget-bias", description = "Layered specs: set the forget-gate bias of the lstm layer "
            + "--layer to values from --from to --to, evenly spaced (any sign), instead of scaling its W_hh.")
    boolean forgetBias;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where to write the CSV and plots, created "
            + "if missing (default: <name>-sweep in the working directory, <name> being the spec's name).")
    Path outputDir;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            return FiniteSpecs.read(path).accept(new io.chainproof.spec.Spec.Visitor<Integer>() {
                @Override
                public Integer mlp(NetworkSpec network) {
                    return mlpSweep(network, path, out);
                }

                @Override
                public Integer rnn(RnnSpec rnn) {
                    return rnnSweep(rnn, path, out);
                }

                @Override
                public Integer formula(FormulaSpec formula) {
                    throw Unsupported.bounds(formula, "sweep");
                }

                @Override
                public Integer layered(io.chainproof.spec.LayeredSpec layered) {
                    return layeredSweep(layered, path, out);
                }
            });
        });
    }

    /** What an RNN sweep rescales W_h to: its spectral norm ‖W_h‖₂ or its spectral radius ρ(W_h). */
    enum Rescale { norm, radius }

    /** --forget-bias belongs to an lstm layer of a layered spec. */
    private void noForgetBias(Path path, String kind) {
        if (forgetBias) {
            throw new SpecException(path.toString(), "--forget-bias", "given", "sets an lstm layer's forget-gate "
                    + "bias, and " + kind + " spec has none", "leave out --forget-bias, or give a layered spec with an "
                    + "lstm layer");
        }
    }

    private int mlpSweep(NetworkSpec network, Path path, PrintWriter out) {
        noForgetBias(path, "an MLP");
        if (layer == null) {
            throw new SpecException(path.toString(), "--layer", "missing", "is required for an MLP spec",
                    "give the layer whose weights are scaled, e.g. --layer 2");
        }
        SweepResult result = Sweep.run(network, layer, from, to, points, bias);
        Path dir = directory(network.name());
        Path base = dir.resolve(network.name() + "-sweep-layer" + layer);
        Path csv = base.resolveSibling(base.getFileName() + ".csv");
        write(path, dir, csv, SweepCsv.of(result));
        try {
            SweepPlot.write(result, base);
        } catch (UncheckedIOException e) {
            throw unwritable(path, dir, e.getCause());
        }
        out.print(SweepSummary.of(result));
        out.println("wrote " + csv + ", " + base + ".png, " + base + ".svg");
        out.flush();
        return 0;
    }

    private int rnnSweep(RnnSpec rnn, Path path, PrintWriter out) {
        noForgetBias(path, "an RNN");
        if (!(from > 0) || !(to >= from) || !Double.isFinite(to)) {
            throw new SpecException(path.toString(), "--from/--to", from + ", " + to, "is not a range of spectral norms",
                    "give 0 < --from ≤ --to, e.g. --from 0.1 --to 10");
        }
        if (points < 1 || (points == 1 && from != to)) {
            throw new SpecException(path.toString(), "--points", Integer.toString(points), "must be at least 2 (1 if --from = --to)",
                    "give --points 2 or more");
        }
        double[] norms = new double[points];
        for (int i = 0; i < points; i++) {
            norms[i] = points == 1 ? from : from * Math.pow(to / from, (double) i / (points - 1));
        }
        norms[points - 1] = to;
        double current = rescale == Rescale.norm ? MatrixNorms.spectralNorm(rnn.wh()) : MatrixNorms.spectralRadius(rnn.wh());
        if (!(current > 0)) {
            throw new SpecException(path.toString(), "parameters.Wh", "spectral " + rescale + " " + current,
                    "cannot be rescaled (W_h has no direction to scale" + (rescale == Rescale.radius
                            ? ": a nilpotent or zero W_h has spectral radius 0)" : ")"),
                    rescale == Rescale.radius ? "use --rescale norm, or give W_h a nonzero eigenvalue" : "give W_h a nonzero entry");
        }
        List<RnnBoundReport> sweep = rescale == Rescale.norm ? RnnBounds.sweep(rnn, norms, clip)
                : RnnBounds.sweepSpectralRadius(rnn, norms, clip);
        java.util.function.ToDoubleFunction<RnnBoundReport> scale = rescale == Rescale.norm ? RnnBoundReport::whNorm
                : RnnBoundReport::whRadius;
        for (RnnBoundReport point : sweep) {
            double reached = scale.applyAsDouble(point);
            if (!(reached > 0) || !Double.isFinite(reached)) {
                throw new SpecException(path.toString(), "parameters.Wh", "spectral " + rescale + " " + current,
                        "cannot be rescaled to " + from + " … " + to + " in double precision (rescaled, W_h has "
                                + "spectral " + rescale + " " + reached + ")",
                        "give W_h entries of moderate size, well inside ±1e150");
            }
        }
        Path dir = directory(rnn.name());
        Path base = dir.resolve(rnn.name() + "-sweep-wh-" + rescale);
        Path csv = base.resolveSibling(base.getFileName() + ".csv");
        write(path, dir, csv, RnnBoundRenderer.csv(sweep));
        try {
            RnnSweepPlot.write(sweep, rescale == Rescale.norm ? RnnBoundReport::whNorm : RnnBoundReport::whRadius,
                    rescale == Rescale.norm ? "spectral norm ‖W_h‖₂" : "spectral radius ρ(W_h)", base);
        } catch (UncheckedIOException e) {
            throw unwritable(path, dir, e.getCause());
        }
        out.print("sweep of " + rnn.name() + ": W_h rescaled to spectral " + (rescale == Rescale.norm ? "norms " : "radii ")
                + from + " … " + to + ", " + points + " points"
                + (Double.isFinite(clip) ? ", gradients clipped to global norm " + clip : "") + "\n");
        out.print(RnnBoundRenderer.table(sweep));
        out.println("wrote " + csv + ", " + base + ".png, " + base + ".svg");
        out.flush();
        return 0;
    }

    private int layeredSweep(io.chainproof.spec.LayeredSpec layered, Path path, PrintWriter out) {
        if (layer == null) {
            throw new SpecException(path.toString(), "--layer", "missing", "is required for a layered spec",
                    "give the position of the dense or convolution layer whose weights are scaled, e.g. --layer 1");
        }
        if (forgetBias) { // biases, not factors: unless given, from −2 (f ≈ 0.12) to 6 (f ≈ 0.998)
            picocli.CommandLine.ParseResult given = command.commandLine().getParseResult();
            from = given.hasMatchedOption("--from") ? from : -2;
            to = given.hasMatchedOption("--to") ? to : 6;
        }
        io.chainproof.bounds.LayeredSweep sweep = forgetBias
                ? io.chainproof.bounds.LayeredSweep.forgetBias(layered, layer, from, to, points)
                : io.chainproof.bounds.LayeredSweep.run(layered, layer, from, to, points);
        Path dir = directory(layered.name());
        Path base = dir.resolve(layered.name() + "-sweep-layer" + layer
                + (forgetBias ? "-forget-bias" : ""));
        Path csv = base.resolveSibling(base.getFileName() + ".csv");
        write(path, dir, csv, sweep.csv());
        try {
            io.chainproof.render.LayeredSweepPlot.write(sweep, base);
        } catch (UncheckedIOException e) {
            throw unwritable(path, dir, e.getCause());
        }
        out.print("sweep of " + layered.name() + ": " + sweep.weight() + (forgetBias ? " set to " : " scaled by ") + from
                + " … " + to + ", " + points + " points (every layer's gradient norm in the CSV)\n");
        out.print(sweep.table());
        out.println("wrote " + csv + ", " + base + ".png, " + base + ".svg");
        out.flush();
        return 0;
    }

    /** {@code --output-dir}, else {@code <name>-sweep} in the working directory. */
    private Path directory(String name) {
        return outputDir != null ? outputDir : Path.of(name + "-sweep");
    }

    private void write(Path path, Path dir, Path csv, String content) {
        try {
            Files.createDirectories(dir);
            Files.writeString(csv, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unwritable(path, dir, e);
        }
    }

    private SpecException unwritable(Path path, Path directory, Throwable cause) {
        return new SpecException(path.toString(), "--output-dir", directory.toString(),
                "cannot be written (" + cause.getMessage() + ")", "give a writable directory");
    }

    /** Reads {@code keep} / {@code zero-preactivation}. */
    static final class BiasConverter implements picocli.CommandLine.ITypeConverter<Sweep.BiasMode> {
        @Override
        public Sweep.BiasMode convert(String value) {
            for (Sweep.BiasMode mode : Sweep.BiasMode.values()) {
                if (mode.label().equals(value)) {
                    return mode;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "<" + value + "> is not a bias mode; use keep or zero-preactivation");
        }
    }
}
