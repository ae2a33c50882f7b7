package io.chainproof.testing;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.Group;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Examples of {@link Networks} and {@link MlpArbitrary}: defaults, exact messages for bad configuration,
 * valid and compilable specs, names, and reproducibility from jqwik's random source and from seeds.
 */
class NetworksTests {

    /** Generation size for direct use of generators, as jqwik uses for 1000 tries. */
    static final int GEN_SIZE = 1000;

    static NetworkSpec generate(Arbitrary<NetworkSpec> arbitrary, long seed) {
        return arbitrary.generator(GEN_SIZE).next(new Random(seed)).value();
    }

    static void assertMessage(String expected, Executable executable) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, executable).getMessage());
    }

    @Group
    class Defaults {

        @Example
        void are_described_by_toString() {
            assertEquals("MlpArbitrary[inputs=[1, 3], depth=[1, 3], widths=[1, 4], outputs=[1, 3], samples=[1, 3], "
                    + "weightScale=[0.1, 10.0], activations=[identity, sigmoid, tanh, relu, leaky_relu, softplus, "
                    + "silu, gelu, elu, softsign], outputActivations=[identity, sigmoid, tanh, relu, leaky_relu, "
                    + "softplus, silu, gelu, elu, softsign, softmax], losses=[mse, sse, half_sse, bce, cross_entropy]]", Networks.mlps().toString());
        }

        @Example
        void configuration_returns_a_new_arbitrary_and_leaves_the_old_one_unchanged() {
            MlpArbitrary defaults = Networks.mlps();
            MlpArbitrary deep = defaults.depth(5, 6).seeds(1, 9);
            assertTrue(defaults.toString().startsWith("MlpArbitrary[inputs=[1, 3], depth=[1, 3],"));
            assertTrue(deep.toString().contains("depth=[5, 6]"));
            assertTrue(deep.toString().endsWith(", seeds=[1, 9]]"));
        }
    }

    @Group
    class Validation {

        @Example
        void counts_must_be_at_least_one() {
            assertMessage("inputs(min, max): min <0> must be at least 1", () -> Networks.mlps().inputs(0, 2));
            assertMessage("depth(min, max): min <0> must be at least 1", () -> Networks.mlps().depth(0, 2));
            assertMessage("widths(min, max): min <-1> must be at least 1", () -> Networks.mlps().widths(-1, 2));
            assertMessage("outputs(min, max): min <0> must be at least 1", () -> Networks.mlps().outputs(0, 0));
            assertMessage("samples(min, max): min <0> must be at least 1", () -> Networks.mlps().samples(0, 1));
        }

        @Example
        void max_must_not_be_below_min() {
            assertMessage("depth(min, max): max <2> must be at least min <3>", () -> Networks.mlps().depth(3, 2));
            assertMessage("seeds(min, max): max <-1> must be at least min <0>", () -> Networks.mlps().seeds(0, -1));
            assertMessage("weightScale(min, max): max <0.5> must be finite and at least min <1.0>",
                    () -> Networks.mlps().weightScale(1, 0.5));
        }

        @Example
        void weight_scales_must_be_positive_and_finite() {
            assertMessage("weightScale(min, max): min <0.0> must be positive and finite",
                    () -> Networks.mlps().weightScale(0, 1));
            assertMessage("weightScale(min, max): min <NaN> must be positive and finite",
                    () -> Networks.mlps().weightScale(Double.NaN, 1));
            assertMessage("weightScale(min, max): max <Infinity> must be finite and at least min <1.0>",
                    () -> Networks.mlps().weightScale(1, Double.POSITIVE_INFINITY));
            assertMessage("weightScales(min, max): min <-1.0> must be positive and finite",
                    () -> Networks.weightScales(-1, 1));
        }

        @Example
        void choices_must_be_present() {
            assertMessage("activations(...): <[]> is empty; pass at least one activation",
                    () -> Networks.mlps().activations());
            assertMessage("outputActivations(...): entry 1 <null> is not an activation",
                    () -> Networks.mlps().outputActivations(Activation.TANH, null));
            assertMessage("losses(...): <[]> is empty; pass at least one loss", () -> Networks.mlps().losses());
        }

        @Example
        void softmax_is_not_a_hidden_activation() {
            assertMessage("activations(...): <softmax> is only allowed on the output layer; "
                    + "pass it to outputActivations(...)", () -> Networks.mlps().activations(Activation.TANH,
                    Activation.SOFTMAX));
        }

        @Example
        void a_loss_must_fit_an_output_activation_when_values_are_generated() {
            MlpArbitrary unfit = Networks.mlps().outputActivations(Activation.TANH, Activation.RELU).losses(Loss.BCE);
            assertMessage("losses(...): <bce> fits none of the output activations [tanh, relu]; bce and "
                    + "cross_entropy need a sigmoid or softmax output", () -> unfit.generator(GEN_SIZE));
        }

        @Example
        void an_output_activation_must_fit_a_loss_when_values_are_generated() {
            MlpArbitrary unfit = Networks.mlps().losses(Loss.CROSS_ENTROPY)
                    .outputActivations(Activation.SOFTMAX, Activation.IDENTITY);
            assertMessage("outputActivations(...): <identity> fits none of the losses [cross_entropy]; bce and "
                    + "cross_entropy need a sigmoid or softmax output", () -> unfit.generator(GEN_SIZE));
        }

        @Example
        void softmax_needs_room_for_two_outputs() {
            MlpArbitrary unfit = Networks.mlps().outputs(1, 1).outputActivations(Activation.SOFTMAX);
            assertMessage("outputActivations(...): <softmax> needs 2 or more outputs, but outputs(min, max) allows at "
                    + "most 1; allow 2 or more outputs or drop softmax", () -> unfit.generator(GEN_SIZE));
        }

        @Example
        void softmax_alone_raises_the_outputs_to_two() {
            MlpArbitrary softmaxOnly = Networks.mlps().outputs(1, 2).outputActivations(Activation.SOFTMAX);
            for (long seed = 0; seed < 10; seed++) {
                assertEquals(2, generate(softmaxOnly, seed).outputs());
            }
        }

        @Example
        void defaults_that_fit_nothing_are_left_out() {
            NetworkSpec spec = generate(Networks.mlps().outputs(1, 1).losses(Loss.CROSS_ENTROPY), 3);
            assertEquals(Activation.SIGMOID, spec.layers().get(spec.layerCount() - 1).activation());
        }
    }

    @Group
    class GeneratedSpecs {

        @Example
        void are_valid_and_compile_to_a_finite_loss_at_moderate_scales() {
            MlpArbitrary moderate = Networks.mlps().weightScale(0.1, 2);
            for (long seed = 0; seed < 40; seed++) {
                NetworkSpec spec = generate(moderate, seed);
                double loss = NetworkCompiler.compile(ComputationGraph.of(spec)).evaluate().loss();
                assertTrue(Double.isFinite(loss), spec + " ==> loss <" + loss + "> is not finite");
            }
        }

        @Example
        void are_named_after_their_architecture_with_source_jqwik() {
            NetworkSpec spec = generate(Networks.mlps().inputs(2, 2).depth(3, 3).widths(3, 3).outputs(1, 1), 1);
            assertEquals("mlp-2-3-3-1", spec.name());
            assertEquals("<jqwik>", spec.source());
        }

        @Example
        void are_reproducible_from_jqwiks_random_source() {
            MlpArbitrary mlps = Networks.mlps().depth(1, 4);
            assertEquals(generate(mlps, 42), generate(mlps, 42));
            assertNotEquals(generate(mlps, 42), generate(mlps, 43));
        }

        @Example
        void with_seeds_take_their_values_from_a_splittable_random_and_name_the_seed() {
            NetworkSpec spec = generate(Networks.mlps().inputs(1, 1).depth(1, 1).outputs(1, 1).samples(1, 1)
                    .outputActivations(Activation.IDENTITY).losses(Loss.MSE).weightScale(2, 2).seeds(7, 7), 5);
            SplittableRandom random = new SplittableRandom(7);
            double w = 2 * random.nextDouble(-1, 1);
            double b = 2 * random.nextDouble(-1, 1);
            double x = random.nextDouble(-1, 1);
            double y = random.nextDouble(-1, 1);
            NetworkSpec expected = new NetworkSpec("mlp-1-1-seed7", "<jqwik>", 1,
                    List.of(new LayerSpec(1, Activation.IDENTITY)), Loss.MSE,
                    new Parameters(List.<double[][]>of(new double[][] {{w}}), List.<double[]>of(new double[] {b})),
                    new Data(new double[][] {{x}}, new double[][] {{y}}));
            assertEquals(expected, spec);
        }

        @Example
        void cross_entropy_targets_are_one_hot_and_bce_targets_probabilities() {
            for (long seed = 0; seed < 20; seed++) {
                NetworkSpec ce = generate(Networks.mlps().losses(Loss.CROSS_ENTROPY), seed);
                for (double[] row : ce.data().y()) {
                    assertEquals(1.0, Arrays.stream(row).sum());
                    assertTrue(Arrays.stream(row).allMatch(v -> v == 0 || v == 1));
                }
                NetworkSpec bce = generate(Networks.mlps().losses(Loss.BCE), seed);
                for (double[] row : bce.data().y()) {
                    assertTrue(Arrays.stream(row).allMatch(v -> v >= 0 && v <= 1));
                }
            }
        }
    }
}
