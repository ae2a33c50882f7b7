package io.chainproof.numeric;

import io.chainproof.expr.Expr;
import io.chainproof.model.Model;
import io.chainproof.model.Node;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.Real;
import io.chainproof.number.RealField;
import io.chainproof.number.VarianceDualNumber;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The complex step of a model's loss for many parameters at once, each propagated only where it reaches. The loss
 * is recorded once, at one point, as a tape of scalar operations ({@link ComplexStepNumber} arithmetic with no
 * imaginary parts: the real values, their scales and rounding depths). Perturbing θ_i by ih leaves every real part
 * as it is (to {@code O(h²)}, far below one ulp) and makes imaginary only the operations downstream of θ_i: its
 * <em>cone</em>. So {@link #loss(int)} seeds θ_i and re-runs, in {@link ComplexStepNumber} arithmetic, just the
 * operations of the cone, in tape order, reading the recorded real parts everywhere else — the literal complex
 * step, with the same imaginary parts, magnitudes, rounding bounds and kink flags as a full pass over the graph,
 * at the cost of the cone instead of the whole graph. {@link #losses} goes further for many parameters at once: by
 * superposition, the weights that feed one sum share that sum's cone.
 *
 * <p>Chains of additions (a dot product {@code ((b + w₁a₁) + w₂a₂) + …}, a convolution's window sum) are merged into
 * one sum when nothing else reads their partial sums: a perturbed term then adds its imaginary part to the sum
 * instead of re-running the rest of the chain. The terms arrive in tape order, the order in which the chain added
 * them, and unperturbed terms add exactly 0, so the sums are the chain's own, bit for bit, in the usual case where
 * the chain adds its terms in the order they were computed.
 *
 * <p>Cost, measured on a 48,868-parameter conv net (conv2d 3→16 and 16→16 on 16×16, two samples, dense 2,304→20;
 * 1.9 million recorded operations): recording 0.2 s; one cone per parameter would run 81 million operations (a
 * first-layer weight's cone is 144,000), the shared cones of {@link #losses} 9 million, in 0.45 s on 2 cores.
 * <p>A recurrent model's cones are cut at its states and stitched ({@link #losses}, {@code Stitched}): linear in
 * the steps instead of quadratic, with a statistical estimate of the stitched computation's rounding beside the
 * worst-case bound. An lstm of hidden 32 over 50 steps: 0.9 million recorded operations, 4 million run for all its
 * 4,513 parameters, where one cone per shared sum would run 4.4 billion.
 *
 * <p>Memory: about {@value #BYTES_PER_OPERATION} bytes per recorded operation, plus
 * {@value #SCRATCH_BYTES_PER_OPERATION} per operation for each thread. Immutable once built and thread-safe: each
 * call and each thread works in scratch of its own.
 */
public final class ComplexTape {

    private static final byte CONST = 0;
    private static final byte INPUT = 1;
    private static final byte ADD = 2;
    private static final byte NEG = 3;
    private static final byte MUL = 4;
    private static final byte DIV = 5;
    private static final byte POW = 6;
    private static final byte POW_VARIABLE = 7;
    private static final byte CALL = 8;
    private static final byte SELECT = 9;
    private static final byte SELECT_JOINED = 10;
    private static final byte SUM = 11;
    /** Marks an addition merged into the sum that reads it: it is never run. */
    private static final byte MERGED = 12;

    private static final Expr.Fn[] FUNCTIONS = Expr.Fn.values();

    /** Bytes kept per recorded operation, and needed per thread while propagating: what {@link #fits} checks. */
    static final long BYTES_PER_OPERATION = 93;
    static final long SCRATCH_BYTES_PER_OPERATION = 45;

    private final int size;
    private final byte[] kind;
    private final int[] a;
    private final int[] b;
    private final int[] c;
    private final double[] aux;
    private final double[] re;
    private final double[] scale;
    private final int[] depth;
    /** Node n's real part at {@code 2n} and the scale of its rounding error at {@code 2n + 1}, side by side. */
    private final double[] real;
    private final int[] inputs;
    private final int loss;
    private final int[] consumerStart;
    private final int[] consumer;
    private final byte[] consumerSign;
    /** The cuts (recurrent states between steps), in tape order; empty where the model has none. */
    private final int[] cuts;
    /** Per operation, its index in {@link #cuts}, or −1; null where there are no cuts. */
    private final int[] cutOf;
    /** The complex steps of the cuts, stitched: computed on first use. */
    private volatile Stitched stitched;
    /** Per operation, the standard deviation of its real part's rounding error; null where there are no cuts. */
    private final double[] sigma;
    private static final double U = Math.ulp(1.0) / 2;

    private ComplexTape(Recorder r, int loss, int parameters, int[] candidates) {
        this.size = r.size;
        this.kind = Arrays.copyOf(r.kind, size);
        this.a = Arrays.copyOf(r.a, size);
        this.b = Arrays.copyOf(r.b, size);
        this.c = Arrays.copyOf(r.c, size);
        this.aux = Arrays.copyOf(r.aux, size);
        this.re = Arrays.copyOf(r.re, size);
        this.scale = Arrays.copyOf(r.scale, size);
        this.depth = Arrays.copyOf(r.depth, size);
        this.loss = loss;
        this.real = new double[2 * size];
        for (int n = 0; n < size; n++) {
            real[2 * n] = re[n];
            real[2 * n + 1] = realError(n);
        }
        this.inputs = new int[parameters];
        Arrays.fill(inputs, -1);
        boolean[] live = liveNodes();
        this.sigma = candidates.length == 0 ? null : valueSigmas();
        for (int n = 0; n < size; n++) {
            if (kind[n] == INPUT && live[n]) {
                inputs[(int) aux[n]] = n;
            }
        }
        int[][] terms = mergeSums(live);
        int[] count = new int[size + 1];
        forEachEdge(live, terms, (from, to, sign) -> count[from + 1]++);
        for (int n = 0; n < size; n++) {
            count[n + 1] += count[n];
        }
        this.consumerStart = count.clone();
        this.consumer = new int[count[size]];
        this.consumerSign = new byte[count[size]];
        int[] fill = count;
        forEachEdge(live, terms, (from, to, sign) -> {
            int at = fill[from]++;
            consumer[at] = to;
            consumerSign[at] = (byte) sign;
        });
        int[] chosen = Arrays.stream(candidates).filter(n -> live[n] && kind[n] != MERGED && kind[n] != CONST
                && kind[n] != INPUT && n != loss).sorted().distinct().toArray();
        this.cuts = chosen;
        this.cutOf = chosen.length == 0 ? null : new int[size];
        if (cutOf != null) {
            Arrays.fill(cutOf, -1);
            for (int k = 0; k < chosen.length; k++) {
                cutOf[chosen[k]] = k;
            }
        }
    }

    /**
     * Records {@code model}'s loss at {@code point}.
     *
     * @param model the model
     * @param point the parameters, flat layout; not modified
     * @return the tape
     */
    public static ComplexTape record(Model model, double[] point) {
        if (point.length != model.parameterCount()) {
            throw new IllegalArgumentException("Parameter vector of length <" + point.length + "> does not fit the <"
                    + model.parameterCount() + "> parameters of model <" + model.name() + ">");
        }
        Recorder r = new Recorder();
        List<TapeNumber[]> values = ModelEvaluator.forward(model, r, i -> r.input(i, point[i]));
        return new ComplexTape(r, values.get(model.loss())[0].id, point.length, recurrentStates(model, values));
    }

    /**
     * The operations holding a recurrent state: the outputs of a node at step t that a node at a later step reads
     * (an RNN's h_t, an LSTM's h_t and c_t). Every path from one step to the next passes through them.
     */
    private static int[] recurrentStates(Model model, List<TapeNumber[]> values) {
        int[] readerStep = new int[model.tensors().size()];
        for (Node node : model.nodes()) {
            for (int input : node.inputs()) {
                readerStep[input] = Math.max(readerStep[input], node.step());
            }
        }
        java.util.stream.IntStream.Builder ids = java.util.stream.IntStream.builder();
        for (Node node : model.nodes()) {
            if (node.step() > 0 && readerStep[node.output()] > node.step()) {
                for (TapeNumber x : values.get(node.output())) {
                    ids.add(x.id);
                }
            }
        }
        return ids.build().toArray();
    }

    /**
     * Whether a tape of about {@code operations} operations, propagated on every core, fits in half of what the heap
     * may still grow to.
     *
     * @param operations the operations one forward pass performs (e.g. the ops' {@code work} estimates)
     * @return whether to record it
     */
    public static boolean fits(double operations) {
        Runtime rt = Runtime.getRuntime();
        double free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        double need = operations * (BYTES_PER_OPERATION + 40
                + SCRATCH_BYTES_PER_OPERATION * (double) rt.availableProcessors());
        return operations < Integer.MAX_VALUE / 4.0 && need < free / 2;
    }

    /** @return the number of recorded operations */
    public int size() {
        return size;
    }

    /** @return the loss's real value at the recorded point */
    public double value() {
        return re[loss];
    }

    /**
     * The number of operations parameter {@code index}'s complex step runs: the size of its cone.
     *
     * @param index the flat index of the parameter
     * @return the operations downstream of it (0 if the loss does not depend on it)
     */
    public int cone(int index) {
        return cones(new int[] {index})[0];
    }

    /**
     * {@link #cone(int)} of each index asked.
     *
     * @param indices the flat indices of parameters
     * @return the size of each one's cone, in the order asked
     */
    public int[] cones(int[] indices) {
        Scratch s = new Scratch(size);
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            propagate(indices[k], s);
            out[k] = s.ran;
        }
        return out;
    }

    /**
     * The loss in complex-step arithmetic with θ_index seeded by ih: its {@link ComplexStepNumber#derivative()} is
     * ∂L/∂θ_index, with the running error bound and kink flag a full pass would give.
     *
     * @param index the flat index of the parameter
     * @return the loss
     */
    public ComplexStepNumber loss(int index) {
        return propagate(index, new Scratch(size));
    }

    /**
     * The complex step of every index asked, by superposition — for many parameters far cheaper than
     * {@link #loss(int)} for each, and equal to it up to rounding. To first order the imaginary parts are linear in
     * the seeds, so θ_i's imaginary part can be followed one step, to the operations that read θ_i, and from there
     * on be taken from those operations' own complex steps: {@code Im L(θ + ih e_i) = Σ_t λ_t·Im L(t + ih)}, with
     * λ_t = ∂t/∂θ_i the local derivative (the other factor of a product, ±1 for a term of a sum, else that one
     * operation's complex step). A product that only a sum reads hands its part to the sum, so all the weights of a
     * dot product or a convolution window share the sum's complex step: a conv net's first-layer weights then cost
     * one cone per output entry instead of one per weight. Magnitudes superpose as {@code Σ μ_t·M_t} with
     * μ_t ≥ |λ_t| the local magnitude — at least the literal magnitude, so the rounding bound stays a bound — and
     * the kink flag is raised where any of the cones meets a kink. Spread over the cores.
     *
     * @param indices the flat indices of parameters
     * @return for each, the loss in complex-step arithmetic, in the order asked
     */
    public ComplexStepNumber[] losses(int[] indices) {
        return losses(indices, null);
    }

    /**
     * {@link #losses(int[])}, and where the tape {@link #stitches} the statistical estimate of each derivative's
     * rounding error ({@link VarianceDualNumber}'s model — independent roundings whose variances propagate through
     * the signed derivatives — applied to the stitched computation itself: {@value VarianceDualNumber#SIGMAS}
     * standard deviations). The worst-case bound multiplies absolute values along every path, which along a long
     * recurrence is far above the errors made; this estimate follows the Jacobians the computation has.
     *
     * @param indices   the flat indices of parameters
     * @param estimates receives each one's estimate in the order asked (NaN where the tape does not stitch), or null
     * @return for each, the loss in complex-step arithmetic, in the order asked
     */
    public ComplexStepNumber[] losses(int[] indices, double[] estimates) {
        Edges edges = edges(indices);
        Cone[] cones = new Cone[edges.targets.length];
        Stitched stitch = cuts.length == 0 ? null : stitched();
        parallel(edges.targets.length, (k, s) -> {
            if (stitch == null) {
                propagateFrom(edges.targets[k], s);
                cones[k] = new Cone(s, loss, depth[loss]);
            } else {
                cones[k] = stitch.cone(edges.targets[k], s);
            }
        });
        ComplexStepNumber[] out = new ComplexStepNumber[indices.length];
        for (int i = 0; i < indices.length; i++) {
            double im = 0;
            double magnitude = 0;
            boolean kink = false;
            int chain = depth[loss];
            for (int e = edges.start[i]; e < edges.start[i + 1]; e++) {
                Cone c = cones[edges.target[e]];
                im += edges.local[e] * c.im;
                magnitude += times(edges.localMagnitude[e], c.fromMagnitude)
                        + times(Math.abs(edges.local[e]), c.fromImaginary);
                kink |= edges.kink[e] || c.kink && edges.localMagnitude[e] != 0;
                chain = Math.max(chain, stitch == null ? c.chain : deeper(c.chain, depth[edges.targets[edges.target[e]]] + 1));
            }
            int summed = stitch == null ? 0 : edges.start[i + 1] - edges.start[i];
            if (estimates != null) {
                double var = 0;
                for (int e = edges.start[i]; e < edges.start[i + 1] && stitch != null; e++) {
                    Cone c = cones[edges.target[e]];
                    double d = c.im / ComplexStepNumber.STEP;
                    var += square(edges.local[e]) * c.variance + edges.localVariance[e] * square(d)
                            + square(U * edges.local[e] * d);
                }
                estimates[i] = stitch == null ? Double.NaN
                        : VarianceDualNumber.SIGMAS * Math.sqrt(var + square(U * im / ComplexStepNumber.STEP))
                        + Double.MIN_NORMAL;
            }
            out[i] = new ComplexStepNumber(re[loss], im, magnitude, scale[loss],
                    deeper(chain, summed), kink);
        }
        return out;
    }

    /** @return whether the model has recurrent states, at which {@link #losses} cuts its cones and stitches them */
    public boolean stitches() {
        return cuts.length > 0;
    }

    /**
     * The cones of a recurrent model, cut at its states and stitched by the chain rule. Perturbing an operation in
     * step t reaches every later step, so one cone per shared operation costs the square of the steps. Instead each
     * cone stops at the states it reaches (h_t, c_t): {@code Im L(x + ih) = Im_direct + Σ_o λ_o·Im L(o + ih)}, with
     * λ_o = Im o/h the perturbation that reached state o and {@code Im L(o + ih)} the state's own complex step,
     * itself stitched — computed once per state, from the last to the first, as a backward pass computes its
     * adjoints, but with every local derivative a complex step. Linear in the steps.
     *
     * <p>Error bound. The magnitudes superpose as in {@link #losses}: a state reached with imaginary part λ_o·h and
     * magnitude parts m₁, m₂ contributes {@code m₁·F_o} to the part from the seed's magnitude and
     * {@code m₂·F_o + |λ_o|·G_o} to the part from imaginary parts (F_o, G_o: the state's own two parts) — the
     * magnitude a literal pass would carry, by linearity. But the state's derivative D_o is a computed number too:
     * a stitched term λ_o·D_o errs by {@code |λ_o|·err(D_o) + err(λ_o)·|D_o|}, with {@code err(D_o) ≤ γ_a·(F_o + G_o)}
     * (a = the state's chain) and {@code err(λ_o) ≤ γ_b·μ_o} (b = depth(o), μ_o = m₁ + m₂ ≥ |λ_o|). As
     * {@code F_o ≥ |D_o|} (the seed's magnitude, carried in absolute values, bounds the derivative), the sum is at
     * most {@code (γ_a + γ_b)·(μ_o·F_o + |λ_o|·G_o) ≤ γ_{a+b}·(literal magnitude)}: the chain of roundings adds
     * depth(o) + 1 per state passed, plus one per term summed. The bound stays the literal one's magnitude, with a
     * longer chain.
     */
    private final class Stitched {
        final double[] im;
        final double[] fromMagnitude;
        final double[] fromImaginary;
        final int[] chain;
        final boolean[] kink;
        /** The rounding variance of each state's derivative D_o, in the statistical model. */
        final double[] variance;

        Stitched() {
            int n = cuts.length;
            variance = new double[n];
            im = new double[n];
            fromMagnitude = new double[n];
            fromImaginary = new double[n];
            chain = new int[n];
            kink = new boolean[n];
            Scratch s = new Scratch(size, true);
            for (int k = n - 1; k >= 0; k--) {
                Cone c = cone(cuts[k], s);
                variance[k] = c.variance;
                im[k] = c.im;
                fromMagnitude[k] = c.fromMagnitude;
                fromImaginary[k] = c.fromImaginary;
                chain[k] = c.chain;
                kink[k] = c.kink;
            }
        }

        /**
         * Operation x's complex step with its cone stopped at the states, stitched to theirs: the loss's imaginary
         * part, its magnitude in the two parts a literal pass would carry, the kink flag, and the chain of
         * roundings behind the bound.
         */
        Cone cone(int x, Scratch s) {
            s.stop = true;
            try {
                propagateFrom(x, s);
            } finally {
                s.stop = false;
            }
            boolean direct = s.stamp[loss] == s.run;
            double imaginary = direct ? s.v[4 * loss] : 0;
            double fm = direct ? s.v[4 * loss + 1] : 0;
            double fi = direct ? s.v[4 * loss + 2] : 0;
            boolean near = direct && s.v[4 * loss + 3] != 0;
            int longest = direct ? depth[loss] : 0;
            double var = direct ? s.var[loss] : 0;
            for (int r = 0; r < s.reachedCount; r++) {
                int o = s.reached[r];
                int k = cutOf[o];
                double lambda = s.v[4 * o] / ComplexStepNumber.STEP;
                double m1 = s.v[4 * o + 1] / ComplexStepNumber.STEP;
                double m2 = s.v[4 * o + 2] / ComplexStepNumber.STEP;
                double d = im[k] / ComplexStepNumber.STEP;
                var += square(lambda) * variance[k] + s.var[o] * square(d) + square(U * lambda * d);
                imaginary += lambda * im[k];
                fm += times(m1, fromMagnitude[k]);
                fi += times(m2, fromMagnitude[k]) + times(Math.abs(lambda), fromImaginary[k]);
                near |= m1 + m2 != 0 && (s.v[4 * o + 3] != 0 || kink[k]);
                longest = Math.max(longest, deeper(chain[k], depth[o] + 1));
            }
            var += square(U * imaginary / ComplexStepNumber.STEP);
            return new Cone(imaginary, fm, fi, near, deeper(longest, s.reachedCount), var);
        }
    }

    /**
     * The statistical model of the real parts' rounding ({@link VarianceDualNumber}): each operation's standard
     * deviation, in tape order, before the sums are merged (each addition of a chain rounds).
     */
    private double[] valueSigmas() {
        double[] out = new double[size];
        for (int n = 0; n < size; n++) {
            if (kind[n] != CONST && kind[n] != INPUT) {
                out[n] = variance(n, x -> new VarianceDualNumber(re[x], 0, out[x], 0)).valueSigma();
            }
        }
        return out;
    }

    /** Operation n in the arithmetic of {@link VarianceDualNumber}, its operands as {@code operand} gives them. */
    private VarianceDualNumber variance(int n, java.util.function.IntFunction<VarianceDualNumber> operand) {
        return switch (kind[n]) {
            case ADD -> operand.apply(a[n]).add(operand.apply(b[n]));
            case NEG -> operand.apply(a[n]).negate();
            case MUL -> operand.apply(a[n]).multiply(operand.apply(b[n]));
            case DIV -> operand.apply(a[n]).divide(operand.apply(b[n]));
            case POW -> operand.apply(a[n]).pow(aux[n]);
            case POW_VARIABLE -> operand.apply(a[n]).pow(operand.apply(b[n]));
            case CALL -> operand.apply(a[n]).call(FUNCTIONS[c[n]]);
            case SELECT -> operand.apply(a[n]).ifPositive(operand.apply(b[n]), operand.apply(c[n]));
            case SELECT_JOINED -> operand.apply(a[n]).ifPositiveJoined(operand.apply(b[n]), operand.apply(c[n]));
            default -> throw new IllegalStateException("Operation " + kind[n] + " has no variance rule");
        };
    }

    private static double square(double x) {
        return x * x;
    }

    /** {@code depth + by} roundings, saturating far below overflow. */
    private static int deeper(int depth, int by) {
        return (int) Math.min(Integer.MAX_VALUE / 4, (long) depth + by);
    }

    private Stitched stitched() {
        Stitched s = stitched;
        if (s == null) {
            synchronized (this) {
                s = stitched;
                if (s == null) {
                    s = new Stitched();
                    stitched = s;
                }
            }
        }
        return s;
    }

    /**
     * The operations {@link #losses} runs for {@code indices}, estimated: the edges followed, plus each shared
     * operation's cone, measured on the first, middle and last of them and taken as the largest for all (for a
     * recurrent model, cones stopped at the states, plus the states' own cones, once).
     *
     * @param indices the flat indices of parameters
     * @return the estimated number of operations
     */
    public double work(int[] indices) {
        Edges edges = edges(indices);
        int targets = edges.targets.length;
        if (targets == 0) {
            return edges.local.length;
        }
        Scratch s = new Scratch(size);
        s.stop = cuts.length > 0;
        int largest = 0;
        for (int t : new int[] {0, targets / 2, targets - 1}) {
            propagateFrom(edges.targets[t], s);
            largest = Math.max(largest, s.ran);
        }
        double states = 0;
        if (cuts.length > 0) { // the states' own cones, once (stitched)
            int widest = 0;
            for (int k : new int[] {0, cuts.length / 2, cuts.length - 1}) {
                propagateFrom(cuts[k], s);
                widest = Math.max(widest, s.ran + s.reachedCount);
            }
            states = (double) cuts.length * widest;
        }
        return edges.local.length + (double) targets * largest + states;
    }

    /**
     * A shared operation's complex step, seeded with imaginary part and magnitude h: the loss's imaginary part, and
     * its magnitude split by source — what the seed's magnitude became, and what the imaginary parts on the way added
     * (a real part's rounding times an imaginary part). Both are linear in their source, so a parameter whose local
     * derivative is λ and local magnitude μ gets {@code μ·fromMagnitude + |λ|·fromImaginary}, as a full pass would.
     */
    private record Cone(double im, double fromMagnitude, double fromImaginary, boolean kink, int chain,
                        double variance) {
        Cone(Scratch s, int loss, int depth) {
            this(s.stamp[loss] == s.run ? s.v[4 * loss] : 0, s.stamp[loss] == s.run ? s.v[4 * loss + 1] : 0,
                    s.stamp[loss] == s.run ? s.v[4 * loss + 2] : 0, s.stamp[loss] == s.run && s.v[4 * loss + 3] != 0,
                    depth, Double.NaN);
        }
    }

    private static double times(double bound, double factor) {
        return bound == 0 || factor == 0 ? 0 : bound * factor;
    }

    /** The first step of every asked parameter: to which shared operations, with which local derivatives. */
    private static final class Edges {
        /** The edges of asked parameter i are {@code start[i]} to {@code start[i + 1]}. */
        int[] start;
        /** Per edge: the index into {@link #targets} of the operation the imaginary part is taken from. */
        int[] target;
        double[] local;
        double[] localMagnitude;
        /** Per edge, the rounding variance of the local derivative (statistical model), where the tape stitches. */
        double[] localVariance;
        boolean[] kink;
        /** The distinct operations whose complex steps are needed. */
        int[] targets;
    }

    private Edges edges(int[] indices) {
        Edges edges = new Edges();
        edges.start = new int[indices.length + 1];
        int capacity = 16;
        int[] node = new int[capacity];
        double[] local = new double[capacity];
        double[] localMagnitude = new double[capacity];
        double[] localVariance = new double[capacity];
        boolean[] kink = new boolean[capacity];
        int count = 0;
        Scratch s = null;
        for (int i = 0; i < indices.length; i++) {
            edges.start[i] = count;
            int theta = inputs[indices[i]];
            if (theta < 0) {
                continue;
            }
            for (int e = consumerStart[theta]; e < consumerStart[theta + 1]; e++) {
                int m = consumer[e];
                byte sign = consumerSign[e];
                if (sign == 0 && e > consumerStart[theta] && consumer[e - 1] == m && consumerSign[e - 1] == 0) {
                    continue; // an operation that reads θ twice: its one-step complex step below counts both
                }
                int t;
                double l;
                double mu;
                double lv = 0;
                boolean k = false;
                if (sign != 0) {
                    t = m;
                    l = sign;
                    mu = 1;
                } else if (kind[m] == MUL && a[m] != b[m]) {
                    int other = a[m] == theta ? b[m] : a[m];
                    l = re[other];
                    lv = sigma == null ? 0 : square(sigma[other]);
                    mu = Math.abs(re[other]) + realError(other);
                    boolean summed = consumerStart[m + 1] - consumerStart[m] == 1 && consumerSign[consumerStart[m]] != 0;
                    t = summed ? consumer[consumerStart[m]] : m;
                    if (summed && consumerSign[consumerStart[m]] < 0) {
                        l = -l;
                    }
                } else {
                    if (s == null) {
                        s = new Scratch(size, sigma != null);
                    }
                    int run = ++s.run;
                    seed(theta, s, run);
                    run(m, s, run);
                    t = m;
                    l = s.v[4 * m] / ComplexStepNumber.STEP;
                    mu = (s.v[4 * m + 1] + s.v[4 * m + 2]) / ComplexStepNumber.STEP;
                    k = s.v[4 * m + 3] != 0;
                    lv = s.var == null ? 0 : s.var[m];
                }
                if (count == node.length) {
                    capacity = 2 * count;
                    node = Arrays.copyOf(node, capacity);
                    local = Arrays.copyOf(local, capacity);
                    localMagnitude = Arrays.copyOf(localMagnitude, capacity);
                    localVariance = Arrays.copyOf(localVariance, capacity);
                    kink = Arrays.copyOf(kink, capacity);
                }
                node[count] = t;
                local[count] = l;
                localMagnitude[count] = mu;
                localVariance[count] = lv;
                kink[count] = k;
                count++;
            }
        }
        edges.start[indices.length] = count;
        // number the distinct operations in tape order (a cone's run then starts near where the last one did)
        int[] sorted = Arrays.copyOf(node, count);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int k = 0; k < count; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                sorted[distinct++] = sorted[k];
            }
        }
        edges.targets = Arrays.copyOf(sorted, distinct);
        edges.target = new int[count];
        for (int k = 0; k < count; k++) {
            edges.target[k] = Arrays.binarySearch(edges.targets, node[k]);
        }
        edges.local = Arrays.copyOf(local, count);
        edges.localMagnitude = Arrays.copyOf(localMagnitude, count);
        edges.localVariance = Arrays.copyOf(localVariance, count);
        edges.kink = Arrays.copyOf(kink, count);
        return edges;
    }

    @FunctionalInterface
    private interface Task {
        void run(int k, Scratch s);
    }

    /** Runs tasks 0 … n − 1 on up to every core, each thread with scratch of its own. */
    private void parallel(int n, Task task) {
        int threads = n < 64 ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), (n + 63) / 64);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            Scratch s = new Scratch(size, sigma != null);
            for (int k; (k = next.getAndIncrement()) < n; ) {
                task.run(k, s);
            }
        };
        if (threads == 1) {
            work.run();
        } else {
            java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> work.run());
        }
    }

    // ---- propagation -----------------------------------------------------------------------------------------

    /** One thread's imaginary parts, magnitudes and kink flags, valid where {@code stamp} is the current run's. */
    private static final class Scratch {
        /**
         * Node n's imaginary part at {@code 4n}; its magnitude at {@code 4n + 1} as far as it comes from the seed's
         * magnitude, at {@code 4n + 2} as far as from imaginary parts (see {@link Cone}); 1 at {@code 4n + 3} where a
         * kink is near (four to a node: each node's part of the scratch sits in one cache line).
         */
        final double[] v;
        final int[] stamp;
        final long[] dirty;
        int run;
        int ran;
        /** Whether this run stops at the cuts; the cuts it reached. */
        boolean stop;
        int[] reached = new int[16];
        int reachedCount;
        /** Node n's tangent's rounding variance (statistical model), where the tape stitches; else null. */
        final double[] var;

        Scratch(int size) {
            this(size, false);
        }

        Scratch(int size, boolean variance) {
            var = variance ? new double[size] : null;
            v = new double[4 * size];
            stamp = new int[size];
            dirty = new long[(size + 63) >>> 6];
        }
    }

    private ComplexStepNumber propagate(int index, Scratch s) {
        int seed = inputs[index];
        if (seed < 0) {
            s.ran = 0;
            ++s.run;
            return result(s);
        }
        return propagateFrom(seed, s);
    }

    /** Seeds node n's imaginary part (and magnitude) with h and runs its cone: the loss in complex-step arithmetic. */
    private ComplexStepNumber propagateFrom(int seed, Scratch s) {
        int run = ++s.run;
        s.ran = 0;
        s.reachedCount = 0;
        seed(seed, s, run);
        int high = push(seed, s, run, -1);
        for (int w = consumerStart[seed] == consumerStart[seed + 1] ? high + 1 : consumer[consumerStart[seed]] >>> 6;
             w <= high; w++) {
            long bits;
            while ((bits = s.dirty[w]) != 0) {
                int n = (w << 6) + Long.numberOfTrailingZeros(bits);
                s.dirty[w] = bits & (bits - 1);
                run(n, s, run);
                s.ran++;
                if (s.stop && cutOf[n] >= 0) {
                    reach(n, s);
                    continue;
                }
                high = push(n, s, run, high);
            }
        }
        return result(s);
    }

    /** Notes a cut the cone reached, where it stops. */
    private static void reach(int n, Scratch s) {
        if (s.reachedCount == s.reached.length) {
            s.reached = Arrays.copyOf(s.reached, 2 * s.reachedCount);
        }
        s.reached[s.reachedCount++] = n;
    }

    private static void seed(int n, Scratch s, int run) {
        if (s.var != null) {
            s.var[n] = 0;
        }
        s.stamp[n] = run;
        s.v[4 * n] = ComplexStepNumber.STEP;
        s.v[4 * n + 1] = ComplexStepNumber.STEP;
        s.v[4 * n + 2] = 0;
        s.v[4 * n + 3] = 0;
    }

    /**
     * Passes node n's finished imaginary part on: added into the sums that read it, marked for the other readers —
     * except a product whose other factor comes before n, and so is final already: that one runs at once and passes
     * its own part on (one level deep), which spares the products of a dot product or convolution a trip through the
     * marks.
     */
    private int push(int n, Scratch s, int run, int high) {
        return push(n, s, run, high, true);
    }

    private int push(int n, Scratch s, int run, int high, boolean eager) {
        for (int e = consumerStart[n]; e < consumerStart[n + 1]; e++) {
            int to = consumer[e];
            byte sign = consumerSign[e];
            boolean fresh = s.stamp[to] != run;
            if (eager && fresh && sign == 0 && kind[to] == MUL && (a[to] == n ? b[to] : a[to]) < n) {
                s.stamp[to] = run;
                multiply(to, s, run);
                s.ran++;
                if (s.stop && cutOf[to] >= 0) {
                    reach(to, s);
                    continue;
                }
                high = push(to, s, run, high, false);
                continue;
            }
            if (fresh) {
                s.stamp[to] = run;
                s.v[4 * to] = 0;
                s.v[4 * to + 1] = 0;
                s.v[4 * to + 2] = 0;
                s.v[4 * to + 3] = 0;
                if (s.var != null) {
                    s.var[to] = 0;
                }
            }
            if (sign != 0 && s.var != null) { // the term's error, and the addition's rounding (of about its size)
                s.var[to] += s.var[n] + square(U * s.v[4 * n] / ComplexStepNumber.STEP);
            }
            if (sign != 0) {
                s.v[4 * to] += sign > 0 ? s.v[4 * n] : -s.v[4 * n];
                s.v[4 * to + 1] += s.v[4 * n + 1];
                s.v[4 * to + 2] += s.v[4 * n + 2];
                s.v[4 * to + 3] = Math.max(s.v[4 * to + 3], s.v[4 * n + 3]);
            }
            s.dirty[to >>> 6] |= 1L << to;
            high = Math.max(high, to >>> 6);
        }
        return high;
    }

    /** Node n in complex-step arithmetic from its operands (a sum has been filled in by its terms already). */
    private void run(int n, Scratch s, int run) {
        if (kind[n] == MUL) {
            multiply(n, s, run);
            return;
        }
        if (kind[n] == SUM) {
            return;
        }
        if (s.var != null) {
            s.var[n] = square(variance(n, x -> s.stamp[x] == run
                    ? new VarianceDualNumber(re[x], s.v[4 * x] / ComplexStepNumber.STEP, sigma[x], Math.sqrt(s.var[x]))
                    : new VarianceDualNumber(re[x], 0, sigma[x], 0)).tangentSigma());
        }
        // once with the whole magnitude (the imaginary part, the kink flag, the magnitude), once with only the part
        // from the seed's magnitude and no imaginary parts (what that part becomes); the rest came from imaginary parts
        ComplexStepNumber whole = evaluate(n, s, run, true);
        double fromMagnitude = evaluate(n, s, run, false).magnitude();
        s.v[4 * n] = whole.im();
        s.v[4 * n + 1] = fromMagnitude;
        s.v[4 * n + 2] = Math.max(0, whole.magnitude() - fromMagnitude);
        s.v[4 * n + 3] = whole.nearKink() ? 1 : 0;
    }

    private ComplexStepNumber evaluate(int n, Scratch s, int run, boolean whole) {
        return switch (kind[n]) {
            case DIV -> number(a[n], s, run, whole).divide(number(b[n], s, run, whole));
            case POW -> number(a[n], s, run, whole).pow(aux[n]);
            case POW_VARIABLE -> number(a[n], s, run, whole).pow(number(b[n], s, run, whole));
            case CALL -> number(a[n], s, run, whole).call(FUNCTIONS[c[n]]);
            case SELECT -> number(a[n], s, run, whole).ifPositive(number(b[n], s, run, whole),
                    number(c[n], s, run, whole));
            case SELECT_JOINED -> number(a[n], s, run, whole).ifPositiveJoined(number(b[n], s, run, whole),
                    number(c[n], s, run, whole));
            default -> throw new IllegalStateException("Operation " + kind[n] + " cannot be on a perturbed path");
        };
    }

    /** {@link ComplexStepNumber#multiply} on the arrays: the tape's most frequent operation, without allocating. */
    private void multiply(int n, Scratch s, int run) {
        int x = a[n];
        int y = b[n];
        boolean px = s.stamp[x] == run;
        boolean py = s.stamp[y] == run;
        double imX = px ? s.v[4 * x] : 0;
        double imY = py ? s.v[4 * y] : 0;
        double reX = real[2 * x];
        double reY = real[2 * y];
        double errorX = real[2 * x + 1];
        double errorY = real[2 * y + 1];
        s.v[4 * n] = reX * imY + imX * reY;
        s.v[4 * n + 1] = ComplexStepNumber.productMagnitude(reX, 0, px ? s.v[4 * x + 1] : 0, errorX, reY, 0,
                py ? s.v[4 * y + 1] : 0, errorY);
        s.v[4 * n + 2] = ComplexStepNumber.productMagnitude(reX, imX, px ? s.v[4 * x + 2] : 0, errorX, reY, imY,
                py ? s.v[4 * y + 2] : 0, errorY);
        s.v[4 * n + 3] = Math.max(px ? s.v[4 * x + 3] : 0, py ? s.v[4 * y + 3] : 0);
        if (s.var != null) { // (a·t_b)² + (ḃ·r_a)² + (b·t_a)² + (ȧ·r_b)² + 2(u·ṫ)², tangents in units of h
            double h = ComplexStepNumber.STEP;
            s.var[n] = square(reX) * (py ? s.var[y] : 0) + square(imY / h * sigma[x]) + square(reY) * (px ? s.var[x] : 0)
                    + square(imX / h * sigma[y]) + 2 * square(U * s.v[4 * n] / h);
        }
    }

    private double realError(int n) {
        return depth[n] == 0 ? 0 : scale[n];
    }

    /** Node n as it stands in this run: its whole magnitude, or only the part from the seed's, without imaginary parts. */
    private ComplexStepNumber number(int n, Scratch s, int run, boolean whole) {
        if (s.stamp[n] != run) {
            return new ComplexStepNumber(re[n], 0, 0, scale[n], depth[n], false);
        }
        return whole ? new ComplexStepNumber(re[n], s.v[4 * n], s.v[4 * n + 1] + s.v[4 * n + 2], scale[n], depth[n],
                s.v[4 * n + 3] != 0) : new ComplexStepNumber(re[n], 0, s.v[4 * n + 1], scale[n], depth[n], false);
    }

    /** The loss as this run left it. */
    private ComplexStepNumber result(Scratch s) {
        return number(loss, s, s.run, true);
    }

    // ---- building ------------------------------------------------------------------------------------------------

    /** The operations the loss reads, directly or not. */
    private boolean[] liveNodes() {
        boolean[] live = new boolean[size];
        live[loss] = true;
        for (int n = loss; n >= 0; n--) {
            if (live[n]) {
                forEachOperand(n, x -> live[x] = true);
            }
        }
        return live;
    }

    /**
     * Turns every live addition and negation into a sum of signed terms, merging in the additions and negations
     * that only it reads; those become {@link #MERGED}.
     */
    private int[][] mergeSums(boolean[] live) {
        int[] uses = new int[size];
        for (int n = 0; n < size; n++) {
            if (live[n]) {
                forEachOperand(n, x -> uses[x]++);
            }
        }
        int[][] terms = new int[size][];
        int[] length = new int[size];
        for (int n = 0; n < size; n++) {
            if (!live[n] || (kind[n] != ADD && kind[n] != NEG)) {
                continue;
            }
            int[] list = null;
            int len = 0;
            int operands = kind[n] == ADD ? 2 : 1;
            for (int k = 0; k < operands; k++) {
                int x = k == 0 ? a[n] : b[n];
                int sign = kind[n] == NEG ? -1 : 1;
                if (kind[x] == SUM && uses[x] == 1) {
                    int[] from = terms[x];
                    int fromLength = length[x];
                    if (list == null && sign == 1) {
                        list = from;
                        len = fromLength;
                    } else {
                        for (int t = 0; t < fromLength; t++) {
                            list = append(list, len++, sign * from[t]);
                        }
                    }
                    terms[x] = null;
                    kind[x] = MERGED;
                } else {
                    // a term is stored as ±(node + 1), so that node 0 keeps its sign
                    list = append(list, len++, sign * (x + 1));
                }
            }
            terms[n] = list;
            length[n] = len;
            kind[n] = SUM;
        }
        for (int n = 0; n < size; n++) {
            if (terms[n] != null && terms[n].length != length[n]) {
                terms[n] = Arrays.copyOf(terms[n], length[n]);
            }
        }
        return terms;
    }

    private static int[] append(int[] list, int at, int value) {
        if (list == null) {
            list = new int[4];
        } else if (at == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
        }
        list[at] = value;
        return list;
    }

    @FunctionalInterface
    private interface Edge {
        void accept(int from, int to, int sign);
    }

    /** Every edge from an operand to a live, run node: signed into sums, unsigned (0) into the others. */
    private void forEachEdge(boolean[] live, int[][] terms, Edge edge) {
        for (int n = 0; n < size; n++) {
            if (!live[n] || kind[n] == MERGED) {
                continue;
            }
            if (kind[n] == SUM) {
                for (int t : terms[n]) {
                    edge.accept(Math.abs(t) - 1, n, Integer.signum(t));
                }
            } else {
                int to = n;
                forEachOperand(n, x -> edge.accept(x, to, 0));
            }
        }
    }

    private void forEachOperand(int n, java.util.function.IntConsumer operand) {
        switch (kind[n]) {
            case CONST, INPUT -> {
            }
            case NEG, POW, CALL -> operand.accept(a[n]);
            case ADD, MUL, DIV, POW_VARIABLE -> {
                operand.accept(a[n]);
                operand.accept(b[n]);
            }
            case SELECT, SELECT_JOINED -> {
                operand.accept(a[n]);
                operand.accept(b[n]);
                operand.accept(c[n]);
            }
            default -> throw new IllegalStateException("Operation " + kind[n] + " has no operands to list");
        }
    }

    /** Appends one operation per arithmetic step; also the arithmetic the forward rules run in while recording. */
    private static final class Recorder implements RealField<TapeNumber> {
        int size;
        byte[] kind = new byte[1024];
        int[] a = new int[1024];
        int[] b = new int[1024];
        int[] c = new int[1024];
        double[] aux = new double[1024];
        double[] re = new double[1024];
        double[] scale = new double[1024];
        int[] depth = new int[1024];

        @Override
        public TapeNumber constant(double value) {
            return append(CONST, -1, -1, -1, 0, ComplexStepNumber.FIELD.constant(value));
        }

        TapeNumber input(int index, double value) {
            return append(INPUT, -1, -1, -1, index, ComplexStepNumber.FIELD.constant(value));
        }

        @Override
        public TapeNumber[] array(int length) {
            return new TapeNumber[length];
        }

        ComplexStepNumber base(int n) {
            return new ComplexStepNumber(re[n], 0, 0, scale[n], depth[n], false);
        }

        TapeNumber append(byte k, int x, int y, int z, double extra, ComplexStepNumber base) {
            if (size == kind.length) {
                int grown = size + (size >> 1);
                kind = Arrays.copyOf(kind, grown);
                a = Arrays.copyOf(a, grown);
                b = Arrays.copyOf(b, grown);
                c = Arrays.copyOf(c, grown);
                aux = Arrays.copyOf(aux, grown);
                re = Arrays.copyOf(re, grown);
                scale = Arrays.copyOf(scale, grown);
                depth = Arrays.copyOf(depth, grown);
            }
            int n = size++;
            kind[n] = k;
            a[n] = x;
            b[n] = y;
            c[n] = z;
            aux[n] = extra;
            re[n] = base.re();
            scale[n] = base.scale();
            depth[n] = base.depth();
            return new TapeNumber(this, n);
        }
    }

    /** A number being recorded: an operation on the tape. */
    private record TapeNumber(Recorder tape, int id) implements Real<TapeNumber> {

        private ComplexStepNumber base() {
            return tape.base(id);
        }

        @Override
        public RealField<TapeNumber> field() {
            return tape;
        }

        @Override
        public double value() {
            return tape.re[id];
        }

        @Override
        public TapeNumber add(TapeNumber o) {
            return tape.append(ADD, id, o.id, -1, 0, base().add(o.base()));
        }

        @Override
        public TapeNumber multiply(TapeNumber o) {
            return tape.append(MUL, id, o.id, -1, 0, base().multiply(o.base()));
        }

        @Override
        public TapeNumber divide(TapeNumber o) {
            return tape.append(DIV, id, o.id, -1, 0, base().divide(o.base()));
        }

        @Override
        public TapeNumber negate() {
            return tape.append(NEG, id, -1, -1, 0, base().negate());
        }

        @Override
        public TapeNumber pow(double k) {
            java.util.Optional<TapeNumber> exact = Real.exactPower(this, k);
            if (exact.isPresent()) {
                return exact.get();
            }
            if (k == -1) {
                return tape.constant(1).divide(this);
            }
            return tape.append(POW, id, -1, -1, k, base().pow(k));
        }

        @Override
        public TapeNumber pow(TapeNumber exponent) {
            return tape.append(POW_VARIABLE, id, exponent.id, -1, 0, base().pow(exponent.base()));
        }

        @Override
        public TapeNumber call(Expr.Fn fn) {
            return tape.append(CALL, id, -1, fn.ordinal(), 0, base().call(fn));
        }

        @Override
        public TapeNumber ifPositive(TapeNumber whenPositive, TapeNumber otherwise) {
            return tape.append(SELECT, id, whenPositive.id, otherwise.id, 0,
                    base().ifPositive(whenPositive.base(), otherwise.base()));
        }

        @Override
        public TapeNumber ifPositiveJoined(TapeNumber whenPositive, TapeNumber otherwise) {
            return tape.append(SELECT_JOINED, id, whenPositive.id, otherwise.id, 0,
                    base().ifPositiveJoined(whenPositive.base(), otherwise.base()));
        }
    }
}
