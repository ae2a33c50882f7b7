package io.chainproof.cli;

import io.chainproof.check.VerificationReport;
import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.render.VerificationRenderer;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.SpecReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chainproof verify SPEC --gradients CLAIMED.json}: gradients computed elsewhere, checked. */
@Command(name = "verify", header = "Verify gradients computed by another library.",
        description = "Reads gradients in PyTorch's {name: p.grad} layout ({\"W1\": [[...]], \"b1\": [...], ...}, with or "
                + "without a {\"gradients\": ...} wrapper) for the spec's parameters and data, checks every entry against "
                + "independent oracles, and says which layer and chain-rule factor is the likely culprit when some are "
                + "wrong. Exit 0 if all are right, 1 if any is wrong, 2 on bad input.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CommonOptions common;

    @Mixin
    VerificationOptions verification;

    @Option(names = "--oracle", defaultValue = "complex_step",
            description = "complex_step or forward_ad (both exact to rounding), or finite_difference (default: ${DEFAULT-VALUE}).")
    OracleChoice oracle;

    @Option(names = "--gradients", required = true, paramLabel = "CLAIMED.json",
            description = "The gradients to verify (JSON or YAML).")
    Path gradients;

    @Option(names = "--names", paramLabel = "NAMES.json",
            description = "The gradient file's tensor names mapped to the spec's, e.g. a PyTorch state_dict's: "
                    + "{\"features.0.weight\": \"W1\", \"features.0.bias\": \"b1\"} (a layered spec may carry the map as "
                    + "\"names\"; this file overrides it).")
    Path names;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Network spec file: architecture, parameters and data.")
    Path spec;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            io.chainproof.spec.Spec spec = SpecReader.readAny(path);
            LossFunction f = LossFunctions.of(spec);
            java.util.Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            java.util.Map<String, String> map = names != null ? GradientFileReader.readNames(names, template.keySet())
                    : spec.names();
            double[] claimed = GradientFileReader.readFlat(gradients, f.name(), template, map);
            VerificationReport report = VerificationRun.run(f, claimed, oracle.oracle, verification, command.commandLine().getErr());
            out.print(format == OutputFormat.json ? VerificationRenderer.json(report) + "\n" : VerificationRenderer.text(report, "claimed"));
            out.flush();
            return report.passed() ? 0 : Main.CHECK_FAILED;
        });
    }
}
