package io.chainproof.number;

import io.chainproof.expr.Expr;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import static io.chainproof.number.CommonsMathReference.call;
import static io.chainproof.number.CommonsMathReference.derivative;
import static io.chainproof.number.CommonsMathReference.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DualNumber} on random small networks
 * {@code f(w) = tanh(a·σ(b·w + c) + d·softplus(e·w) − g·erf(w)) / (1 + w²) + sech(w)·w^{1.5}} with weights in
 * [−3, 3] and w in (0, 4]: the tangent is Commons Math's {@link DerivativeStructure} (an outside reference), and the
 * primal value is the plain double evaluation bit for bit. Measured over the 1000 seeded tries: largest
 * |tangent − reference| / max(|reference|, magnitude) 2.0e−16; relative to |reference| alone up to 8.5e−15, where
 * the tangent's terms cancel — hence the floor.
 */
class DualNumberProperties {

    @Provide
    Arbitrary<Double> points() {
        return Arbitraries.doubles().between(1e-3, 4).ofScale(12);
    }

    @Provide
    Arbitrary<Double> weights() {
        return Arbitraries.doubles().between(-3, 3).ofScale(12);
    }

    static <T extends Real<T>> T network(T w, double a, double b, double c, double d, double e, double g) {
        T hidden = w.multiply(b).add(c).sigmoid().multiply(a).add(w.multiply(e).softplus().multiply(d))
                .subtract(w.erf().multiply(g));
        return hidden.tanh().divide(w.square().add(1)).add(w.call(Expr.Fn.SECH).multiply(w.pow(1.5)));
    }

    static DerivativeStructure network(DerivativeStructure w, double a, double b, double c, double d, double e,
                                       double g) {
        DerivativeStructure hidden = call(Expr.Fn.SIGMOID, w.multiply(b).add(c)).multiply(a)
                .add(call(Expr.Fn.SOFTPLUS, w.multiply(e)).multiply(d)).subtract(call(Expr.Fn.ERF, w).multiply(g));
        return call(Expr.Fn.TANH, hidden).divide(w.multiply(w).add(1)).add(call(Expr.Fn.SECH, w).multiply(w.pow(1.5)));
    }

    /**
     * The tangent agrees with DerivativeStructure to {@link DualNumberTests#AGREEMENT} relative to the larger of
     * the reference and the tangent's magnitude: where the terms of the tangent cancel, neither side knows it
     * better than u times the size of those terms.
     */
    @Property(tries = 1000, seed = "20261201")
    void the_tangent_of_a_random_network_is_commons_maths(
            @ForAll("points") double w, @ForAll("weights") double a, @ForAll("weights") double b,
            @ForAll("weights") double c, @ForAll("weights") double d, @ForAll("weights") double e,
            @ForAll("weights") double g) {
        DualNumber dual = network(DualNumber.seed(w, 1), a, b, c, d, e, g);
        double expected = derivative(network(variable(w), a, b, c, d, e, g));
        double scale = Math.max(Math.abs(expected), dual.magnitude());
        assertTrue(Math.abs(dual.tangent() - expected) <= DualNumberTests.AGREEMENT * scale,
                "tangent ==> expected: <" + expected + "> but was: <" + dual.tangent() + ">");
    }

    @Property(tries = 1000, seed = "20261201")
    void the_primal_value_is_the_double_evaluation_bit_for_bit(
            @ForAll("points") double w, @ForAll("weights") double a, @ForAll("weights") double b,
            @ForAll("weights") double c, @ForAll("weights") double d, @ForAll("weights") double e,
            @ForAll("weights") double g) {
        double plain = network(new DoubleNumber(w), a, b, c, d, e, g).value();
        assertEquals(plain, network(DualNumber.seed(w, 1), a, b, c, d, e, g).value(), 0.0);
        assertEquals(plain, network(ComplexStepNumber.seed(w, 1), a, b, c, d, e, g).value(), 0.0);
    }
}
