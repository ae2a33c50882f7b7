package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.ReferenceData;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code elu} and {@code softsign} activations against gradients computed outside this project — PyTorch float64
 * autograd for 13 random networks, mpmath at 60 digits for 5 saturated ones — checked in under
 * {@code src/test/resources/reference/activations/} by {@code src/test/python/make_activation_reference.py}. Every
 * way chainproof differentiates must agree: the MLP's compiled kernel, the reverse walk of its op graph, the
 * complex step (compiled for the MLP, through the ops' forward rules for the graph) and forward-mode dual numbers.
 *
 * <p>Random networks: {@code |ours − ref| ≤ 1e−12·|ref| + 1e−14·max_T|ref|}, the floor taken per tensor T (an entry
 * that is a small difference of large terms carries their rounding). Saturated networks — where PyTorch itself is
 * off by up to 6.5e−5 relative (softsign at |z| = 1e12: its quotient rule cancels) — are held to 1e−12 relative on every
 * normal entry, with no floor: the tiny entries (1e−25 next to 1e−2) are the point. Subnormal references (elu at
 * z = −720: 3e−313) keep only a few digits in float64 and are held to 1e−320 absolute.
 *
 * <p>The complex step and dual numbers are exact only where their arithmetic is: through softsign's quotient
 * {@code z/(1 + z)} at z = 1e12 the complex division cancels (5 digits lost), and at z = −720 elu's e^z underflows
 * in the imaginary part. There each may differ from the reference by its own reported error bound — which must
 * hold — and on the unsaturated networks that bound must be within 1000× the strict tolerance (or at the
 * underflow threshold, for exact zeros).
 */
class ActivationReferenceTests {

    static final double RELATIVE = 1e-12;
    static final double TENSOR_FLOOR = 1e-14;
    static final double SUBNORMAL_ABSOLUTE = 1e-320;
    /** Error bounds at the underflow threshold (the complex step reports 2.2e−288 for an exact 0) count as tight. */
    static final double UNDERFLOW_FLOOR = 1e-250;

    private static final Path DIR = Path.of("src/test/resources/reference/activations");

    static List<Path> specs() throws IOException {
        return ReferenceData.specs(DIR);
    }

    /**
     * One way of differentiating: the name, ∂L/∂θ_i in the model's flat layout, and the error bound it reports for
     * that value (0 for the exact-rule ways: the compiled kernel and the reverse walk).
     */
    record Way(String name, IntToDoubleFunction partial, IntToDoubleFunction bound) {
    }

    static List<Way> ways(NetworkSpec spec) {
        Model model = Models.of(spec);
        double[] point = model.point();
        NetworkFunction compiled = new NetworkFunction(NetworkCompiler.compile(ComputationGraph.of(spec)));
        GraphFunction graph = new GraphFunction(model);
        double[] kernel = compiled.gradient(point);
        double[] walk = graph.gradient(point);
        ComplexStep.Result[] compiledStep = compiled.complexStep(point);
        ComplexStep.Result[] graphStep = graph.complexStep(point);
        List<Way> ways = new ArrayList<>();
        ways.add(new Way("compiled MLP kernel", i -> kernel[i], i -> 0));
        ways.add(new Way("reverse walk of the op graph", i -> walk[i], i -> 0));
        ways.add(new Way("compiled complex step", i -> compiledStep[i].estimate().value(),
                i -> compiledStep[i].estimate().errorEstimate()));
        ways.add(new Way("complex step through the ops", i -> graphStep[i].estimate().value(),
                i -> graphStep[i].estimate().errorEstimate()));
        ways.add(new Way("forward AD through the ops", i -> graph.forwardAD(point, i).estimate().value(),
                i -> graph.forwardAD(point, i).estimate().errorEstimate()));
        return ways;
    }

    @TestFactory
    Stream<DynamicTest> every_way_of_differentiating_matches_the_outside_reference() throws IOException {
        List<Path> specs = specs();
        assertEquals(18, specs.size(), "the reference set: 13 random and 5 saturated networks");
        return specs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            NetworkSpec spec = SpecReader.read(p);
            Model model = Models.of(spec);
            JsonNode expected = ReferenceData.expected(p);
            boolean saturated = p.getFileName().toString().contains("saturated");
            double loss = new GraphFunction(model).loss(model.point());
            double refLoss = expected.get("loss").doubleValue();
            assertTrue(Math.abs(loss - refLoss) <= 1e-14 * Math.abs(refLoss), p + ": loss " + loss + " vs " + refLoss);
            for (Way way : ways(spec)) {
                for (Parameter param : model.parameters()) {
                    double[] ref = ReferenceData.values(expected.get("gradients").get(param.name()));
                    double tensorMax = 0;
                    for (double r : ref) {
                        tensorMax = Math.max(tensorMax, Math.abs(r));
                    }
                    for (int i = 0; i < ref.length; i++) {
                        double ours = way.partial().applyAsDouble(param.offset() + i);
                        double bound = way.bound().applyAsDouble(param.offset() + i);
                        double strict = Math.abs(ref[i]) < Double.MIN_NORMAL ? SUBNORMAL_ABSOLUTE
                                : RELATIVE * Math.abs(ref[i]) + (saturated ? 0 : TENSOR_FLOOR * tensorMax);
                        String where = p.getFileName() + ", " + way.name() + ": " + param.name() + "[" + i + "] = "
                                + ours + " ± " + bound + ", reference " + ref[i];
                        if (!(Math.abs(ours - ref[i]) <= strict + bound)) {
                            fail(where + ", |difference| " + Math.abs(ours - ref[i]) + " > allowed " + strict
                                    + " + the way's own bound");
                        }
                        // the bound is honest (above); on unsaturated networks it must also be tight
                        if (!saturated && !(bound <= 1e3 * strict + UNDERFLOW_FLOOR)) {
                            fail(where + ": the bound is loose on an unsaturated network");
                        }
                    }
                }
            }
        }));
    }
}
