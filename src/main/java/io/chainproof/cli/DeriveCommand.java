package io.chainproof.cli;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.render.DerivationRenderer;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.AgreementOutcome;
import io.chainproof.symbolic.AgreementProof;
import io.chainproof.symbolic.ChainRuleDerivation;
import io.chainproof.symbolic.ProofSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chainproof derive SPEC}: the chain-rule derivation of one parameter or of every parameter. */
@Command(name = "derive", header = "Show the chain-rule derivation of a parameter's gradient.",
        description = "Factored chain rule (∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · …), each local derivative with its value, "
                + "the closed form, the proof that it equals Symja's direct D[L, θ], and the value at the spec's point. "
                + "Exit 1 if a derivation disagrees with the direct derivative.")
final class DeriveCommand implements Callable<Integer> {

    /** Formats of the derivation. */
    enum Format { text, latex }

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Option(names = "--parameter", paramLabel = "NAME",
            description = "The parameter, e.g. W1[0][0] or b2[1] (default: every parameter).")
    String parameter;

    @Option(names = "--format", defaultValue = "text", description = "text or latex (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Network spec file (.json, .yaml, .yml).")
    Path spec;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            NetworkSpec network = SpecReader.read(path);
            ComputationGraph graph = ComputationGraph.of(network);
            List<ParameterId> targets = parameter == null ? graph.parameters() : List.of(resolve(graph, network, path));
            ChainRuleDerivation chain = ChainRuleDerivation.of(network);
            Map<ParameterId, AgreementProof> proofs = new HashMap<>();
            (parameter == null ? AgreementProof.all(network, ProofSettings.DEFAULTS)
                    : List.of(AgreementProof.of(network, targets.get(0), ProofSettings.DEFAULTS)))
                    .forEach(proof -> proofs.put(proof.parameter(), proof));
            List<DerivationRenderer.Entry> entries = new ArrayList<>();
            boolean consistent = true;
            for (ParameterId id : targets) {
                AgreementProof proof = proofs.get(id);
                consistent &= !(proof.outcome() instanceof AgreementOutcome.Disagrees);
                entries.add(new DerivationRenderer.Entry(chain.derive(id), proof));
            }
            out.print(format == Format.latex ? DerivationRenderer.latex(network, entries) : DerivationRenderer.text(network, entries));
            out.flush();
            return consistent ? 0 : Main.CHECK_FAILED;
        });
    }

    private ParameterId resolve(ComputationGraph graph, NetworkSpec network, Path path) {
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
