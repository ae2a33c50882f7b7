package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ParametersTests {

    private static double[][] w1() {
        return new double[][] {{0.5, -1.0}, {2.0, 0.25}};
    }

    private static Parameters twoLayers() {
        return new Parameters(List.of(w1(), new double[][] {{1.0, 1.0}}), List.of(new double[] {0.0, 0.1}, new double[] {-0.5}));
    }

    private static String messageOf(Runnable action) {
        return assertThrows(SpecException.class, action::run).getMessage();
    }

    @Nested
    class CopiesArraysInAndOut {

        @Test
        void changingAnArrayAfterConstructionChangesNothing() {
            double[][] w = w1();
            double[] b = {0.0, 0.1};
            Parameters p = new Parameters(List.<double[][]>of(w), List.of(b));
            w[0][0] = 99;
            b[1] = 99;
            assertArrayEquals(w1(), p.weight(1));
            assertArrayEquals(new double[] {0.0, 0.1}, p.bias(1));
        }

        @Test
        void changingAReturnedArrayChangesNothing() {
            Parameters p = twoLayers();
            p.weight(1)[0][0] = 99;
            p.weights().get(0)[1][1] = 99;
            p.bias(2)[0] = 99;
            p.biases().get(0)[0] = 99;
            assertEquals(twoLayers(), p);
        }
    }

    @Nested
    class IndexesLayersFromOne {

        @Test
        void weightOneIsTheFirstMatrix() {
            assertArrayEquals(w1(), twoLayers().weight(1));
            assertArrayEquals(new double[] {-0.5}, twoLayers().bias(2));
            assertEquals(2, twoLayers().layerCount());
        }

        @Test
        void layerZeroIsAnError() {
            assertEquals("Parameters: layer: <0> is not a layer; use a layer number from 1 to 2",
                    messageOf(() -> twoLayers().weight(0)));
        }
    }

    @Nested
    class ComparesContents {

        @Test
        void equalArraysMakeEqualParameters() {
            var first = twoLayers();
            var second = twoLayers();
            assertNotSame(first, second);
            assertEquals(first, second);
            assertEquals(first.hashCode(), second.hashCode());
        }

        @Test
        void oneDifferentEntryMakesThemDifferent() {
            Parameters other = new Parameters(List.of(w1(), new double[][] {{1.0, 1.5}}),
                    List.of(new double[] {0.0, 0.1}, new double[] {-0.5}));
            assertNotEquals(twoLayers(), other);
        }

        @Test
        void printsEveryParameterByName() {
            assertEquals("Parameters[W1=[[0.5, -1.0], [2.0, 0.25]], b1=[0.0, 0.1], W2=[[1.0, 1.0]], b2=[-0.5]]",
                    twoLayers().toString());
        }
    }

    @Nested
    class RejectsWithExactMessages {

        @Test
        void aNonFiniteWeightNamedByLayerRowAndColumn() {
            double[][] w2 = {{1.0, Double.NaN}};
            assertEquals("Parameters: W2[0][1]: <NaN> is not finite; replace it with a finite number",
                    messageOf(() -> new Parameters(List.of(w1(), w2), List.of(new double[2], new double[1]))));
        }

        @Test
        void aNonFiniteBias() {
            assertEquals("Parameters: b1[0]: <-Infinity> is not finite; replace it with a finite number",
                    messageOf(() -> new Parameters(List.<double[][]>of(w1()), List.of(new double[] {Double.NEGATIVE_INFINITY, 0}))));
        }

        @Test
        void moreWeightsThanBiases() {
            assertEquals("Parameters: biases: <1 vector> does not match the 2 weight matrices; pass one bias vector per "
                    + "weight matrix", messageOf(() -> new Parameters(List.of(w1(), w1()), List.of(new double[2]))));
        }

        @Test
        void noLayers() {
            assertEquals("Parameters: weights: <[]> is empty; pass one weight matrix per layer",
                    messageOf(() -> new Parameters(List.of(), List.of())));
        }

        @Test
        void aNullRow() {
            double[][] w = {{1.0}, null};
            assertEquals("Parameters: W1[1]: <null> is required; pass a row of numbers",
                    messageOf(() -> new Parameters(Arrays.asList(new double[][][] {w}), List.of(new double[2]))));
        }

        @Test
        void aNullList() {
            assertEquals("Parameters: weights: <null> is required; pass one weight matrix per layer",
                    messageOf(() -> new Parameters(null, List.of())));
        }
    }
}
