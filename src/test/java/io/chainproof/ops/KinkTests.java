package io.chainproof.ops;

import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.DualNumber;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kink is a branch whose one-sided derivatives differ; a branch whose pieces join with equal slopes is not one,
 * and the numbers that carry a derivative mark the first and not the second.
 */
class KinkTests {

    @Test
    void relu_and_leaky_relu_have_kinks_and_the_smooth_activations_have_none() {
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX) {
                boolean kinked = a == Activation.RELU || a == Activation.LEAKY_RELU;
                assertEquals(kinked, a.elementwise().kinked(), a.specName());
                assertEquals(kinked, Activations.piecewise(a), a.specName());
            }
        }
        // elu and softsign branch at 0, but their pieces join with slope 1 on both sides
        assertFalse(Activation.ELU.elementwise().branchTests().isEmpty(), "elu is piecewise");
        assertFalse(Activation.SOFTSIGN.elementwise().branchTests().isEmpty(), "softsign is piecewise");
    }

    @Test
    void a_branch_taken_within_the_band_of_zero_is_marked_only_where_the_pieces_do_not_join() {
        ComplexStepNumber z = ComplexStepNumber.seed(1e-12, 1);
        assertTrue(z.ifPositive(z, z.multiply(z.field().constant(0.01))).nearKink(), "relu-like: a kink");
        assertFalse(z.ifPositiveJoined(z, z.expm1()).nearKink(), "pieces with equal slopes at 0: no kink");
        DualNumber d = DualNumber.seed(-1e-12, 1);
        assertTrue(d.ifPositive(d, d.field().constant(0)).nearKink());
        assertFalse(d.ifPositiveJoined(d, d.expm1()).nearKink());
        assertEquals(1.0, z.ifPositiveJoined(z, z.expm1()).derivative(), 1e-11, "the slope either side is 1");
    }

    @Test
    void a_tie_of_two_entries_that_move_together_is_no_kink_along_that_direction() {
        // two entries equal and carrying the same derivative (max pooling over a padded border: both are the bias)
        ComplexStepNumber a = ComplexStepNumber.seed(0.3, 1);
        ComplexStepNumber b = ComplexStepNumber.seed(0.3, 1);
        ComplexStepNumber max = b.subtract(a).ifPositive(b, a);
        assertFalse(max.nearKink(), "max(f, f) is differentiable");
        assertEquals(1.0, max.derivative(), 0.0);
        // the same tie where only one entry moves is a kink
        ComplexStepNumber fixed = a.field().constant(0.3);
        assertTrue(fixed.subtract(a).ifPositive(fixed, a).nearKink(), "max(f, c) at f = c is a kink");
        DualNumber d = DualNumber.seed(0.3, 1);
        assertFalse(d.subtract(d).ifPositive(d, d).nearKink());
    }
}
