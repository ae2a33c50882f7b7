package io.chainproof.cli;

import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.NonFiniteException;
import io.chainproof.check.NonFiniteValues;
import io.chainproof.render.GradientRenderer;
import io.chainproof.spec.SpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code chainproof gradient SPEC...}: the loss and every gradient. */
@Command(name = "gradient", header = "Print the loss and the gradient of every parameter.",
        description = "Evaluates the gradient at the spec's parameters and data — an MLP's chain rule derived "
                + "symbolically and compiled, another model's reverse walk of its op graph (backpropagation through "
                + "time for an RNN) from Symja-derived local rules. With --format json the output is {\"loss\": L, \"gradients\": {\"W1\": [[...]], ...}}, "
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
        return SpecBatch.run(files, out, command.commandLine().getErr(), common, path -> {
            LossFunction f = LossFunctions.of(SpecReader.readAny(path));
            double[] point = f.point();
            double loss = f.loss(point);
            double[] gradient = f.gradient(point);
            boolean finite = NonFiniteValues.find(f, point, loss, gradient).isEmpty();
            if (finite || !files.json()) {
                // the listing shows the numbers as computed; a JSON line would carry ±∞ or NaN, which JSON lacks
                out.print(files.json() ? GradientRenderer.json(f, loss, gradient) + "\n" : GradientRenderer.text(f, loss, gradient));
                out.flush();
            }
            NonFiniteException.requireFinite(f, point, loss, gradient);
            return 0;
        });
    }
}
