package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgreementProofTests {

    /**
     * Symja on the whole written-out loss (these tests are about that route; CompositionProofTests covers the
     * default one), with 2 s per symbolic attempt to keep the suite short.
     */
    private static final ProofSettings QUICK = ProofSettings.DEFAULTS.withSymbolicTimeLimit(Duration.ofSeconds(2))
            .withSymjaOnly(true);
    private static final ParameterId DEEPEST_WEIGHT = ParameterId.weight(1, 0, 1);

    @Test
    void every_parameter_of_the_lecture_chain_is_proved_symbolically() {
        List<AgreementProof> proofs = AgreementProof.all(Networks.lectureChain(-0.5, -250),
                ProofSettings.DEFAULTS.withSymjaOnly(true));
        assertEquals(6, proofs.size());
        for (AgreementProof p : proofs) {
            assertInstanceOf(AgreementOutcome.Proved.class, p.outcome(), p.text());
        }
        assertEquals("W1[0][0]: proved by Symja (Together[ExpandAll[PowerExpand[c − D[L, θ]]]] = 0)", proofs.get(0).text());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "SOFTMAX", mode = EnumSource.Mode.EXCLUDE)
    void the_chain_rule_agrees_with_symjas_derivative_for_every_activation(Activation hidden) {
        NetworkSpec spec = Networks.twoLayer(hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        AgreementProof proof = AgreementProof.of(spec, DEEPEST_WEIGHT, QUICK);
        assertTrue(proof.outcome().agrees(), proof.text());
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void the_chain_rule_agrees_with_symjas_derivative_for_every_loss(Loss loss) {
        Activation output = switch (loss) {
            case BCE -> Activation.SIGMOID;
            case CROSS_ENTROPY -> Activation.SOFTMAX;
            default -> Activation.IDENTITY;
        };
        NetworkSpec spec = Networks.twoLayer(Activation.TANH, output, loss);
        for (ParameterId p : List.of(DEEPEST_WEIGHT, ParameterId.bias(2, 1))) {
            AgreementProof proof = AgreementProof.of(spec, p, QUICK);
            assertTrue(proof.outcome().agrees(), proof.text());
        }
    }

    @Test
    void the_closed_form_at_the_specs_point_is_the_chain_rule_value() {
        NetworkSpec spec = Networks.twoLayer(Activation.SILU, Activation.SIGMOID, Loss.BCE);
        AgreementProof proof = AgreementProof.of(spec, DEEPEST_WEIGHT, QUICK);
        Map<String, Double> point = specPoint(spec);
        double chainRule = ChainRuleDerivation.of(spec).derive(DEEPEST_WEIGHT).value();
        assertEquals(chainRule, ExprEvaluator.evaluate(proof.closedForm().orElseThrow(), point), 1e-15);
        assertEquals(chainRule, ExprEvaluator.evaluate(proof.direct().orElseThrow(), point), 1e-15);
    }

    private static Map<String, Double> specPoint(NetworkSpec spec) {
        Map<String, Double> point = new HashMap<>();
        ChainRuleDerivation.of(spec).parameters().forEach(id -> point.put(id.symbol(), id.kind() == ParameterId.Kind.WEIGHT
                ? spec.parameters().weight(id.layer())[id.row()][id.column()] : spec.parameters().bias(id.layer())[id.row()]));
        for (int s = 0; s < spec.data().samples(); s++) {
            for (int k = 0; k < spec.inputs(); k++) {
                point.put(ClosedForm.input(k, s), spec.data().x()[s][k]);
            }
            for (int j = 0; j < spec.outputs(); j++) {
                point.put(ClosedForm.target(j, s), spec.data().y()[s][j]);
            }
        }
        return point;
    }

    @Test
    void a_wrong_closed_form_is_caught_at_a_random_point() {
        NetworkSpec spec = Networks.twoLayer(Activation.TANH, Activation.IDENTITY, Loss.SSE);
        AgreementProof proof = AgreementProof.of(spec, DEEPEST_WEIGHT, QUICK);
        Expr direct = proof.direct().orElseThrow();
        Expr wrong = ExprAlgebra.sum(direct, Expr.num(1e-6));
        AgreementOutcome outcome = new AgreementProver(spec, QUICK).compareNumerically(wrong, direct);
        AgreementOutcome.Disagrees d = assertInstanceOf(AgreementOutcome.Disagrees.class, outcome);
        assertEquals(1e-6, d.chainRuleValue() - d.directValue(), 1e-12);
        assertTrue(d.relativeError() > QUICK.relativeTolerance());
        assertTrue(d.point().containsKey("W1_0_1") && d.point().containsKey("x_1_s1"), d.point().toString());
        assertTrue(!d.agrees());
    }

    @Test
    void the_numeric_check_uses_the_configured_number_of_points() {
        NetworkSpec spec = Networks.twoLayer(Activation.RELU, Activation.IDENTITY, Loss.MSE);
        AgreementProof proof = AgreementProof.of(spec, DEEPEST_WEIGHT, QUICK);
        AgreementOutcome outcome = new AgreementProver(spec, QUICK.withPoints(37))
                .compareNumerically(proof.closedForm().orElseThrow(), proof.direct().orElseThrow());
        AgreementOutcome.CheckedNumerically c = assertInstanceOf(AgreementOutcome.CheckedNumerically.class, outcome);
        assertEquals(37, c.points());
        assertTrue(c.maxRelativeError() <= QUICK.relativeTolerance(), c.toString());
    }

    @Test
    void points_at_a_relu_kink_are_redrawn_until_none_is_left() {
        NetworkSpec spec = Networks.twoLayer(Activation.RELU, Activation.IDENTITY, Loss.MSE);
        ProofSettings everyPointIsAKink = new ProofSettings(20, 1e-12, Duration.ofSeconds(1), 1L, 2.0, 5000, 1e9, true);
        AgreementProver prover = new AgreementProver(spec, everyPointIsAKink);
        Expr any = Expr.num(0);
        ChainproofException e = assertThrows(ChainproofException.class, () -> prover.compareNumerically(any, any));
        assertEquals("Only 0 of 20 random points of network <relu-identity> gave finite values away from relu kinks in "
                + "2000 attempts; the loss may be undefined for most parameters — check the loss and output activation",
                e.getMessage());
    }

    @Test
    void a_network_too_large_for_symja_is_not_compared() {
        AgreementProof proof = AgreementProof.of(Networks.lectureChain(-0.5, -250), DEEPEST_WEIGHT_OF_CHAIN,
                QUICK.withMaxLeafCount(9));
        AgreementOutcome.TooLarge t = assertInstanceOf(AgreementOutcome.TooLarge.class, proof.outcome());
        // ((σ(w₃·σ(w₂·σ(w₁·x + b₁) + b₂) + b₃) + (−1)·y)²: ten leaves
        assertEquals("the loss of network <chain-3> written out has 10 leaves, above the limit of 9 "
                + "(ProofSettings.maxLeafCount); compare numerically instead", t.reason());
        assertTrue(proof.closedForm().isEmpty() && proof.direct().isEmpty());
        assertEquals("W1[0][0]: not compared: " + t.reason(), proof.text());
    }

    private static final ParameterId DEEPEST_WEIGHT_OF_CHAIN = ParameterId.weight(1, 0, 0);
}
