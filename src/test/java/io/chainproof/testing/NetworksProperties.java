package io.chainproof.testing;

import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link MlpArbitrary}: generated specs respect every configured range and set, weights
 * respect the scale bound, scales are log-uniform, {@code @ForAll} with the domain annotations works, and
 * a failing network shrinks to the smallest one. Shrinking is checked with jqwik's public
 * {@link Shrinkable#shrink()}: {@link #shrink} repeatedly takes the first candidate that still falsifies,
 * as jqwik's own shrinker does, until no candidate does.
 */
class NetworksProperties {

    static final int SAMPLES_PER_TRY = 5;

    static List<NetworkSpec> generate(Arbitrary<NetworkSpec> arbitrary, Random random) {
        return Stream.generate(() -> arbitrary.generator(NetworksTests.GEN_SIZE).next(random).value())
                .limit(SAMPLES_PER_TRY).toList();
    }

    /** @return the smallest value reached by taking the first falsifying shrink candidate while there is one */
    static <T> T shrink(Shrinkable<T> start, Predicate<T> falsifies) {
        Shrinkable<T> current = start;
        while (true) {
            Optional<Shrinkable<T>> next = current.shrink().filter(c -> falsifies.test(c.value())).findFirst();
            if (next.isEmpty()) {
                return current.value();
            }
            current = next.get();
        }
    }

    /** @return a generated shrinkable that falsifies, from the first of 1000 draws */
    static <T> Shrinkable<T> firstFalsifying(Arbitrary<T> arbitrary, Predicate<T> falsifies, Random random) {
        return arbitrary.generator(NetworksTests.GEN_SIZE).stream(random).limit(1000)
                .filter(s -> falsifies.test(s.value())).findFirst().orElseThrow();
    }

    static DoubleStream parameters(NetworkSpec spec) {
        Parameters p = spec.parameters();
        return DoubleStream.concat(p.weights().stream().flatMap(Arrays::stream).flatMapToDouble(Arrays::stream),
                p.biases().stream().flatMapToDouble(Arrays::stream));
    }

    /** @return a network whose parameters, inputs and targets are all 0, named after its architecture */
    static NetworkSpec zeroSpec(int inputs, List<LayerSpec> layers, Loss loss, int samples) {
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int previous = inputs;
        for (LayerSpec layer : layers) {
            weights.add(new double[layer.units()][previous]);
            biases.add(new double[layer.units()]);
            previous = layer.units();
        }
        StringBuilder name = new StringBuilder("mlp-" + inputs);
        layers.forEach(l -> name.append('-').append(l.units()));
        return new NetworkSpec(name.toString(), "<jqwik>", inputs, layers, loss, new Parameters(weights, biases),
                new Data(new double[samples][inputs], new double[samples][previous]));
    }

    @Provide
    Arbitrary<Set<Activation>> elementwise() {
        return Arbitraries.of(Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).toList())
                .set().ofMinSize(1);
    }

    @Group
    class Configuration {

        @Property(tries = 60)
        void specs_respect_the_configured_ranges(
                @ForAll @IntRange(min = 1, max = 4) int minInputs, @ForAll @IntRange(max = 2) int inputSpan,
                @ForAll @IntRange(min = 1, max = 4) int minDepth, @ForAll @IntRange(max = 2) int depthSpan,
                @ForAll @IntRange(min = 1, max = 4) int minWidth, @ForAll @IntRange(max = 2) int widthSpan,
                @ForAll @IntRange(min = 1, max = 4) int minOutputs, @ForAll @IntRange(max = 2) int outputSpan,
                @ForAll @IntRange(min = 1, max = 3) int minSamples, @ForAll @IntRange(max = 2) int sampleSpan,
                @ForAll Random random) {
            MlpArbitrary mlps = Networks.mlps().inputs(minInputs, minInputs + inputSpan)
                    .depth(minDepth, minDepth + depthSpan).widths(minWidth, minWidth + widthSpan)
                    .outputs(minOutputs, minOutputs + outputSpan).samples(minSamples, minSamples + sampleSpan);
            for (NetworkSpec spec : generate(mlps, random)) {
                assertBetween(minInputs, minInputs + inputSpan, spec.inputs(), "inputs");
                assertBetween(minDepth, minDepth + depthSpan, spec.layerCount(), "depth");
                for (int l = 1; l < spec.layerCount(); l++) {
                    assertBetween(minWidth, minWidth + widthSpan, spec.units(l), "width of layer " + l);
                }
                assertBetween(minOutputs, minOutputs + outputSpan, spec.outputs(), "outputs");
                assertBetween(minSamples, minSamples + sampleSpan, spec.data().samples(), "samples");
            }
        }

        @Property(tries = 60)
        void activations_and_losses_come_only_from_the_configured_sets(
                @ForAll("elementwise") Set<Activation> hidden,
                @ForAll @Size(min = 1) Set<Activation> outputs,
                @ForAll @Size(min = 1) Set<Loss> losses,
                @ForAll Random random) {
            Set<Activation> fittingOutputs = EnumSet.of(Activation.SIGMOID);
            outputs.stream().filter(a -> losses.stream().anyMatch(l -> OutputFit.fits(l, a)))
                    .forEach(fittingOutputs::add);
            MlpArbitrary mlps = Networks.mlps().depth(1, 4).outputs(1, 3)
                    .activations(hidden.toArray(Activation[]::new))
                    .outputActivations(fittingOutputs.toArray(Activation[]::new))
                    .losses(losses.toArray(Loss[]::new));
            for (NetworkSpec spec : generate(mlps, random)) {
                List<LayerSpec> layers = spec.layers();
                for (LayerSpec layer : layers.subList(0, layers.size() - 1)) {
                    assertTrue(hidden.contains(layer.activation()), layer + " not from " + hidden);
                }
                Activation output = layers.get(layers.size() - 1).activation();
                assertTrue(fittingOutputs.contains(output), output + " not from " + fittingOutputs);
                assertTrue(losses.contains(spec.loss()), spec.loss() + " not from " + losses);
                assertTrue(OutputFit.fits(spec.loss(), output), spec.loss() + " does not fit " + output);
            }
        }

        @Property(tries = 60)
        void every_parameter_is_within_the_largest_scale_and_every_input_within_one(
                @ForAll @DoubleRange(min = -3, max = 3) double log10Min,
                @ForAll @DoubleRange(min = 0, max = 3) double log10Span,
                @ForAll Random random) {
            double max = Math.pow(10, log10Min + log10Span);
            MlpArbitrary mlps = Networks.mlps().weightScale(Math.pow(10, log10Min), max);
            for (NetworkSpec spec : generate(mlps, random)) {
                assertTrue(parameters(spec).allMatch(w -> Math.abs(w) <= max), spec + " has a |w| > " + max);
                assertTrue(Arrays.stream(spec.data().x()).flatMapToDouble(Arrays::stream)
                        .allMatch(x -> Math.abs(x) <= 1), spec + " has an |x| > 1");
            }
        }

        @Property(tries = 200)
        void weight_scales_stay_within_their_range(@ForAll @DoubleRange(min = -6, max = 6) double log10Min,
                                                    @ForAll @DoubleRange(min = 0, max = 6) double log10Span,
                                                    @ForAll Random random) {
            double min = Math.pow(10, log10Min);
            double max = Math.pow(10, log10Min + log10Span);
            double scale = Networks.weightScales(min, max).generator(NetworksTests.GEN_SIZE).next(random).value();
            assertTrue(min <= scale && scale <= max, scale + " outside [" + min + ", " + max + "]");
        }

        void assertBetween(int min, int max, int actual, String what) {
            assertTrue(min <= actual && actual <= max,
                    what + " ==> expected: in [" + min + ", " + max + "] but was: <" + actual + ">");
        }
    }

    @Group
    class LogUniformity {

        /** Draws per statistical check; the binomial standard deviation of a fraction 1/2 is then about 0.011. */
        static final int DRAWS = 2000;

        @Example
        void half_of_the_scales_lie_below_the_geometric_mean() {
            long below = Networks.weightScales(1e-3, 1e3).sampleStream().limit(DRAWS).filter(s -> s < 1).count();
            double fraction = (double) below / DRAWS;
            assertTrue(Math.abs(fraction - 0.5) < 0.06, "fraction below 1 ==> expected: ≈ 0.5 but was: " + fraction);
        }

        @Example
        void each_decade_is_about_equally_likely() {
            int[] decades = new int[6];
            Networks.weightScales(1e-3, 1e3).sampleStream().limit(DRAWS)
                    .forEach(s -> decades[Math.min(5, (int) Math.floor(Math.log10(s) + 3))]++);
            for (int count : decades) {
                double fraction = (double) count / DRAWS;
                assertTrue(Math.abs(fraction - 1.0 / 6) < 0.05,
                        "decades " + Arrays.toString(decades) + " ==> expected: ≈ 1/6 each");
            }
        }

        /**
         * With scales log-uniform in [1e-3, 1e3] at most half the networks (those with s &gt; 1) can have a
         * parameter above 1, and most of those do; scales uniform in that range would give nearly all.
         */
        @Example
        void about_half_of_the_networks_have_a_parameter_above_one() {
            long large = Networks.mlps().weightScale(1e-3, 1e3).sampleStream().limit(500)
                    .filter(spec -> parameters(spec).anyMatch(w -> Math.abs(w) > 1)).count();
            double fraction = large / 500.0;
            assertTrue(0.3 < fraction && fraction < 0.6, "fraction with |w| > 1 ==> was: " + fraction);
        }
    }

    @Group
    class ForAllParameters {

        @Property(tries = 30)
        void take_their_configuration_from_the_annotations(
                @ForAll @Depth(min = 2, max = 3) @Width(min = 3, max = 3) @WeightScale(min = 0.5, max = 0.5)
                @Activations(value = Activation.TANH, output = Activation.SIGMOID) @Losses(Loss.BCE)
                NetworkSpec spec) {
            assertTrue(spec.layerCount() == 2 || spec.layerCount() == 3, "depth " + spec.layerCount());
            for (int l = 1; l < spec.layerCount(); l++) {
                assertEquals(3, spec.units(l));
                assertEquals(Activation.TANH, spec.layers().get(l - 1).activation());
            }
            assertEquals(Activation.SIGMOID, spec.layers().get(spec.layerCount() - 1).activation());
            assertEquals(Loss.BCE, spec.loss());
            assertTrue(parameters(spec).allMatch(w -> Math.abs(w) <= 0.5));
        }

        @Property(tries = 30)
        void use_the_defaults_without_annotations(@ForAll NetworkSpec spec) {
            assertTrue(spec.layerCount() <= 3 && spec.inputs() <= 3 && spec.outputs() <= 3, spec.name());
            assertTrue(parameters(spec).allMatch(w -> Math.abs(w) <= 10));
        }
    }

    @Group
    class Shrinking {

        @Property(tries = 30)
        void a_network_that_is_deep_and_wide_shrinks_to_two_layers_with_one_unit_of_width_two(
                @ForAll Random random) {
            Predicate<NetworkSpec> deepAndWide = spec -> spec.layerCount() >= 2
                    && spec.layers().stream().anyMatch(l -> l.units() >= 2);
            NetworkSpec shrunk = shrink(firstFalsifying(Networks.mlps(), deepAndWide, random), deepAndWide);
            assertEquals(2, shrunk.layerCount());
            assertEquals(3, shrunk.units(1) + shrunk.units(2), shrunk.name());
            LayerSpec hidden = new LayerSpec(shrunk.units(1), Activation.IDENTITY);
            LayerSpec output = new LayerSpec(shrunk.units(2), Activation.IDENTITY);
            assertEquals(zeroSpec(1, List.of(hidden, output), Loss.MSE, 1), shrunk);
        }

        @Property(tries = 30)
        void a_hidden_layer_of_width_two_or_more_shrinks_to_the_smallest_such_network(@ForAll Random random) {
            Predicate<NetworkSpec> wideHidden = spec -> spec.layerCount() >= 2 && spec.units(1) >= 2;
            MlpArbitrary mlps = Networks.mlps().depth(1, 5).widths(1, 6).inputs(2, 4).outputs(2, 3).samples(2, 4)
                    .activations(Activation.RELU, Activation.TANH).losses(Loss.SSE, Loss.MSE);
            NetworkSpec shrunk = shrink(firstFalsifying(mlps, wideHidden, random), wideHidden);
            NetworkSpec expected = zeroSpec(2, List.of(new LayerSpec(2, Activation.RELU),
                    new LayerSpec(2, Activation.IDENTITY)), Loss.SSE, 2);
            assertEquals(expected, shrunk);
        }

        @Property(tries = 30)
        void a_large_weight_shrinks_to_one_weight_at_the_bound_in_the_smallest_network(@ForAll Random random) {
            Predicate<NetworkSpec> hasLargeWeight = spec -> parameters(spec).anyMatch(w -> Math.abs(w) >= 0.5);
            NetworkSpec shrunk = shrink(firstFalsifying(Networks.mlps().weightScale(1, 100), hasLargeWeight, random),
                    hasLargeWeight);
            assertEquals("mlp-1-1", shrunk.name());
            assertEquals(1, shrunk.data().samples());
            double[] values = parameters(shrunk).toArray();
            assertEquals(1, Arrays.stream(values).filter(w -> w != 0).count(), Arrays.toString(values));
            assertEquals(0.5, Arrays.stream(values).map(Math::abs).max().orElseThrow(), 1e-9);
        }

        @Property(tries = 10)
        void seeds_shrink_toward_the_smallest_seed(@ForAll Random random) {
            Predicate<NetworkSpec> deep = spec -> spec.layerCount() >= 2;
            MlpArbitrary mlps = Networks.mlps().seeds(100, 200);
            NetworkSpec shrunk = shrink(firstFalsifying(mlps, deep, random), deep);
            assertEquals("mlp-1-1-1-seed100", shrunk.name());
        }
    }
}
