package example.mlp;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.chainproof.testing.GradientAssertions.assertGradientCorrect;
import static io.chainproof.testing.GradientAssertions.assertGradientsMatch;
import static io.chainproof.testing.GradientAssertions.assertGrowthBounded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our backprop, checked by chainproof: one-line assertions, and a planted bug that must be caught. */
class TinyMlpTests {

    private static final NetworkSpec SPEC = SpecReader.read(Path.of("src/test/resources/tiny-mlp.json"));

    @Test
    void backprop_matches_chainproof() {
        assertGradientsMatch(SPEC, Adapter.gradients(Adapter.mlp(SPEC), SPEC), "TinyMlp backprop");
    }

    @Test
    void the_loss_gradient_is_correct_as_a_function_of_every_parameter() {
        double[] theta = flatten(SPEC.parameters().weights(), SPEC.parameters().biases());
        assertGradientCorrect(t -> mlpAt(t).loss(SPEC.data().x(), SPEC.data().y()),
                t -> {
                    TinyMlp.Gradients g = mlpAt(t).gradients(SPEC.data().x(), SPEC.data().y());
                    return flatten(g.weights(), g.biases());
                }, theta, () -> "loss(θ) of " + SPEC.name());
    }

    @Test
    void no_layer_gradient_grows_or_shrinks_by_more_than_1000() {
        assertGrowthBounded(SPEC, 1e3);
    }

    /** A layer that forgets the activation derivative: ∂L/∂z = ∂L/∂a. */
    static final class ForgetfulMlp extends TinyMlp {
        ForgetfulMlp(NetworkSpec spec) {
            super(spec.parameters().weights(), spec.parameters().biases(), Adapter.acts(spec));
        }

        @Override
        protected double[] throughActivation(int l, double[] z, double[] dA) {
            return acts.get(l) == Act.SIGMOID ? dA.clone() : super.throughActivation(l, z, dA);
        }
    }

    @Test
    void a_layer_that_forgets_the_sigmoid_derivative_is_caught_and_named() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertGradientsMatch(SPEC, Adapter.gradients(new ForgetfulMlp(SPEC), SPEC), "TinyMlp backprop"));
        String message = e.getMessage();
        assertTrue(message.startsWith("TinyMlp backprop ==> tiny-mlp: gradient wrong at 9 of 13 parameters; W1[0][0] "
                + "(layer 1): |claimed − true| = 0.251 > allowed "), message);
        // the allowance is W1[0][0]'s rounding bound, a few units of float64's rounding of a 0.09 gradient
        double allowed = Double.parseDouble(message.substring(message.indexOf("> allowed ") + 10, message.indexOf(" (the"))
                .replace('−', '-'));
        assertTrue(allowed > 1e-16 && allowed < 1e-12, message);
        assertTrue(message.endsWith("(the complex step); W1[0][0]: missing σ'(z₁) factor?, expected: "
                + "<0.08922768318044301> but was: <0.3405569952859911>"), message);
        // the "expected" value chainproof reports is what our correct backprop computes
        double right = Adapter.mlp(SPEC).gradients(SPEC.data().x(), SPEC.data().y()).weights().get(0)[0][0];
        assertEquals(right, (double) e.getExpected().getValue(), 1e-15);
    }

    private TinyMlp mlpAt(double[] theta) {
        List<double[][]> w = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        int i = 0;
        for (int l = 1; l <= SPEC.layerCount(); l++) {
            double[][] m = new double[SPEC.units(l)][SPEC.units(l - 1)];
            for (double[] row : m) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = theta[i++];
                }
            }
            double[] v = new double[SPEC.units(l)];
            for (int j = 0; j < v.length; j++) {
                v[j] = theta[i++];
            }
            w.add(m);
            b.add(v);
        }
        return new TinyMlp(w, b, Adapter.acts(SPEC));
    }

    private static double[] flatten(List<double[][]> w, List<double[]> b) {
        List<Double> out = new ArrayList<>();
        for (int l = 0; l < w.size(); l++) {
            for (double[] row : w.get(l)) {
                for (double v : row) {
                    out.add(v);
                }
            }
            for (double v : b.get(l)) {
                out.add(v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
