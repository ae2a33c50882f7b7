package io.chainproof.testing;

import io.chainproof.bounds.BoundReport;
import io.chainproof.bounds.GrowthBounds;
import io.chainproof.bounds.LayerBound;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.Thresholds;
import io.chainproof.check.FunctionCheckReport;
import io.chainproof.check.GradientChecker;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.Thresholds;
import io.chainproof.graph.ParameterId;
import io.chainproof.check.VerificationReport;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.NetworkSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gradient assertions for JUnit 5 tests, in the style of JUnit's {@code Assertions}: each passes silently
 * or throws {@link org.opentest4j.AssertionFailedError} whose message reads
 * {@code <message> ==> <reason>, expected: <x> but was: <y>} and which carries the expected (true) and actual
 * (claimed) values as data, so IDEs show a diff. The reason names the parameter, its layer, the error, the
 * tolerance and the deciding oracle, and for networks the likely bug (e.g.
 * {@code W2[0][1]: missing σ'(z₂) factor?}).
 *
 * <pre>
 *   assertGradientCorrect(f, grad, x);                       // any function ℝⁿ → ℝ and its gradient
 *   assertGradientsMatch(spec, Map.of("W1", gW1, "b1", gb1, …)); // a network's gradient, PyTorch layout
 *   assertGrowthBounded(spec, 1e3);                          // no layer's gradient grows or shrinks over 1000×
 * </pre>
 *
 * The checks are chainproof's: arbitrary functions against Richardson-extrapolated central differences with
 * an error estimate ({@link GradientChecker}); networks against the complex step, exact to rounding
 * ({@link GradientVerifier}), each entry allowed what a correct float64 backward pass may lose to rounding
 * ({@link io.chainproof.check.AgreementRule}; float32 with the {@link io.chainproof.check.Precision} overload);
 * functions with the tolerances of {@link io.chainproof.check.Tolerance#DEFAULT}. Every variant
 * takes an optional message, as a {@code String} or a {@code Supplier<String>} evaluated only on failure.
 *
 * <p>Thread-safe: the assertions keep no state and may run in many threads at once (JUnit's parallel
 * execution), each giving the result it gives alone. A plain function and gradient passed in are called from
 * the asserting thread only, one call at a time, so they may reuse buffers of their own.
 */
public final class GradientAssertions {

    private GradientAssertions() {
    }

    /**
     * Asserts that {@code gradient} is ∇f at {@code x}.
     *
     * @param f        the function ℝⁿ → ℝ; called with fresh copies of points near {@code x}
     * @param gradient the gradient under test; must return an array as long as {@code x}
     * @param x        the point; finite, at least one coordinate; not modified
     * @throws IllegalArgumentException if {@code x} is empty or not finite, or the gradient has the wrong length
     */
    public static void assertGradientCorrect(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient, double[] x) {
        gradientCorrect(f, gradient, x, () -> null);
    }

    /**
     * As {@link #assertGradientCorrect(ToDoubleFunction, Function, double[])}, with a message.
     *
     * @param f        the function ℝⁿ → ℝ; called with fresh copies of points near {@code x}
     * @param gradient the gradient under test; must return an array as long as {@code x}
     * @param x        the point; finite, at least one coordinate; not modified
     * @param message  put before the reason on failure; null or blank for none
     */
    public static void assertGradientCorrect(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient, double[] x,
                                             String message) {
        gradientCorrect(f, gradient, x, () -> message);
    }

    /**
     * As {@link #assertGradientCorrect(ToDoubleFunction, Function, double[])}, with a lazily built message.
     *
     * @param f        the function ℝⁿ → ℝ; called with fresh copies of points near {@code x}
     * @param gradient the gradient under test; must return an array as long as {@code x}
     * @param x        the point; finite, at least one coordinate; not modified
     * @param messageSupplier called only on failure; its message is put before the reason
     */
    public static void assertGradientCorrect(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient, double[] x,
                                             Supplier<String> messageSupplier) {
        gradientCorrect(f, gradient, x, Objects.requireNonNull(messageSupplier, "messageSupplier"));
    }

    /**
     * Asserts that {@code claimed}, in chainproof's flat layout ({@code W1} row-major, {@code b1}, {@code W2}, …),
     * is the gradient of {@code spec}'s loss at its parameters and data.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed the gradient under test, one entry per parameter
     * @throws IllegalArgumentException if {@code claimed} does not have one entry per parameter
     */
    public static void assertGradientsMatch(NetworkSpec spec, double[] claimed) {
        gradientsMatch(spec, claimed, () -> null);
    }

    /**
     * As {@link #assertGradientsMatch(NetworkSpec, double[])}, with a message.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed the gradient under test, one entry per parameter
     * @param message put before the reason on failure; null or blank for none
     */
    public static void assertGradientsMatch(NetworkSpec spec, double[] claimed, String message) {
        gradientsMatch(spec, claimed, () -> message);
    }

    /**
     * As {@link #assertGradientsMatch(NetworkSpec, double[])}, with a lazily built message.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed         the gradient under test, one entry per parameter
     * @param messageSupplier called only on failure; its message is put before the reason
     */
    public static void assertGradientsMatch(NetworkSpec spec, double[] claimed, Supplier<String> messageSupplier) {
        gradientsMatch(spec, claimed, Objects.requireNonNull(messageSupplier, "messageSupplier"));
    }

    /**
     * Asserts that {@code claimed} — tensors by name, PyTorch's layout: {@code "W1"} a {@code double[units_1][inputs]},
     * {@code "b1"} a {@code double[units_1]}, … — is the gradient of {@code spec}'s loss at its parameters and data.
     * A missing, extra or wrongly shaped tensor fails the assertion, naming it.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed the gradient under test: {@code double[][]} for each {@code W<l>}, {@code double[]} for each {@code b<l>}
     */
    public static void assertGradientsMatch(NetworkSpec spec, Map<String, ?> claimed) {
        gradientsMatch(spec, claimed, () -> null);
    }

    /**
     * As {@link #assertGradientsMatch(NetworkSpec, Map)}, with a message.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed the gradient under test, tensors by name
     * @param message put before the reason on failure; null or blank for none
     */
    public static void assertGradientsMatch(NetworkSpec spec, Map<String, ?> claimed, String message) {
        gradientsMatch(spec, claimed, () -> message);
    }

    /**
     * As {@link #assertGradientsMatch(NetworkSpec, Map)}, with a lazily built message.
     *
     * @param spec    the network, with its parameters and data
     * @param claimed         the gradient under test, tensors by name
     * @param messageSupplier called only on failure; its message is put before the reason
     */
    public static void assertGradientsMatch(NetworkSpec spec, Map<String, ?> claimed, Supplier<String> messageSupplier) {
        gradientsMatch(spec, claimed, Objects.requireNonNull(messageSupplier, "messageSupplier"));
    }

    /**
     * Asserts that no layer's weight gradient grows or shrinks by more than {@code maxGrowth} relative to the
     * output layer's — {@code 1/maxGrowth ≤ ‖∂L/∂W_l‖_F / ‖∂L/∂W_L‖_F ≤ maxGrowth} for every layer l — and that every
     * gradient is finite and within chainproof's certified bound ({@link GrowthBounds}). A failure names the
     * layer, the ratio, both norms, the bound and the regime.
     *
     * @param spec      the network, with its parameters and data
     * @param maxGrowth the largest allowed ratio, ≥ 1
     * @throws IllegalArgumentException if {@code maxGrowth} is below 1 or not finite
     */
    public static void assertGrowthBounded(NetworkSpec spec, double maxGrowth) {
        growthBounded(spec, maxGrowth, () -> null);
    }

    /**
     * As {@link #assertGrowthBounded(NetworkSpec, double)}, with a message.
     *
     * @param spec      the network, with its parameters and data
     * @param maxGrowth the largest allowed ratio, ≥ 1
     * @param message   put before the reason on failure; null or blank for none
     */
    public static void assertGrowthBounded(NetworkSpec spec, double maxGrowth, String message) {
        growthBounded(spec, maxGrowth, () -> message);
    }

    /**
     * As {@link #assertGrowthBounded(NetworkSpec, double)}, with a lazily built message.
     *
     * @param spec            the network, with its parameters and data
     * @param maxGrowth       the largest allowed ratio, ≥ 1
     * @param messageSupplier called only on failure; its message is put before the reason
     */
    public static void assertGrowthBounded(NetworkSpec spec, double maxGrowth, Supplier<String> messageSupplier) {
        growthBounded(spec, maxGrowth, Objects.requireNonNull(messageSupplier, "messageSupplier"));
    }

    private static void gradientCorrect(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient, double[] x,
                                        Supplier<String> message) {
        FunctionCheckReport report = GradientChecker.check(f, gradient, x);
        List<ParameterCheck> failures = report.failures();
        if (!failures.isEmpty()) {
            ParameterCheck first = failures.get(0);
            String reason = "gradient wrong at " + first.parameter() + " (" + failures.size() + " of " + report.checks().size()
                    + " coordinates): " + Failures.error(first.claimed(), first.oracle(), first.decidedBy(), first.verdict());
            throw Failures.failure(message, reason, first.oracle().value(), first.claimed());
        }
    }

    /**
     * Asserts that gradients claimed for any model — a layered network (convolutions, norms, residual blocks), an
     * RNN, a formula — are right, tensor by tensor in PyTorch's layout ({@code {"W1": double[2][1][3][3], "b1":
     * double[2], ...}}), by the complex step through the model's op graph. (An MLP's {@link NetworkSpec} takes the
     * overload above, with the lecture's notation in its messages.)
     *
     * @param spec    the model, its parameters and data
     * @param claimed the claimed gradient per parameter name: {@code double[]}, {@code double[][]}, … or a number
     * @throws org.opentest4j.AssertionFailedError naming the first wrong entry, its error, the tolerance and the likely fault
     * @throws IllegalArgumentException if a tensor is missing, unknown or has the wrong shape
     */
    public static void assertGradientsMatch(io.chainproof.spec.Spec spec, Map<String, ?> claimed) {
        anyGradientsMatch(spec, claimed, () -> null);
    }

    /**
     * As {@link #assertGradientsMatch(io.chainproof.spec.Spec, Map)}, with a message prefix.
     *
     * @param spec    the model, its parameters and data
     * @param claimed the claimed gradient per parameter name
     * @param message the prefix of the failure message
     */
    public static void assertGradientsMatch(io.chainproof.spec.Spec spec, Map<String, ?> claimed, String message) {
        anyGradientsMatch(spec, claimed, () -> message);
    }

    /**
     * As {@link #assertGradientsMatch(io.chainproof.spec.Spec, Map)} for gradients a library computed in
     * {@code precision}: each entry may differ from the exact value by what a correct backward pass in that
     * arithmetic may lose ({@link GradientVerifier#withPrecision}), so a correct float32 backprop passes and a real
     * bug of 1e−3 fails.
     *
     * @param spec      the model, its parameters and data
     * @param claimed   the claimed gradient per parameter name
     * @param precision the arithmetic the claims were computed in
     */
    public static void assertGradientsMatch(io.chainproof.spec.Spec spec, Map<String, ?> claimed,
                                            io.chainproof.check.Precision precision) {
        Objects.requireNonNull(precision, "precision");
        anyGradientsMatch(spec, claimed, () -> null, new GradientVerifier().withPrecision(precision));
    }

    /**
     * Asserts that a claimed Hessian-vector product {@code H·v} of a spec's loss is right — what a double backward
     * returns — tensor by tensor in PyTorch's layout, by the complex step through the reverse walk
     * ({@link io.chainproof.check.HessianVectorVerifier}).
     *
     * @param spec    the model, its parameters and data
     * @param vector  v per parameter name: {@code double[]}, {@code double[][]}, … or a number
     * @param claimed the claimed {@code H·v} per parameter name, in the same layout
     * @throws org.opentest4j.AssertionFailedError naming the first wrong entry, its error and the tolerance
     * @throws IllegalArgumentException if a tensor is missing, unknown or has the wrong shape
     */
    public static void assertHessianVectorMatches(io.chainproof.spec.Spec spec, Map<String, ?> vector,
                                                  Map<String, ?> claimed) {
        Objects.requireNonNull(spec, "spec");
        io.chainproof.check.LossFunction f = io.chainproof.check.LossFunctions.of(spec);
        Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
        double[] v = flat(spec, template, Objects.requireNonNull(vector, "vector"), "vector");
        double[] hv = flat(spec, template, Objects.requireNonNull(claimed, "claimed"), "Hessian-vector product");
        VerificationReport report = io.chainproof.check.GradientChecker.checkHessianVector(spec, v, hv);
        List<ParameterCheck> failures = report.failures();
        if (!failures.isEmpty()) {
            ParameterCheck first = failures.get(0);
            throw new org.opentest4j.AssertionFailedError(spec.name() + ": Hessian-vector product wrong at "
                    + failures.size() + " of " + report.checks().size() + " entries; " + first.parameter()
                    + ": claimed " + first.claimed() + ", complex step " + first.oracle().value() + " ± "
                    + first.oracle().errorEstimate(), first.oracle().value(), first.claimed());
        }
    }

    /** The tensors of {@code claimed}, flat in the template's layout; every parameter, no other name. */
    private static double[] flat(io.chainproof.spec.Spec spec, Map<String, Object> template, Map<String, ?> claimed,
                                 String what) {
        for (String name : claimed.keySet()) {
            if (!template.containsKey(name)) {
                throw new IllegalArgumentException("Tensor <" + name + "> of the " + what + " is not a parameter of <"
                        + spec.name() + ">; its parameters are " + String.join(", ", template.keySet()));
            }
        }
        List<Double> flat = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> e : template.entrySet()) {
            Object value = claimed.get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("The " + what + " for <" + e.getKey() + "> of <" + spec.name()
                        + "> is missing; give every parameter: " + String.join(", ", template.keySet()));
            }
            flatten(e.getKey(), value, e.getValue(), flat);
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void anyGradientsMatch(io.chainproof.spec.Spec spec, Map<String, ?> claimed,
                                          Supplier<String> message) {
        anyGradientsMatch(spec, claimed, message, new GradientVerifier());
    }

    private static void anyGradientsMatch(io.chainproof.spec.Spec spec, Map<String, ?> claimed,
                                          Supplier<String> message, GradientVerifier verifier) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(claimed, "claimed");
        if (spec instanceof NetworkSpec network) {
            gradientsMatch(network, ClaimedTensors.flatten(network, claimed, message), message, verifier);
            return;
        }
        io.chainproof.check.LossFunction f = io.chainproof.check.LossFunctions.of(spec);
        Map<String, Object> template = f.tensors(new double[f.parameterNames().size()]);
        for (String name : claimed.keySet()) {
            if (!template.containsKey(name)) {
                throw new IllegalArgumentException("Claimed tensor <" + name + "> is not a parameter of <" + spec.name()
                        + ">; its parameters are " + String.join(", ", template.keySet()));
            }
        }
        List<Double> flat = new java.util.ArrayList<>();
        for (Map.Entry<String, Object> e : template.entrySet()) {
            Object value = claimed.get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("Claimed gradient for <" + e.getKey() + "> of <" + spec.name()
                        + "> is missing; give every parameter: " + String.join(", ", template.keySet()));
            }
            flatten(e.getKey(), value, e.getValue(), flat);
        }
        double[] values = flat.stream().mapToDouble(Double::doubleValue).toArray();
        VerificationReport report = verifier.verify(f, values);
        List<ParameterCheck> failures = report.failures();
        if (!failures.isEmpty()) {
            ParameterCheck first = failures.get(0);
            String reason = spec.name() + ": gradient wrong at " + failures.size() + " of " + report.checks().size()
                    + " parameters; " + first.parameter() + ": "
                    + Failures.error(first.claimed(), first.oracle(), first.decidedBy(), first.verdict())
                    + report.localisation().map(l -> "; " + l.explanation()).orElse("");
            throw Failures.failure(message, reason, first.oracle().value(), first.claimed());
        }
    }

    /** Appends {@code value}'s numbers, checking that it has the template's shape. */
    private static void flatten(String path, Object value, Object template, List<Double> into) {
        if (template instanceof double[] row) {
            if (!(value instanceof double[] v) || v.length != row.length) {
                throw new IllegalArgumentException("Claimed " + path + " must be a double[" + row.length + "], not "
                        + describe(value));
            }
            for (double d : v) {
                into.add(d);
            }
        } else if (template instanceof Object[] rows) {
            if (!(value instanceof Object[] v) || v.length != rows.length) {
                throw new IllegalArgumentException("Claimed " + path + " must have " + rows.length + " rows, not "
                        + describe(value));
            }
            for (int i = 0; i < rows.length; i++) {
                flatten(path + "[" + i + "]", v[i], rows[i], into);
            }
        } else {
            if (!(value instanceof Number n)) {
                throw new IllegalArgumentException("Claimed " + path + " must be a number, not " + describe(value));
            }
            into.add(n.doubleValue());
        }
    }

    private static String describe(Object value) {
        if (value instanceof double[] v) {
            return "a double[" + v.length + "]";
        }
        if (value instanceof Object[] v) {
            return "an array of " + v.length;
        }
        return value == null ? "null" : "a " + value.getClass().getSimpleName();
    }

    private static void gradientsMatch(NetworkSpec spec, Map<String, ?> claimed, Supplier<String> message) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(claimed, "claimed");
        gradientsMatch(spec, ClaimedTensors.flatten(spec, claimed, message), message);
    }

    private static void gradientsMatch(NetworkSpec spec, double[] claimed, Supplier<String> message) {
        gradientsMatch(spec, claimed, message, new GradientVerifier());
    }

    private static void gradientsMatch(NetworkSpec spec, double[] claimed, Supplier<String> message,
                                       GradientVerifier verifier) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(claimed, "claimed");
        ComputationGraph graph = ComputationGraph.of(spec);
        if (claimed.length != graph.parameters().size()) {
            throw new IllegalArgumentException("Claimed gradient of length <" + claimed.length + "> does not match the <"
                    + graph.parameters().size() + "> parameters of network <" + spec.name() + ">; give one entry per "
                    + "parameter in the flat layout W1 (row-major), b1, W2, …");
        }
        VerificationReport report = verifier.verify(spec, claimed);
        List<ParameterCheck> failures = report.failures();
        if (!failures.isEmpty()) {
            // the first wrong parameter of the layer the localisation blames, else the first wrong one
            ParameterCheck first = report.localisation()
                    .flatMap(l -> failures.stream().filter(c -> ParameterId.parse(c.parameter()).layer() == l.layer())
                            .findFirst())
                    .orElse(failures.get(0));
            ParameterId id = ParameterId.parse(first.parameter());
            String reason = spec.name() + ": gradient wrong at " + failures.size() + " of " + report.checks().size()
                    + " parameters; " + first.parameter() + " (layer " + id.layer() + "): "
                    + Failures.error(first.claimed(), first.oracle(), first.decidedBy(), first.verdict())
                    + report.localisation().map(l -> "; " + Failures.hint(spec, id, l)).orElse("");
            throw Failures.failure(message, reason, first.oracle().value(), first.claimed());
        }
    }

    private static void growthBounded(NetworkSpec spec, double maxGrowth, Supplier<String> message) {
        Objects.requireNonNull(spec, "spec");
        if (!(maxGrowth >= 1) || Double.isInfinite(maxGrowth)) {
            throw new IllegalArgumentException("Growth limit <" + maxGrowth + "> must be a finite number ≥ 1, e.g. 1e3");
        }
        BoundReport report = GrowthBounds.of(spec);
        int last = spec.layerCount();
        LayerBound output = report.layer(last);
        for (LayerBound b : report.layers()) {
            if (!Double.isFinite(b.actual())) {
                throw Failures.failure(message, spec.name() + ": layer " + b.layer() + " gradient norm is " + b.actual(),
                        "a finite norm", b.actual());
            }
            if (b.actual() > b.gammaBound() * (1 + Thresholds.DEFAULT.boundSlack())) {
                throw Failures.failure(message, spec.name() + ": layer " + b.layer() + " gradient norm exceeds its certified "
                        + "bound; this is a bug in chainproof, please report it", b.gammaBound(), b.actual());
            }
        }
        if (output.actual() == 0) {
            throw Failures.failure(message, spec.name() + ": the output layer's gradient ‖∂L/∂W" + Failures.sub(last)
                    + "‖_F is 0, so growth relative to it is undefined (is the loss at a minimum, or a relu dead?)", "> 0", 0.0);
        }
        for (LayerBound b : report.layers()) {
            double ratio = b.actual() / output.actual();
            if (ratio > maxGrowth || ratio < 1 / maxGrowth) {
                boolean grows = ratio > maxGrowth;
                String reason = spec.name() + ": layer " + b.layer() + " gradient " + (grows ? "grows " : "shrinks ")
                        + Failures.approx(grows ? ratio : 1 / ratio) + "× relative to the output layer's (‖∂L/∂W"
                        + Failures.sub(b.layer()) + "‖_F = " + Failures.approx(b.actual()) + ", ‖∂L/∂W" + Failures.sub(last)
                        + "‖_F = " + Failures.approx(output.actual()) + "), more than the allowed " + Failures.approx(maxGrowth)
                        + "×; γ bound " + Failures.approx(b.gammaBound()) + ", regime " + b.regime().label();
                throw Failures.failure(message, reason, grows ? maxGrowth : 1 / maxGrowth, ratio);
            }
        }
    }
}
