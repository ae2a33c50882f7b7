package io.chainproof.explain;

import io.chainproof.bounds.BoundReport;
import io.chainproof.bounds.GrowthBounds;
import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepResult;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Oracle;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.VerificationReport;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.AgreementProof;
import io.chainproof.symbolic.ChainRuleDerivation;
import io.chainproof.symbolic.ParameterDerivation;
import io.chainproof.symbolic.ProofSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds {@link ParameterExplanation}s for one spec: compiles the network once, derives the chain rule,
 * proves each closed form against the direct derivative (by composing Symja's local rules, or by Symja on the
 * whole loss), checks the compiled gradient by central differences and by the complex step, and bounds it ({@link GrowthBounds}). Instances are immutable
 * and not shared across threads (the derivation's caches are).
 */
public final class Explainer {

    /** At most this many paths θ → … → L are listed per parameter (all are counted). */
    public static final int PATH_LIMIT = 12;

    private final NetworkSpec spec;
    private final ComputationGraph graph;
    private final CompiledNetwork network;
    private final double[] gradient;
    private final ChainRuleDerivation chain;
    private final BoundReport bounds;

    private Explainer(NetworkSpec spec) {
        this.spec = spec;
        this.graph = ComputationGraph.of(spec);
        this.network = NetworkCompiler.compile(graph);
        this.gradient = network.evaluate().gradient();
        this.chain = ChainRuleDerivation.of(spec);
        this.bounds = GrowthBounds.of(spec);
    }

    /**
     * An explainer of {@code spec} at its parameters and data.
     *
     * @param spec the network, with its parameters and data
     * @return a new explainer; the forward pass, derivation and bounds are computed once here
     */
    public static Explainer of(NetworkSpec spec) {
        return new Explainer(Objects.requireNonNull(spec, "spec"));
    }

    /**
     * The network explained.
     *
     * @return the spec this explainer was made of
     */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * The computation graph of the spec: the expressions the derivations and checks evaluate.
     *
     * @return the spec's computation graph
     */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * The growth bounds of every layer.
     *
     * @return the growth bound of each layer, with the scalar-chain bound
     */
    public BoundReport bounds() {
        return bounds;
    }

    /**
     * The chain-rule derivation over all samples (forward values, factorisations, paths).
     *
     * @return the chain-rule derivation of the spec
     */
    public ChainRuleDerivation derivation() {
        return chain;
    }

    /**
     * chainproof's compiled gradient of every parameter checked by {@code oracle} (exhaustively).
     *
     * @param oracle the oracle that decides each parameter
     * @return one check per parameter, in flat order
     */
    public VerificationReport check(Oracle oracle) {
        return new GradientVerifier().forOwnGradients().withOracle(oracle).verifyExhaustively(network, gradient);
    }

    /**
     * Explains each of {@code parameters}, in the order given.
     *
     * @param parameters the parameters to explain
     * @param settings how agreement proofs decide: time limits, points, tolerance
     * @return one explanation per parameter, in the order of {@code parameters}
     * @throws io.chainproof.ChainproofException if one is not a parameter of the network
     */
    public List<ParameterExplanation> explain(List<ParameterId> parameters, ProofSettings settings) {
        parameters.forEach(id -> {
            if (!graph.contains(id)) {
                chain.derive(id);
            }
        });
        Map<ParameterId, ParameterCheck> differences = byParameter(
                new GradientVerifier().withOracle(Oracle.CENTRAL_DIFFERENCE).verifyParameters(network, gradient, parameters));
        Map<ParameterId, ParameterCheck> complex = byParameter(
                new GradientVerifier().forOwnGradients().withOracle(Oracle.COMPLEX_STEP).verifyParameters(network, gradient, parameters));
        Map<ParameterId, AgreementProof> proofs = new HashMap<>();
        if (parameters.size() == graph.parameters().size()) {
            AgreementProof.all(spec, settings).forEach(p -> proofs.put(p.parameter(), p));
        } else {
            parameters.forEach(id -> proofs.put(id, AgreementProof.of(spec, id, settings)));
        }
        List<ParameterExplanation> out = new ArrayList<>();
        for (ParameterId id : parameters) {
            ParameterDerivation d = chain.derive(id);
            out.add(new ParameterExplanation(spec, id, name(id), chain.paths(id, PATH_LIMIT), d,
                    LocalRules.of(spec, id.layer()), proofs.get(id), differences.get(id), complex.get(id),
                    BoundSteps.of(spec, chain, d, bounds.layer(id.layer()), bounds.layer(spec.layerCount()))));
        }
        return out;
    }

    /**
     * The sweep range of {@link #story}: the swept layer's weights are scaled by 10⁻³ … 10¹ (the spec's own at 1), up to
     * the last scale whose numbers stay finite ({@link Sweep#runWhileFinite}).
     */
    public static final double SWEEP_FROM = 1e-3;
    /** Upper end of the sweep range. */
    public static final double SWEEP_TO = 10.0;
    /** Points of each sweep (10 per decade, so scale 1 is one of them). */
    public static final int SWEEP_POINTS = 41;

    /**
     * The whole story: forward pass, the first weight of every layer explained, every parameter checked,
     * the bounds, and sweeps of {@link #sweptLayer()} with biases kept and with zero pre-activations.
     *
     * @param settings how agreement proofs decide: time limits, points, tolerance
     * @return the explanation of the whole spec
     */
    public SpecExplanation story(ProofSettings settings) {
        List<ParameterId> firsts = new ArrayList<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            firsts.add(ParameterId.weight(l, 0, 0));
        }
        int layer = sweptLayer();
        List<SweepResult> sweeps = List.of(
                Sweep.runWhileFinite(spec, layer, SWEEP_FROM, SWEEP_TO, SWEEP_POINTS, Sweep.BiasMode.KEEP),
                Sweep.runWhileFinite(spec, layer, SWEEP_FROM, SWEEP_TO, SWEEP_POINTS,
                        Sweep.BiasMode.ZERO_PREACTIVATION));
        return new SpecExplanation(spec, network.loss(graph.parameterValues()), chain, explain(firsts, settings),
                check(Oracle.CENTRAL_DIFFERENCE), check(Oracle.COMPLEX_STEP), bounds, sweeps);
    }

    /**
     * The layer a story sweeps: the one after the first whose weights have the largest spectral norm (its
     * weights multiply every earlier layer's gradient, as w₂ = 500 does in the lecture's chain); layer 1
     * in a one-layer network.
     *
     * @return the swept layer, 1-based
     */
    public int sweptLayer() {
        int best = 1;
        double largest = -1;
        for (int l = 2; l <= spec.layerCount(); l++) {
            double norm = bounds.layer(l).spectralNorm();
            if (norm > largest) {
                largest = norm;
                best = l;
            }
        }
        return best;
    }

    /**
     * θ in the lecture's notation: {@code w₁} in a width-1 chain, {@code w⁽¹⁾₁₂} otherwise.
     *
     * @param id the parameter
     * @return its name, in text and LaTeX
     */
    public Formula name(ParameterId id) {
        if (graph.isScalarChain()) {
            String letter = id.kind() == ParameterId.Kind.WEIGHT ? "w" : "b";
            return new Formula(letter + io.chainproof.graph.Notation.subscript(id.layer()), letter + "_{" + id.layer() + "}");
        }
        return new Formula(id.unicode(), id.latex());
    }

    private static Map<ParameterId, ParameterCheck> byParameter(VerificationReport report) {
        Map<ParameterId, ParameterCheck> m = new HashMap<>();
        report.checks().forEach(c -> m.put(ParameterId.parse(c.parameter()), c));
        return m;
    }
}
