package io.chainproof.cli;

import io.chainproof.bounds.GradientProfile;
import io.chainproof.render.ComparisonDocument;
import io.chainproof.render.Document;
import io.chainproof.render.HtmlWriter;
import io.chainproof.render.LatexWriter;
import io.chainproof.render.MarkdownWriter;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainproof compare SPEC...}: several models' gradients layer by layer (step by step), side by side. */
@Command(name = "compare", header = "Compare how the gradient reaches the first layer (or step) across models.",
        description = "For each spec (MLP or layered): the gradient norm ‖∂L/∂W_l‖_F at each layer with weights, or "
                + "‖∂L/∂h_t‖_F at each step of a recurrent layer; its growth g = first/last and the regime that "
                + "names it; the certified bound on the chain from the first layer to the output; and a paragraph "
                + "on what the numbers show. One log-scale plot per axis in HTML, and a table of every plotted value. "
                + "With --output-dir, writes NAME.md, NAME.html and NAME.tex at once (and NAME.pdf with --pdf).")
final class CompareCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    DocumentOutput output;

    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "MLP or layered spec files, in the order to show "
            + "them; the first (through depth, and through time) is the one the others are compared with.")
    List<Path> specs;

    @Option(names = "--title", paramLabel = "TEXT", description = "The document's title (default: the models' names).")
    String title;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Write NAME.md, NAME.html and NAME.tex to DIR "
            + "(instead of --format and --output).")
    Path outputDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "comparison",
            description = "The file name, without extension, for --output-dir (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--pdf", description = "With --output-dir, also typeset NAME.tex with pdflatex into NAME.pdf.")
    boolean pdf;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Path first = specs.get(0);
        if (pdf && outputDir == null) {
            throw new SpecException(first.toString(), "--pdf", "without --output-dir", "typesets the NAME.tex that "
                    + "--output-dir writes", "add --output-dir DIR");
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new SpecException(first.toString(), "--name", name, "must be a plain file name (letters, digits, "
                    + ". _ -, at most 100 characters)", "give e.g. --name remedies");
        }
        List<GradientProfile> profiles = new ArrayList<>();
        int worst = SpecBatch.run(specs, err, common, path -> {
            profiles.add(profile(path));
            return 0;
        });
        if (worst != 0) {
            return worst;
        }
        String heading = title != null ? title : "Gradients layer by layer: " + String.join(", ",
                profiles.stream().map(GradientProfile::name).toList());
        Document document = ComparisonDocument.of(heading, profiles);
        if (outputDir == null) {
            output.write(document, out, first);
            return 0;
        }
        write(outputDir.resolve(name + ".md"), MarkdownWriter.write(document), first);
        write(outputDir.resolve(name + ".html"), HtmlWriter.write(document), first);
        Path tex = outputDir.resolve(name + ".tex");
        write(tex, LatexWriter.write(document), first);
        if (pdf) {
            Pdflatex.typeset(tex, first);
        }
        return 0;
    }

    private static GradientProfile profile(Path path) {
        return FiniteSpecs.read(path).accept(new io.chainproof.spec.Spec.Visitor<GradientProfile>() {
            @Override
            public GradientProfile mlp(NetworkSpec network) {
                return measured(path, LayeredSpec.of(network));
            }

            @Override
            public GradientProfile rnn(RnnSpec rnn) {
                throw new SpecException(path.toString(), "type", "rnn", "compare measures layered models and MLPs",
                        "write the network as a layered spec with an rnn layer (see examples/remedies/rnn-tanh-50.json)");
            }

            @Override
            public GradientProfile formula(FormulaSpec formula) {
                throw new SpecException(path.toString(), "type", "formula", "compare measures networks, layer by "
                        + "layer", "compare MLP or layered specs");
            }

            @Override
            public GradientProfile layered(LayeredSpec layered) {
                return measured(path, layered);
            }
        });
    }

    private static GradientProfile measured(Path path, LayeredSpec spec) {
        try {
            return GradientProfile.of(spec);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path.toString(), "layers", e.getMessage(), "compare needs at least two layers "
                    + "with weights, or a recurrent layer", "add layers, or leave this spec out");
        }
    }

    private static void write(Path file, String text, Path spec) {
        DocumentOutput.writeFile(file, text, spec, "--output-dir", "give a writable folder");
    }
}
