package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
import io.chainproof.spec.SpecFormat;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conv net large enough that {@link GraphFunction} takes the complex step of its parameters on a tape (two padded
 * and pooled convolutions, layer norm, a dense layer; 1,326 parameters, 1.3·10⁸ operations of literal passes): the
 * check stays exhaustive, agrees with the literal complex step within its bounds, passes the true gradient and
 * flags a one-in-ten-million error in any one entry of any tensor, and nothing else.
 */
class TapedVerificationTests {

    static Model convNet() {
        String x = io.chainproof.TestData.images(2, 2, 12, 7);
        String spec = "{\"name\": \"taped\", \"inputs\": [2, 12, 12], \"layers\": ["
                + "{\"type\": \"conv2d\", \"channels\": 6, \"kernel\": 3, \"padding\": 1, \"activation\": \"tanh\"},"
                + "{\"type\": \"max_pool2d\", \"kernel\": 2},"
                + "{\"type\": \"conv2d\", \"channels\": 8, \"kernel\": 3, \"stride\": 1, \"activation\": \"gelu\"},"
                + "{\"type\": \"flatten\"}, {\"type\": \"layer_norm\"},"
                + "{\"type\": \"dense\", \"units\": 4, \"activation\": \"softmax\"}],"
                + "\"loss\": \"cross_entropy\", \"init\": {\"scheme\": \"he_uniform\", \"seed\": 3},"
                + "\"data\": {\"x\": " + x + ", \"y\": [[1, 0, 0, 0], [0, 0, 1, 0]]}}";
        return Models.of(SpecReader.parseAny(spec, "<test>", SpecFormat.JSON));
    }

    @Test
    void the_taped_check_is_exhaustive_passes_the_truth_and_flags_one_wrong_entry_in_each_tensor() {
        Model model = convNet();
        GraphFunction f = new GraphFunction(model);
        double[] point = f.point();
        assertTrue(point.length * perPass(f) >= GraphFunction.TAPE_WORK, "the tape serves this model");
        double[] truth = f.gradient(point);
        VerificationReport right = new GradientVerifier().verify(f, truth);
        assertFalse(right.fast(), "exhaustive");
        assertTrue(right.passed(), right.failures().toString());
        assertEquals(point.length, right.checks().size());
        for (Parameter p : model.parameters()) {
            int at = p.offset() + p.size() / 2;
            double[] claimed = truth.clone();
            claimed[at] += 1e-7 * Math.abs(claimed[at]) + 1e-15;
            VerificationReport wrong = new GradientVerifier().verify(f, claimed);
            List<String> failing = wrong.failures().stream().map(ParameterCheck::parameter).toList();
            assertEquals(List.of(f.parameterNames().get(at)), failing, p.name());
        }
    }

    @Test
    void taped_complex_steps_agree_with_literal_ones_within_their_bounds() {
        GraphFunction f = new GraphFunction(convNet());
        double[] point = f.point();
        int[] sample = java.util.stream.IntStream.range(0, point.length).filter(i -> i % 37 == 0).toArray();
        ComplexStep.Result[] taped = f.complexStep(point, java.util.stream.IntStream.range(0, point.length).toArray());
        for (int i : sample) {
            double[] e = new double[point.length];
            e[i] = 1;
            ComplexStep.Result literal = f.complexStep(point, e);
            double gap = Math.abs(literal.value() - taped[i].value());
            assertTrue(gap <= literal.estimate().errorEstimate() + taped[i].estimate().errorEstimate(),
                    f.parameterNames().get(i) + ": taped " + taped[i].value() + ", literal " + literal.value());
            assertEquals(literal.nearKink(), taped[i].nearKink(), f.parameterNames().get(i));
        }
    }

    private static double perPass(GraphFunction f) {
        return f.model().nodes().stream().mapToDouble(n -> {
            int[] sizes = new int[n.inputCount()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = f.model().tensor(n.input(i)).size();
            }
            return n.op().work(sizes);
        }).sum();
    }
}
