package io.chainproof.cli;

import io.chainproof.explain.Explainer;
import io.chainproof.explain.SpecExplanation;
import io.chainproof.render.ExplanationDocument;
import io.chainproof.render.FormulaDocument;
import io.chainproof.render.RnnDocument;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.symbolic.AgreementOutcome;
import io.chainproof.symbolic.ProofSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainproof explain SPEC}: the whole story of one spec, for a lecture or a web page. */
@Command(name = "explain", header = "Explain a spec: forward pass, derivations, checks, bounds and sweeps.",
        description = "The forward pass; the step-by-step derivation of each layer's first weight; every parameter "
                + "checked by finite differences and the complex step; the growth-bound table; and weight-scale "
                + "sweeps of one layer (biases kept, and zero pre-activations), plotted in the HTML format. "
                + "Exit 1 if any check or proof fails.")
final class ExplainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    DocumentOutput output;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Network spec file (.json, .yaml, .yml).")
    Path spec;

    @picocli.CommandLine.Option(names = "--interactive", description = "With --format html, an MLP's page gets sliders "
            + "for the swept layer's weights and biases that recompute the loss, the gradient and (for a scalar chain) "
            + "every chain-rule factor and the γ bound in the page, with the command line's arithmetic.")
    boolean interactive;

    @picocli.CommandLine.Option(names = "--slider", paramLabel = "NAME", description = "With --interactive: a slider "
            + "for this parameter (repeat for more, at most 12), e.g. --slider W1[0][0] --slider b2[0]; by default "
            + "the swept layer's weights and biases.")
    List<String> sliders = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            io.chainproof.spec.Spec read = FiniteSpecs.read(path);
            Sliders.requireInteractive(path, read, interactive, output.format, sliders);
            return read.accept(new io.chainproof.spec.Spec.Visitor<Integer>() {
                @Override
                public Integer mlp(NetworkSpec network) {
                    SymbolicDepth.require(network, path, "explain");
                    SpecExplanation story = Explainer.of(network).story(ProofSettings.DEFAULTS);
                    output.write(ExplanationDocument.of(story, interactive, sliders), out, path);
                    boolean proofs = story.firstWeights().stream()
                            .noneMatch(e -> e.proof().outcome() instanceof AgreementOutcome.Disagrees);
                    return proofs && story.finiteDifferences().passed() && story.complexStep().passed() ? 0 : Main.CHECK_FAILED;
                }

                @Override
                public Integer rnn(RnnSpec rnn) {
                    output.write(RnnDocument.of(rnn), out, path);
                    return 0;
                }

                @Override
                public Integer formula(FormulaSpec formula) {
                    output.write(FormulaDocument.of(formula), out, path);
                    return 0;
                }

                @Override
                public Integer layered(io.chainproof.spec.LayeredSpec layered) {
                    output.write(io.chainproof.render.LayeredDocument.of(layered), out, path);
                    return 0;
                }
            });
        });
    }
}
