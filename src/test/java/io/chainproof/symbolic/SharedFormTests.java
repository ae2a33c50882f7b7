package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The closed form printed with its shared parts named: exactly the closed form, and linear in the network. */
class SharedFormTests {

    @Test
    void substituting_the_bindings_back_gives_the_closed_form_exactly() {
        List<NetworkSpec> specs = new ArrayList<>();
        for (Activation hidden : Activation.values()) {
            if (hidden != Activation.SOFTMAX) {
                specs.add(Networks.twoLayer(hidden, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
                specs.add(Networks.twoLayer(hidden, Activation.SIGMOID, Loss.BCE));
            }
        }
        specs.add(Networks.twoLayer(Activation.TANH, Activation.IDENTITY, Loss.MSE));
        specs.add(Networks.deep(4, 3));
        specs.add(Networks.sigmoidChain(12));
        int compared = 0;
        for (NetworkSpec spec : specs) {
            ChainRuleDerivation derivation = ChainRuleDerivation.of(spec);
            ClosedForm closedForm = new ClosedForm(derivation);
            for (ParameterId theta : derivation.parameters()) {
                Expr closed = closedForm.derivative(theta);
                SharedForm shared = closedForm.shared(closed);
                SplittableRandom random = new SplittableRandom(theta.hashCode());
                Map<String, Long> point = new HashMap<>();
                java.util.function.ToLongFunction<String> values = name -> point.computeIfAbsent(name,
                        n -> random.nextLong(PrimeField.P));
                long functions = random.nextLong();
                long expected = new FieldEvaluator(functions, values).value(closed);
                for (SharedForm.Binding b : shared.bindings()) {
                    assertTrue(!point.containsKey(b.symbol()), "each part is named once: " + b.symbol());
                    point.put(b.symbol(), new FieldEvaluator(functions, values).value(b.definition()));
                }
                assertEquals(expected, new FieldEvaluator(functions, values).value(shared.body()),
                        spec.name() + " " + theta.name());
                compared++;
            }
        }
        assertTrue(compared > 300, compared + " closed forms compared");
    }

    @Test
    void every_name_is_used_and_defined_before_it_is_used() {
        NetworkSpec spec = Networks.twoLayer(Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
        ChainRuleDerivation derivation = ChainRuleDerivation.of(spec);
        ClosedForm closedForm = new ClosedForm(derivation);
        SharedForm shared = closedForm.shared(closedForm.derivative(ParameterId.weight(1, 0, 0)));
        Set<String> defined = new HashSet<>();
        Set<String> used = new HashSet<>(ExprAlgebra.symbols(shared.body()));
        for (SharedForm.Binding b : shared.bindings()) {
            for (String s : ExprAlgebra.symbols(b.definition())) {
                if (shared.text().containsKey(s)) {
                    assertTrue(defined.contains(s), s + " is used by " + b.symbol() + " before its definition");
                    used.add(s);
                }
            }
            defined.add(b.symbol());
        }
        assertEquals(defined, used.stream().filter(shared.text()::containsKey).collect(java.util.stream.Collectors.toSet()));
        // the softmax's 1/Σe^z is rebuilt per output, but hash-consing names it once per sample
        long denominators = shared.bindings().stream().filter(b -> b.definition() instanceof Expr.Power p
                && p.base() instanceof Expr.Sum s
                && s.terms().stream().allMatch(t -> t instanceof Expr.Call c && c.fn() == Expr.Fn.EXP)).count();
        assertEquals(2, denominators, shared.bindings().toString());
        assertEquals("z₁,₁⁽ˢ¹⁾", shared.text().get(shared.bindings().get(0).symbol()));
    }

    @Test
    void a_deep_chain_is_written_in_linear_size_where_the_tree_is_quadratic() {
        for (int depth : new int[] {12, 24, 48}) {
            ChainRuleDerivation derivation = ChainRuleDerivation.of(Networks.sigmoidChain(depth));
            ClosedForm closedForm = new ClosedForm(derivation);
            Expr closed = closedForm.derivative(ParameterId.weight(1, 0, 0));
            SharedForm shared = closedForm.shared(closed);
            long written = ExprAlgebra.leafCount(shared.body());
            for (SharedForm.Binding b : shared.bindings()) {
                written += 1 + ExprAlgebra.leafCount(b.definition());
            }
            assertEquals(depth, shared.bindings().size(), "one z per layer");
            assertTrue(written <= 9L * depth, depth + ": " + written + " leaves");
            assertTrue(ExprAlgebra.leafCount(closed) >= (long) depth * depth, depth + ": tree " + ExprAlgebra.leafCount(closed));
        }
    }
}
