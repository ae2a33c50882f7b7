package io.chainproof;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.check.GradientVerifier;
import io.chainproof.check.LossFunction;
import io.chainproof.check.LossFunctions;
import io.chainproof.check.VerificationReport;
import io.chainproof.expr.Expr;
import io.chainproof.render.GradientRenderer;
import io.chainproof.render.VerificationRenderer;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Spec;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.ChainRuleDerivation;
import io.chainproof.symbolic.ParameterDerivation;
import io.chainproof.symbolic.SymbolicEngine;
import io.chainproof.testing.GradientAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library used from eight threads at once, as test suites running in parallel use it: each thread verifies a
 * different spec through the public API (MLPs, layered models, an RNN, a formula; {@link LossFunctions#of},
 * {@link GradientVerifier}, {@link GradientAssertions}, a chain-rule derivation and Symja's derivatives through
 * {@link SymbolicEngine}), every object made afresh in its thread, so that the shared caches (compiled kernels,
 * op graphs, local rules, Symja) are filled and read concurrently. Every result — whole reports as JSON and text,
 * losses and gradients bit for bit, assertion messages, derivations — must equal the serial run's.
 */
class ConcurrentUseTests {

    private static final int THREADS = 8;

    /** One thread's work; its result is a text that holds every number bit for bit. */
    private record Job(String name, Callable<String> work) {
    }

    private static final List<Job> JOBS = List.of(
            verification("examples/lecture-chain.json"),
            verification("src/test/resources/reference/layered/layernorm-seq-01.spec.json"),
            assertions("examples/lecture-chain-saturated.json"),
            verification("src/test/resources/reference/layered/residual-01.spec.json"),
            verification("src/test/resources/reference/layered/conv1d-01.spec.json"),
            verification("examples/rnn-exploding.json"),
            verification("examples/lecture-chain-formula.json"),
            new Job("derivations", ConcurrentUseTests::derivations));

    private static final Map<String, String> SERIAL = new LinkedHashMap<>();
    /** Per spec, the results of {@link #atOwnPoint} for each thread's point, computed alone once. */
    private static final Map<String, List<String>> SHARED_SERIAL = new LinkedHashMap<>();
    private static ExecutorService pool;
    private static List<String> cold;

    /**
     * First all jobs at once in a JVM that may not have used the library yet (run alone, this class meets Symja, the
     * compilers and the rule caches cold), then one after another for the reference results.
     */
    @BeforeAll
    static void runConcurrentlyThenSerially() throws Exception {
        pool = Executors.newFixedThreadPool(THREADS);
        cold = runConcurrently();
        for (Job job : JOBS) {
            SERIAL.put(job.name(), job.work().call());
        }
    }

    @AfterAll
    static void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the pool's threads ended");
    }

    @Test
    void there_is_one_job_per_thread_and_each_does_work() {
        assertEquals(THREADS, JOBS.size());
        SERIAL.forEach((name, result) -> assertTrue(result.length() > 200, name + " ==> " + result));
    }

    @Test
    void the_first_run_of_eight_threads_at_once_got_the_serial_results() {
        assertSerial(cold);
    }

    @RepeatedTest(50)
    void eight_threads_at_once_get_the_serial_results() throws Exception {
        assertSerial(runConcurrently());
    }

    /**
     * One {@link LossFunction} of an MLP and one of a layered model, made afresh each time and shared by eight
     * threads, each at a point of its own (its lazily built op graph, kernels, kink detector and compiled walk are
     * filled concurrently): every loss, gradient and report as computed alone.
     */
    @RepeatedTest(10)
    void eight_threads_sharing_one_loss_function_get_the_serial_results() throws Exception {
        for (String spec : List.of("examples/mlp-2-3-2-1.json", "src/test/resources/reference/layered/conv1d-01.spec.json")) {
            List<String> serial = SHARED_SERIAL.computeIfAbsent(spec, s -> {
                LossFunction alone = LossFunctions.of(SpecReader.readAny(Path.of(s)));
                List<String> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(atOwnPoint(alone, t));
                }
                return results;
            });
            LossFunction shared = LossFunctions.of(SpecReader.readAny(Path.of(spec)));
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<String>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return atOwnPoint(shared, thread);
                }));
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(serial.get(t), futures.get(t).get(60, TimeUnit.SECONDS), spec + ", thread " + t);
            }
        }
    }

    /** Thread t's work on a shared function: loss and gradient at the spec's point scaled by 1 + t/10, and a report. */
    private static String atOwnPoint(LossFunction f, int t) {
        double[] point = f.point();
        for (int i = 0; i < point.length; i++) {
            point[i] *= 1 + t / 10.0;
        }
        double[] gradient = f.gradient(point);
        VerificationReport report = new GradientVerifier().verify(f, f.gradient(f.point()));
        return f.loss(point) + " " + Arrays.toString(gradient) + "\n" + VerificationRenderer.json(report);
    }

    private static void assertSerial(List<String> results) {
        for (int i = 0; i < THREADS; i++) {
            String name = JOBS.get(i).name();
            assertEquals(SERIAL.get(name), results.get(i), name);
        }
    }

    /** Each job on a thread of its own, all started together; their results in the order of {@link #JOBS}. */
    private static List<String> runConcurrently() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<String>> futures = new ArrayList<>();
        for (Job job : JOBS) {
            futures.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                return job.work().call();
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> future : futures) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    /** {@code LossFunctions.of}, its loss and gradient, and the default verifier's whole report. */
    private static Job verification(String spec) {
        return new Job(spec, () -> {
            LossFunction f = LossFunctions.of(SpecReader.readAny(Path.of(spec)));
            double[] point = f.point();
            double loss = f.loss(point);
            double[] gradient = f.gradient(point);
            VerificationReport report = new GradientVerifier().verify(f, gradient);
            assertTrue(report.passed(), spec + " ==> its own gradient passes");
            return loss + " " + Arrays.toString(gradient) + "\n" + VerificationRenderer.json(report) + "\n"
                    + VerificationRenderer.text(report, "symbolic");
        });
    }

    /** A plain function for {@link GradientAssertions#assertGradientCorrect}: x₀²x₁ + sin x₁. */
    private static final ToDoubleFunction<double[]> PLAIN = v -> v[0] * v[0] * v[1] + Math.sin(v[1]);

    /**
     * {@link GradientAssertions} on an MLP, passing in both forms of claim and failing with its message, and on a
     * plain function, passing and failing (the wrong gradient lacks the cosine).
     */
    private static Job assertions(String spec) {
        return new Job(spec + " (assertions)", () -> {
            NetworkSpec network = SpecReader.read(Path.of(spec));
            LossFunction f = LossFunctions.of(network);
            double[] gradient = f.gradient(f.point());
            GradientAssertions.assertGradientsMatch(network, gradient);
            Map<String, Object> tensors = tensors(GradientRenderer.json(f, f.loss(f.point()), gradient));
            GradientAssertions.assertGradientsMatch((Spec) network, tensors);
            double[] wrong = gradient.clone();
            int largest = 0;
            for (int i = 1; i < wrong.length; i++) {
                largest = Math.abs(wrong[i]) > Math.abs(wrong[largest]) ? i : largest;
            }
            wrong[largest] *= 1.01;
            String flat = assertThrows(AssertionFailedError.class,
                    () -> GradientAssertions.assertGradientsMatch(network, wrong)).getMessage();
            double[] x = {0.5, 2};
            GradientAssertions.assertGradientCorrect(PLAIN, v -> new double[] {2 * v[0] * v[1], v[0] * v[0]
                    + Math.cos(v[1])}, x);
            String plain = assertThrows(AssertionFailedError.class, () -> GradientAssertions.assertGradientCorrect(
                    PLAIN, v -> new double[] {2 * v[0] * v[1], v[0] * v[0]}, x)).getMessage();
            return Arrays.toString(gradient) + "\n" + tensors.keySet() + "\n" + flat + "\n" + plain;
        });
    }

    /** A chain-rule derivation of every parameter, and Symja's derivatives of expressions no cache holds. */
    private static String derivations() {
        StringBuilder out = new StringBuilder();
        ChainRuleDerivation derivation = ChainRuleDerivation.of(SpecReader.read(
                Path.of("examples/lecture-chain-saturated.json")));
        for (ParameterDerivation d : derivation.deriveAll()) {
            out.append(d.text()).append('\n').append(d.latex()).append('\n');
        }
        Expr x = Expr.sym("x");
        Expr a = Expr.sym("a");
        List<Expr> expressions = List.of(
                new Expr.Product(List.of(Expr.call(Expr.Fn.TANH, new Expr.Product(List.of(a, x))),
                        Expr.call(Expr.Fn.SIGMOID, x))),
                new Expr.Power(new Expr.Sum(List.of(Expr.call(Expr.Fn.EXP, x), a)), Expr.num(3)),
                Expr.call(Expr.Fn.LOG, new Expr.Sum(List.of(Expr.num(1), new Expr.Power(x, Expr.num(2))))));
        for (Expr e : expressions) {
            out.append(SymbolicEngine.instance().derivative(e, "x")).append('\n');
        }
        return out.toString();
    }

    /** The gradient JSON's tensors as PyTorch-shaped {@code double} arrays. */
    private static Map<String, Object> tensors(String json) throws Exception {
        Map<String, Object> tensors = new LinkedHashMap<>();
        JsonNode gradients = Json.mapper().readTree(json).get("gradients");
        gradients.fieldNames().forEachRemaining(name -> tensors.put(name, array(gradients.get(name))));
        return tensors;
    }

    private static Object array(JsonNode node) {
        if (!node.isArray()) {
            return node.doubleValue();
        }
        if (node.isEmpty() || !node.get(0).isArray()) {
            double[] values = new double[node.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = node.get(i).doubleValue();
            }
            return values;
        }
        Object first = array(node.get(0));
        Object rows = Array.newInstance(first.getClass(), node.size());
        for (int i = 0; i < node.size(); i++) {
            Array.set(rows, i, i == 0 ? first : array(node.get(i)));
        }
        return rows;
    }
}
