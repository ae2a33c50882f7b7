package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.Data;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A network's loss evaluated with complex parameters, compiled by {@link ComplexNetworkCompiler}: the
 * complex-step derivative {@code ∂L/∂θ_i = Im L(θ + ih e_i)/h} (Squire &amp; Trapp 1998), with
 * {@code h = }{@value #STEP}, which has no subtractive cancellation and so is exact to rounding for any
 * analytic loss — also where the gradient is 1e−135.
 *
 * <p><b>How it is evaluated.</b> Perturbing {@code W_l[j][k]} (or {@code b_l[j]}) by {@code ih} leaves
 * everything before layer l real and makes {@code z_l[j]} complex with {@code Im z_l[j] = h·o_{l−1}[k]}
 * (resp. h). So each sample's real forward pass is computed once and cached, and only imaginary parts
 * are propagated, from layer l on. The real parts downstream are the cached ones: perturbing by ih
 * changes them by {@code O(h²) ≈ 1e−40} relative, far below one ulp.
 * <ul>
 *   <li>{@link #partial}, {@link #derivative}, {@link #directional}: the literal complex step — the
 *       imaginary parts run through the complex kernels of φ ({@link ComplexFunctions}), the complex
 *       softmax and the complex loss, unit by unit.</li>
 *   <li>{@link #partials}, {@link #gradient} (all parameters): the same, exploiting that to first order
 *       the imaginary parts are <em>linear</em> in the seed. Per sample, the complex step is taken once
 *       per unit — the slope {@code s = Im φ(z + ih)/h} of every hidden unit and the sensitivity
 *       {@code c_j = Im L_s(z_L + ih e_j)/h} of every output — and the imaginary part seeded at
 *       {@code z_l[j]} is propagated as {@code s ⊙ (W·Im o)} to the output and read off as
 *       {@code c·Im z_L}. All parameters of row j share that propagation:
 *       {@code Im L(θ + ih e_{W_l[j][k]})/h = o_{l−1}[k] · Im L(θ + ih e_{b_l[j]})/h} up to one rounding,
 *       which turns 6,273 propagations of a 64-64-32-1 MLP into 161. It agrees with the literal
 *       complex step to a few ulps (tested); above {@value #PARALLEL_THRESHOLD} parameters the rows are
 *       spread over the cores.</li>
 * </ul>
 * The magnitude reported with every value is the same propagation with absolute values (see
 * {@link ComplexDerivative}); the kink flag marks relu/leaky pre-activations on the perturbed path within
 * {@code ComplexStepNumber.KINK_BAND·max(1, Σ|w·o| + |b|)} of 0, where the complex step, which branches on real parts,
 * returns a one-sided derivative.
 *
 * <table>
 *   <caption>Measured (JMH, {@code ComplexStepBenchmark}, 2 cores): 64-64-32-1 sigmoid MLP, 6,273 parameters</caption>
 *   <tr><th>operation</th><th>1 sample</th><th>16 samples</th></tr>
 *   <tr><td>{@link #partials}: every parameter, with magnitudes and kink flags</td><td>0.29 ms</td><td>1.9 ms</td></tr>
 *   <tr><td>{@link #partial}: one first-layer weight, literal</td><td>0.026 ms</td><td>0.31 ms</td></tr>
 *   <tr><td>{@link #directional}: one direction, literal</td><td>0.042 ms</td><td>0.44 ms</td></tr>
 * </table>
 * The literal path for every parameter would take 6,273 × 0.026 ms ≈ 160 ms for one sample: the linear
 * propagation is what brings the exhaustive complex step well under the 0.15 s target.
 *
 * <p>Thread-safe: each thread (and each parallel task) uses its own kernel.
 */
public final class ComplexNetwork {

    /** The imaginary step h (Martins et al. 2003 recommend 1e−20: h² vanishes against any double). */
    public static final double STEP = 1e-20;
    /** Relative half-width of the band around a relu kink in which the derivative is reported as one-sided. */
    /** Above this many parameters {@link #partials} runs on all cores. */
    public static final int PARALLEL_THRESHOLD = 2000;
    /** The largest step accepted: the first-order kernels need h·|θ| far below 1. */
    public static final double MAX_STEP = 1e-10;

    private final ComputationGraph graph;
    private final Class<? extends ComplexSampleKernel> kernelType;
    private final String source;
    private final double[][] x;
    private final double[][] y;
    private final ThreadLocal<ComplexSampleKernel> kernels;
    private final int[] rowLayer;
    private final int[] rowUnit;
    private final List<int[]> chunks;

    ComplexNetwork(ComputationGraph graph, Class<? extends ComplexSampleKernel> kernelType, String source) {
        this.graph = graph;
        this.kernelType = kernelType;
        this.source = source;
        Data data = graph.spec().data();
        this.x = data.x();
        this.y = data.y();
        this.kernels = ThreadLocal.withInitial(this::newKernel);
        int rows = 0;
        for (int l = 1; l <= graph.layerCount(); l++) {
            rows += graph.units(l);
        }
        this.rowLayer = new int[rows];
        this.rowUnit = new int[rows];
        double[] cost = new double[rows];
        int r = 0;
        for (int l = 1; l <= graph.layerCount(); l++) {
            for (int j = 0; j < graph.units(l); j++, r++) {
                rowLayer[r] = l;
                rowUnit[r] = j;
                cost[r] = rowCost(l);
            }
        }
        this.chunks = chunks(cost, 4 * Runtime.getRuntime().availableProcessors());
    }

    private ComplexSampleKernel newKernel() {
        try {
            return kernelType.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot instantiate generated complex-step kernel " + kernelType.getName(), e);
        }
    }

    /**
     * The graph this network was compiled from.
     *
     * @return the graph, with the spec and the flat parameter layout
     */
    public ComputationGraph graph() {
        return graph;
    }

    /**
     * The generated Java source.
     *
     * @return the source of the generated kernel class
     */
    public String source() {
        return source;
    }

    /**
     * Number of scalar parameters.
     *
     * @return the length of every flat parameter vector
     */
    public int parameterCount() {
        return graph.parameters().size();
    }

    /**
     * The loss at real {@code parameters}, averaged over the samples.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @return the mean loss L(θ)
     */
    public double loss(double[] parameters) {
        checkLength("Parameter vector", parameters);
        ComplexSampleKernel k = kernels.get();
        double sum = 0;
        for (int s = 0; s < x.length; s++) {
            sum += k.forward(parameters, x[s], y[s]);
        }
        return sum / x.length;
    }

    /**
     * {@code Im L(θ + ih e_index)/h}, the literal complex step of one parameter.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @param index the flat index of the perturbed parameter
     * @param h the step; tiny, e.g. 1e−20
     * @return ∂L/∂θ_index, exact to rounding
     */
    public double derivative(double[] parameters, int index, double h) {
        return partial(parameters, index, h).value();
    }

    /**
     * {@code Im L(θ + ih e_index)/h} with its magnitude and kink flag (literal complex step).
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @param index the flat index of the perturbed parameter
     * @param h the step; tiny, e.g. 1e−20
     * @return ∂L/∂θ_index with its magnitude and kink flag
     */
    public ComplexDerivative partial(double[] parameters, int index, double h) {
        checkLength("Parameter vector", parameters);
        if (index < 0 || index >= parameterCount()) {
            throw new IllegalArgumentException("Parameter index <" + index + "> is outside 0.." + (parameterCount() - 1)
                    + " of network <" + graph.spec().name() + ">");
        }
        checkStep(h);
        double[] imaginary = new double[parameterCount()];
        imaginary[index] = h;
        return literal(parameters, imaginary, graph.parameters().get(index).layer(), h);
    }

    /**
     * {@code Im L(θ + ih·direction)/h = ⟨∇L, direction⟩}, the directional derivative in one complex
     * forward pass per sample (literal complex step, every parameter perturbed).
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @param direction the direction, as long as {@code parameters}
     * @param h the step; tiny, e.g. 1e−20
     * @return ⟨∇L, direction⟩ with its magnitude and kink flag
     */
    public ComplexDerivative directional(double[] parameters, double[] direction, double h) {
        checkLength("Parameter vector", parameters);
        checkLength("Direction", direction);
        checkStep(h);
        double[] imaginary = new double[parameterCount()];
        int firstNonZero = -1;
        for (int i = direction.length - 1; i >= 0; i--) {
            imaginary[i] = h * direction[i];
            if (direction[i] != 0) {
                firstNonZero = i;
            }
        }
        return firstNonZero < 0 ? new ComplexDerivative(0.0, 0.0, false)
                : literal(parameters, imaginary, graph.layerOf(firstNonZero), h);
    }

    /**
     * {@code Im L(θ + ih·v)/h = ⟨∇L, v⟩} for a direction v that lives on the parameters {@code from, from + 1, …}
     * (zero elsewhere): the same pass as {@link #directional(double[], double[], double)}, without the caller writing
     * out a direction as long as the network.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @param from the flat index of v's first entry
     * @param v the direction's entries from {@code from}; not modified
     * @param h the step; tiny, e.g. 1e−20
     * @return ⟨∇L, v⟩ with its magnitude and kink flag
     */
    public ComplexDerivative directional(double[] parameters, int from, double[] v, double h) {
        checkLength("Parameter vector", parameters);
        if (from < 0 || v.length > parameterCount() - from) {
            throw new IllegalArgumentException("Direction of <" + v.length + "> entries from index <" + from
                    + "> does not fit the <" + parameterCount() + "> parameters of network <" + graph.spec().name() + ">");
        }
        checkStep(h);
        double[] imaginary = new double[parameterCount()];
        int firstNonZero = -1;
        for (int k = v.length - 1; k >= 0; k--) {
            imaginary[from + k] = h * v[k];
            if (v[k] != 0) {
                firstNonZero = from + k;
            }
        }
        return firstNonZero < 0 ? new ComplexDerivative(0.0, 0.0, false)
                : literal(parameters, imaginary, graph.layerOf(firstNonZero), h);
    }

    private ComplexDerivative literal(double[] parameters, double[] imaginary, int firstLayer, double h) {
        ComplexSampleKernel k = kernels.get();
        double[] out = new double[2];
        double im = 0;
        double magnitude = 0;
        boolean kink = false;
        for (int s = 0; s < x.length; s++) {
            k.forward(parameters, x[s], y[s]);
            im += k.imaginaryLoss(parameters, imaginary, firstLayer, out);
            magnitude += out[0];
            kink |= out[1] != 0;
        }
        return new ComplexDerivative(im / x.length / h, magnitude / x.length / h, kink);
    }

    /**
     * ∂L/∂θ for every parameter by the complex step (linear propagation, see the class comment).
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @return ∂L/∂θ, flat layout
     */
    public double[] gradient(double[] parameters) {
        return partials(parameters).values();
    }

    /**
     * Every ∂L/∂θ_i by the complex step, with magnitudes and kink flags.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @return every ∂L/∂θ_i with its magnitude and kink flag
     */
    public ComplexGradient partials(double[] parameters) {
        checkLength("Parameter vector", parameters);
        int n = parameterCount();
        double[] values = new double[n];
        double[] magnitudes = new double[n];
        boolean[] kinks = new boolean[n];
        if (n > PARALLEL_THRESHOLD && chunks.size() > 1) {
            IntStream.range(0, chunks.size()).parallel().forEach(c ->
                    rows(newKernel(), parameters, chunks.get(c)[0], chunks.get(c)[1], values, magnitudes, kinks));
        } else {
            rows(kernels.get(), parameters, 0, rowLayer.length, values, magnitudes, kinks);
        }
        for (int i = 0; i < n; i++) {
            values[i] /= x.length;
            magnitudes[i] /= x.length;
        }
        return new ComplexGradient(values, magnitudes, kinks);
    }

    /** Rows [from, to) — each a unit j of a layer l, owning W_l[j][·] and b_l[j] — summed over the samples. */
    private void rows(ComplexSampleKernel k, double[] p, int from, int to, double[] values, double[] magnitudes,
                      boolean[] kinks) {
        double[] out = new double[2];
        for (int s = 0; s < x.length; s++) {
            k.forward(p, x[s], y[s]);
            for (int r = from; r < to; r++) {
                int l = rowLayer[r];
                int j = rowUnit[r];
                double t = k.unitTangent(p, l, j, out);
                double m = out[0];
                boolean kink = out[1] != 0;
                double[] o = k.activations(l - 1);
                int in = o.length;
                int w = graph.weightOffset(l) + j * in;
                for (int c = 0; c < in; c++) {
                    values[w + c] += t * o[c];
                    magnitudes[w + c] += m * Math.abs(o[c]);
                    kinks[w + c] |= kink && o[c] != 0;
                }
                int b = graph.biasOffset(l) + j;
                values[b] += t;
                magnitudes[b] += m;
                kinks[b] |= kink;
            }
        }
    }

    /** Multiply-adds to propagate one unit of layer l to the loss (for balancing the parallel chunks). */
    private double rowCost(int l) {
        double cost = graph.units(l - 1) + 1;
        for (int m = l + 1; m <= graph.layerCount(); m++) {
            cost += graph.units(m) * (double) graph.units(m - 1) + graph.units(m);
        }
        return cost;
    }

    /** Contiguous row ranges of about equal cost. */
    private static List<int[]> chunks(double[] cost, int count) {
        double total = 0;
        for (double c : cost) {
            total += c;
        }
        List<int[]> ranges = new ArrayList<>();
        double target = total / count;
        int start = 0;
        double acc = 0;
        for (int r = 0; r < cost.length; r++) {
            acc += cost[r];
            if (acc >= target || r == cost.length - 1) {
                ranges.add(new int[] {start, r + 1});
                start = r + 1;
                acc = 0;
            }
        }
        return List.copyOf(ranges);
    }

    private void checkLength(String what, double[] v) {
        if (v.length != parameterCount()) {
            throw new IllegalArgumentException(what + " of length <" + v.length + "> does not match the <"
                    + parameterCount() + "> parameters of network <" + graph.spec().name() + ">");
        }
    }

    private static void checkStep(double h) {
        if (!(h > 0) || h > MAX_STEP) {
            throw new IllegalArgumentException("Complex step <" + h + "> must be > 0 and ≤ " + MAX_STEP
                    + ": the first-order complex kernels need h·|θ| far below 1; use ComplexNetwork.STEP (" + STEP + ")");
        }
    }
}
