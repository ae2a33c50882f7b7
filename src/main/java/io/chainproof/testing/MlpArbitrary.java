package io.chainproof.testing;

import io.chainproof.ops.Activation;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random multilayer perceptrons as valid {@link NetworkSpec}s, configured fluently; every configuration
 * method returns a new arbitrary and leaves this one unchanged. Get one from {@link Networks#mlps()}.
 *
 * <p><b>What is drawn.</b> The inputs; the hidden layers (each with its own width and activation); the
 * loss, the outputs and an output activation, uniform among those that fit the loss and the outputs
 * (softmax only with 2 or more; where only softmax fits, the outputs are raised to 2); the samples; a weight scale
 * {@code s}, log-uniform in {@code [min, max]} ({@link Networks#weightScales}); and entries
 * {@code u ∈ [−1, 1]} (uniform, 3 decimals): every weight and bias is {@code s·u}, every input {@code u}.
 * Targets suit the loss and the output activation: one-hot labels for cross_entropy, {@code |u| ∈ [0, 1]}
 * for bce and for outputs that are never negative (sigmoid, softmax, relu, softplus), {@code u} otherwise.
 * Names describe the architecture, e.g. {@code mlp-2-3-1} (inputs, hidden units, outputs); the source
 * is {@code <jqwik>}.
 *
 * <p><b>Fit of loss and output.</b> bce and cross_entropy need a sigmoid or softmax output, and softmax
 * needs 2 or more outputs (it is drawn only with outputs ≥ 2). By default every loss and every output
 * activation is used that fits some other; explicitly configured ones must each fit one, which is checked
 * when values are first generated (an {@link IllegalArgumentException} naming the method).
 *
 * <p><b>Shrinking</b> goes toward small networks: fewer hidden layers, each hidden width, the outputs, the
 * inputs and the samples toward their minimum, hidden activations and losses toward the first one
 * configured, the output activation toward the first that fits the loss, the weight scale toward
 * {@code min}, every entry toward 0 (so weights, biases and inputs toward 0). The architecture, loss and
 * scale are drawn independently of each other, so each shrinks without redrawing the others; the
 * entries are drawn for the architecture and are redrawn (then shrunk) when it shrinks.
 *
 * <p><b>Seeds.</b> With {@link #seeds(long, long)} the entries are no longer drawn one by one: they come
 * from {@code new SplittableRandom(seed).doubles(−1, 1)} in the order of the parameters (W1 row by row,
 * b1, W2, b2, ...), then data.x, then the targets; the seed is drawn from the range, shrinks toward its
 * minimum and is part of the name ({@code mlp-2-3-1-seed17}). A reported network can then be rebuilt
 * from its architecture, scale and seed, and wide networks generate and shrink quickly, but entries no
 * longer shrink toward 0.
 *
 * <p>Defaults: inputs 1–3, depth 1–3, widths 1–4, outputs 1–3, samples 1–3, weight scale 0.1–10, every
 * elementwise activation in hidden layers, every activation on the output, every loss, no seeds.
 */
public final class MlpArbitrary extends ArbitraryDecorator<NetworkSpec> {

    /**
     * The output activation is the fitting one at {@code choice mod n} with {@code choice} uniform in
     * {@code [0, CHOICES)}: uniform for every {@code n ≤ 10}, since 2520 is their least common multiple.
     */
    private static final int CHOICES = 2520;

    private static final List<Activation> ELEMENTWISE =
            Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).toList();

    private int minInputs = 1;
    private int maxInputs = 3;
    private int minDepth = 1;
    private int maxDepth = 3;
    private int minWidth = 1;
    private int maxWidth = 4;
    private int minOutputs = 1;
    private int maxOutputs = 3;
    private int minSamples = 1;
    private int maxSamples = 3;
    private double minScale = 0.1;
    private double maxScale = 10;
    private List<Activation> activations = ELEMENTWISE;
    private List<Activation> outputActivations = List.of(Activation.values());
    private boolean outputActivationsGiven;
    private List<Loss> losses = List.of(Loss.values());
    private boolean lossesGiven;
    private boolean seeded;
    private long minSeed;
    private long maxSeed;

    MlpArbitrary() {
    }

    /**
     * @param min the fewest inputs, at least 1
     * @param max the most inputs, at least {@code min}
     * @return this arbitrary with the number of inputs in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary inputs(int min, int max) {
        checkCounts("inputs(min, max)", min, max, 1);
        MlpArbitrary clone = typedClone();
        clone.minInputs = min;
        clone.maxInputs = max;
        return clone;
    }

    /**
     * @param min the fewest layers (hidden layers plus the output layer), at least 1
     * @param max the most layers, at least {@code min}
     * @return this arbitrary with the number of layers in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary depth(int min, int max) {
        checkCounts("depth(min, max)", min, max, 1);
        MlpArbitrary clone = typedClone();
        clone.minDepth = min;
        clone.maxDepth = max;
        return clone;
    }

    /**
     * @param min the fewest units of a hidden layer, at least 1
     * @param max the most units of a hidden layer, at least {@code min}
     * @return this arbitrary with every hidden width in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary widths(int min, int max) {
        checkCounts("widths(min, max)", min, max, 1);
        MlpArbitrary clone = typedClone();
        clone.minWidth = min;
        clone.maxWidth = max;
        return clone;
    }

    /**
     * @param min the fewest units of the output layer, at least 1 (softmax is drawn only with 2 or more)
     * @param max the most units of the output layer, at least {@code min}
     * @return this arbitrary with the number of outputs in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary outputs(int min, int max) {
        checkCounts("outputs(min, max)", min, max, 1);
        MlpArbitrary clone = typedClone();
        clone.minOutputs = min;
        clone.maxOutputs = max;
        return clone;
    }

    /**
     * @param min the fewest samples, at least 1
     * @param max the most samples, at least {@code min}
     * @return this arbitrary with the number of samples in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary samples(int min, int max) {
        checkCounts("samples(min, max)", min, max, 1);
        MlpArbitrary clone = typedClone();
        clone.minSamples = min;
        clone.maxSamples = max;
        return clone;
    }

    /**
     * @param min the smallest weight scale, positive and finite
     * @param max the largest weight scale, finite and at least {@code min}
     * @return this arbitrary with the weight scale log-uniform in {@code [min, max]}, so
     *         {@code |w| ≤ max} for every weight and bias
     * @throws IllegalArgumentException if the range is not as described
     */
    public MlpArbitrary weightScale(double min, double max) {
        checkScales("weightScale(min, max)", min, max);
        MlpArbitrary clone = typedClone();
        clone.minScale = min;
        clone.maxScale = max;
        return clone;
    }

    /**
     * @param choices the activations of hidden layers, each drawn independently; elementwise only
     * @return this arbitrary with hidden activations from {@code choices} (shrinking toward the first)
     * @throws IllegalArgumentException if {@code choices} is empty, holds null or holds softmax
     */
    public MlpArbitrary activations(Activation... choices) {
        List<Activation> list = distinct("activations(...)", choices, "activation", "an activation");
        if (list.contains(Activation.SOFTMAX)) {
            throw new IllegalArgumentException("activations(...): <softmax> is only allowed on the output layer; "
                    + "pass it to outputActivations(...)");
        }
        MlpArbitrary clone = typedClone();
        clone.activations = list;
        return clone;
    }

    /**
     * @param choices the activations of the output layer; each must fit one of the losses
     * @return this arbitrary with output activations from {@code choices} (shrinking toward the first)
     * @throws IllegalArgumentException if {@code choices} is empty or holds null
     */
    public MlpArbitrary outputActivations(Activation... choices) {
        List<Activation> list = distinct("outputActivations(...)", choices, "activation", "an activation");
        MlpArbitrary clone = typedClone();
        clone.outputActivations = list;
        clone.outputActivationsGiven = true;
        return clone;
    }

    /**
     * @param choices the losses; each must fit one of the output activations
     * @return this arbitrary with losses from {@code choices} (shrinking toward the first)
     * @throws IllegalArgumentException if {@code choices} is empty or holds null
     */
    public MlpArbitrary losses(Loss... choices) {
        List<Loss> list = distinct("losses(...)", choices, "loss", "a loss");
        MlpArbitrary clone = typedClone();
        clone.losses = list;
        clone.lossesGiven = true;
        return clone;
    }

    /**
     * Draws parameter and data values from a seeded {@link SplittableRandom} instead of one by one (see the
     * class comment).
     *
     * @param min the smallest seed
     * @param max the largest seed, at least {@code min}
     * @return this arbitrary with seeds in {@code [min, max]}, shrinking toward {@code min}
     * @throws IllegalArgumentException if {@code max < min}
     */
    public MlpArbitrary seeds(long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException(
                    "seeds(min, max): max <" + max + "> must be at least min <" + min + ">");
        }
        MlpArbitrary clone = typedClone();
        clone.seeded = true;
        clone.minSeed = min;
        clone.maxSeed = max;
        return clone;
    }

    /**
     * @return the arbitrary this one decorates
     * @throws IllegalArgumentException if a configured loss or output activation fits none of the other
     */
    @Override
    protected Arbitrary<NetworkSpec> arbitrary() {
        OutputFit fit = new OutputFit(losses, lossesGiven, outputActivations, outputActivationsGiven, maxOutputs);
        Arbitrary<Tuple2<Loss, LayerSpec>> head = Combinators.combine(Arbitraries.of(fit.losses()),
                        Arbitraries.integers().between(0, CHOICES - 1).withDistribution(RandomDistribution.uniform()),
                        Arbitraries.integers().between(minOutputs, maxOutputs))
                .as((loss, choice, units) -> {
                    int outputs = fit.activationsFor(loss, units).isEmpty() ? 2 : units;
                    List<Activation> fitting = fit.activationsFor(loss, outputs);
                    return Tuple.of(loss, new LayerSpec(outputs, fitting.get(choice % fitting.size())));
                });
        Arbitrary<List<LayerSpec>> hidden = Combinators
                .combine(Arbitraries.integers().between(minWidth, maxWidth), Arbitraries.of(activations))
                .as(LayerSpec::new)
                .list().ofMinSize(minDepth - 1).ofMaxSize(maxDepth - 1);
        Arbitrary<MlpShape> shapes = Combinators.combine(Arbitraries.integers().between(minInputs, maxInputs), hidden,
                        head, Arbitraries.integers().between(minSamples, maxSamples),
                        Networks.weightScales(minScale, maxScale))
                .as((inputs, layers, out, samples, scale) ->
                        new MlpShape(inputs, layers, out.get2(), out.get1(), samples, scale));
        if (seeded) {
            return Combinators.combine(shapes, Arbitraries.longs().between(minSeed, maxSeed).shrinkTowards(minSeed))
                    .as((shape, seed) -> shape.build(shape.name() + "-seed" + seed,
                            new SplittableRandom(seed).doubles(-1, 1).iterator()));
        }
        return shapes.flatMap(shape -> entries().list().ofSize(shape.entryCount())
                .map(us -> shape.build(shape.name(), us.stream().mapToDouble(Double::doubleValue).iterator())));
    }

    /** @return the entries u: uniform in [−1, 1] with 3 decimals, shrinking toward 0 */
    private static Arbitrary<Double> entries() {
        return Arbitraries.doubles().between(-1, 1).ofScale(3).withDistribution(RandomDistribution.uniform());
    }

    /** @return the configuration, e.g. for a property's report */
    @Override
    public String toString() {
        return "MlpArbitrary[inputs=" + range(minInputs, maxInputs) + ", depth=" + range(minDepth, maxDepth)
                + ", widths=" + range(minWidth, maxWidth) + ", outputs=" + range(minOutputs, maxOutputs)
                + ", samples=" + range(minSamples, maxSamples) + ", weightScale=" + range(minScale, maxScale)
                + ", activations=" + names(activations) + ", outputActivations=" + names(outputActivations)
                + ", losses=" + losses.stream().map(Loss::specName).toList()
                + (seeded ? ", seeds=" + range(minSeed, maxSeed) : "") + "]";
    }

    // ---- argument rules, shared with Networks and the annotations ---------------------------------

    static void checkCounts(String method, int min, int max, int least) {
        if (min < least) {
            throw new IllegalArgumentException(method + ": min <" + min + "> must be at least " + least);
        }
        if (max < min) {
            throw new IllegalArgumentException(method + ": max <" + max + "> must be at least min <" + min + ">");
        }
    }

    static void checkScales(String method, double min, double max) {
        if (!(min > 0) || !Double.isFinite(min)) {
            throw new IllegalArgumentException(method + ": min <" + min + "> must be positive and finite");
        }
        if (!Double.isFinite(max) || max < min) {
            throw new IllegalArgumentException(
                    method + ": max <" + max + "> must be finite and at least min <" + min + ">");
        }
    }

    private static <T> List<T> distinct(String method, T[] choices, String what, String aWhat) {
        if (choices == null || choices.length == 0) {
            throw new IllegalArgumentException(method + ": <[]> is empty; pass at least one " + what);
        }
        for (int i = 0; i < choices.length; i++) {
            if (choices[i] == null) {
                throw new IllegalArgumentException(method + ": entry " + i + " <null> is not " + aWhat);
            }
        }
        return Arrays.stream(choices).distinct().toList();
    }

    static String names(List<Activation> activations) {
        return activations.stream().map(Activation::specName).toList().toString();
    }

    private static String range(Object min, Object max) {
        return Objects.equals(min, max) ? "[" + min + "]" : "[" + min + ", " + max + "]";
    }
}
