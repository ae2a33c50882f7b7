package io.chainproof.cli;

import io.chainproof.check.CheckReport;
import io.chainproof.check.FiniteDifferenceChecker;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.render.CheckReportRenderer;
import io.chainproof.spec.SpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code chainproof check SPEC...}: the symbolic gradient against finite differences. */
@Command(name = "check", header = "Check the symbolic gradient against finite differences.",
        description = "For every parameter, compares the compiled chain-rule gradient with a central finite "
                + "difference (Richardson-extrapolated, with an error estimate). Exit 0 if all agree, 1 if not.")
final class CheckCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    SpecFiles files;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        FiniteDifferenceChecker checker = new FiniteDifferenceChecker();
        return SpecBatch.run(files.specs, command.commandLine().getErr(), common, path -> {
            CheckReport report = checker.check(NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(path))));
            out.print(files.json() ? CheckReportRenderer.json(report) + "\n" : CheckReportRenderer.text(report));
            out.flush();
            return report.passed() ? 0 : Main.CHECK_FAILED;
        });
    }
}
