package io.chainproof.render;

import io.chainproof.check.Estimate;
import io.chainproof.check.HessianVectorVerifier;
import io.chainproof.check.Tolerance;
import io.chainproof.explain.Formula;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.AgreementOutcome;
import io.chainproof.symbolic.MathNotation;
import io.chainproof.symbolic.SecondOrderProof;

import java.util.ArrayList;
import java.util.List;

/**
 * Second derivatives of an MLP's loss as a {@link Document}: for each ∂²L/∂a∂b, the chain rule's ∂L/∂a differentiated
 * once more (the product rule over the lecture's factors, by Symja) with its closed form when short enough to print,
 * the proof that it equals Symja's D[L, a, b], and its value at the spec's point against the complex step applied to
 * chainproof's compiled gradient (the a-th entry of H·e_b, exact to rounding).
 */
public final class SecondOrderDocument {

    /** Closed forms longer than this many characters of text are described, not printed. */
    static final int MAX_TEXT = 1500;

    private SecondOrderDocument() {
    }

    /** One second derivative with its numeric check. */
    private record Row(SecondOrderProof proof, double value, Estimate oracle, boolean agrees) {
    }

    /**
     * @param spec   the network, with its parameters and data
     * @param proofs the second derivatives, in the order to show them
     * @return the document
     */
    public static Document of(NetworkSpec spec, List<SecondOrderProof> proofs) {
        List<Block> b = new ArrayList<>(DerivationDocument.introduction(spec));
        b.add(new Block.Paragraph(Inline.of("Each second derivative is found twice: the chain rule's ",
                new Formula("∂L/∂a", "\\partial L / \\partial a"), " — the product of the factors the first-order "
                        + "derivation writes — differentiated once more by Symja (the product rule over those factors, "
                        + "each factor depending on the parameters through the forward pass), and Symja's ",
                new Formula("D[L, a, b]", "\\mathrm{D}[L, a, b]"), " of the written-out loss. Its value at the spec's "
                        + "point is then compared with the complex step applied to chainproof's compiled gradient, "
                        + "exact to rounding.")));
        SymbolNames names = new SymbolNames(spec);
        for (Row r : rows(spec, proofs)) {
            section(b, r, names);
        }
        String what = proofs.size() == 1 ? "Second derivative " + name(proofs.get(0), names).text()
                : "Second derivatives of the loss";
        return new Document(what + " — " + spec.name(), b);
    }

    /**
     * Whether every second derivative's routes agree and its value matches the complex step.
     *
     * @param spec   the network
     * @param proofs the second derivatives
     * @return true if nothing disagrees
     */
    public static boolean consistent(NetworkSpec spec, List<SecondOrderProof> proofs) {
        return rows(spec, proofs).stream().allMatch(r -> !(r.proof().outcome() instanceof AgreementOutcome.Disagrees)
                && (r.proof().chainRule().isEmpty() || r.agrees()));
    }

    /**
     * Each proof with its value at the spec's point and the complex step's H·e_b entry; they agree within
     * {@link Tolerance#DEFAULT} (the symbolic value is a tree evaluated in double, whose rounding no backward-pass bound
     * describes).
     */
    private static List<Row> rows(NetworkSpec spec, List<SecondOrderProof> proofs) {
        Model model = Models.mlp(spec);
        ComputationGraph graph = ComputationGraph.of(spec);
        HessianVectorVerifier hvp = new HessianVectorVerifier();
        List<Row> rows = new ArrayList<>();
        for (SecondOrderProof p : proofs) {
            double[] e = new double[graph.parameters().size()];
            e[graph.parameters().indexOf(p.second())] = 1;
            Estimate oracle = hvp.hessianVector(model, e)[graph.parameters().indexOf(p.first())];
            double value = p.valueAt(spec);
            double allowed = Tolerance.DEFAULT.allowed(value, oracle.value(), oracle.errorEstimate());
            rows.add(new Row(p, value, oracle, Double.isFinite(value) && Math.abs(value - oracle.value()) <= allowed));
        }
        return rows;
    }

    private static Formula name(SecondOrderProof p, SymbolNames names) {
        String a = names.text().apply(p.first().symbol());
        String la = names.latex().apply(p.first().symbol());
        if (!p.mixed()) {
            return new Formula("∂²L/∂" + a + "²", "\\frac{\\partial^2 L}{\\partial {" + la + "}^2}");
        }
        String c = names.text().apply(p.second().symbol());
        String lc = names.latex().apply(p.second().symbol());
        return new Formula("∂²L/∂" + a + "∂" + c, "\\frac{\\partial^2 L}{\\partial " + la + " \\, \\partial " + lc + "}");
    }

    private static void section(List<Block> b, Row r, SymbolNames names) {
        SecondOrderProof p = r.proof();
        Formula name = name(p, names);
        ParameterId first = p.first();
        b.add(new Block.Heading(2, p.mixed()
                ? Inline.of(name, " (", Inline.code(first.name()), ", ", Inline.code(p.second().name()), ")")
                : Inline.of(name, " (", Inline.code(first.name()), ")")));
        String a = names.text().apply(first.symbol());
        String la = names.latex().apply(first.symbol());
        String by = names.text().apply(p.second().symbol());
        String lby = names.latex().apply(p.second().symbol());
        p.chainRule().ifPresentOrElse(c -> {
            String text = MathNotation.text(c, names.text());
            String latex = MathNotation.latex(c, names.latex());
            if (text.length() <= MAX_TEXT) {
                b.add(new Block.Paragraph(Inline.of("The chain rule's ", new Formula("∂L/∂" + a,
                        "\\partial L / \\partial " + la), ", written out in the parameters and data, differentiated by ",
                        new Formula(by, lby), ":")));
                b.add(new Block.Equations(DerivationDocument.brokenProduct(name.text() + " = " + text, name.latex(),
                        latex)));
            } else {
                b.add(new Block.Paragraph(Inline.of("The chain rule's ", new Formula("∂L/∂" + a,
                        "\\partial L / \\partial " + la), " was differentiated by ", new Formula(by, lby),
                        " and compared, but at " + text.length() + " characters the result is too long to print.")));
            }
        }, () -> b.add(new Block.Paragraph(Inline.of("The closed form was not written out: the network is too large."))));
        b.add(new Block.Paragraph(Inline.of("Agreement with Symja's direct derivative ", new Formula("D[L, " + a + ", " + by
                + "]", "\\mathrm{D}[L, " + la + ", " + lby + "]"), ": " + p.outcomeText() + ".")));
        if (p.chainRule().isPresent()) {
            b.add(new Block.Paragraph(Inline.of("At the spec's point it is ", Formula.number(r.value()),
                    "; the complex step on the compiled gradient (entry " + first.name() + " of H·e for e = "
                            + p.second().name() + ") gives ", Formula.number(r.oracle().value()), " ± ",
                    Formula.approximately(r.oracle().errorEstimate()), ": " + (r.agrees() ? "agrees" : "DISAGREES")
                            + ".")));
        }
    }
}
