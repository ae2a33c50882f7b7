package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@link AgreementRule}: by default each entry may differ from the exact value by what a correct float64 backward pass
 * may lose to rounding ({@link BackpropBound}), and no more; parameters are checked in parallel, unless the function
 * is not {@link LossFunction#threadSafe() thread-safe} (a user's plain function).
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
    /**
     * Above this much work of an exhaustive check ({@link LossFunction#exhaustiveWork(Oracle)}, scalar operations)
     * {@link #verify(LossFunction, double[])} uses fast mode: about 40 s of interpreted graph walking on 2 cores.
     */
    public static final double AUTO_FAST_WORK = 1e9;
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
    /** The unit roundoff of the claims' arithmetic under the rounding rule, or 0 for the blanket rule. */
    private final double unitRoundoff;
    /** Whether the precision was asked for: then a check that cannot judge by rounding is an error, not blanket. */
    private final boolean explicit;
    private final boolean strict;
    /** Whether the claims are chainproof's own gradients (stable local derivatives), not another library's. */
    private final boolean own;

    /**
     * A verifier deciding by the complex step under the rounding rule for float64 claims ({@link AgreementRule}), or
     * — where no rounding bound can be given (central differences, a function without an op graph) — the blanket
     * {@link Tolerance#DEFAULT}.
     */
    public GradientVerifier() {
        this(Tolerance.DEFAULT, Oracle.COMPLEX_STEP, Progress.NONE, BackpropBound.FLOAT64, false, false, false);
    }

    /**
     * A verifier deciding by the complex step under the blanket rule with {@code tolerance}: 10 × the oracle's error
     * plus a relative and a tensor term, whatever the entry's conditioning (the rule of earlier versions).
     *
     * @param tolerance the tolerance claims are held to
     */
    public GradientVerifier(Tolerance tolerance) {
        this(tolerance, Oracle.COMPLEX_STEP, Progress.NONE, 0, false, false, false);
    }

    private GradientVerifier(Tolerance tolerance, Oracle oracle, Progress progress, double unitRoundoff,
                             boolean explicit, boolean strict, boolean own) {
        if (oracle == Oracle.DIRECTIONAL) {
            throw new IllegalArgumentException("Oracle <" + oracle + "> cannot decide single parameters; use COMPLEX_STEP or CENTRAL_DIFFERENCE");
        }
        this.tolerance = java.util.Objects.requireNonNull(tolerance, "tolerance");
        this.unitRoundoff = unitRoundoff;
        this.explicit = explicit;
        this.strict = strict;
        this.own = own;
        this.oracle = oracle;
        this.progress = progress;
    }

    /**
     * The tolerance: its safety factor on the oracle's error always applies, its relative and tensor terms under the
     * blanket rule only.
     *
     * @return this verifier's tolerance
     */
    public Tolerance tolerance() {
        return tolerance;
    }

    /**
     * The thresholds beside the tolerance that decide outcomes (kinks, fault matching); the defaults.
     *
     * @return {@link Thresholds#DEFAULT}
     */
    public Thresholds thresholds() {
        return Thresholds.DEFAULT;
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
        return new GradientVerifier(tolerance, oracle, listener, unitRoundoff, explicit, strict, own);
    }

    /**
     * A copy deciding by {@code decider}: {@link Oracle#COMPLEX_STEP} (the default: exact to rounding, resolves
     * gradients of 1e−135), {@link Oracle#FORWARD_AD} (dual numbers, also exact to rounding, one pass per
     * parameter) or {@link Oracle#CENTRAL_DIFFERENCE} (what most checkers use; cannot resolve gradients
     * below ~1e−10 and misses errors below its truncation error, so it judges by the blanket rule). Fast mode's
     * directions use the complex step unless central differences are chosen.
     *
     * @param decider the oracle; not {@link Oracle#DIRECTIONAL}
     * @return a new verifier; this one is unchanged
     */
    public GradientVerifier withOracle(Oracle decider) {
        return new GradientVerifier(tolerance, decider, progress, unitRoundoff, explicit, strict, own);
    }

    /**
     * A copy judging by the blanket rule under {@code blanket}: {@code safety · e + relative · max(|c|, |v|) +
     * tensorRelative · max_T |v_t|} for every entry, well-conditioned or not (opt-in; the rule of earlier versions).
     *
     * @param blanket the tolerance
     * @return a new verifier; this one is unchanged
     */
    public GradientVerifier withTolerance(Tolerance blanket) {
        return new GradientVerifier(blanket, oracle, progress, 0, false, false, own);
    }

    /**
     * The rounding rule ({@link AgreementRule}) for claims computed in {@code precision}: a claim agrees when it is
     * within {@code safety × e + 2 × b} of the exact oracle, e the oracle's error estimate and b the
     * {@link BackpropBound} of a correct backward pass in that arithmetic, entry by entry. So a float32 library's
     * gradients are held to float32's rounding, a float64 library's to float64's (the default): an error of 1e−10
     * in a well-conditioned entry is seen, and an entry that keeps no relative accuracy (σ·(1 − σ) in saturation)
     * is allowed what it may lose. Exact oracles only (the complex step, forward-mode AD); asked for explicitly, a
     * check that cannot judge so (central differences, a function without an op graph) throws instead of falling
     * back to the blanket rule. Exhaustive and fast checks judge their entries by it (fast mode's directional
     * pre-check keeps the tolerance).
     *
     * @param precision the claims' arithmetic
     * @return a verifier judging by the rounding rule
     */
    public GradientVerifier withPrecision(Precision precision) {
        return withPrecision(precision.unitRoundoff());
    }

    /**
     * {@link #withPrecision(Precision)} for any unit roundoff.
     *
     * @param u the claims' unit roundoff, in (0, 0.5)
     * @return a verifier judging by the rounding rule
     */
    public GradientVerifier withPrecision(double u) {
        if (!(u > 0 && u < 0.5)) {
            throw new IllegalArgumentException("Unit roundoff <" + u + "> must lie in (0, 0.5): 2⁻⁵³ for float64, 2⁻²⁴ "
                    + "for float32");
        }
        return new GradientVerifier(tolerance, oracle, progress, u, true, strict, own);
    }

    /**
     * A copy that demands relative accuracy of every entry: the rounding rule's allowance is capped at √u · |v| (half
     * the digits of the arithmetic), so an entry that a correct backward pass with the textbook formulas computes
     * without any relative accuracy (σ·(1 − σ) at σ ≈ 1) fails instead of agreeing within that rounding.
     *
     * @return a strict verifier under the rounding rule
     * @throws IllegalStateException under the blanket rule, which has no rounding allowance to cap
     */
    public GradientVerifier strict() {
        if (unitRoundoff == 0) {
            throw new IllegalStateException("Strict judging caps the rounding rule's allowance; this verifier judges "
                    + "by the blanket tolerance: leave the tolerance out or give a precision");
        }
        return new GradientVerifier(tolerance, oracle, progress, unitRoundoff, true, true, own);
    }

    /**
     * A copy for chainproof's own gradients: the rounding bound is that of a backward pass with chainproof's stable
     * local derivatives ({@link io.chainproof.symbolic.SymbolicRules}), which keep relative accuracy in saturation, so
     * a −8.5e−135 gradient is held to ~1e−148 rather than to what σ·(1 − σ) would lose.
     *
     * @return a verifier of chainproof's own gradients
     */
    public GradientVerifier forOwnGradients() {
        return new GradientVerifier(tolerance, oracle, progress, unitRoundoff, explicit, strict, true);
    }

    /**
     * The rule this verifier judges {@code function}'s entries by: the rounding rule where it can, else (unless a
     * precision was asked for) the blanket rule.
     *
     * @param function the model's loss
     * @return the rule
     * @throws IllegalArgumentException if a precision was asked for and the oracle or the function cannot be judged by
     *     rounding
     */
    public AgreementRule rule(LossFunction function) {
        if (unitRoundoff == 0) {
            return AgreementRule.blanket(tolerance);
        }
        if (oracle == Oracle.CENTRAL_DIFFERENCE || !function.hasBackpropBound()) {
            if (explicit) {
                throw new IllegalArgumentException(oracle == Oracle.CENTRAL_DIFFERENCE
                        ? "The rounding rule needs an exact oracle (the complex step or forward-mode AD), not "
                                + oracle.description()
                        : "<" + function.name() + "> has no op graph whose backward pass could be bounded");
            }
            return AgreementRule.blanket(tolerance);
        }
        return new AgreementRule(unitRoundoff, strict, tolerance, own);
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
        return verify(new NetworkFunction(network), claimed);
    }

    /**
     * Verifies {@code claimed} (layout order) as the gradient of any model's loss at its spec's point: exhaustively,
     * or in fast mode above {@link #AUTO_FAST_PARAMETERS} parameters or {@link #AUTO_FAST_WORK} of work.
     *
     * @param function the model's loss
     * @param claimed the claimed gradient ∂L/∂θ, layout order
     * @return the report, exhaustive or fast
     */
    public VerificationReport verify(LossFunction function, double[] claimed) {
        return function.parameterNames().size() > AUTO_FAST_PARAMETERS || function.exhaustiveWork(oracle) > AUTO_FAST_WORK
                ? verifyFast(function, claimed, DEFAULT_DIRECTIONS, 0L)
                : verifyExhaustively(function, claimed);
    }

    /**
     * Checks every parameter.
     *
     * @param network the compiled network, at its spec's parameters and data
     * @param claimed the claimed gradient ∂L/∂θ, flat parameter layout
     * @return one check per parameter, in flat order
     */
    public VerificationReport verifyExhaustively(CompiledNetwork network, double[] claimed) {
        return verifyExhaustively(new NetworkFunction(network), claimed);
    }

    /**
     * Checks every parameter of any model.
     *
     * @param function the model's loss
     * @param claimed the claimed gradient ∂L/∂θ, layout order
     * @return one check per parameter, in layout order
     */
    public VerificationReport verifyExhaustively(LossFunction function, double[] claimed) {
        requireLength(function, claimed);
        return report(function, claimed, i -> true, List.of());
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
        for (ParameterId id : parameters) {
            if (!network.graph().contains(id)) {
                throw new IllegalArgumentException("Parameter <" + id.name() + "> is not in network <"
                        + network.graph().spec().name() + ">");
            }
        }
        return verifyParameters(new NetworkFunction(network), claimed, parameters.stream().map(ParameterId::name).toList());
    }

    /**
     * Checks only the named parameters of any model.
     *
     * @param function the model's loss
     * @param claimed the claimed gradient ∂L/∂θ, layout order
     * @param parameters the names of the parameters to check, as the spec writes them
     * @return one check per listed parameter, in layout order
     * @throws IllegalArgumentException if a name is not a parameter of the model or {@code claimed} has the wrong length
     */
    public VerificationReport verifyParameters(LossFunction function, double[] claimed,
                                               java.util.Collection<String> parameters) {
        requireLength(function, claimed);
        List<String> names = function.parameterNames();
        java.util.Set<String> wanted = java.util.Set.copyOf(parameters);
        for (String name : wanted) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("Parameter <" + name + "> is not in model <" + function.name() + ">");
            }
        }
        return report(function, claimed, i -> wanted.contains(names.get(i)), List.of());
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
        return verifyFast(new NetworkFunction(network), claimed, directions, seed);
    }

    /**
     * Fast mode for any model: {@code directions} seeded random unit directions per block of
     * {@link LossFunction#directionBlocks()} (an MLP's layers, another model's tensors), then an exhaustive check
     * of every block that fails them.
     *
     * @param function the model's loss
     * @param claimed the claimed gradient ∂L/∂θ, layout order
     * @param directions the number of random directions per block; ≥ 1
     * @param seed the seed of the random directions, so runs repeat
     * @return the directional checks, plus exhaustive checks of failing blocks
     */
    public VerificationReport verifyFast(LossFunction function, double[] claimed, int directions, long seed) {
        requireLength(function, claimed);
        if (directions < 1) {
            throw new IllegalArgumentException("Directions per layer <" + directions + "> must be at least 1");
        }
        double[] point = function.point();
        SplittableRandom random = new SplittableRandom(seed);
        List<LossFunction.Block> blocks = function.directionBlocks();
        // one seed per direction, drawn in order, so the directions do not depend on how the checks are scheduled
        long[] seeds = new long[blocks.size() * directions];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = random.nextLong();
        }
        DirectionalCheck[] done = new DirectionalCheck[seeds.length];
        IntStream tasks = IntStream.range(0, seeds.length);
        (parallel(function, claimed.length) ? tasks.parallel() : tasks).forEach(i -> {
            LossFunction.Block block = blocks.get(i / directions);
            done[i] = RandomDirections.check(function, point, claimed, block, i % directions,
                    RandomDirections.unit(new SplittableRandom(seeds[i]), block.size()), oracle, tolerance);
        });
        List<DirectionalCheck> checks = List.of(done);
        boolean[] failing = new boolean[claimed.length];
        for (int i = 0; i < done.length; i++) {
            if (!done[i].verdict().passed()) {
                LossFunction.Block block = blocks.get(i / directions);
                java.util.Arrays.fill(failing, block.from(), block.to(), true);
            }
        }
        return report(function, claimed, i -> failing[i], checks);
    }

    /**
     * The exact oracle's estimates of the chosen entries, as columns (a million entries are a few arrays), with the
     * reasons of the kinks near them.
     */
    private ComplexStep.Columns exactOracle(LossFunction function, double[] point, int[] chosen,
                                            Map<Integer, String> kinkReasons) {
        ComplexStep.Columns all;
        if (oracle == Oracle.COMPLEX_STEP) {
            all = function.complexStepColumns(point, chosen);
            progress.update(chosen.length, chosen.length);
        } else {
            all = new ComplexStep.Columns(point.length);
            AtomicInteger done = new AtomicInteger();
            IntStream indices = IntStream.of(chosen);
            (parallel(function, chosen.length) ? indices.parallel() : indices).forEach(i -> {
                all.set(i, function.forwardAD(point, i));
                progress.update(done.incrementAndGet(), chosen.length);
            });
        }
        for (int i : chosen) {
            if (all.nearKink(i)) {
                double band = thresholds().kinkBand() * Math.max(1.0, Math.abs(point[i]));
                kinkReasons.put(i, function.kink(point, i, band).orElse("a piecewise op's argument on its path is "
                        + "within " + thresholds().kinkBand() + " (relative) of its branch point 0"));
            }
        }
        return all;
    }

    /** Whether {@code tasks} checks of {@code function} run in parallel: enough of them, and a thread-safe function. */
    private static boolean parallel(LossFunction function, int tasks) {
        return tasks >= PARALLEL_THRESHOLD && function.threadSafe();
    }

    private VerificationReport report(LossFunction function, double[] claimed, IntPredicate selected,
                                      List<DirectionalCheck> directional) {
        List<String> names = function.parameterNames();
        double[] point = function.point();
        int[] chosen = IntStream.range(0, names.size()).filter(selected).toArray();
        ComplexStep.Columns estimates;
        JacobianEstimate[] differences = null;
        Map<Integer, String> kinkReasons = new ConcurrentHashMap<>();
        if (oracle == Oracle.COMPLEX_STEP || oracle == Oracle.FORWARD_AD) {
            estimates = exactOracle(function, point, chosen, kinkReasons);
        } else {
            ComplexStep.Columns central = new ComplexStep.Columns(names.size());
            JacobianEstimate[] found = new JacobianEstimate[names.size()];
            AtomicInteger done = new AtomicInteger();
            ThreadLocal<double[]> scratch = ThreadLocal.withInitial(point::clone);
            IntStream indices = IntStream.of(chosen);
            (parallel(function, chosen.length) ? indices.parallel() : indices).forEach(i -> {
                found[i] = function.difference(scratch.get(), i, tolerance.safety());
                central.set(i, found[i].central());
                function.kink(point, i, found[i].central().step()).ifPresent(reason -> kinkReasons.put(i, reason));
                progress.update(done.incrementAndGet(), chosen.length);
            });
            estimates = central;
            differences = found;
        }
        AgreementRule rule = rule(function);
        // the blanket rule's tensor term, or the rounding rule's allowance: extra absolute slack beside safety · e
        double[] floor = new double[names.size()];
        double[] bound = null;
        if (rule.rounding()) {
            if (chosen.length > 0) {
                bound = own ? function.ownBackpropBound(rule.unitRoundoff()) : function.backpropBound(rule.unitRoundoff());
                for (int i : chosen) {
                    floor[i] = rule.allowance(bound[i], estimates.estimate(i).value());
                }
            }
        } else {
            boolean[] asked = new boolean[names.size()];
            for (int i : chosen) {
                asked[i] = true;
            }
            for (LossFunction.Block t : function.tensorBlocks()) {
                double max = 0;
                for (int i = t.from(); i < t.to(); i++) {
                    double v = estimates.estimate(i).value();
                    if (asked[i] && Double.isFinite(v)) {
                        max = Math.max(max, Math.abs(v));
                    }
                }
                java.util.Arrays.fill(floor, t.from(), t.to(), tolerance.tensorFloor(max));
            }
        }
        Tolerance judged = rule.rounding() ? new Tolerance(0, 0, tolerance.safety(), 0) : tolerance;
        double loss = function.loss(point);
        if (oracle == Oracle.COMPLEX_STEP && Double.isFinite(loss)) {
            // a loose bound the function can refine, refined only where the verdict depends on it: where the claim
            // passes with the bound but not without it (or the bound is infinite, which judging treats as none)
            int[] undecided = IntStream.of(chosen).filter(i -> {
                Estimate e = estimates.estimate(i);
                return !kinkReasons.containsKey(i) && Double.isFinite(claimed[i])
                        && (!Double.isFinite(e.errorEstimate())
                        || Verdict.judge(claimed[i], e, judged, floor[i]).passed()
                        && !Verdict.judge(claimed[i], new Estimate(e.value(), 0, e.step()), judged, floor[i]).passed());
            }).toArray();
            IntStream refined = IntStream.of(undecided);
            (function.threadSafe() && undecided.length >= 8 ? refined.parallel() : refined).forEach(i ->
                    estimates.set(i, function.refine(point, i, estimates.estimate(i))));
        }
        CheckTable.Builder table = new CheckTable.Builder(names, chosen, oracle);
        List<Integer> failing = new ArrayList<>();
        boolean nonFinite = false;
        for (int c = 0; c < chosen.length; c++) {
            int i = chosen[c];
            Estimate estimate = estimates.estimate(i);
            Verdict verdict;
            if (Double.isFinite(claimed[i]) && !Double.isFinite(loss)) {
                verdict = new Verdict.NonFinite(function.valueName() + " is " + loss);
            } else if (kinkReasons.containsKey(i)) {
                verdict = new Verdict.NotDifferentiableHere(kinkReasons.get(i));
            } else if (differences != null) {
                verdict = differences[i].judge(claimed[i], judged, floor[i]);
            } else {
                verdict = Verdict.judge(claimed[i], estimate, judged, floor[i]);
            }
            if (!verdict.passed()) {
                failing.add(i);
                nonFinite |= verdict instanceof Verdict.NonFinite;
            }
            table.set(c, claimed[i], estimate, verdict, bound != null ? bound[i] : Double.NaN);
        }
        CheckTable checks = table.build();
        Optional<Localisation> where = Optional.empty();
        // no localisation on non-finite numbers: a fault pattern fitted to ±∞ or NaN would be noise
        if (!failing.isEmpty() && Double.isFinite(loss) && !nonFinite) {
            double[] allowances = new double[names.size()];
            java.util.Arrays.fill(allowances, Double.NaN);
            for (int c = 0; c < chosen.length; c++) {
                allowances[chosen[c]] = checks.allowed(c);
            }
            where = function.localise(point, claimed, failing, allowances);
            if (where.isEmpty() || where.get().fault() == Localisation.Fault.UNKNOWN
                    || where.get().fault() == Localisation.Fault.ISOLATED_ENTRIES) {
                // no known fault explains it: is it float32's rounding?
                Optional<Localisation> float32 = looksLikeFloat32(function, rule, claimed, estimates, failing, checks);
                where = float32.isPresent() ? float32 : where;
            }
        }
        return new VerificationReport(function.name(), function.source(), loss, checks, where, directional, rule);
    }

    /**
     * Under the blanket rule or float64's rounding rule, claims that no known fault explains, failing throughout (at
     * least half the entries where one float32 rounding would show, i.e. where the rule allows less than u₃₂·|v|) and
     * only by what a correct float32 backward pass may lose: every wrong entry within what float32's rounding rule
     * allows it. They look like a float32 library's gradients, and the rounding rule for float32 is what judges them.
     * (A few wrong entries are not float32 rounding: that is everywhere.)
     */
    private Optional<Localisation> looksLikeFloat32(LossFunction function, AgreementRule rule, double[] claimed,
                                                    ComplexStep.Columns estimates, List<Integer> failing,
                                                    List<ParameterCheck> checks) {
        // the entries where float32's rounding would show: this rule allows less than one float32 rounding of them
        long sensitive = checks.stream().filter(c -> c.verdict() instanceof Verdict.Agrees a
                && a.allowed() < BackpropBound.FLOAT32 * Math.abs(c.oracle().value())
                || c.verdict() instanceof Verdict.Disagrees d
                && d.allowed() < BackpropBound.FLOAT32 * Math.abs(c.oracle().value())).count();
        if (rule.unitRoundoff() >= BackpropBound.FLOAT32 || oracle == Oracle.CENTRAL_DIFFERENCE
                || 2 * failing.size() < sensitive || failing.size() < 2) {
            return Optional.empty();
        }
        AgreementRule float32 = new AgreementRule(BackpropBound.FLOAT32, false, tolerance, false);
        double[] bound;
        try {
            bound = function.backpropBound(BackpropBound.FLOAT32);
        } catch (IllegalArgumentException noGraph) {
            return Optional.empty();
        }
        double worst = 0;
        for (int i : failing) {
            Estimate estimate = estimates.estimate(i);
            double error = Math.abs(claimed[i] - estimate.value());
            double allowed = tolerance.safety() * estimate.errorEstimate() + float32.allowance(bound[i],
                    estimate.value());
            if (!(error <= allowed) || !Double.isFinite(allowed) || allowed <= 0) {
                return Optional.empty();
            }
            worst = Math.max(worst, error / allowed);
        }
        return Optional.of(new Localisation(0, Localisation.Fault.FLOAT32_ROUNDING, worst, "every wrong entry ("
                + failing.size() + ") is within the rounding a correct float32 backward pass may make (the largest "
                + "error is " + String.format(java.util.Locale.ROOT, "%.2g", worst) + " of its float32 bound): these "
                + "look like gradients computed in float32 — judge them with --precision float32"));
    }

    private void requireLength(LossFunction function, double[] claimed) {
        if (!function.supports(oracle)) {
            throw new IllegalArgumentException("Oracle <" + oracle.description() + "> cannot differentiate <" + function.name()
                    + ">: its arithmetic cannot be changed; use " + Oracle.CENTRAL_DIFFERENCE.description());
        }
        if (claimed.length != function.parameterNames().size()) {
            throw new IllegalArgumentException("Gradient of length <" + claimed.length + "> does not match the <"
                    + function.parameterNames().size() + "> parameters of network <" + function.name() + ">");
        }
    }

}
