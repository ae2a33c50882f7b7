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
import io.chainproof.symbolic.AgreementOutcome;
import io.chainproof.symbolic.ProofSettings;
import io.chainproof.symbolic.SecondOrderProof;
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
                + "the local rules, each factor's value, the closed form and its proof against the direct "
                + "D[L, θ] (by composing the op rules Symja derived, or with --symja by Symja on the whole loss), "
                + "the value next to finite differences and the complex step, and the growth bound. "
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

    @Option(names = "--order", paramLabel = "1|2", defaultValue = "1", description = "1: the chain-rule gradient (the "
            + "default); 2: second derivatives ∂²L/∂θ² of an MLP's loss (of --parameter, or of every parameter), each "
            + "the chain rule's ∂L/∂θ differentiated again, proved against Symja's D[L, θ, θ] and checked against the "
            + "complex step on the compiled gradient. Meant for small networks.")
    int order;

    @Option(names = "--symja", description = "Prove each gradient with Symja's D of the whole written-out loss "
            + "(Together, then Simplify, each under a time limit; then random points) instead of by composing the op "
            + "rules Symja derived once. Slow beyond small networks; an independent second proof.")
    boolean symja;

    @Option(names = "--interactive", description = "With --format html, an MLP's page gets a slider that scales the "
            + "derived parameter's layer and sliders for that layer's weights and biases (or those of --slider), which "
            + "recompute the loss, the gradient and (for a scalar chain) every chain-rule factor and the γ bound in the "
            + "page, with the command line's arithmetic.")
    boolean interactive;

    @Option(names = "--slider", paramLabel = "NAME", description = "With --interactive: a slider for this parameter "
            + "(repeat for more, at most 12).")
    List<String> sliders = new java.util.ArrayList<>();

    @Option(names = "--with", paramLabel = "NAME", description = "With --order 2 and --parameter a: the mixed second "
            + "derivative ∂²L/∂a∂b with b = NAME.")
    String with;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        if (order != 1 && order != 2) {
            throw new SpecException(spec.toString(), "--order", Integer.toString(order), "must be 1 (the gradient) or "
                    + "2 (second derivatives)", "give --order 1 or --order 2");
        }
        if (with != null && (order != 2 || which == null || which.parameter == null)) {
            throw new SpecException(spec.toString(), "--with", with, "names the second parameter of a mixed second "
                    + "derivative", "give it with --order 2 and --parameter, e.g. --order 2 --parameter W1[0][0] --with "
                    + "b2[0]");
        }
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            io.chainproof.spec.Spec read = FiniteSpecs.read(path);
            Sliders.requireInteractive(path, read, interactive, output.format, sliders);
            if (interactive && order == 2) {
                throw new SpecException(path.toString(), "--interactive", "with --order 2", "runs the gradient in the "
                        + "page", "leave --interactive out of a second-order derivation");
            }
            return read.accept(new io.chainproof.spec.Spec.Visitor<Integer>() {
                @Override
                public Integer mlp(NetworkSpec network) {
                    SymbolicDepth.require(network, path, "derive");
                    ComputationGraph graph = ComputationGraph.of(network);
                    String name = which == null ? null : which.parameter;
                    if (order == 2) {
                        List<SecondOrderProof> proofs = new java.util.ArrayList<>();
                        if (name == null) {
                            graph.parameters().forEach(id -> proofs.add(SecondOrderProof.of(network, id, id,
                                    ProofSettings.DEFAULTS)));
                        } else {
                            ParameterId a = resolve(graph, network, path, name);
                            ParameterId b = with == null ? a : resolve(graph, network, path, with, "--with");
                            proofs.add(SecondOrderProof.of(network, a, b, ProofSettings.DEFAULTS));
                        }
                        output.write(io.chainproof.render.SecondOrderDocument.of(network, proofs), out, path);
                        return io.chainproof.render.SecondOrderDocument.consistent(network, proofs) ? 0
                                : Main.CHECK_FAILED;
                    }
                    List<ParameterId> targets = name == null ? graph.parameters()
                            : List.of(resolve(graph, network, path, name));
                    List<ParameterExplanation> explanations = Explainer.of(network).explain(targets,
                            ProofSettings.DEFAULTS.withSymjaOnly(symja));
                    int layer = name == null ? 1 : targets.get(0).layer();
                    output.write(interactive ? DerivationDocument.of(network, explanations,
                            io.chainproof.render.InteractivePanel.of(network, layer, sliders))
                            : DerivationDocument.of(network, explanations), out, path);
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
        if (order == 2) {
            throw new SpecException(path.toString(), "--order", "2", "derives second derivatives of an MLP spec",
                    "for other models check a claimed Hessian-vector product with verify --hvp HVP.json");
        }
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
        return resolve(graph, network, path, parameter, "--parameter");
    }

    static ParameterId resolve(ComputationGraph graph, NetworkSpec network, Path path, String parameter, String option) {
        ParameterId id;
        try {
            id = ParameterId.parse(parameter);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path.toString(), option, parameter,
                    "is not a parameter name", "write W<layer>[row][column] or b<layer>[row], e.g. W1[0][1] or b2[0]");
        }
        if (!graph.contains(id)) {
            throw new SpecException(path.toString(), option, parameter, "is not a parameter of " + network.name(),
                    "its parameters run from " + graph.parameters().get(0).name() + " to "
                            + graph.parameters().get(graph.parameters().size() - 1).name());
        }
        return id;
    }
}
