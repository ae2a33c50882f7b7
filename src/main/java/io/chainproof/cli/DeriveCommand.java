package io.chainproof.cli;

import io.chainproof.explain.Explainer;
import io.chainproof.explain.ParameterExplanation;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.render.DerivationDocument;
import io.chainproof.render.FormulaDocument;
import io.chainproof.render.RnnDocument;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.AgreementOutcome;
import io.chainproof.symbolic.ProofSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainproof derive SPEC}: the chain-rule derivation of one parameter or of every parameter. */
@Command(name = "derive", header = "Show the chain-rule derivation of a parameter's gradient, step by step.",
        description = "For each parameter: the paths to L, the factored chain rule (∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · …), "
                + "the local rules, each factor's value, the closed form and its proof against Symja's direct "
                + "D[L, θ], the value next to finite differences and the complex step, and the growth bound. "
                + "Exit 1 if a derivation disagrees with the direct derivative or with the numerical checks.")
final class DeriveCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    DocumentOutput output;

    @ArgGroup(exclusive = true)
    Which which;

    /** {@code --parameter NAME} or {@code --all} (the default). */
    static final class Which {
        @Option(names = "--parameter", paramLabel = "NAME", description = "The parameter, e.g. W1[0][0] or b2[1].")
        String parameter;

        @Option(names = "--all", description = "Every parameter (the default).")
        boolean all;
    }

    @Parameters(index = "0", paramLabel = "SPEC", description = "Network spec file (.json, .yaml, .yml).")
    Path spec;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            return SpecReader.readAny(path).accept(new io.chainproof.spec.Spec.Visitor<Integer>() {
                @Override
                public Integer mlp(NetworkSpec network) {
                    ComputationGraph graph = ComputationGraph.of(network);
                    String name = which == null ? null : which.parameter;
                    List<ParameterId> targets = name == null ? graph.parameters()
                            : List.of(resolve(graph, network, path, name));
                    List<ParameterExplanation> explanations = Explainer.of(network).explain(targets, ProofSettings.DEFAULTS);
                    output.write(DerivationDocument.of(network, explanations), out, path);
                    return explanations.stream().allMatch(DeriveCommand::consistent) ? 0 : Main.CHECK_FAILED;
                }

                @Override
                public Integer rnn(RnnSpec rnn) {
                    wholeModel(path);
                    output.write(RnnDocument.of(rnn), out, path);
                    return 0;
                }

                @Override
                public Integer formula(FormulaSpec formula) {
                    wholeModel(path);
                    output.write(FormulaDocument.of(formula), out, path);
                    return 0;
                }

                @Override
                public Integer layered(io.chainproof.spec.LayeredSpec layered) {
                    wholeModel(path);
                    output.write(io.chainproof.render.LayeredDocument.of(layered), out, path);
                    return 0;
                }
            });
        });
    }

    /** A formula's or RNN's derivation covers every parameter: naming one is an error, not silently ignored. */
    private void wholeModel(Path path) {
        if (which != null && which.parameter != null) {
            throw new SpecException(path.toString(), "--parameter", which.parameter, "selects a parameter of an MLP spec",
                    "leave it out: a formula or RNN derivation covers every parameter");
        }
    }

    private static boolean consistent(ParameterExplanation e) {
        return !(e.proof().outcome() instanceof AgreementOutcome.Disagrees) && e.complexStep().verdict().passed()
                && e.finiteDifference().verdict().passed();
    }

    static ParameterId resolve(ComputationGraph graph, NetworkSpec network, Path path, String parameter) {
        ParameterId id;
        try {
            id = ParameterId.parse(parameter);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path.toString(), "--parameter", parameter,
                    "is not a parameter name", "write W<layer>[row][column] or b<layer>[row], e.g. W1[0][1] or b2[0]");
        }
        if (!graph.contains(id)) {
            throw new SpecException(path.toString(), "--parameter", parameter, "is not a parameter of " + network.name(),
                    "its parameters run from " + graph.parameters().get(0).name() + " to "
                            + graph.parameters().get(graph.parameters().size() - 1).name());
        }
        return id;
    }
}
