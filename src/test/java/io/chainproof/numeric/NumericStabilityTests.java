package io.chainproof.numeric;

import io.chainproof.check.ComplexStep;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradients stay finite and right where a naive evaluation would produce 0/0. */
class NumericStabilityTests {

    /** Agreement with the complex step, relative to the largest gradient entry. */
    static final double AGREEMENT = 1e-12;

    /**
     * Logits ≈ (0, 70, −871): the third softmax output underflows to exactly 0 while its target is 0, so
     * ∂ℓ/∂a₃ = −y₃/a₃ would be 0/0; the loss (≈ 70.1) is finite and so is every true gradient.
     */
    static final String FAR_APART_LOGITS = """
            {"name": "far-apart-logits", "inputs": 2,
             "layers": [{"units": 2, "activation": "identity"}, {"units": 3, "activation": "softmax"}],
             "loss": "cross_entropy",
             "parameters": {"W1": [[4.14, 24.9], [0.0, 0.0]], "b1": [0.0, 0.0],
                            "W2": [[0.0, 0.0], [4.83, 0.0], [-60.0, 0.0]], "b2": [0.0, 0.0, 0.0]},
             "data": {"x": [[0.38, 0.52]], "y": [[1.0, 0.0, 0.0]]}}""";

    @ParameterizedTest
    @EnumSource(NetworkCompiler.Shape.class)
    void cross_entropy_with_an_underflowed_softmax_output_has_a_finite_gradient(NetworkCompiler.Shape shape) {
        ComputationGraph graph = ComputationGraph.of(SpecReader.parse(FAR_APART_LOGITS, "<test>", SpecFormat.JSON));
        CompiledNetwork net = NetworkCompiler.compile(graph, shape);
        double[] point = graph.parameterValues();
        double[] g = net.evaluate(point).gradient();
        ComplexStep.Result[] exact = ComplexStep.gradient(net.complexStep(), point);
        double max = 0;
        for (ComplexStep.Result r : exact) {
            max = Math.max(max, Math.abs(r.value()));
        }
        assertTrue(max > 1, "the test network should have large gradients, max " + max);
        for (int i = 0; i < g.length; i++) {
            assertTrue(Double.isFinite(g[i]), graph.parameters().get(i).name() + " is " + g[i]);
            assertTrue(Math.abs(g[i] - exact[i].value()) <= AGREEMENT * max,
                    graph.parameters().get(i).name() + ": " + g[i] + " vs complex step " + exact[i].value());
        }
    }
}
