package io.chainproof.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GradientVerifier#verifyParameters}: only the asked parameters are checked, each exactly as an
 * exhaustive check would. The claimed gradients are PyTorch autograd's (float64, checked in under
 * {@code src/test/resources/reference/}), not chainproof's own.
 */
class VerifyParametersTests {

    private static final Path REFERENCE = Path.of("src/test/resources/reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Asked out of flat order, one of them twice. */
    private static final List<ParameterId> ASKED = List.of(ParameterId.weight(3, 0, 1), ParameterId.bias(2, 1),
            ParameterId.weight(1, 2, 1), ParameterId.bias(2, 1));
    /** The same in flat order (W1 row-major, b1, W2, b2, …), once each. */
    private static final List<ParameterId> FLAT = List.of(ParameterId.weight(1, 2, 1), ParameterId.bias(2, 1),
            ParameterId.weight(3, 0, 1));

    private static CompiledNetwork network(String name) {
        return NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(REFERENCE.resolve(name + ".spec.json"))));
    }

    /** PyTorch's gradient in chainproof's flat layout. */
    private static double[] pytorchGradient(String name, ComputationGraph graph) throws IOException {
        JsonNode g = JSON.readTree(REFERENCE.resolve(name + ".expected.json").toFile()).get("gradients");
        double[] flat = new double[graph.parameters().size()];
        for (ParameterId id : graph.parameters()) {
            JsonNode t = g.get(id.tensorName());
            flat[graph.offset(id)] = id.kind() == ParameterId.Kind.WEIGHT ? t.get(id.row()).get(id.column()).asDouble()
                    : t.get(id.row()).asDouble();
        }
        return flat;
    }

    private static Map<ParameterId, ParameterCheck> byParameter(VerificationReport report) {
        return report.checks().stream().collect(Collectors.toMap(c -> ParameterId.parse(c.parameter()), Function.identity()));
    }

    @Test
    void checks_exactly_the_asked_parameters_once_each_in_flat_order() throws IOException {
        CompiledNetwork network = network("mlp-2-3-2-1");
        VerificationReport report = new GradientVerifier().verifyParameters(network,
                pytorchGradient("mlp-2-3-2-1", network.graph()), ASKED);
        assertEquals(FLAT.stream().map(ParameterId::name).toList(),
                report.checks().stream().map(ParameterCheck::parameter).toList());
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void asking_for_no_parameter_checks_none() throws IOException {
        CompiledNetwork network = network("mlp-2-3-2-1");
        VerificationReport report = new GradientVerifier().verifyParameters(network,
                pytorchGradient("mlp-2-3-2-1", network.graph()), List.of());
        assertEquals(List.of(), report.checks());
    }

    @ParameterizedTest
    @EnumSource(value = Oracle.class, names = {"COMPLEX_STEP", "FORWARD_AD", "CENTRAL_DIFFERENCE"})
    void verdicts_agree_with_an_exhaustive_check_of_the_same_parameters(Oracle oracle) throws IOException {
        for (String name : List.of("mlp-2-3-2-1", "softmax-classifier", "random-07")) {
            CompiledNetwork network = network(name);
            double[] claimed = pytorchGradient(name, network.graph());
            GradientVerifier verifier = new GradientVerifier().withOracle(oracle);
            List<ParameterId> asked = network.graph().parameters().stream().filter(id -> id.row() == 0).toList();
            Map<ParameterId, ParameterCheck> some = byParameter(verifier.verifyParameters(network, claimed, asked));
            Map<ParameterId, ParameterCheck> all = byParameter(verifier.verifyExhaustively(network, claimed));
            assertEquals(asked.size(), some.size(), name);
            for (ParameterId id : asked) {
                ParameterCheck one = some.get(id);
                ParameterCheck every = all.get(id);
                String where = name + " " + id.name() + " by " + oracle;
                assertEquals(every.claimed(), one.claimed(), where);
                assertEquals(every.oracle(), one.oracle(), where);
                assertEquals(every.decidedBy(), one.decidedBy(), where);
                assertEquals(every.verdict().getClass(), one.verdict().getClass(), where);
                assertTrue(one.verdict().passed(), where + ": " + one.verdict());
                // the tensor floor over fewer entries is never looser
                if (one.verdict() instanceof Verdict.Agrees a && every.verdict() instanceof Verdict.Agrees e) {
                    assertTrue(a.allowed() <= e.allowed(), where + ": allowed " + a.allowed() + " > " + e.allowed());
                }
            }
        }
    }

    @Test
    void a_wrong_claimed_value_of_an_asked_parameter_is_detected() throws IOException {
        CompiledNetwork network = network("mlp-2-3-2-1");
        double[] claimed = pytorchGradient("mlp-2-3-2-1", network.graph());
        int wrong = network.graph().offset(ParameterId.bias(2, 1));
        claimed[wrong] *= 1 + 1e-6;
        VerificationReport report = new GradientVerifier().verifyParameters(network, claimed, ASKED);
        assertFalse(report.passed());
        assertEquals(List.of("b2[1]"), report.failures().stream().map(ParameterCheck::parameter).toList());
        assertInstanceOf(Verdict.Disagrees.class, byParameter(report).get(ParameterId.bias(2, 1)).verdict());
    }

    @Test
    void a_wrong_claimed_value_of_a_parameter_not_asked_for_is_not_checked() throws IOException {
        CompiledNetwork network = network("mlp-2-3-2-1");
        double[] claimed = pytorchGradient("mlp-2-3-2-1", network.graph());
        claimed[network.graph().offset(ParameterId.weight(1, 0, 0))] += 1.0;
        assertTrue(new GradientVerifier().verifyParameters(network, claimed, ASKED).passed());
        assertFalse(new GradientVerifier().verifyExhaustively(network, claimed).passed());
    }

    @Test
    void an_unknown_parameter_is_rejected() throws IOException {
        CompiledNetwork network = network("mlp-2-3-2-1");
        double[] claimed = pytorchGradient("mlp-2-3-2-1", network.graph());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientVerifier()
                .verifyParameters(network, claimed, List.of(ParameterId.bias(1, 0), ParameterId.weight(4, 0, 0))));
        assertEquals("Parameter <W4[0][0]> is not in network <mlp-2-3-2-1>", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GradientVerifier()
                .verifyParameters(network, claimed, List.of(ParameterId.weight(1, 0, 2))));
        assertEquals("Parameter <W1[0][2]> is not in network <mlp-2-3-2-1>", e.getMessage());
    }

    @Test
    void a_gradient_of_the_wrong_length_is_rejected() {
        CompiledNetwork network = network("mlp-2-3-2-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientVerifier()
                .verifyParameters(network, new double[3], List.of(ParameterId.bias(1, 0))));
        assertEquals("Gradient of length <3> does not match the <20> parameters of network <mlp-2-3-2-1>", e.getMessage());
    }
}
