package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.graph.ParameterId;
import io.chainproof.spec.NetworkSpec;

import java.util.Objects;
import java.util.Optional;

/**
 * A second derivative ∂²L/∂a∂b of an MLP's loss (a = b: ∂²L/∂a²) by two routes, and how they were found to agree:
 * the chain rule's closed form of ∂L/∂a — the first-order derivation's product of lecture factors — differentiated
 * by b (the product rule over those factors), and Symja's {@code D[L, a, b]} of the written-out loss; equal by
 * Symja's {@code Together} within the time limit, else compared at seeded random points. Instances are immutable.
 *
 * @param first     a
 * @param second    b
 * @param outcome   proved, checked numerically, disagreeing, or too large to compare
 * @param chainRule ∂(∂L/∂a)/∂b from the chain rule's closed form, when written out
 * @param direct    Symja's D[L, a, b], when written out
 */
public record SecondOrderProof(ParameterId first, ParameterId second, AgreementOutcome outcome,
                               Optional<Expr> chainRule, Optional<Expr> direct) {

    /**
     * Validates the components.
     *
     * @param first     a
     * @param second    b
     * @param outcome   how the routes compare
     * @param chainRule the chain-rule route's expression
     * @param direct    Symja's direct expression
     */
    public SecondOrderProof {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(chainRule, "chainRule");
        Objects.requireNonNull(direct, "direct");
    }

    /**
     * Derives and proves ∂²L/∂a∂b for {@code spec}.
     *
     * @param spec     the network
     * @param first    a
     * @param second   b (equal to a for ∂²L/∂a²)
     * @param settings time limits, points and tolerance of the comparison
     * @return the proof
     * @throws IllegalArgumentException if a parameter is not in the network
     */
    public static SecondOrderProof of(NetworkSpec spec, ParameterId first, ParameterId second, ProofSettings settings) {
        return new AgreementProver(spec, settings).proveSecond(first, second);
    }

    /**
     * Whether this is a mixed derivative (a ≠ b).
     *
     * @return true for ∂²L/∂a∂b with a ≠ b
     */
    public boolean mixed() {
        return !first.equals(second);
    }

    /**
     * The chain-rule route's value at the spec's parameters and data (NaN if it was not written out).
     *
     * @param spec the network this proof is of
     * @return ∂²L/∂a∂b at the spec's point, evaluated from the expression
     */
    public double valueAt(NetworkSpec spec) {
        if (chainRule.isEmpty()) {
            return Double.NaN;
        }
        io.chainproof.graph.ComputationGraph graph = io.chainproof.graph.ComputationGraph.of(spec);
        java.util.Map<String, Double> point = new java.util.HashMap<>();
        double[] values = graph.parameterValues();
        for (int i = 0; i < values.length; i++) {
            point.put(graph.parameters().get(i).symbol(), values[i]);
        }
        double[][] x = spec.data().x();
        double[][] y = spec.data().y();
        for (int s = 0; s < x.length; s++) {
            for (int k = 0; k < x[s].length; k++) {
                point.put(ClosedForm.input(k, s), x[s][k]);
            }
            for (int j = 0; j < y[s].length; j++) {
                point.put(ClosedForm.target(j, s), y[s][j]);
            }
        }
        return io.chainproof.expr.ExprEvaluator.evaluate(chainRule.get(), point);
    }

    /**
     * How the two routes compare, in words, e.g. {@code proved by Symja (…)}.
     *
     * @return the outcome in words
     */
    public String outcomeText() {
        if (outcome instanceof AgreementOutcome.Proved p) {
            return "proved by Symja (" + p.method() + ")";
        }
        if (outcome instanceof AgreementOutcome.CheckedNumerically c) {
            return "agrees at " + c.points() + " random points (max relative error "
                    + String.format(java.util.Locale.ROOT, "%.1e", c.maxRelativeError()) + ")";
        }
        if (outcome instanceof AgreementOutcome.Disagrees d) {
            return "DISAGREES: chain rule " + d.chainRuleValue() + " but D[L, θ₁, θ₂] " + d.directValue()
                    + " (relative error " + d.relativeError() + ")";
        }
        return "not compared: " + ((AgreementOutcome.TooLarge) outcome).reason();
    }
}
