package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracles against each other on every reference network: forward-mode AD agrees with the compiled
 * symbolic gradient to rounding, and the central difference's error estimate bounds its actual error
 * (measured against the complex step, exact to rounding).
 */
class OracleAccuracyTests {

    /** Forward-mode AD vs symbolic: relative to the larger of |g| and 1e−6 of the largest gradient. */
    static final double FORWARD_AD_AGREEMENT = 1e-12;

    static Stream<Path> specs() throws IOException {
        return Files.list(Path.of("src/test/resources/reference")).filter(p -> p.toString().endsWith(".spec.json")).sorted();
    }

    @TestFactory
    Stream<DynamicTest> forward_mode_ad_agrees_with_the_symbolic_gradient_to_rounding() throws IOException {
        return specs().map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
            CompiledNetwork net = NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(spec)));
            double[] point = net.graph().parameterValues();
            double[] symbolic = net.evaluate(point).gradient();
            NetworkFunction f = new NetworkFunction(net);
            Estimate[] ad = new Estimate[point.length];
            for (int i = 0; i < point.length; i++) {
                ad[i] = f.forwardAD(point, i).estimate();
            }
            double max = 0;
            for (double g : symbolic) {
                max = Math.max(max, Math.abs(g));
            }
            for (int i = 0; i < symbolic.length; i++) {
                double scale = Math.max(Math.abs(symbolic[i]), 1e-6 * max);
                double error = Math.abs(ad[i].value() - symbolic[i]);
                assertTrue(error <= FORWARD_AD_AGREEMENT * scale, net.graph().parameters().get(i).name() + ": forward AD "
                        + ad[i].value() + " vs symbolic " + symbolic[i]);
            }
        }));
    }

    /**
     * The raw estimate (GSL's model: function values good to one ulp) is not a strict bound — a deep loss carries
     * several ulps, which no estimate from the function's value alone can see — so the claims are: within the safety
     * factor the verdicts apply ({@link Tolerance#DEFAULT_SAFETY}), every error is bounded, which is what the
     * verdicts rest on; and the raw estimate alone is exceeded at most {@value #RAW_BOUND_EXCEEDED} times. That count
     * is a measurement, not a derivation: the central differences of the reference specs are deterministic, and the
     * test prints the count, the total and the largest error/estimate ratio with where it is (run
     * {@code mvn -B -o -q test -Dtest=OracleAccuracyTests}; measured: exceeded at 1 of 760 parameters,
     * random-06 b1[0], by 8.2%). A change of the difference rule or of the specs that exceeds it more often fails
     * here and must be measured again.
     */
    static final int RAW_BOUND_EXCEEDED = 1;

    @org.junit.jupiter.api.Test
    void the_central_difference_error_estimate_bounds_its_actual_error() throws IOException {
        int[] bounded = new int[2];
        double worst = 0;
        String worstAt = "-";
        for (Path spec : specs().toList()) {
            CompiledNetwork net = NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(spec)));
            boolean kinked = net.graph().spec().layers().stream()
                    .anyMatch(l -> l.activation() == Activation.RELU || l.activation() == Activation.LEAKY_RELU);
            double[] point = net.graph().parameterValues();
            ComplexStep.Result[] exact = ComplexStep.gradient(net.complexStep(), point);
            List<io.chainproof.graph.ParameterId> ids = net.graph().parameters();
            for (int i = 0; i < ids.size(); i++) {
                if (kinked && exact[i].nearKink()) {
                    continue;
                }
                double[] p = point.clone();
                int index = i;
                Estimate fd = CentralDifference.derivative(t -> {
                    p[index] = t;
                    return net.loss(p);
                }, point[i]);
                double error = Math.abs(fd.value() - exact[i].value());
                double bound = fd.errorEstimate() + exact[i].estimate().errorEstimate();
                assertTrue(error <= Tolerance.DEFAULT_SAFETY * bound, spec + " " + ids.get(i).name()
                        + ": central difference " + fd.value() + " is " + error + " from the complex step " + exact[i].value()
                        + ", beyond " + Tolerance.DEFAULT_SAFETY + " × its estimate " + fd.errorEstimate());
                bounded[0] += error <= bound ? 1 : 0;
                bounded[1]++;
                if (error / bound > worst) {
                    worst = error / bound;
                    worstAt = spec.getFileName() + " " + ids.get(i).name();
                }
            }
        }
        String measured = String.format("central difference vs complex step on %d reference parameters: the raw error "
                + "estimate bounded %d, was exceeded %d times; largest error/estimate %.3f at %s", bounded[1], bounded[0],
                bounded[1] - bounded[0], worst, worstAt);
        System.out.println(measured);
        assertTrue(bounded[1] - bounded[0] <= RAW_BOUND_EXCEEDED, measured);
    }
}
