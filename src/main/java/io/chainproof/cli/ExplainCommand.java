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

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            return FiniteSpecs.read(path).accept(new io.chainproof.spec.Spec.Visitor<Integer>() {
                @Override
                public Integer mlp(NetworkSpec network) {
                    SpecExplanation story = Explainer.of(network).story(ProofSettings.DEFAULTS);
                    output.write(ExplanationDocument.of(story), out, path);
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
