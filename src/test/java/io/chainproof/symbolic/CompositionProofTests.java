package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default proof: the chain rule's closed form ≡ D[L, θ] by forward accumulation of the local rules, decided
 * exactly in GF(2⁶¹ − 1). It must prove every correct derivation of every activation and loss, refuse every
 * wrong one (however small the error), and its D[L, θ] must be the derivative Symja computes independently.
 */
class CompositionProofTests {

    private static final Pattern BOUND = Pattern.compile("error probability < 1e−(\\d+)$");

    /** Every output/loss pairing the spec rules allow, fused (sigmoid+bce, softmax+cross-entropy) or not. */
    private static final List<Object[]> OUTPUTS = List.of(
            new Object[] {Activation.IDENTITY, Loss.MSE}, new Object[] {Activation.IDENTITY, Loss.SSE},
            new Object[] {Activation.IDENTITY, Loss.HALF_SSE}, new Object[] {Activation.SIGMOID, Loss.BCE},
            new Object[] {Activation.SOFTMAX, Loss.CROSS_ENTROPY}, new Object[] {Activation.SOFTMAX, Loss.MSE},
            new Object[] {Activation.SIGMOID, Loss.SSE}, new Object[] {Activation.TANH, Loss.HALF_SSE});

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void every_parameter_of_every_activation_and_loss_is_proved_by_composition(Activation hidden) {
        for (Object[] out : OUTPUTS) {
            NetworkSpec spec = Networks.twoLayer(hidden, (Activation) out[0], (Loss) out[1]);
            for (AgreementProof p : AgreementProof.all(spec, ProofSettings.DEFAULTS)) {
                AgreementOutcome.Proved proved = assertInstanceOf(AgreementOutcome.Proved.class, p.outcome(),
                        spec.name() + " " + p.text());
                assertEquals(AgreementOutcome.Proved.COMPOSITION, proved.prover(), spec.name() + " " + p.text());
                assertTrue(errorExponent(proved) >= 30, p.text());
            }
        }
    }

    @Test
    void a_48_layer_chain_is_proved_with_a_stated_error_bound() {
        List<AgreementProof> proofs = AgreementProof.all(Networks.sigmoidChain(48), ProofSettings.DEFAULTS);
        assertEquals(96, proofs.size());
        for (AgreementProof p : proofs) {
            AgreementOutcome.Proved proved = assertInstanceOf(AgreementOutcome.Proved.class, p.outcome(), p.text());
            assertEquals(AgreementOutcome.Proved.COMPOSITION, proved.prover());
            assertTrue(errorExponent(proved) >= 30, p.text());
        }
        assertEquals("W1[0][0]: proved by composition (the chain rule and the forward accumulation of Symja's local "
                + "rules are identical at 3 random points of GF(2⁶¹ − 1), in exact arithmetic; error probability < 1e−"
                + errorExponent((AgreementOutcome.Proved) proofs.get(0).outcome()) + ")", proofs.get(0).text());
    }

    private static int errorExponent(AgreementOutcome.Proved proved) {
        Matcher m = BOUND.matcher(proved.method());
        assertTrue(m.find(), proved.method());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void a_wrong_closed_form_is_never_proved_however_small_the_error() {
        NetworkSpec spec = Networks.twoLayer(Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        ChainRuleDerivation derivation = ChainRuleDerivation.of(spec);
        ClosedForm closedForm = new ClosedForm(derivation);
        CompositionProof composition = new CompositionProof(derivation.model(), derivation.samples(), 1994L);
        ParameterId theta = ParameterId.weight(1, 0, 1);
        Expr right = closedForm.derivative(theta);
        assertTrue(composition.prove(theta, right).isPresent());
        Map<String, Expr> wrong = new java.util.LinkedHashMap<>();
        wrong.put("scaled by 1 + 2⁻⁵⁰", new Expr.Product(List.of(Expr.num(1 + 0x1p-50), right)));
        wrong.put("plus 1e−300·x", new Expr.Sum(List.of(right, new Expr.Product(List.of(Expr.num(1e-300),
                Expr.sym(ClosedForm.input(0, 0)))))));
        wrong.put("another parameter's closed form", closedForm.derivative(ParameterId.weight(1, 0, 0)));
        wrong.put("two weights swapped", ExprAlgebra.substitute(right, Map.of("W2_0_0", Expr.sym("W2_1_0"),
                "W2_1_0", Expr.sym("W2_0_0"))));
        wrong.put("one sample only", closedFormOfFirstSample(spec, theta));
        for (Map.Entry<String, Expr> w : wrong.entrySet()) {
            assertTrue(composition.prove(theta, w.getValue()).isEmpty(), w.getKey());
        }
    }

    /** The closed form the derivation gives when it forgets every sample but the first. */
    private static Expr closedFormOfFirstSample(NetworkSpec spec, ParameterId theta) {
        NetworkSpec first = new NetworkSpec(spec.name(), spec.source(), spec.inputs(), spec.layers(), spec.loss(),
                spec.parameters(), new io.chainproof.spec.Data(new double[][] {spec.data().x()[0]},
                new double[][] {spec.data().y()[0]}));
        return new ClosedForm(ChainRuleDerivation.of(first)).derivative(theta);
    }

    @Test
    void the_accumulated_derivative_is_symjas_derivative_of_the_written_out_loss() {
        List<NetworkSpec> specs = List.of(Networks.twoLayer(Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY),
                Networks.twoLayer(Activation.SILU, Activation.SIGMOID, Loss.BCE),
                Networks.twoLayer(Activation.SOFTPLUS, Activation.IDENTITY, Loss.MSE));
        ProofSettings symja = ProofSettings.DEFAULTS.withSymjaOnly(true);
        for (NetworkSpec spec : specs) {
            ParameterId theta = ParameterId.weight(1, 1, 0);
            Expr accumulated = AgreementProof.of(spec, theta).direct().orElseThrow();
            Expr symjas = AgreementProof.of(spec, theta, symja).direct().orElseThrow();
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < 20; i++) {
                Map<String, Double> point = randomPoint(spec, random);
                double a = ExprEvaluator.evaluate(accumulated, point);
                double s = ExprEvaluator.evaluate(symjas, point);
                assertEquals(s, a, 1e-13 * Math.max(1, Math.abs(s)), spec.name() + " at " + point);
            }
        }
    }

    @Test
    void the_forms_at_the_specs_point_are_the_chain_rule_value() {
        NetworkSpec spec = Networks.twoLayer(Activation.GELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        for (ParameterId theta : List.of(ParameterId.weight(1, 1, 0), ParameterId.bias(2, 1))) {
            AgreementProof proof = AgreementProof.of(spec, theta);
            Map<String, Double> point = new HashMap<>();
            ChainRuleDerivation derivation = ChainRuleDerivation.of(spec);
            derivation.parameters().forEach(id -> point.put(id.symbol(), id.kind() == ParameterId.Kind.WEIGHT
                    ? spec.parameters().weight(id.layer())[id.row()][id.column()]
                    : spec.parameters().bias(id.layer())[id.row()]));
            for (int s = 0; s < spec.data().samples(); s++) {
                for (int k = 0; k < spec.inputs(); k++) {
                    point.put(ClosedForm.input(k, s), spec.data().x()[s][k]);
                }
                for (int j = 0; j < spec.outputs(); j++) {
                    point.put(ClosedForm.target(j, s), spec.data().y()[s][j]);
                }
            }
            double value = derivation.derive(theta).value();
            assertEquals(value, ExprEvaluator.evaluate(proof.closedForm().orElseThrow(), point), 1e-15, theta.name());
            assertEquals(value, ExprEvaluator.evaluate(proof.direct().orElseThrow(), point), 1e-15, theta.name());
        }
    }

    private static Map<String, Double> randomPoint(NetworkSpec spec, SplittableRandom random) {
        Map<String, Double> point = new HashMap<>();
        for (ParameterId id : ChainRuleDerivation.of(spec).parameters()) {
            point.put(id.symbol(), random.nextDouble(-2, 2));
        }
        for (int s = 0; s < spec.data().samples(); s++) {
            for (int k = 0; k < spec.inputs(); k++) {
                point.put(ClosedForm.input(k, s), random.nextDouble(-2, 2));
            }
            for (int j = 0; j < spec.outputs(); j++) {
                point.put(ClosedForm.target(j, s), random.nextDouble());
            }
        }
        return point;
    }

    @Test
    void every_bundled_network_is_proved_by_composition() throws java.io.IOException {
        List<String> checked = new ArrayList<>();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("examples"))) {
            for (java.nio.file.Path path : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (io.chainproof.spec.SpecReader.readAny(path) instanceof NetworkSpec spec) {
                    for (AgreementProof p : AgreementProof.all(spec, ProofSettings.DEFAULTS)) {
                        AgreementOutcome.Proved proved = assertInstanceOf(AgreementOutcome.Proved.class, p.outcome(),
                                path + " " + p.text());
                        assertEquals(AgreementOutcome.Proved.COMPOSITION, proved.prover(), path + " " + p.text());
                    }
                    checked.add(path.getFileName().toString());
                }
            }
        }
        assertEquals(List.of("lecture-chain-saturated.json", "lecture-chain.json", "mlp-2-3-2-1.json",
                "softmax-classifier.json"), checked);
    }

    @Test
    void every_parameter_of_a_large_network_is_declined_at_once_but_one_is_proved() {
        NetworkSpec spec = Networks.deep(4, 40);
        AgreementProver prover = new AgreementProver(spec, ProofSettings.DEFAULTS);
        long work = prover.proofWork();
        assertEquals(4L * 40 * 41, work);
        assertTrue(work * prover.parameters().size() > AgreementProver.ALL_PROOFS_WORK);
        List<AgreementProof> all = AgreementProof.all(spec, ProofSettings.DEFAULTS);
        assertEquals(6560, all.size());
        AgreementOutcome.TooLarge declined = assertInstanceOf(AgreementOutcome.TooLarge.class, all.get(0).outcome());
        assertEquals("proving all 6560 parameters of <deep> by composition takes about 43033600 scalar operations "
                + "(6560 per parameter), above the limit of 20000000; prove one at a time with derive --parameter; "
                + "compare numerically instead", declined.reason());
        AgreementProof one = AgreementProof.of(spec, ParameterId.weight(1, 3, 7));
        AgreementOutcome.Proved proved = assertInstanceOf(AgreementOutcome.Proved.class, one.outcome(), one.text());
        assertEquals(AgreementOutcome.Proved.COMPOSITION, proved.prover());
    }
}
