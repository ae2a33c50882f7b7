package io.chainproof.cli;

import io.chainproof.check.VerificationReport;
import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.NonFiniteException;
import io.chainproof.render.VerificationRenderer;
import io.chainproof.spec.SpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code chainproof check SPEC...}: the symbolic gradient against finite differences. */
@Command(name = "check", header = "Check the symbolic gradient against finite differences.",
        description = "For every parameter, compares chainproof's own gradient (an MLP's compiled chain rule, another "
                + "model's reverse walk of its op graph, both from Symja-derived local rules) with a central finite "
                + "difference (Richardson-extrapolated, with an error estimate), or with the oracle chosen. Exit 0 if all "
                + "agree, 1 if not.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    VerificationOptions verification;

    @Option(names = "--oracle", defaultValue = "finite_difference",
            description = "complex_step or forward_ad (both exact to rounding), or finite_difference (default: ${DEFAULT-VALUE}).")
    OracleChoice oracle;

    @Mixin
    SpecFiles files;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(files, out, command.commandLine().getErr(), common, path -> {
            LossFunction f = LossFunctions.of(SpecReader.readAny(path));
            double[] point = f.point();
            double[] gradient = f.gradient(point);
            // a loss or gradient that is not finite is a finding about the model, not a verdict per parameter
            NonFiniteException.requireFinite(f, point, f.loss(point), gradient);
            VerificationReport report = VerificationRun.run(f, gradient, oracle.oracle, verification, true,
                    command.commandLine().getErr());
            out.print(files.json() ? VerificationRenderer.json(report) + "\n" : VerificationRenderer.text(report, "symbolic"));
            out.flush();
            return report.passed() ? 0 : Main.CHECK_FAILED;
        });
    }
}
