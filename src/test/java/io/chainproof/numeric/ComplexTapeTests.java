package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tape's complex step is the literal one: for every parameter of every reference spec and bundled example (MLPs,
 * RNNs, layered models, formulas), at the spec's point and at another point, the same derivative, rounding bound and
 * kink flag as a full pass of the graph in {@link ComplexStepNumber} arithmetic. Parameter by parameter the
 * imaginary parts are summed in the same order, so the values are mostly equal bit for bit; where a sum's terms
 * arrive in another order than the walk added them, they differ by a few roundings, which
 * {@link #assertSameAsLiteral} allows and counts. By superposition they agree within the rounding bounds.
 */
class ComplexTapeTests {

    @TestFactory
    Stream<DynamicTest> the_tape_gives_the_literal_complex_step_for_every_parameter() throws IOException {
        return GraphCompilerTests.specs().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            assertSameAsLiteral(model, model.point(), p.toString());
            assertSameAsLiteral(model, GraphCompilerTests.elsewhere(model.point()), p + " elsewhere");
        }));
    }

    /**
     * Asserts the tape's complex step of every parameter against a full pass of the graph in complex-step
     * arithmetic. Parameter by parameter ({@link ComplexTape#loss(int)}): the kink flag equal, the derivative equal
     * (or, if not, within 8 roundings of the magnitude propagated with it), the rounding bound equal to 1e−12. By
     * superposition ({@link ComplexTape#losses}): the derivative within the two rounding bounds of the literal one,
     * the bound at least the literal bound, and a kink flagged wherever the literal pass flags one.
     *
     * @return how many derivatives parameter by parameter were not equal bit for bit
     */
    static int assertSameAsLiteral(Model model, double[] point, String where) {
        ComplexTape tape = ComplexTape.record(model, point);
        assertEquals(ModelEvaluator.loss(model, point), tape.value(), 0.0, where + ": the recorded loss");
        ComplexStepNumber[] superposed = tape.losses(IntStream.range(0, point.length).toArray());
        int inexact = 0;
        for (int i = 0; i < point.length; i++) {
            int index = i;
            ComplexStepNumber literal = Literal.complexStep(model, point, index);
            ComplexStepNumber taped = tape.loss(i);
            String name = where + ": " + model.parameterAt(i);
            if (literal.nearKink() != taped.nearKink()) {
                fail(name + ": kink flag " + taped.nearKink() + " on the tape, " + literal.nearKink() + " literally");
            }
            double d = literal.derivative();
            double t = taped.derivative();
            if (d != t && !(Double.isNaN(d) && Double.isNaN(t))) {
                inexact++;
                double magnitude = literal.magnitude() / ComplexStepNumber.STEP;
                if (!(Math.abs(d - t) <= 8 * Math.ulp(1.0) * magnitude)) {
                    fail(name + ": ∂L = " + t + " on the tape, " + d + " literally (magnitude " + magnitude + ")");
                }
            }
            double lb = literal.errorBound();
            double tb = taped.errorBound();
            if (!(Math.abs(lb - tb) <= 1e-12 * Math.abs(lb)) && !(lb == tb)) {
                fail(name + ": rounding bound " + tb + " on the tape, " + lb + " literally");
            }
            ComplexStepNumber sum = superposed[i];
            double sb = sum.errorBound();
            if (!(Math.abs(sum.derivative() - d) <= lb + sb) && !(Double.isNaN(d) && Double.isNaN(sum.derivative()))) {
                fail(name + ": ∂L = " + sum.derivative() + " by superposition, " + d + " literally, bounds " + sb
                        + " and " + lb);
            }
            if (!(sb >= lb * (1 - 1e-12)) && !(Double.isNaN(lb) && Double.isNaN(sb))) {
                fail(name + ": rounding bound " + sb + " by superposition is below the literal " + lb);
            }
            if (literal.nearKink() && !sum.nearKink()) {
                fail(name + ": a kink the literal pass flags is missed by superposition");
            }
        }
        return inexact;
    }

    @Test
    void a_dense_weight_runs_a_small_cone_and_a_first_convolution_weight_a_large_one() throws IOException {
        Model model = Models.of(SpecReader.readAny(Path.of("examples/small-cnn.json")));
        ComplexTape tape = ComplexTape.record(model, model.point());
        int first = tape.cone(0);
        int last = tape.cone(model.parameterCount() - 1);
        assertTrue(first > 4 * last && first < tape.size(), "cones " + first + " and " + last + " of " + tape.size());
        assertThrows(IllegalArgumentException.class, () -> ComplexTape.record(model, new double[1]));
    }
}
