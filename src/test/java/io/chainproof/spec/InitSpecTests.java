package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InitSpecTests {

    private static final List<LayerSpec> TWO_UNITS = List.of(new LayerSpec(2, Activation.TANH));

    @Nested
    class DrawsFromJavaUtilRandomInTheDocumentedOrder {

        @Test
        void xavierUniformDrawsRowByRowWithHalfWidthFromFanInAndFanOut() {
            Random reference = new Random(42);
            double a = Math.sqrt(6.0 / (3 + 2));
            double[][] expected = new double[2][3];
            for (double[] row : expected) {
                for (int j = 0; j < 3; j++) {
                    row[j] = a * (2 * reference.nextDouble() - 1);
                }
            }
            assertArrayEquals(expected, new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, 42).initialise(3, TWO_UNITS).weight(1));
        }

        @Test
        void heNormalDrawsGaussiansScaledBySqrtTwoOverFanIn() {
            Random reference = new Random(-5);
            double sigma = 0.5 * Math.sqrt(2.0 / 3);
            double[][] w = new InitSpec(InitScheme.HE_NORMAL, 0.5, -5).initialise(3, TWO_UNITS).weight(1);
            assertEquals(sigma * reference.nextGaussian(), w[0][0]);
            assertEquals(sigma * reference.nextGaussian(), w[0][1]);
        }

        @Test
        void theSecondLayerContinuesTheSequenceOfTheFirst() {
            Random reference = new Random(0);
            for (int i = 0; i < 2 * 3; i++) {
                reference.nextDouble();
            }
            List<LayerSpec> layers = List.of(new LayerSpec(2, Activation.TANH), new LayerSpec(1, Activation.SIGMOID));
            double[][] w2 = new InitSpec(InitScheme.UNIFORM, 3.0, 0).initialise(3, layers).weight(2);
            assertEquals(3.0 * (2 * reference.nextDouble() - 1), w2[0][0]);
        }
    }

    @Test
    void defaultsToScaleOneAndSeedZero() {
        InitSpec init = new InitSpec(InitScheme.HE_UNIFORM);
        assertEquals(1.0, init.scale());
        assertEquals(0L, init.seed());
    }

    @Test
    void allowsAZeroScaleForConstant() {
        Parameters p = new InitSpec(InitScheme.CONSTANT, 0.0, 0).initialise(1, TWO_UNITS);
        assertArrayEquals(new double[][] {{0.0}, {0.0}}, p.weight(1));
    }

    @Nested
    class RejectsWithExactMessages {

        private String messageOf(Runnable action) {
            return assertThrows(SpecException.class, action::run).getMessage();
        }

        @Test
        void aZeroScaleForAScaledScheme() {
            assertEquals("InitSpec: scale: <0.0> must be > 0 for he_normal; use a positive scale such as 1.0 "
                    + "(only constant allows zero or negative values)", messageOf(() -> new InitSpec(InitScheme.HE_NORMAL, 0, 0)));
        }

        @Test
        void aNonFiniteScaleEvenForConstant() {
            assertEquals("InitSpec: scale: <Infinity> is not finite; use a finite scale such as 1.0",
                    messageOf(() -> new InitSpec(InitScheme.CONSTANT, Double.POSITIVE_INFINITY, 0)));
        }

        @Test
        void aMissingScheme() {
            assertEquals("InitSpec: scheme: <null> is required; pass one of xavier_uniform, xavier_normal, he_uniform, "
                    + "he_normal, uniform, normal, constant", messageOf(() -> new InitSpec(null, 1, 0)));
        }

        @Test
        void zeroInputs() {
            assertEquals("InitSpec: inputs: <0> must be at least 1; give the number of input features, e.g. \"inputs\": 2",
                    messageOf(() -> new InitSpec(InitScheme.NORMAL).initialise(0, TWO_UNITS)));
        }

        @Test
        void noLayers() {
            assertEquals("InitSpec: layers: <[]> is empty; add at least one layer, e.g. {\"units\": 1, \"activation\": "
                    + "\"sigmoid\"}", messageOf(() -> new InitSpec(InitScheme.NORMAL).initialise(2, List.of())));
        }
    }
}
