package io.chainproof.cli;

import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepCsv;
import io.chainproof.bounds.SweepResult;
import io.chainproof.bounds.SweepSummary;
import io.chainproof.render.SweepPlot;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
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
                + "shaded) to --output-dir, and prints which scales vanish or explode. With --bias "
                + "zero-preactivation, b_L is set so that z_L = 0 for the first sample (where |φ'| = γ).")
final class SweepCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "SPEC", description = "A network spec (.json, .yaml).")
    Path spec;

    @Option(names = "--layer", description = "MLP specs: the layer whose weights are scaled, 1-based (required).")
    Integer layer;

    @Option(names = "--rescale", defaultValue = "norm", paramLabel = "norm|radius",
            description = "RNN specs: rescale W_h to the swept spectral norm ‖W_h‖₂ or spectral radius ρ(W_h) "
                    + "(default: ${DEFAULT-VALUE}).")
    OtherModels.Rescale rescale;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "Infinity",
            description = "RNN specs: also report gradients clipped to this global norm (default: no clipping).")
    double clip;

    @Option(names = "--from", defaultValue = "0.01", description = "Smallest scale, > 0 (default: ${DEFAULT-VALUE}).")
    double from;

    @Option(names = "--to", defaultValue = "1000", description = "Largest scale (default: ${DEFAULT-VALUE}).")
    double to;

    @Option(names = "--points", defaultValue = "60", description = "Number of scales (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--bias", defaultValue = "keep", converter = BiasConverter.class,
            description = "keep or zero-preactivation (default: ${DEFAULT-VALUE}).")
    Sweep.BiasMode bias;

    @Option(names = "--output-dir", defaultValue = ".", description = "Where to write the CSV and plots "
            + "(default: the working directory).")
    Path outputDir;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            io.chainproof.spec.Spec any = SpecReader.readAny(path);
            if (!(any instanceof NetworkSpec network)) {
                return OtherModels.sweep(any, rescale, from, to, points, clip, outputDir, out, path);
            }
            if (layer == null) {
                throw new SpecException(path.toString(), "--layer", "missing", "is required for an MLP spec",
                        "give the layer whose weights are scaled, e.g. --layer 2");
            }
            SweepResult result = Sweep.run(network, layer, from, to, points, bias);
            Path base = outputDir.resolve(network.name() + "-sweep-layer" + layer);
            Path csv = base.resolveSibling(base.getFileName() + ".csv");
            try {
                Files.createDirectories(outputDir);
                Files.writeString(csv, SweepCsv.of(result), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SpecException(path.toString(), "--output-dir", outputDir.toString(),
                        "cannot be written (" + e.getMessage() + ")", "give a writable directory");
            }
            try {
                SweepPlot.write(result, base);
            } catch (UncheckedIOException e) {
                throw new SpecException(path.toString(), "--output-dir", outputDir.toString(),
                        "cannot be written (" + e.getCause().getMessage() + ")", "give a writable directory");
            }
            out.print(SweepSummary.of(result));
            out.println("wrote " + csv + ", " + base + ".png, " + base + ".svg");
            out.flush();
            return 0;
        });
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
