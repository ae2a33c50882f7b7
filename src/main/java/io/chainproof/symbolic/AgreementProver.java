package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.graph.Node;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.matheclipse.core.interfaces.IExpr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** The worker behind {@link AgreementProof}: one network, its loss written for Symja once. */
final class AgreementProver {

    private static final String TOGETHER = "Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0";
    private static final String SIMPLIFY = "Simplify[PowerExpand[c − D[L, θ]]] = 0";

    private final ProofSettings settings;
    private final ClosedForm closedForm;
    private final NetworkModel model;
    private final long lossLeaves;
    private final CompositionProof composition;
    private final SymjaWriter writer = new SymjaWriter();
    /**
     * A closed form above {@link ProofSettings#maxLeafCount()} leaves is not given to Symja to simplify,
     * but up to this many times that size it is still compared with D[L, θ] numerically (evaluating a tree
     * of 10⁵ leaves at 20 points takes milliseconds).
     */
    static final int NUMERIC_LEAF_FACTOR = 50;

    private final SymjaWriter opaqueWriter = new SymjaWriter(true);
    private String lossInput;
    private String opaqueLossInput;

    AgreementProver(NetworkSpec spec, ProofSettings settings) {
        this.settings = settings;
        ChainRuleDerivation derivation = ChainRuleDerivation.of(spec);
        this.model = derivation.model();
        this.closedForm = new ClosedForm(derivation);
        this.lossLeaves = ExprAlgebra.leafCount(closedForm.loss());
        this.composition = new CompositionProof(model, derivation.samples(), settings.seed());
    }

    List<ParameterId> parameters() {
        return model.parameters();
    }

    /**
     * The most scalar operations one proof by composition may take (both sides are about one forward pass of the
     * network per sample): a 64-64-32-1 MLP with 4 samples takes 25,000, so one parameter of it proves in a second.
     */
    static final long SINGLE_PROOF_WORK = 2_000_000L;
    /** The most scalar operations all proofs of {@code derive --all} may take together. */
    static final long ALL_PROOFS_WORK = 20_000_000L;

    /** Scalar operations of one forward pass over every sample: what one proof by composition costs. */
    long proofWork() {
        long work = 0;
        for (int l = 1; l <= model.layers; l++) {
            work += (long) model.units(l) * (model.units(l - 1) + 1);
        }
        return work * model.spec.data().samples();
    }

    /** Proves every parameter: by composition when the whole batch fits {@link #ALL_PROOFS_WORK}. */
    List<AgreementProof> proveAll() {
        long work = proofWork();
        long total = work * parameters().size();
        if (settings.symjaOnly() || total <= ALL_PROOFS_WORK) {
            return parameters().stream().map(this::prove).toList();
        }
        return parameters().stream().map(id -> tooLarge(id, "proving all " + parameters().size() + " parameters of <"
                + model.spec.name() + "> by composition takes about " + total + " scalar operations (" + work
                + " per parameter), above the limit of " + ALL_PROOFS_WORK + "; prove one at a time with derive "
                + "--parameter")).toList();
    }

    AgreementProof prove(ParameterId parameter) {
        model.requireParameter(parameter);
        if (!settings.symjaOnly() && proofWork() > SINGLE_PROOF_WORK) {
            return tooLarge(parameter, "a proof by composition of a parameter of <" + model.spec.name() + "> takes about "
                    + proofWork() + " scalar operations, above the limit of " + SINGLE_PROOF_WORK);
        }
        if (!settings.symjaOnly()) {
            Expr closed = closedForm.derivative(parameter);
            Optional<AgreementProof> composed = composition.prove(parameter, closed);
            if (composed.isPresent()) {
                return composed.get().withSharedForm(closedForm);
            }
        }
        return proveBySymja(parameter).withSharedForm(closedForm);
    }

    /** The proof against Symja's D of the whole written-out loss, then the numeric comparison. */
    AgreementProof proveBySymja(ParameterId parameter) {
        model.requireParameter(parameter);
        if (lossLeaves > settings.maxLeafCount()) {
            return tooLarge(parameter, "the loss of network <" + model.spec.name() + "> written out has " + lossLeaves
                    + " leaves, above the limit of " + settings.maxLeafCount() + " (ProofSettings.maxLeafCount)");
        }
        Expr closed = closedForm.derivative(parameter);
        long closedLeaves = ExprAlgebra.leafCount(closed);
        boolean symbolic = closedLeaves <= settings.maxLeafCount();
        if (closedLeaves > NUMERIC_LEAF_FACTOR * settings.maxLeafCount()) {
            return tooLarge(parameter, "the chain-rule closed form of ∂L/∂" + parameter.name() + " has " + closedLeaves
                    + " leaves, above the limit of " + NUMERIC_LEAF_FACTOR + " × " + settings.maxLeafCount()
                    + " for a numeric comparison (ProofSettings.maxLeafCount)");
        }
        if (lossInput == null) {
            lossInput = writer.write(closedForm.loss());
            opaqueLossInput = opaqueWriter.write(closedForm.loss());
        }
        SymbolicEngine engine = SymbolicEngine.instance();
        IExpr concrete = engine.evaluate("D[" + lossInput + "," + writer.symbol(parameter.symbol()) + "]");
        Optional<Expr> direct;
        ChainproofException unreadable = null;
        try {
            direct = Optional.of(new SymjaReader(writer, SymjaReader.Mode.LOWERED).read(concrete));
        } catch (ChainproofException e) {
            direct = Optional.empty();
            unreadable = e;
        }
        String difference = "PowerExpand[(" + opaqueWriter.write(closed) + ")-(D[" + opaqueLossInput + ","
                + opaqueWriter.symbol(parameter.symbol()) + "]/." + opaqueWriter.opaqueDerivatives() + ")]";
        AgreementOutcome outcome = null;
        for (String method : symbolic ? List.of(TOGETHER, SIMPLIFY) : List.<String>of()) {
            String input = method.equals(TOGETHER) ? "Together[ExpandAll[" + difference + "]]" : "Simplify[" + difference + "]";
            if (zero(engine.evaluateWithin(input, settings.symbolicTimeLimit()))) {
                outcome = new AgreementOutcome.Proved(method);
                break;
            }
        }
        if (outcome == null) {
            if (unreadable != null) {
                throw unreadable;
            }
            outcome = compareNumerically(closed, direct.get());
        }
        return new AgreementProof(parameter, outcome, Optional.of(closed), direct);
    }

    /** How a second derivative is proved: the chain rule's ∂L/∂a differentiated by b, less Symja's D[L, a, b]. */
    static final String SECOND_TOGETHER = "Together[ExpandAll[PowerExpand[D[c, θ₂] − D[L, θ₁, θ₂]]]] = 0";

    /**
     * ∂²L/∂a∂b by two routes: the chain rule's closed form of ∂L/∂a (the first-order derivation's product of
     * factors) differentiated by b — the product rule over those factors — and Symja's {@code D[L, a, b]} of the
     * written-out loss; proved equal by Symja within the time limit, else compared at random points.
     */
    SecondOrderProof proveSecond(ParameterId a, ParameterId b) {
        model.requireParameter(a);
        model.requireParameter(b);
        if (lossLeaves > settings.maxLeafCount()) {
            return new SecondOrderProof(a, b, new AgreementOutcome.TooLarge("the loss of network <" + model.spec.name()
                    + "> written out has " + lossLeaves + " leaves, above the limit of " + settings.maxLeafCount()
                    + " (ProofSettings.maxLeafCount); compare numerically instead"), Optional.empty(), Optional.empty());
        }
        Expr closed = closedForm.derivative(a);
        long closedLeaves = ExprAlgebra.leafCount(closed);
        if (closedLeaves > settings.maxLeafCount()) {
            return new SecondOrderProof(a, b, new AgreementOutcome.TooLarge("the chain-rule closed form of ∂L/∂" + a.name()
                    + " has " + closedLeaves + " leaves, above the limit of " + settings.maxLeafCount()
                    + " (ProofSettings.maxLeafCount); compare numerically instead"), Optional.empty(), Optional.empty());
        }
        if (lossInput == null) {
            lossInput = writer.write(closedForm.loss());
            opaqueLossInput = opaqueWriter.write(closedForm.loss());
        }
        SymbolicEngine engine = SymbolicEngine.instance();
        String chainInput = "D[" + writer.write(closed) + "," + writer.symbol(b.symbol()) + "]";
        String directInput = "D[" + lossInput + "," + writer.symbol(a.symbol()) + "," + writer.symbol(b.symbol()) + "]";
        Expr chain = new SymjaReader(writer, SymjaReader.Mode.LOWERED).read(engine.evaluate(chainInput));
        Expr direct = new SymjaReader(writer, SymjaReader.Mode.LOWERED).read(engine.evaluate(directInput));
        AgreementOutcome outcome = zero(engine.evaluateWithin("Together[ExpandAll[PowerExpand[(" + chainInput + ")-("
                + directInput + ")]]]", settings.symbolicTimeLimit()))
                ? new AgreementOutcome.Proved(SECOND_TOGETHER) : compareNumerically(chain, direct);
        return new SecondOrderProof(a, b, outcome, Optional.of(chain), Optional.of(direct));
    }

    private static boolean zero(Optional<IExpr> result) {
        return result.isPresent() && SymbolicEngine.isExactZero(result.get());
    }

    private static AgreementProof tooLarge(ParameterId parameter, String reason) {
        return new AgreementProof(parameter, new AgreementOutcome.TooLarge(reason + "; compare numerically instead"),
                Optional.empty(), Optional.empty());
    }

    /** Seeded random points; redraws points at relu kinks and points where either form is not finite. */
    AgreementOutcome compareNumerically(Expr closed, Expr direct) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        double maxError = 0;
        int checked = 0;
        int attempts = 0;
        while (checked < settings.points()) {
            if (++attempts > 100 * settings.points()) {
                throw new ChainproofException("Only " + checked + " of " + settings.points() + " random points of network <"
                        + model.spec.name() + "> gave finite values away from relu kinks in " + (attempts - 1)
                        + " attempts; the loss may be undefined for most parameters — check the loss and output activation");
            }
            Map<String, Double> point = draw(random);
            if (point == null) {
                continue;
            }
            double c = ExprEvaluator.evaluate(closed, point);
            double d = ExprEvaluator.evaluate(direct, point);
            if (!Double.isFinite(c) || !Double.isFinite(d)) {
                continue;
            }
            double error = Math.abs(c - d) / Math.max(1, Math.abs(d));
            if (!(error <= settings.relativeTolerance())) {
                return new AgreementOutcome.Disagrees(point, c, d, error);
            }
            maxError = Math.max(maxError, error);
            checked++;
        }
        return new AgreementOutcome.CheckedNumerically(checked, maxError);
    }

    /** A random point over parameters and data symbols, or null if it lies at a relu kink. */
    private Map<String, Double> draw(SplittableRandom random) {
        Map<String, Double> point = new HashMap<>();
        double r = settings.range();
        for (ParameterId id : model.parameters()) {
            point.put(id.symbol(), random.nextDouble(-r, r));
        }
        boolean probabilities = model.spec.loss() == Loss.BCE || model.spec.loss() == Loss.CROSS_ENTROPY;
        for (int s = 0; s < model.spec.data().samples(); s++) {
            Map<String, Double> nodes = new HashMap<>();
            for (ParameterId id : model.parameters()) {
                nodes.put(id.symbol(), point.get(id.symbol()));
            }
            for (int k = 0; k < model.spec.inputs(); k++) {
                double x = random.nextDouble(-r, r);
                point.put(ClosedForm.input(k, s), x);
                nodes.put(Node.input(k).symbol(), x);
            }
            for (int j = 0; j < model.units(model.layers); j++) {
                point.put(ClosedForm.target(j, s), probabilities ? random.nextDouble() : random.nextDouble(-r, r));
            }
            model.forwardLayers(nodes);
            if (nearKink(nodes)) {
                return null;
            }
        }
        return point;
    }

    private boolean nearKink(Map<String, Double> nodes) {
        for (int l = 1; l <= model.layers; l++) {
            Activation a = model.activation(l);
            if (io.chainproof.ops.Activations.piecewise(a)) {
                for (int j = 0; j < model.units(l); j++) {
                    if (Math.abs(nodes.get(symbol(l, j))) < settings.kinkMargin()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String symbol(int l, int j) {
        return ((Expr.Sym) NetworkModel.z(l, j)).name();
    }
}
