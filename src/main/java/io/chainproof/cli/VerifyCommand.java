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

/**
 * {@code chainproof verify SPEC --gradients CLAIMED.json [--hvp HVP.json]}: gradients (and Hessian-vector products)
 * computed elsewhere, checked.
 */
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

    @Option(names = "--gradients", paramLabel = "CLAIMED.json",
            description = "The gradients to verify (JSON or YAML).")
    Path gradients;

    @Option(names = "--hvp", paramLabel = "HVP.json",
            description = "A Hessian-vector product to verify, as a double backward returns it: {\"vector\": {name: v, "
                    + "...}, \"hvp\": {name: H·v, ...}} in the gradients' layout; checked against the complex step "
                    + "through the reverse walk (or forward over reverse with --oracle forward_ad).")
    Path hvp;

    @Option(names = "--names", paramLabel = "NAMES.json",
            description = "The gradient file's tensor names mapped to the spec's, e.g. a PyTorch state_dict's: "
                    + "{\"features.0.weight\": \"W1\", \"features.0.bias\": \"b1\"} (a layered spec may carry the map as "
                    + "\"names\"; this file overrides it).")
    Path names;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Network spec file: architecture, parameters and data.")
    Path spec;

    private void print(PrintWriter out, VerificationReport report) {
        out.print(format == OutputFormat.json ? VerificationRenderer.json(report) + "\n"
                : VerificationRenderer.text(report, "claimed"));
        out.flush();
    }

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        return SpecBatch.run(List.of(spec), command.commandLine().getErr(), common, path -> {
            if (gradients == null && hvp == null) {
                throw new io.chainproof.spec.SpecException(path.toString(), "--gradients", "missing",
                        "is required (or --hvp)", "give the claimed gradients, e.g. --gradients claimed.json, or a "
                        + "Hessian-vector product with --hvp hvp.json");
            }
            io.chainproof.spec.Spec spec = SpecReader.readAny(path);
            LossFunction f = LossFunctions.of(spec);
            double[] point = f.point();
            // where the model itself overflows there is no exact gradient to hold the claims to: a finding
            io.chainproof.check.NonFiniteException.requireFinite(f, point, f.loss(point), f.gradient(point));
            java.util.Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
            boolean passed = true;
            if (gradients != null) {
                java.util.Map<String, String> map = names != null
                        ? GradientFileReader.readNames(names, template.keySet()) : spec.names();
                double[] claimed = GradientFileReader.readFlat(gradients, f.name(), template, map);
                VerificationReport report = VerificationRun.run(f, claimed, oracle.oracle, verification, false,
                        command.commandLine().getErr());
                print(out, report);
                passed = report.passed();
            }
            if (hvp != null) {
                java.util.Map<String, String> map = names != null
                        ? GradientFileReader.readNames(names, template.keySet()) : spec.names();
                double[] vector = GradientFileReader.readSection(hvp, f.name(), template, map, "vector");
                double[] claimed = GradientFileReader.readSection(hvp, f.name(), template, map, "hvp");
                if (oracle.oracle == io.chainproof.check.Oracle.CENTRAL_DIFFERENCE) {
                    throw new io.chainproof.spec.SpecException(path.toString(), "--oracle", "finite_difference",
                            "cannot check a Hessian-vector product (differences of differences lose half the digits)",
                            "leave --oracle out (the complex step) or give --oracle forward_ad");
                }
                VerificationReport report = new io.chainproof.check.HessianVectorVerifier().withOracle(oracle.oracle)
                        .verify(io.chainproof.model.Models.of(spec), vector, claimed);
                out.print(format == OutputFormat.json ? VerificationRenderer.json(report) + "\n"
                        : VerificationRenderer.text(report, "claimed", "entry of H·v", "entries of H·v"));
                out.flush();
                passed &= report.passed();
            }
            return passed ? 0 : Main.CHECK_FAILED;
        });
    }
}
