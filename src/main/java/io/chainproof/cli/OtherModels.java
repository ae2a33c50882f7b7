package io.chainproof.cli;

import io.chainproof.check.DifferentiableLoss;
import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.GradientChecker;
import io.chainproof.check.Oracle;
import io.chainproof.formula.FormulaLoss;
import io.chainproof.formula.FormulaModel;
import io.chainproof.render.Document;
import io.chainproof.render.FormulaDocument;
import io.chainproof.render.LossFunctionRenderer;
import io.chainproof.render.RnnBoundRenderer;
import io.chainproof.render.RnnDocument;
import io.chainproof.rnn.RnnBoundReport;
import io.chainproof.rnn.RnnBounds;
import io.chainproof.rnn.RnnLoss;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.RnnSpec;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The commands' work for specs that are not MLPs — recurrent networks ({@code "type": "rnn"}) and formulas
 * ({@code "type": "formula"}): their gradients come from BPTT or from Symja's derivative of the formula and
 * are checked by central differences with an error estimate (the complex step and forward-mode AD work on
 * the MLP's compiled graph only).
 */
final class OtherModels {

    private OtherModels() {
    }

    static DifferentiableLoss loss(Spec spec) {
        if (spec instanceof RnnSpec rnn) {
            return new RnnLoss(rnn);
        }
        return new FormulaLoss(FormulaModel.of((FormulaSpec) spec));
    }

    static int gradient(Spec spec, boolean json, PrintWriter out) {
        DifferentiableLoss model = loss(spec);
        double[] p = model.point();
        double loss = model.loss(p);
        double[] g = model.gradient(p);
        out.print(json ? LossFunctionRenderer.gradientJson(model, loss, g) + "\n" : LossFunctionRenderer.gradientText(model, loss, g));
        out.flush();
        return 0;
    }

    /**
     * The oracle to use: an explicitly chosen one must be central differences (the others need the MLP's
     * compiled graph); a default (the complex step of {@code verify}) falls back to central differences.
     */
    static Oracle oracle(Oracle chosen, boolean explicit) {
        return explicit ? chosen : Oracle.CENTRAL_DIFFERENCE;
    }

    static int check(Spec spec, Oracle oracle, boolean json, PrintWriter out, Path path) {
        DifferentiableLoss model = loss(spec);
        double[] p = model.point();
        return report(model, check(model, model.gradient(p), oracle, path), json, out);
    }

    static int verify(Spec spec, Path claimedFile, Oracle oracle, boolean json, PrintWriter out, Path path) {
        DifferentiableLoss model = loss(spec);
        double[] claimed = GradientFileReader.readFlat(claimedFile, model.name(), model.tensors(new double[model.parameterNames().size()]));
        return report(model, check(model, claimed, oracle, path), json, out);
    }

    private static FunctionCheckReport check(DifferentiableLoss model, double[] claimed, Oracle oracle, Path path) {
        if (oracle != Oracle.CENTRAL_DIFFERENCE) {
            throw new SpecException(path.toString(), "--oracle", oracle.name().toLowerCase(java.util.Locale.ROOT),
                    "is available for MLP specs only", "use --oracle finite_difference for " + kind(model) + " specs");
        }
        FunctionCheckReport report = GradientChecker.withNames(model.parameterNames())
                .check(model::loss, t -> claimed.clone(), model.point());
        return model instanceof RnnLoss rnn ? withKinks(rnn, report) : report;
    }

    /**
     * At a relu kink of the recurrence the recurrent parameters (W_h, W_x, b) have no derivative: their checks
     * become {@link io.chainproof.check.Verdict.NotDifferentiableHere}, as the MLP verifier reports them.
     */
    private static FunctionCheckReport withKinks(RnnLoss model, FunctionCheckReport report) {
        java.util.Optional<String> kink = io.chainproof.rnn.RnnKinks.find(model.network(), model.point());
        if (kink.isEmpty()) {
            return report;
        }
        List<io.chainproof.check.ParameterCheck> checks = new java.util.ArrayList<>();
        int recurrent = model.network().wyOffset();
        for (int i = 0; i < report.checks().size(); i++) {
            io.chainproof.check.ParameterCheck c = report.checks().get(i);
            checks.add(i < recurrent ? new io.chainproof.check.ParameterCheck(c.parameter(), c.claimed(), c.oracle(), c.decidedBy(),
                    new io.chainproof.check.Verdict.NotDifferentiableHere(kink.get())) : c);
        }
        return new FunctionCheckReport(report.kind(), checks);
    }

    private static int report(DifferentiableLoss model, FunctionCheckReport report, boolean json, PrintWriter out) {
        double loss = model.loss(model.point());
        out.print(json ? LossFunctionRenderer.checkJson(model, loss, report) + "\n" : LossFunctionRenderer.checkText(model, loss, report));
        out.flush();
        return report.passed() ? 0 : Main.CHECK_FAILED;
    }

    static Document document(Spec spec) {
        DifferentiableLoss model = loss(spec);
        FunctionCheckReport checks = GradientChecker.withNames(model.parameterNames())
                .check(model::loss, model::gradient, model.point());
        if (model instanceof FormulaLoss f) {
            return FormulaDocument.of(f.model(), checks);
        }
        return RnnDocument.of((RnnSpec) spec, RnnBounds.of((RnnSpec) spec), checks);
    }

    static int bound(Spec spec, boolean json, double clip, PrintWriter out, Path path) {
        RnnSpec rnn = requireRnn(spec, path, "bound");
        RnnBoundReport report = RnnBounds.of(rnn, clip);
        out.print(json ? RnnBoundRenderer.json(report) + "\n" : RnnBoundRenderer.text(report));
        out.flush();
        return 0;
    }

    /** What an RNN sweep rescales W_h to: its spectral norm ‖W_h‖₂ or its spectral radius ρ(W_h). */
    enum Rescale { norm, radius }

    static int sweep(Spec spec, Rescale rescale, double from, double to, int points, double clip, Path outputDir,
                     PrintWriter out, Path path) {
        RnnSpec rnn = requireRnn(spec, path, "sweep");
        if (!(from > 0) || !(to >= from) || !Double.isFinite(to)) {
            throw new SpecException(path.toString(), "--from/--to", from + ", " + to, "is not a range of spectral norms",
                    "give 0 < --from ≤ --to, e.g. --from 0.1 --to 10");
        }
        if (points < 1 || (points == 1 && from != to)) {
            throw new SpecException(path.toString(), "--points", Integer.toString(points), "must be at least 2 (1 if --from = --to)",
                    "give --points 2 or more");
        }
        double[] norms = new double[points];
        for (int i = 0; i < points; i++) {
            norms[i] = points == 1 ? from : from * Math.pow(to / from, (double) i / (points - 1));
        }
        norms[points - 1] = to;
        double current = rescale == Rescale.norm ? io.chainproof.rnn.RnnNetwork.spectralNorm(rnn.wh())
                : RnnBounds.spectralRadius(rnn.wh());
        if (!(current > 0)) {
            throw new SpecException(path.toString(), "parameters.Wh", "spectral " + rescale + " " + current,
                    "cannot be rescaled (W_h has no direction to scale" + (rescale == Rescale.radius
                            ? ": a nilpotent or zero W_h has spectral radius 0)" : ")"),
                    rescale == Rescale.radius ? "use --rescale norm, or give W_h a nonzero eigenvalue" : "give W_h a nonzero entry");
        }
        List<RnnBoundReport> sweep = rescale == Rescale.norm ? RnnBounds.sweep(rnn, norms, clip)
                : RnnBounds.sweepSpectralRadius(rnn, norms, clip);
        Path csv = outputDir.resolve(rnn.name() + "-sweep-wh-" + rescale + ".csv");
        try {
            Files.createDirectories(outputDir);
            Files.writeString(csv, RnnBoundRenderer.csv(sweep), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(path.toString(), "--output-dir", outputDir.toString(),
                    "cannot be written (" + e.getMessage() + ")", "give a writable directory");
        }
        Path base = outputDir.resolve(rnn.name() + "-sweep-wh-" + rescale);
        try {
            io.chainproof.render.RnnSweepPlot.write(sweep, rescale == Rescale.norm ? RnnBoundReport::whNorm : RnnBoundReport::whRadius,
                    rescale == Rescale.norm ? "spectral norm ‖W_h‖₂" : "spectral radius ρ(W_h)", base);
        } catch (java.io.UncheckedIOException e) {
            throw new SpecException(path.toString(), "--output-dir", outputDir.toString(),
                    "cannot be written (" + e.getCause().getMessage() + ")", "give a writable directory");
        }
        out.print("sweep of " + rnn.name() + ": W_h rescaled to spectral " + (rescale == Rescale.norm ? "norms " : "radii ")
                + from + " … " + to + ", " + points + " points"
                + (Double.isFinite(clip) ? ", gradients clipped to global norm " + clip : "") + "\n");
        out.print(RnnBoundRenderer.table(sweep));
        out.println("wrote " + csv + ", " + base + ".png, " + base + ".svg");
        out.flush();
        return 0;
    }

    private static RnnSpec requireRnn(Spec spec, Path path, String command) {
        if (spec instanceof RnnSpec rnn) {
            return rnn;
        }
        throw new SpecException(path.toString(), "type", "formula", "has no layers or recurrence to bound",
                command + " works on MLP and RNN specs; use gradient, check, verify or derive for a formula");
    }

    private static String kind(DifferentiableLoss model) {
        return model instanceof RnnLoss ? "RNN" : "formula";
    }
}
