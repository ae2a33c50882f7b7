package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.VarianceDualNumber;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.testing.LayeredArbitrary;
import io.chainproof.testing.Networks;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On random recurrent and attention models (rnn, lstm, gru layers; weights up to 3× Xavier), the stitched tape gives
 * every parameter's complex step within its statistical estimate (plus the literal pass's own) of a full pass, its
 * worst-case bound is at least the literal one, and every kink the literal pass flags is flagged.
 */
class StitchedTapeProperties {

    @Provide
    Arbitrary<LayeredSpec> recurrent() {
        return Networks.layered().weightScale(3).families(LayeredArbitrary.Family.RECURRENT,
                LayeredArbitrary.Family.ATTENTION);
    }

    @Property(tries = 80)
    void the_stitched_complex_step_is_the_literal_one_within_its_estimate(@ForAll("recurrent") LayeredSpec spec) {
        Model model = Models.of(spec);
        double[] point = model.point();
        ComplexTape tape = ComplexTape.record(model, point);
        int[] all = IntStream.range(0, point.length).toArray();
        double[] estimates = new double[point.length];
        ComplexStepNumber[] stitched = tape.losses(all, estimates);
        for (int i = 0; i < point.length; i++) {
            int index = i;
            ComplexStepNumber literal = Literal.complexStep(model, point, index);
            VarianceDualNumber dual = Literal.varianceDual(model, point, index);
            String where = spec.name() + " " + model.parameterAt(i) + ": stitched " + stitched[i].derivative() + " ± "
                    + estimates[i] + " (bound " + stitched[i].errorBound() + "), literal " + literal.derivative() + " ± "
                    + dual.errorEstimate() + " (bound " + literal.errorBound() + ")";
            double gap = Math.abs(stitched[i].derivative() - literal.derivative());
            if (tape.stitches()) {
                assertTrue(gap <= estimates[i] + dual.errorEstimate(), where);
            } else {
                assertTrue(Double.isNaN(estimates[i]), where);
            }
            assertTrue(gap <= stitched[i].errorBound() + literal.errorBound(), where);
            assertTrue(stitched[i].errorBound() >= literal.errorBound() * (1 - 1e-12), where);
            assertTrue(!literal.nearKink() || stitched[i].nearKink(), where);
        }
    }
}
