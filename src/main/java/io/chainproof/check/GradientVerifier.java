package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.ComplexNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Verifies a claimed gradient of a network's loss — chainproof's own, or one computed by another
 * library — against independent oracles, and localises the fault when it is wrong.
 *
 * <p>Exhaustive mode, for each parameter θ_i: the oracle's estimate of ∂L/∂θ_i with its error bound —
 * by default the {@link ComplexStep complex step} (exact to rounding, so a 1e−6 relative error and a
 * saturated layer's 1e−135 gradients are both resolved), or central differences with Richardson
 * extrapolation ({@link #withOracle}) — a kink check for relu networks, and a {@link Verdict} under the
 * {@link Tolerance}; parameters are checked in parallel.
 * Fast mode ({@link #verifyFast}, and automatically above {@link #AUTO_FAST_PARAMETERS} parameters):
 * per layer a few seeded random unit directions v on that layer's parameters, the directional derivative
 * D_v L against ⟨claimed, v⟩ — O(1) loss evaluations per layer — then an exhaustive check of the layers
 * that fail. Instances are immutable and thread-safe.
 */
public final class GradientVerifier {

    /** Below this many parameters the check runs on one thread (forking costs more than it saves). */
    static final int PARALLEL_THRESHOLD = 256;
    /** Above this many parameters {@link #verify(CompiledNetwork, double[])} uses fast mode. */
    public static final int AUTO_FAST_PARAMETERS = 50_000;
    /** Random directions per layer in fast mode. */
    public static final int DEFAULT_DIRECTIONS = 3;

    /** Told how far a long check has got. */
    @FunctionalInterface
    public interface Progress {
        /**
         * {@code done} of {@code total} parameters checked.
         *
         * @param done the number of parameters checked so far
         * @param total the number of parameters to check
         */
        void update(int done, int total);

        /** Ignores progress. */
        Progress NONE = (done, total) -> { };
    }

    private final Tolerance tolerance;
    private final Oracle oracle;
    private final Progress progress;

    /** A verifier with {@link Tolerance#DEFAULT} deciding by the complex step. */
    public GradientVerifier() {
        this(Tolerance.DEFAULT, Oracle.COMPLEX_STEP, Progress.NONE);
    }

    /**
     * A verifier with {@code tolerance} deciding by the complex step.
     *
     * @param tolerance the tolerance claims are held to
     */
    public GradientVerifier(Tolerance tolerance) {
        this(tolerance, Oracle.COMPLEX_STEP, Progress.NONE);
    }

    private GradientVerifier(Tolerance tolerance, Oracle oracle, Progress progress) {
        if (oracle == Oracle.DIRECTIONAL) {
            throw new IllegalArgumentException("Oracle <" + oracle + "> cannot decide single parameters; use COMPLEX_STEP or CENTRAL_DIFFERENCE");
        }
        this.tolerance = tolerance;
        this.oracle = oracle;
        this.progress = progress;
    }

    /**
     * The tolerance claims are held to.
     *
     * @return this verifier's tolerance
     */
    public Tolerance tolerance() {
        return tolerance;
    }

    /**
     * The oracle that decides each parameter.
     *
     * @return this verifier's oracle
     */
    public Oracle oracle() {
        return oracle;
    }

    /**
     * A copy that reports progress to {@code listener}.
     *
     * @param listener called as parameters are checked
     * @return a new verifier; this one is unchanged
     */
    public GradientVerifier withProgress(Progress listener) {
        return new GradientVerifier(tolerance, oracle, listener);
    }

    /**
     * A copy deciding by {@code decider}: {@link Oracle#COMPLEX_STEP} (the default: exact to rounding, resolves
     * gradients of 1e−135), {@link Oracle#FORWARD_AD} (dual numbers, also exact to rounding, one pass per
     * parameter) or {@link Oracle#CENTRAL_DIFFERENCE} (what most checkers use; cannot resolve gradients
     * below ~1e−10 and misses errors below its truncation error). Fast mode's directions use the complex
     * step unless central differences are chosen.
     *
     * @param decider the oracle; not {@link Oracle#DIRECTIONAL}
     * @return a new verifier; this one is unchanged
     */
    public GradientVerifier withOracle(Oracle decider) {
        return new GradientVerifier(tolerance, decider, progress);
    }

    /**
     * Verifies {@code claimed} (flat parameter layout) for {@code spec} at its parameters and data.
     *
     * @param spec the network, with its parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @return one check per parameter, or fast mode's directional checks, with the verdict
     */
    public VerificationReport verify(NetworkSpec spec, double[] claimed) {
        return verify(NetworkCompiler.compile(ComputationGraph.of(spec)), claimed);
    }

    /**
     * Verifies chainproof's own compiled gradient.
     *
     * @param network the compiled network whose backprop gradient is checked
     * @return the report on chainproof's own gradient
     */
    public VerificationReport verify(CompiledNetwork network) {
        return verify(network, network.evaluate().gradient());
    }

    /**
     * Verifies {@code claimed} (flat layout) as the gradient of {@code network}'s loss at the spec's point:
     * exhaustively, or in fast mode above {@link #AUTO_FAST_PARAMETERS} parameters.
     *
     * @param network the compiled network, at its spec's parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @return the report, exhaustive or fast
     */
    public VerificationReport verify(CompiledNetwork network, double[] claimed) {
        return network.parameterCount() > AUTO_FAST_PARAMETERS
                ? verifyFast(network, claimed, DEFAULT_DIRECTIONS, 0L)
                : verifyExhaustively(network, claimed);
    }

    /**
     * Checks every parameter.
     *
     * @param network the compiled network, at its spec's parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @return one check per parameter, in flat order
     */
    public VerificationReport verifyExhaustively(CompiledNetwork network, double[] claimed) {
        requireLength(network, claimed);
        return report(network, claimed, i -> true, List.of());
    }

    /**
     * Checks only {@code parameters} (e.g. the one parameter a derivation explains). The tensor floor of
     * {@link Tolerance#tensorFloor} is then taken over the checked entries of each tensor, so it is never
     * looser than in an exhaustive check.
     *
     * @param network the compiled network, at its spec's parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @param parameters the parameters to check
     * @return one check per listed parameter, in flat order
     * @throws IllegalArgumentException if a parameter is not in the network or {@code claimed} has the wrong length
     */
    public VerificationReport verifyParameters(CompiledNetwork network, double[] claimed,
                                               java.util.Collection<ParameterId> parameters) {
        requireLength(network, claimed);
        List<ParameterId> ids = network.graph().parameters();
        java.util.Set<ParameterId> wanted = java.util.Set.copyOf(parameters);
        for (ParameterId id : wanted) {
            if (!network.graph().contains(id)) {
                throw new IllegalArgumentException("Parameter <" + id.name() + "> is not in network <"
                        + network.graph().spec().name() + ">");
            }
        }
        return report(network, claimed, i -> wanted.contains(ids.get(i)), List.of());
    }

    /**
     * Fast mode: {@code directions} seeded random unit directions per layer, then an exhaustive check of
     * every layer that fails them.
     *
     * @param network the compiled network, at its spec's parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @param directions the number of random directions per layer; ≥ 1
     * @param seed the seed of the random directions, so runs repeat
     * @return the directional checks, plus exhaustive checks of failing layers
     */
    public VerificationReport verifyFast(CompiledNetwork network, double[] claimed, int directions, long seed) {
        requireLength(network, claimed);
        if (directions < 1) {
            throw new IllegalArgumentException("Directions per layer <" + directions + "> must be at least 1");
        }
        ComputationGraph graph = network.graph();
        double[] point = graph.parameterValues();
        ComplexNetwork complex = oracle == Oracle.CENTRAL_DIFFERENCE ? null : network.complexStep();
        SplittableRandom random = new SplittableRandom(seed);
        List<DirectionalCheck> checks = new ArrayList<>();
        boolean[] failingLayer = new boolean[graph.layerCount() + 1];
        for (int l = 1; l <= graph.layerCount(); l++) {
            int from = graph.weightOffset(l);
            int to = graph.biasOffset(l) + graph.units(l);
            for (int d = 0; d < directions; d++) {
                DirectionalCheck c = directional(network, complex, point, claimed, l, d, unitDirection(random, to - from), from);
                failingLayer[l] |= !c.verdict().passed();
                checks.add(c);
            }
        }
        List<ParameterId> ids = graph.parameters();
        return report(network, claimed, i -> failingLayer[ids.get(i).layer()], checks);
    }

    private DirectionalCheck directional(CompiledNetwork network, ComplexNetwork complex, double[] point, double[] claimed,
                                         int layer, int d, double[] v, int from) {
        double dot = 0;
        double magnitude = 0;
        for (int k = 0; k < v.length; k++) {
            dot += claimed[from + k] * v[k];
            magnitude += Math.abs(claimed[from + k] * v[k]);
        }
        Estimate estimate;
        if (complex != null) {
            double[] direction = new double[point.length];
            System.arraycopy(v, 0, direction, from, v.length);
            estimate = ComplexStep.directional(complex, point, direction).estimate();
        } else {
            double[] p = point.clone();
            estimate = CentralDifference.derivative(t -> {
                for (int k = 0; k < v.length; k++) {
                    p[from + k] = point[from + k] + t * v[k];
                }
                return network.loss(p);
            }, 0.0);
        }
        // ⟨claimed, v⟩ is itself a sum: allow its rounding, n·ε·Σ|claimed_k·v_k|
        double sumRounding = v.length * Math.ulp(1.0) * magnitude;
        return new DirectionalCheck(layer, d, dot, estimate, Verdict.judge(dot, estimate, tolerance, sumRounding));
    }

    private static double[] unitDirection(SplittableRandom random, int n) {
        double[] v = new double[n];
        double norm = 0;
        for (int k = 0; k < n; k++) {
            v[k] = gaussian(random);
            norm += v[k] * v[k];
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < n; k++) {
            v[k] /= norm;
        }
        return v;
    }

    /** A standard normal draw (Box–Muller), reproducible for a seed. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private VerificationReport report(CompiledNetwork network, double[] claimed, IntPredicate selected,
                                      List<DirectionalCheck> directional) {
        ComputationGraph graph = network.graph();
        List<ParameterId> ids = graph.parameters();
        double[] point = graph.parameterValues();
        int[] chosen = IntStream.range(0, ids.size()).filter(selected).toArray();
        KinkDetector kinks = new KinkDetector(graph, point);
        Estimate[] estimates = new Estimate[ids.size()];
        String[] kinkReasons = new String[ids.size()];
        if (oracle == Oracle.COMPLEX_STEP) {
            ComplexStep.Result[] all = ComplexStep.gradient(network.complexStep(), point);
            for (int i : chosen) {
                estimates[i] = all[i].estimate();
                if (all[i].nearKink()) {
                    double band = ComplexNetwork.KINK_BAND * Math.max(1.0, Math.abs(point[i]));
                    kinkReasons[i] = kinks.kink(point, i, band).orElse("a relu pre-activation on its path is within "
                            + ComplexNetwork.KINK_BAND + " (relative) of 0");
                }
            }
            progress.update(chosen.length, chosen.length);
        } else if (oracle == Oracle.FORWARD_AD) {
            AtomicInteger done = new AtomicInteger();
            IntStream indices = IntStream.of(chosen);
            (chosen.length >= PARALLEL_THRESHOLD ? indices.parallel() : indices).forEach(i -> {
                estimates[i] = ForwardModeAD.derivative(graph, point, i);
                kinkReasons[i] = kinks.kink(point, i, ComplexNetwork.KINK_BAND * Math.max(1.0, Math.abs(point[i]))).orElse(null);
                progress.update(done.incrementAndGet(), chosen.length);
            });
        } else {
            AtomicInteger done = new AtomicInteger();
            ThreadLocal<double[]> scratch = ThreadLocal.withInitial(point::clone);
            IntStream indices = IntStream.of(chosen);
            (chosen.length >= PARALLEL_THRESHOLD ? indices.parallel() : indices).forEach(i -> {
                estimates[i] = centralDifference(network, scratch.get(), i);
                kinkReasons[i] = kinks.kink(point, i, estimates[i].step()).orElse(null);
                progress.update(done.incrementAndGet(), chosen.length);
            });
        }
        double[] tensorMax = tensorMaxima(graph, estimates);
        List<ParameterCheck> checks = new ArrayList<>(chosen.length);
        List<ParameterId> failing = new ArrayList<>();
        for (int i : chosen) {
            ParameterId id = ids.get(i);
            Verdict verdict = kinkReasons[i] != null
                    ? new Verdict.NotDifferentiableHere(kinkReasons[i])
                    : Verdict.judge(claimed[i], estimates[i], tolerance, tolerance.tensorFloor(tensorMax[tensorIndex(id)]));
            if (!verdict.passed()) {
                failing.add(id);
            }
            checks.add(new ParameterCheck(id, claimed[i], estimates[i], oracle, verdict));
        }
        Optional<Localisation> where = failing.isEmpty() ? Optional.empty()
                : Localiser.localise(graph, point, network.evaluate(point).gradient(), claimed, failing);
        NetworkSpec spec = graph.spec();
        return new VerificationReport(spec.name(), spec.source(), network.loss(point), checks, where, directional);
    }

    private static void requireLength(CompiledNetwork network, double[] claimed) {
        if (claimed.length != network.parameterCount()) {
            throw new IllegalArgumentException("Gradient of length <" + claimed.length + "> does not match the <"
                    + network.parameterCount() + "> parameters of network <" + network.graph().spec().name() + ">");
        }
    }

    /** ∂L/∂θ_i by central differences, perturbing {@code p[i]} in place and restoring it. */
    private static Estimate centralDifference(CompiledNetwork network, double[] p, int i) {
        double original = p[i];
        return CentralDifference.derivative(theta -> {
            p[i] = theta;
            double loss = network.loss(p);
            p[i] = original;
            return loss;
        }, original);
    }

    private static int tensorIndex(ParameterId id) {
        return 2 * (id.layer() - 1) + (id.kind() == ParameterId.Kind.WEIGHT ? 0 : 1);
    }

    private static double[] tensorMaxima(ComputationGraph graph, Estimate[] estimates) {
        double[] max = new double[2 * graph.layerCount()];
        List<ParameterId> ids = graph.parameters();
        for (int i = 0; i < ids.size(); i++) {
            if (estimates[i] != null && Double.isFinite(estimates[i].value())) {
                int t = tensorIndex(ids.get(i));
                max[t] = Math.max(max[t], Math.abs(estimates[i].value()));
            }
        }
        return max;
    }
}
