package io.chainproof.numeric;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainproof.ReferenceAgreement;
import io.chainproof.ReferenceData;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 300-layer MLP ({@code src/test/resources/reference/deep/}, PyTorch float64 autograd by
 * {@code src/test/python/make_deep_reference.py}): its generated gradient and complex-step code once grew one method
 * past the JVM's 64 KB of bytecode and did not compile (exit 3); now each layer is a method of its own and both
 * kernels agree with PyTorch entry by entry, by {@link ReferenceAgreement}'s rule.
 */
class DeepNetworkCompilerTests {

    private static final Path SPEC = Path.of("src/test/resources/reference/deep/mlp-300x2.spec.json");
    /** Every parameter of the 300 layers: 299·(2·2 + 2) + 2 + 1. */
    private static final int PARAMETERS = 1797;
    /** Every this many parameters the literal complex step (a forward pass each) is compared. */
    private static final int STRIDE = 7;

    @Test
    void the_generated_gradient_of_300_layers_compiles_and_matches_pytorch() throws IOException {
        NetworkSpec network = SpecReader.read(SPEC);
        ComputationGraph graph = ComputationGraph.of(network);
        CompiledNetwork compiled = NetworkCompiler.compile(graph);
        assertTrue(compiled.source().contains("private void forward300(double[] p, double[] o0) {")
                && compiled.source().contains("private void backward1("), "each layer a method of its own");
        CompiledNetwork.Evaluation e = compiled.evaluate();
        JsonNode expected = ReferenceData.expected(SPEC);
        double loss = expected.get("loss").asDouble();
        assertEquals(loss, e.loss(), ReferenceGradientTests.LOSS_RELATIVE * Math.abs(loss), "loss");

        ReferenceAgreement agreement = new ReferenceAgreement("PyTorch float64 autograd (300 layers)");
        Model model = Models.mlp(network);
        double[] floors = ReferenceAgreement.floors(model, expected.get("producer").asText());
        List<String> names = model.parameterNames();
        assertEquals(PARAMETERS, names.size());
        for (int i = 0; i < names.size(); i++) {
            ParameterId id = ParameterId.parse(names.get(i));
            agreement.compare(id.name(), e.gradient(graph.offset(id)), ReferenceGradientTests.reference(expected, id),
                    floors[i]);
        }
        System.out.println(agreement.report());
        assertEquals(List.of(), agreement.disagreements(), "entries that disagree with PyTorch");
    }

    @Test
    void the_complex_step_of_300_layers_compiles_and_matches_pytorch() throws IOException {
        NetworkSpec network = SpecReader.read(SPEC);
        ComputationGraph graph = ComputationGraph.of(network);
        ComplexNetwork complex = ComplexNetworkCompiler.compile(graph);
        JsonNode expected = ReferenceData.expected(SPEC);
        Model model = Models.mlp(network);
        double[] floors = ReferenceAgreement.floors(model, expected.get("producer").asText());
        List<String> names = model.parameterNames();
        double[] p = graph.parameterValues();
        ComplexGradient all = complex.partials(p);

        ReferenceAgreement literal = new ReferenceAgreement("PyTorch float64 autograd (300 layers, literal complex step)");
        ReferenceAgreement propagated = new ReferenceAgreement("PyTorch float64 autograd (300 layers, propagated)");
        for (int i = 0; i < names.size(); i++) {
            ParameterId id = ParameterId.parse(names.get(i));
            double ref = ReferenceGradientTests.reference(expected, id);
            propagated.compare(id.name(), all.get(graph.offset(id)).value(), ref, floors[i]);
            if (i % STRIDE == 0 || i == names.size() - 1) {
                literal.compare(id.name(), complex.partial(p, graph.offset(id), ComplexNetwork.STEP).value(), ref,
                        floors[i]);
            }
        }
        System.out.println(propagated.report());
        System.out.println(literal.report());
        assertTrue(literal.entries() > PARAMETERS / STRIDE, literal.report());
        assertEquals(List.of(), propagated.disagreements(), "entries that disagree with PyTorch");
        assertEquals(List.of(), literal.disagreements(), "entries that disagree with PyTorch");
    }
}
