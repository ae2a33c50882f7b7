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
}
