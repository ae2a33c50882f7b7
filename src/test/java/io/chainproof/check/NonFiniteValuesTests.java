package io.chainproof.check;

import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loss or gradient that is not finite is a finding: the first node whose output overflows (or whose passed-back
 * gradient overflows) from finite numbers, with the sum or product that did it. The expected numbers are computed
 * here from the specs' parameters with java.lang.Math, not by the code under test.
 */
class NonFiniteValuesTests {

    private static final String DIR = "src/test/resources/specs/nonfinite/";

    private static NonFiniteValues.Finding finding(String file) {
        LossFunction f = LossFunctions.of(SpecReader.readAny(Path.of(DIR + file)));
        double[] point = f.point();
        Optional<NonFiniteValues.Finding> found = NonFiniteValues.find(f, point, f.loss(point), f.gradient(point));
        assertTrue(found.isPresent(), file);
        return found.get();
    }

    private static String g3(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    @Test
    void names_the_product_that_overflows_in_an_affine_sum() {
        // W1 = W2 = 1e200, identity layers: z1 = 1e200 is finite, z2 = W2·o1 = 1e400 is not
        NonFiniteValues.Finding f = finding("overflow.json");
        assertFalse(f.backward());
        assertEquals("layer 2 (dense[1×1→1])", f.node());
        assertEquals("z2[0][0]", f.entry());
        assertEquals(Double.POSITIVE_INFINITY, f.value());
        assertTrue(f.cause().contains("W2[0][0]·o1[0][0] = 1.00e+200 × 1.00e+200 already overflows"), f.cause());
        assertTrue(f.message().startsWith("the forward pass overflows: layer 2"), f.message());
        assertTrue(f.message().contains("Fix: scale the weights or the inputs down"), f.message());
    }

    @Test
    void names_a_sum_of_finite_terms_that_overflows_with_its_largest_terms() {
        NonFiniteValues.Finding f = finding("sum.json");
        assertEquals("z1[0][0]", f.entry());
        assertTrue(f.cause().contains("(3 terms) of finite terms whose total overflows; the largest: "
                + "W1[0][0]·x[0][0] = 1.00e+308, W1[0][1]·x[0][1] = 1.00e+308, W1[0][2]·x[0][2] = -1.00"), f.cause());
    }

    @Test
    void names_the_loss_when_only_the_loss_overflows() {
        // z2 = 1e300·tanh(2e300) − 1e300·tanh(1) = 1e300·(1 − tanh 1), finite; (z2 − 1)² is not
        NonFiniteValues.Finding f = finding("loss-overflow.json");
        assertEquals("L", f.entry());
        assertTrue(f.node().startsWith("layer 2 ("), f.node());
        assertTrue(f.cause().contains("z2 = " + g3(1e300 * (1 - Math.tanh(1)))), f.cause());
    }

    @Test
    void names_the_backward_product_when_only_the_gradient_overflows() {
        // z1 = 1e-300·1e300 = 1, z2 = 1e10·tanh 1; ∂L/∂z1 = 2(z2 − 1)·1e10·(1 − tanh² 1) is finite,
        // ∂L/∂W1 = ∂L/∂z1 · x with x = 1e300 is not
        NonFiniteValues.Finding f = finding("back.json");
        double dz1 = 2 * (1e10 * Math.tanh(1) - 1) * 1e10 * (1 - Math.tanh(1) * Math.tanh(1));
        assertTrue(f.backward());
        assertEquals("layer 1 (dense[1×1→1])", f.node());
        assertEquals("∂L/∂W1[0][0]", f.entry());
        assertTrue(f.cause().contains("∂L/∂z1[0][0]·x[0][0], where " + g3(dz1) + " × 1.00e+300 already overflows"),
                f.cause());
        assertTrue(f.message().startsWith("the backward pass overflows"), f.message());
    }

    @Test
    void names_the_point_of_a_formula_at_a_pole_or_where_it_has_no_derivative() {
        NonFiniteValues.Finding pole = finding("pole.json");
        assertEquals("the formula", pole.node());
        assertTrue(pole.cause().contains("at the spec's point w = 0.5, x = 1.0, y = 2.0"), pole.cause());
        assertTrue(pole.fix().contains("away from its poles"), pole.fix());
        NonFiniteValues.Finding sqrt = finding("sqrt.json");
        assertTrue(sqrt.backward());
        assertEquals("∂L/∂w", sqrt.entry());
        assertTrue(sqrt.cause().contains("w = 0.0"), sqrt.cause());
    }

    @Test
    void finds_nothing_in_finite_models() {
        for (String spec : new String[] {"examples/lecture-chain.json", "examples/small-cnn.json",
                "examples/rnn-tanh-every.json", "examples/lecture-chain-formula.json"}) {
            LossFunction f = LossFunctions.of(SpecReader.readAny(Path.of(spec)));
            double[] point = f.point();
            assertEquals(Optional.empty(), NonFiniteValues.find(f, point, f.loss(point), f.gradient(point)), spec);
            assertEquals(Optional.empty(), NonFiniteValues.find(f.opGraph().orElseThrow(), point), spec);
        }
    }

    @Test
    void a_claimed_infinity_is_a_non_finite_verdict_and_no_fault_is_localised() {
        LossFunction f = LossFunctions.of(SpecReader.readAny(Path.of("examples/mlp-2-3-2-1.json")));
        double[] claimed = f.gradient(f.point());
        claimed[0] = Double.POSITIVE_INFINITY;
        claimed[5] = -claimed[5];
        VerificationReport report = new GradientVerifier().verifyExhaustively(f, claimed);
        assertFalse(report.passed());
        assertTrue(report.checks().get(0).verdict() instanceof Verdict.NonFinite);
        assertTrue(report.checks().get(5).verdict() instanceof Verdict.Disagrees);
        assertEquals(Optional.empty(), report.localisation());
    }
}
