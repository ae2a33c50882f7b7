package io.chainproof.spec;

import io.chainproof.ops.Activation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Statistical and structural properties of {@link InitSpec#initialise}. The expected spreads are
 * written out here from the formulas (Glorot &amp; Bengio 2010, He et al. 2015), not taken from
 * {@link InitScheme#spread}, so the test does not trust the code under test.
 */
class InitSpecProperties {

    /**
     * How far an empirical moment may be from its expectation, in standard errors. With n = 60 000 draws
     * the moments are close to normal, so a correct scheme fails a check with probability about 2·10⁻⁹,
     * while the smallest confusion between schemes (xavier vs. he on a 300 → 200 layer, a variance ratio
     * of 5/3) is off by more than 100 standard errors.
     */
    static final double TOLERANCE_IN_STANDARD_ERRORS = 6.0;
    /** A layer large enough for tight moments: 300 inputs (fan_in) → 200 units (fan_out). */
    static final int FAN_IN = 300;
    static final int FAN_OUT = 200;
    static final int N = FAN_IN * FAN_OUT;
    /** Relative difference allowed between {@code w(s)} and {@code s·w(1)}: a few roundings. */
    static final double SCALING_RELATIVE_TOLERANCE = 4 * Math.ulp(1.0);

    @Provide
    Arbitrary<InitScheme> randomSchemes() {
        return Arbitraries.of(InitScheme.XAVIER_UNIFORM, InitScheme.XAVIER_NORMAL, InitScheme.HE_UNIFORM,
                InitScheme.HE_NORMAL, InitScheme.UNIFORM, InitScheme.NORMAL);
    }

    /** The random schemes that draw from U(−a, a): generated, not discarded. */
    @Provide
    Arbitrary<InitScheme> uniformSchemes() {
        return randomSchemes().filter(InitScheme::isUniform);
    }

    @Provide
    Arbitrary<InitScheme> allSchemes() {
        return Arbitraries.of(InitScheme.class);
    }

    /** Variance of one weight, from the formulas: a²/3 for U(−a, a), σ² for N(0, σ²). */
    static double expectedVariance(InitScheme scheme, double scale) {
        return switch (scheme) {
            case XAVIER_UNIFORM -> square(scale * Math.sqrt(6.0 / (FAN_IN + FAN_OUT))) / 3;
            case XAVIER_NORMAL -> square(scale * Math.sqrt(2.0 / (FAN_IN + FAN_OUT)));
            case HE_UNIFORM -> square(scale * Math.sqrt(6.0 / FAN_IN)) / 3;
            case HE_NORMAL -> square(scale * Math.sqrt(2.0 / FAN_IN));
            case UNIFORM -> square(scale) / 3;
            case NORMAL -> square(scale);
            case CONSTANT -> 0;
        };
    }

    static double square(double x) {
        return x * x;
    }

    static double[] largeLayerWeights(InitScheme scheme, double scale, long seed) {
        double[][] w = new InitSpec(scheme, scale, seed)
                .initialise(FAN_IN, List.of(new LayerSpec(FAN_OUT, Activation.TANH))).weight(1);
        assertEquals(FAN_OUT, w.length);
        return java.util.Arrays.stream(w).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @Group
    class Moments {

        @Property(tries = 60)
        void theMeanSquareMatchesTheSchemesVariance(@ForAll("randomSchemes") InitScheme scheme,
                                                     @ForAll @DoubleRange(min = 0.01, max = 100) double scale,
                                                     @ForAll long seed) {
            double[] w = largeLayerWeights(scheme, scale, seed);
            double meanSquare = java.util.Arrays.stream(w).map(InitSpecProperties::square).sum() / N;
            double variance = expectedVariance(scheme, scale);
            // Var(w²) = E[w⁴] − σ⁴ = 4a⁴/45 = 0.8·σ⁴ for U(−a, a) and 2σ⁴ for N(0, σ²).
            double standardError = variance * Math.sqrt((scheme.isUniform() ? 0.8 : 2.0) / N);
            assertTrue(Math.abs(meanSquare - variance) <= TOLERANCE_IN_STANDARD_ERRORS * standardError,
                    () -> scheme + ": mean square " + meanSquare + ", expected variance " + variance
                            + " ± " + TOLERANCE_IN_STANDARD_ERRORS * standardError);
        }

        @Property(tries = 60)
        void theMeanIsZero(@ForAll("randomSchemes") InitScheme scheme,
                           @ForAll @DoubleRange(min = 0.01, max = 100) double scale, @ForAll long seed) {
            double mean = java.util.Arrays.stream(largeLayerWeights(scheme, scale, seed)).sum() / N;
            double standardError = Math.sqrt(expectedVariance(scheme, scale) / N);
            assertTrue(Math.abs(mean) <= TOLERANCE_IN_STANDARD_ERRORS * standardError,
                    () -> scheme + ": mean " + mean + " ± " + TOLERANCE_IN_STANDARD_ERRORS * standardError);
        }

        @Property(tries = 30)
        void theKurtosisTellsUniformFromNormal(@ForAll("randomSchemes") InitScheme scheme, @ForAll long seed) {
            double[] w = largeLayerWeights(scheme, 1.0, seed);
            double m2 = java.util.Arrays.stream(w).map(x -> x * x).sum() / N;
            double m4 = java.util.Arrays.stream(w).map(x -> x * x * x * x).sum() / N;
            double kurtosis = m4 / (m2 * m2);
            // 9/5 for a uniform, 3 for a normal distribution; the standard error is at most √(24/n) (normal case).
            double expected = scheme.isUniform() ? 1.8 : 3.0;
            assertEquals(expected, kurtosis, TOLERANCE_IN_STANDARD_ERRORS * Math.sqrt(24.0 / N), scheme::toString);
        }
    }

    @Group
    class Bounds {

        @Property(tries = 30)
        void uniformWeightsStayInsideMinusAToA(@ForAll("uniformSchemes") InitScheme scheme,
                                               @ForAll @DoubleRange(min = 0.01, max = 100) double scale,
                                               @ForAll long seed) {
            double a = Math.sqrt(3 * expectedVariance(scheme, scale));
            for (double x : largeLayerWeights(scheme, scale, seed)) {
                assertTrue(Math.abs(x) <= a * (1 + SCALING_RELATIVE_TOLERANCE), () -> x + " outside ±" + a);
            }
        }

        @Property
        void constantSetsEveryWeightAndBiasToTheScale(@ForAll @DoubleRange(min = -1e6, max = 1e6) double scale,
                                                      @ForAll @IntRange(min = 1, max = 6) int inputs,
                                                      @ForAll @IntRange(min = 1, max = 6) int units) {
            Parameters p = new InitSpec(InitScheme.CONSTANT, scale, 0)
                    .initialise(inputs, List.of(new LayerSpec(units, Activation.RELU)));
            for (double[] row : p.weight(1)) {
                for (double x : row) {
                    assertEquals(scale, x);
                }
            }
            for (double b : p.bias(1)) {
                assertEquals(scale, b);
            }
        }

        @Property
        void biasesAreZeroForEverySchemeButConstant(@ForAll("randomSchemes") InitScheme scheme, @ForAll long seed,
                                                    @ForAll @IntRange(min = 1, max = 6) int units) {
            Parameters p = new InitSpec(scheme, 2.0, seed)
                    .initialise(3, List.of(new LayerSpec(units, Activation.RELU), new LayerSpec(2, Activation.SIGMOID)));
            assertArrayEquals(new double[units], p.bias(1));
            assertArrayEquals(new double[2], p.bias(2));
        }

        @Property
        void weightsScaleLinearlyWithTheScale(@ForAll("randomSchemes") InitScheme scheme, @ForAll long seed,
                                              @ForAll @DoubleRange(min = 0.01, max = 100) double scale) {
            List<LayerSpec> layers = List.of(new LayerSpec(4, Activation.TANH));
            double[][] unit = new InitSpec(scheme, 1.0, seed).initialise(3, layers).weight(1);
            double[][] scaled = new InitSpec(scheme, scale, seed).initialise(3, layers).weight(1);
            for (int i = 0; i < unit.length; i++) {
                for (int j = 0; j < unit[i].length; j++) {
                    double expected = scale * unit[i][j];
                    assertEquals(expected, scaled[i][j], SCALING_RELATIVE_TOLERANCE * Math.abs(expected));
                }
            }
        }
    }

    @Group
    class ReproducibilityAndLayout {

        @Property
        void theSameSeedGivesTheSameParameters(@ForAll("allSchemes") InitScheme scheme, @ForAll long seed) {
            List<LayerSpec> layers = List.of(new LayerSpec(3, Activation.TANH), new LayerSpec(2, Activation.SOFTMAX));
            assertEquals(new InitSpec(scheme, 1.5, seed).initialise(4, layers),
                    new InitSpec(scheme, 1.5, seed).initialise(4, layers));
        }

        @Property
        void differentSeedsGiveDifferentWeights(@ForAll("randomSchemes") InitScheme scheme, @ForAll long seed) {
            List<LayerSpec> layers = List.of(new LayerSpec(3, Activation.TANH));
            assertNotEquals(new InitSpec(scheme, 1.0, seed).initialise(4, layers),
                    new InitSpec(scheme, 1.0, seed + 1).initialise(4, layers));
        }

        @Property
        void theFirstLayerDoesNotDependOnTheLayersAfterIt(@ForAll("allSchemes") InitScheme scheme, @ForAll long seed,
                                                          @ForAll @IntRange(min = 1, max = 5) int units) {
            LayerSpec first = new LayerSpec(units, Activation.TANH);
            double[][] alone = new InitSpec(scheme, 1.0, seed).initialise(3, List.of(first)).weight(1);
            double[][] followed = new InitSpec(scheme, 1.0, seed)
                    .initialise(3, List.of(first, new LayerSpec(7, Activation.IDENTITY))).weight(1);
            assertArrayEquals(alone, followed);
        }

        @Property
        void everyWeightIsUnitsByPreviousUnitsAndEveryBiasIsUnits(
                @ForAll("allSchemes") InitScheme scheme, @ForAll @IntRange(min = 1, max = 8) int inputs,
                @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 8) Integer> units) {
            List<LayerSpec> layers = units.stream().map(u -> new LayerSpec(u, Activation.SIGMOID)).toList();
            Parameters p = new InitSpec(scheme, 1.0, 7).initialise(inputs, layers);
            assertEquals(units.size(), p.layerCount());
            for (int l = 1; l <= units.size(); l++) {
                int columns = l == 1 ? inputs : units.get(l - 2);
                double[][] w = p.weight(l);
                assertEquals(units.get(l - 1), w.length);
                for (double[] row : w) {
                    assertEquals(columns, row.length);
                }
                assertEquals(units.get(l - 1), p.bias(l).length);
            }
        }
    }
}
