package io.chainproof.testing;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.GradientFileReader;
import io.chainproof.spec.GradientTensors;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static io.chainproof.testing.GradientAssertions.assertGradientCorrect;
import static io.chainproof.testing.GradientAssertions.assertGradientsMatch;
import static io.chainproof.testing.GradientAssertions.assertGrowthBounded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assertions pass on right gradients and fail on wrong ones with the exact JUnit-shaped message and the
 * expected (true) and actual (claimed) values attached. The "true" values are cross-checked against
 * outside references: the analytic derivative for functions, PyTorch's autograd
 * ({@code examples/claimed/mlp-2-3-2-1.torch.json}) for networks.
 */
class GradientAssertionsTests {

    private static final Path MLP = Path.of("examples/mlp-2-3-2-1.json");
    private static final ToDoubleFunction<double[]> F = x -> x[0] * x[0] + 3 * x[1];
    private static final Function<double[], double[]> RIGHT = x -> new double[] {2 * x[0], 3.0};
    private static final Function<double[], double[]> WRONG = x -> new double[] {2 * x[0], 2.0};
    private static final double[] X = {1.5, -2.0};

    private static Map<String, Object> tensors(NetworkSpec spec, Path file) {
        GradientTensors t = GradientFileReader.read(file, spec);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int l = 1; l <= spec.layerCount(); l++) {
            m.put("W" + l, t.weights().get(l - 1));
            m.put("b" + l, t.biases().get(l - 1));
        }
        return m;
    }

    @Nested
    class GradientCorrect {

        @Test
        void passes_on_the_analytic_gradient_and_never_builds_the_message() {
            AtomicInteger built = new AtomicInteger();
            assertGradientCorrect(F, RIGHT, X);
            assertGradientCorrect(F, RIGHT, X, "f");
            assertGradientCorrect(F, RIGHT, X, () -> "f" + built.incrementAndGet());
            assertEquals(0, built.get());
        }

        @Test
        void fails_naming_the_coordinate_the_error_and_the_tolerance() {
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertGradientCorrect(F, WRONG, X, "my f"));
            assertEquals("my f ==> gradient wrong at x[1] (1 of 2 coordinates): |claimed − true| = 1 > allowed 3.57e−8 "
                    + "(finite differences), expected: <3.0000000000672253> but was: <2.0>", e.getMessage());
            assertEquals(3.0, (double) e.getExpected().getValue(), 1e-9, "the oracle's ∂f/∂x₁ is the analytic 3");
            assertEquals(2.0, e.getActual().getValue());
        }

        @Test
        void without_a_message_has_no_prefix_and_a_supplier_gives_one() {
            AssertionFailedError plain = assertThrows(AssertionFailedError.class, () -> assertGradientCorrect(F, WRONG, X, " "));
            assertEquals("gradient wrong at x[1] (1 of 2 coordinates): |claimed − true| = 1 > allowed 3.57e−8 "
                    + "(finite differences), expected: <3.0000000000672253> but was: <2.0>", plain.getMessage());
            AssertionFailedError supplied = assertThrows(AssertionFailedError.class,
                    () -> assertGradientCorrect(F, WRONG, X, () -> "lazy"));
            assertEquals("lazy ==> " + plain.getMessage(), supplied.getMessage());
        }

        /**
         * A hand-written function that reuses a buffer of its own is right on one thread. With 256 coordinates or more
         * the checker once called it from the common pool's threads at once, and the buffer's sum mixed calls: 2 of 5
         * checks of such a function failed spuriously in a trial.
         */
        @Test
        void a_function_with_many_coordinates_is_called_from_the_asserting_thread_only() {
            int n = 400;
            double[] sum = new double[1];
            Set<Thread> callers = ConcurrentHashMap.newKeySet();
            ToDoubleFunction<double[]> f = x -> {
                callers.add(Thread.currentThread());
                sum[0] = 0;
                for (int i = 0; i < n; i++) {
                    sum[0] += Math.sin(x[i]) * Math.sin(x[i]) * (i + 1) * (i + 1);
                }
                return sum[0];
            };
            Function<double[], double[]> gradient = x -> {
                callers.add(Thread.currentThread());
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = Math.sin(2 * x[i]) * (i + 1) * (i + 1);
                }
                return g;
            };
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = 0.1 + 0.01 * i;
            }

            for (int run = 0; run < 3; run++) {
                assertGradientCorrect(f, gradient, x);
            }
            assertEquals(Set.of(Thread.currentThread()), callers);
        }

        @Test
        void a_nan_gradient_fails_as_non_finite() {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertGradientCorrect(F, x -> new double[] {2 * x[0], Double.NaN}, X));
            assertEquals("gradient wrong at x[1] (1 of 2 coordinates): claimed value is NaN (finite differences gives "
                    + "3.0000000000672253), expected: <3.0000000000672253> but was: <NaN>", e.getMessage());
        }
    }

    @Nested
    class GradientsMatch {

        @Test
        void passes_on_pytorchs_gradient_as_tensors_and_on_the_compiled_one_flat() {
            NetworkSpec spec = SpecReader.read(MLP);
            assertGradientsMatch(spec, tensors(spec, Path.of("examples/claimed/mlp-2-3-2-1.torch.json")));
            double[] flat = NetworkCompiler.compile(ComputationGraph.of(spec)).evaluate().gradient();
            assertGradientsMatch(spec, flat, "compiled");
        }

        /** PyTorch's float32 gradients: right in float32, wrong as float64 claims; a 1e−3 error fails in float32. */
        @Test
        void judges_float32_gradients_by_float32s_rounding() {
            NetworkSpec spec = SpecReader.read(Path.of("src/test/resources/reference/mlp-2-3-2-1.spec.json"));
            Path float32 = Path.of("src/test/resources/reference/float32/mlp-2-3-2-1.float32.json");
            io.chainproof.check.LossFunction f = io.chainproof.check.LossFunctions.of(spec);
            java.util.function.Supplier<Map<String, Object>> claims = () -> f.tensors(GradientFileReader.readFlat(float32,
                    f.name(), f.tensors(new double[f.parameterNames().size()])));
            assertGradientsMatch(spec, claims.get(), io.chainproof.check.Precision.FLOAT32);
            AssertionFailedError as64 = assertThrows(AssertionFailedError.class, () -> assertGradientsMatch(spec, claims.get()));
            assertTrue(as64.getMessage().contains("these look like gradients computed in float32"), as64.getMessage());
            Map<String, Object> wrong = claims.get();
            ((double[][]) wrong.get("W2"))[0][0] *= 1 + 1e-3;
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertGradientsMatch(spec, wrong, io.chainproof.check.Precision.FLOAT32));
            assertTrue(e.getMessage().contains("W2[0][0]"), e.getMessage());
        }

        @Test
        void fails_naming_the_parameter_layer_error_tolerance_and_the_likely_bug() {
            NetworkSpec spec = SpecReader.read(MLP);
            Map<String, Object> buggy = tensors(spec, Path.of("examples/claimed/mlp-2-3-2-1.missing-sigmoid-derivative.json"));
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertGradientsMatch(spec, buggy, () -> "my mlp"));
            // the allowance is the entry's rounding bound: a few units of float64's rounding of a 0.035 gradient
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("my mlp ==> mlp-2-3-2-1: gradient wrong at 17 of "
                    + "20 parameters; W2\\[0]\\[0] \\(layer 2\\): \\|claimed − true\\| = 0\\.106 > allowed ([0-9.]+)e−(\\d+) \\(the "
                    + "complex step\\); W2\\[0]\\[0]: missing σ'\\(z₂\\) factor\\?, expected: <0\\.035413113157073246> but was: "
                    + "<0\\.1409427451484916>").matcher(e.getMessage());
            assertTrue(m.matches(), e.getMessage());
            double allowed = Double.parseDouble(m.group(1) + "e-" + m.group(2));
            assertTrue(allowed > 1e-16 && allowed < 1e-12, "allowed " + allowed);
            assertEquals(0.03541311315707325, (double) e.getExpected().getValue(), 1e-15, "PyTorch's ∂L/∂W2[0][0]");
        }

        @Test
        void a_missing_or_extra_tensor_fails_naming_both() {
            NetworkSpec spec = SpecReader.read(MLP);
            Map<String, Object> claimed = tensors(spec, Path.of("examples/claimed/mlp-2-3-2-1.torch.json"));
            claimed.remove("b3");
            claimed.put("W4", new double[1][1]);
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertGradientsMatch(spec, claimed));
            assertEquals("mlp-2-3-2-1: the claimed gradient's tensors do not match the network's; missing [b3]; "
                    + "not in the network [W4], expected: <[W1, b1, W2, b2, W3, b3]> but was: <[W1, b1, W2, b2, W3, W4]>",
                    e.getMessage());
        }

        @Test
        void a_wrongly_shaped_tensor_fails_with_both_shapes() {
            NetworkSpec spec = SpecReader.read(MLP);
            Map<String, Object> claimed = tensors(spec, Path.of("examples/claimed/mlp-2-3-2-1.torch.json"));
            claimed.put("W2", new double[3][2]);
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertGradientsMatch(spec, claimed, "transposed"));
            assertEquals("transposed ==> mlp-2-3-2-1: W2 has the wrong shape (W_l is [units_l][units_{l−1}], as PyTorch's "
                    + "Linear.weight), expected: <[2][3]> but was: <[3][2]>", e.getMessage());
            claimed.put("W2", new double[2][3]);
            claimed.put("b1", new float[3]);
            AssertionFailedError type = assertThrows(AssertionFailedError.class, () -> assertGradientsMatch(spec, claimed));
            assertEquals("mlp-2-3-2-1: b1 must be a double[3], expected: <double[3]> but was: <float[]>", type.getMessage());
        }

        @Test
        void a_flat_gradient_of_the_wrong_length_is_a_usage_error() {
            NetworkSpec spec = SpecReader.read(MLP);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assertGradientsMatch(spec, new double[3]));
            assertEquals("Claimed gradient of length <3> does not match the <20> parameters of network <mlp-2-3-2-1>; give one "
                    + "entry per parameter in the flat layout W1 (row-major), b1, W2, …", e.getMessage());
        }
    }

    @Nested
    class GrowthBounded {

        @Test
        void passes_when_every_layer_is_within_the_limit() {
            // lecture chain: ‖∂L/∂W₁‖/‖∂L/∂W₃‖ = w₃·σ'(z₂)·w₂·σ'(z₁)·x₁/o₂ = 1·(1/4)·500·(1/4)·1/(1/2) = 62.5
            assertGrowthBounded(SpecReader.read(Path.of("examples/lecture-chain.json")), 100);
        }

        @Test
        void fails_on_the_lecture_chains_growth_of_62_5() {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertGrowthBounded(SpecReader.read(Path.of("examples/lecture-chain.json")), 10, "lecture"));
            assertEquals("lecture ==> lecture-chain: layer 1 gradient grows 62.5× relative to the output layer's "
                    + "(‖∂L/∂W₁‖_F = 5.55, ‖∂L/∂W₃‖_F = 0.0887), more than the allowed 10×; γ bound 5.9, regime exploding, "
                    + "expected: <10.0> but was: <62.49999999999999>", e.getMessage());
        }

        @Test
        void fails_on_the_saturated_chains_vanishing_gradient() {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertGrowthBounded(SpecReader.read(Path.of("examples/lecture-chain-saturated.json")), 1e3));
            assertEquals("lecture-chain-saturated: layer 1 gradient shrinks 1.25e133× relative to the output layer's "
                    + "(‖∂L/∂W₁‖_F = 8.49e−135, ‖∂L/∂W₃‖_F = 0.106), more than the allowed 1000×; γ bound 4.2, regime "
                    + "vanishing, expected: <0.001> but was: <8.030051893063904E-134>", e.getMessage());
        }

        @Test
        void a_limit_below_one_is_a_usage_error() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> assertGrowthBounded(SpecReader.read(Path.of("examples/lecture-chain.json")), 0.5));
            assertEquals("Growth limit <0.5> must be a finite number ≥ 1, e.g. 1e3", e.getMessage());
        }
    }
    /** The second-order assertion on PyTorch's double backward of the MLP example, and on a planted wrong one. */
    @Nested
    class HessianVector {

        /** The file's section as PyTorch-layout arrays: {@code double[]} or {@code double[][]} per tensor. */
        private Map<String, Object> section(String file, String name) throws Exception {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Path.of(file).toFile()).get(name);
            Map<String, Object> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                com.fasterxml.jackson.databind.JsonNode t = e.getValue();
                if (t.get(0).isArray()) {
                    double[][] m = new double[t.size()][];
                    for (int r = 0; r < t.size(); r++) {
                        m[r] = new double[t.get(r).size()];
                        for (int c = 0; c < m[r].length; c++) {
                            m[r][c] = t.get(r).get(c).asDouble();
                        }
                    }
                    out.put(e.getKey(), m);
                } else {
                    double[] v = new double[t.size()];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = t.get(k).asDouble();
                    }
                    out.put(e.getKey(), v);
                }
            });
            return out;
        }

        @Test
        void passes_pytorchs_double_backward_and_names_the_first_wrong_entry_of_a_planted_one() throws Exception {
            io.chainproof.spec.Spec spec = SpecReader.readAny(Path.of("examples/mlp-2-3-2-1.json"));
            String right = "examples/claimed/mlp-2-3-2-1.hvp.torch.json";
            GradientAssertions.assertHessianVectorMatches(spec, section(right, "vector"), section(right, "hvp"));
            String wrong = "src/test/resources/reference/hvp/mlp-2-3-2-1.tanh-second-derivative-missing.hvp.json";
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GradientAssertions
                    .assertHessianVectorMatches(spec, section(wrong, "vector"), section(wrong, "hvp")));
            assertTrue(e.getMessage().startsWith("mlp-2-3-2-1: Hessian-vector product wrong at"), e.getMessage());
            Map<String, Object> missing = section(right, "hvp");
            missing.remove("b3");
            assertThrows(IllegalArgumentException.class,
                    () -> GradientAssertions.assertHessianVectorMatches(spec, section(right, "vector"), missing));
        }
    }
}
