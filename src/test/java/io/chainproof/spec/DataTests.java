package io.chainproof.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DataTests {

    private static Data twoSamples() {
        return new Data(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {0}});
    }

    private static String messageOf(Runnable action) {
        return assertThrows(SpecException.class, action::run).getMessage();
    }

    @Test
    void countsSamplesAsRowsOfX() {
        assertEquals(2, twoSamples().samples());
    }

    @Test
    void copiesArraysInAndOut() {
        double[][] x = {{1, 2}, {3, 4}};
        Data data = new Data(x, new double[][] {{1}, {0}});
        x[0][0] = 99;
        data.x()[1][1] = 99;
        data.y()[0][0] = 99;
        assertEquals(twoSamples(), data);
        assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, data.x());
    }

    @Test
    void comparesContents() {
        var first = twoSamples();
        var second = twoSamples();
        assertNotSame(first, second);
        assertEquals(first.hashCode(), second.hashCode());
        assertNotEquals(twoSamples(), new Data(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {1}}));
        assertEquals("Data[x=[[1.0, 2.0], [3.0, 4.0]], y=[[1.0], [0.0]]]", twoSamples().toString());
    }

    @Nested
    class RejectsWithExactMessages {

        @Test
        void noSamples() {
            assertEquals("Data: x: <[]> has no samples; add at least one row",
                    messageOf(() -> new Data(new double[0][], new double[0][])));
        }

        @Test
        void moreInputRowsThanTargetRows() {
            assertEquals("Data: y: <1 row> does not match the 2 rows of x; give one target row per input row",
                    messageOf(() -> new Data(new double[][] {{1}, {2}}, new double[][] {{1}})));
        }

        @Test
        void aNonFiniteTarget() {
            assertEquals("Data: y[1][0]: <NaN> is not finite; replace it with a finite number",
                    messageOf(() -> new Data(new double[][] {{1}, {2}}, new double[][] {{1}, {Double.NaN}})));
        }

        @Test
        void missingTargets() {
            assertEquals("Data: y: <null> is required; pass one row of targets per sample",
                    messageOf(() -> new Data(new double[][] {{1}}, null)));
        }
    }
}
