package io.chainproof.cli;

import io.chainproof.bounds.BoundReport;
import io.chainproof.bounds.BoundReportRenderer;
import io.chainproof.bounds.GrowthBounds;
import io.chainproof.render.RnnBoundRenderer;
import io.chainproof.rnn.RnnBoundReport;
import io.chainproof.rnn.RnnBounds;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.RnnSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code chainproof bound SPEC...}: certified bounds on every layer's weight gradient. */
@Command(name = "bound", header = "Print certified bounds on every layer's weight gradient.",
        description = "Bounds ‖∂L/∂W_l‖_F by ‖∇_{a_L}L‖₂·‖a_{l−1}‖₂·∏γ_k·∏‖W_k‖₂ (spectral norm ‖W‖₂, Frobenius "
                + "norm of the gradient), once with γ = sup|φ'| and once with the derivatives at the data, and "
                + "prints the actual norm, both bounds, their tightness and the regime per layer. With --format "
                + "json the output is one object per spec, one line each.")
final class BoundCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    SpecFiles files;

    @picocli.CommandLine.Option(names = "--clip", paramLabel = "NORM", defaultValue = "Infinity",
            description = "RNN specs: also report the gradient clipped to this global norm (default: no clipping).")
    double clip;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(files, out, command.commandLine().getErr(), common, path -> {
            String text = FiniteSpecs.read(path).accept(new io.chainproof.spec.Spec.Visitor<String>() {
                @Override
                public String mlp(NetworkSpec network) {
                    BoundReport report = GrowthBounds.of(network);
                    return files.json() ? BoundReportRenderer.json(report) + "\n" : BoundReportRenderer.text(report);
                }

                @Override
                public String rnn(RnnSpec rnn) {
                    RnnBoundReport report = RnnBounds.of(rnn, clip);
                    return files.json() ? RnnBoundRenderer.json(report) + "\n" : RnnBoundRenderer.text(report);
                }

                @Override
                public String formula(FormulaSpec formula) {
                    throw Unsupported.bounds(formula, "bound");
                }

                @Override
                public String layered(io.chainproof.spec.LayeredSpec layered) {
                    io.chainproof.bounds.LayeredBounds.Report report = io.chainproof.bounds.LayeredBounds.of(layered);
                    return files.json() ? io.chainproof.render.LayeredBoundRenderer.json(report) + "\n"
                            : io.chainproof.render.LayeredBoundRenderer.text(report);
                }
            });
            out.print(text);
            out.flush();
            return 0;
        });
    }
}
