package io.chainproof.cli;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.render.GradientRenderer;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code chainproof gradient SPEC...}: the loss and every gradient. */
@Command(name = "gradient", header = "Print the loss and the gradient of every parameter.",
        description = "Derives the chain-rule gradient symbolically, compiles it, and evaluates it at the spec's "
                + "parameters and data. With --format json the output is {\"loss\": L, \"gradients\": {\"W1\": [[...]], ...}}, "
                + "one line per spec.")
final class GradientCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    SpecFiles files;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(files.specs, command.commandLine().getErr(), common, path -> {
            io.chainproof.spec.Spec any = SpecReader.readAny(path);
            if (!(any instanceof NetworkSpec spec)) {
                return OtherModels.gradient(any, files.json(), out);
            }
            ComputationGraph graph = ComputationGraph.of(spec);
            CompiledNetwork network = NetworkCompiler.compile(graph);
            CompiledNetwork.Evaluation e = network.evaluate();
            out.print(files.json() ? GradientRenderer.json(graph, e) + "\n" : GradientRenderer.text(graph, e));
            out.flush();
            return 0;
        });
    }
}
