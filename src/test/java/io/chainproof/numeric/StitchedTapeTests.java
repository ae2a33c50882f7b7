package io.chainproof.numeric;

import io.chainproof.TestData;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.VarianceDualNumber;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A recurrent model's tape cuts its cones at the states between steps and stitches them by the chain rule: the work
 * grows linearly with the sequence, not as its square, the derivatives are the literal complex step's within the
 * statistical estimate of the stitched computation's rounding, and that estimate is informative where the worst-case
 * bound (absolute values multiplied along every path) is not.
 */
class StitchedTapeTests {

    private static Model lstm(int steps, int hidden) {
        return Models.of(SpecReader.parseAny(TestData.lstm(steps, hidden), "<lstm>", SpecFormat.JSON));
    }

    private static int[] all(Model model) {
        return IntStream.range(0, model.parameterCount()).toArray();
    }

    @Test
    void the_work_of_a_recurrent_tape_is_linear_in_the_steps_and_far_below_one_cone_per_parameter() {
        Model short20 = lstm(20, 6);
        Model long40 = lstm(40, 6);
        ComplexTape a = ComplexTape.record(short20, short20.point());
        ComplexTape b = ComplexTape.record(long40, long40.point());
        assertTrue(a.stitches() && b.stitches(), "an lstm's tape stitches at its states");
        double stitched = b.work(all(long40));
        double ratio = stitched / a.work(all(short20));
        double literal = IntStream.of(b.cones(all(long40))).asLongStream().sum();
        assertTrue(ratio < 2.5, "twice the steps, " + ratio + " times the stitched work");
        assertTrue(stitched < literal / 10, "stitched work " + stitched + ", one cone per parameter " + literal);
    }

    @Test
    void a_model_without_recurrent_states_does_not_stitch() throws IOException {
        Model mlp = Models.of(SpecReader.readAny(Path.of("examples/mlp-2-3-2-1.json")));
        ComplexTape tape = ComplexTape.record(mlp, mlp.point());
        assertFalse(tape.stitches());
        double[] estimates = new double[mlp.parameterCount()];
        tape.losses(all(mlp), estimates);
        assertTrue(IntStream.range(0, estimates.length).allMatch(i -> Double.isNaN(estimates[i])),
                "no stitched estimate without stitching");
    }

    /**
     * Every parameter of a 40-step lstm: the stitched derivative within its estimate (plus the literal pass's own,
     * from {@link VarianceDualNumber}) of the literal complex step, the estimate below 1e−12 of the largest
     * derivative, the worst-case bound at least the literal pass's.
     */
    @Test
    void stitched_derivatives_agree_with_the_literal_complex_step_within_their_estimates() {
        Model model = lstm(40, 6);
        double[] point = model.point();
        ComplexTape tape = ComplexTape.record(model, point);
        double[] estimates = new double[point.length];
        ComplexStepNumber[] stitched = tape.losses(all(model), estimates);
        double largest = 0;
        for (ComplexStepNumber s : stitched) {
            largest = Math.max(largest, Math.abs(s.derivative()));
        }
        for (int i = 0; i < point.length; i++) {
            int index = i;
            ComplexStepNumber literal = Literal.complexStep(model, point, index);
            VarianceDualNumber dual = Literal.varianceDual(model, point, index);
            double gap = Math.abs(stitched[i].derivative() - literal.derivative());
            String name = model.parameterAt(i) + ": stitched " + stitched[i].derivative() + " ± " + estimates[i]
                    + ", literal " + literal.derivative() + " ± " + dual.errorEstimate();
            if (!(gap <= estimates[i] + dual.errorEstimate())) {
                fail(name + ": apart by " + gap);
            }
            if (!(estimates[i] <= 1e-12 * largest)) {
                fail(name + ": the estimate is not informative (largest derivative " + largest + ")");
            }
            if (!(stitched[i].errorBound() >= literal.errorBound() * (1 - 1e-12))) {
                fail(name + ": stitched bound " + stitched[i].errorBound() + " below the literal " + literal.errorBound());
            }
        }
    }

    /**
     * The benchmark's lstm (hidden 32, 50 steps): for a weight of each tensor, the literal pass's worst-case bound is
     * above 1e−8 of the derivative — no verdict can use it — while the stitched estimate is below 1e−11 of it and
     * covers the gap to the literal value.
     */
    @Test
    void along_fifty_steps_the_estimate_is_informative_where_the_worst_case_bound_is_not() {
        Model model = lstm(50, 32);
        double[] point = model.point();
        ComplexTape tape = ComplexTape.record(model, point);
        int[] chosen = model.parameters().stream().mapToInt(p -> p.offset() + p.size() / 3).toArray();
        double[] estimates = new double[chosen.length];
        ComplexStepNumber[] stitched = tape.losses(chosen, estimates);
        int uninformative = 0;
        for (int k = 0; k < chosen.length; k++) {
            int index = chosen[k];
            ComplexStepNumber literal = Literal.complexStep(model, point, index);
            double d = Math.abs(literal.derivative());
            String name = model.parameterAt(index) + ": ∂L = " + literal.derivative() + ", bound "
                    + literal.errorBound() + ", stitched " + stitched[k].derivative() + " ± " + estimates[k];
            assertTrue(estimates[k] < 1e-11 * d, name);
            assertTrue(Math.abs(stitched[k].derivative() - literal.derivative()) <= estimates[k], name);
            if (literal.errorBound() > 1e-8 * d) {
                uninformative++;
            }
        }
        assertTrue(uninformative >= chosen.length - 1, uninformative + " of " + chosen.length
                + " worst-case bounds above 1e−8 relative");
    }
}
