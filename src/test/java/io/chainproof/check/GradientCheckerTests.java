package io.chainproof.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GradientCheckerTests {

    /** Rosenbrock's function Σ_k 100(x_{k+1} − x_k²)² + (1 − x_k)². */
    static double rosenbrock(double[] x) {
        double sum = 0;
        for (int k = 0; k + 1 < x.length; k++) {
            double a = x[k + 1] - x[k] * x[k];
            double b = 1 - x[k];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    /** ∂/∂x_k = −400 x_k (x_{k+1} − x_k²) − 2(1 − x_k) + 200 (x_k − x_{k−1}²). */
    static double[] rosenbrockGradient(double[] x) {
        double[] g = new double[x.length];
        for (int k = 0; k + 1 < x.length; k++) {
            double a = x[k + 1] - x[k] * x[k];
            g[k] += -400 * x[k] * a - 2 * (1 - x[k]);
            g[k + 1] += 200 * a;
        }
        return g;
    }

    /** The one-hot target of {@link #crossEntropy}: class 2 of 4. */
    static final double[] TARGET = {0, 0, 1, 0};

    /** −Σ y_k log softmax(z)_k = logsumexp(z) − ⟨y, z⟩ (for Σ y = 1), computed stably. */
    static double crossEntropy(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double dot = 0;
        for (int k = 0; k < z.length; k++) {
            sum += Math.exp(z[k] - max);
            dot += TARGET[k] * z[k];
        }
        return max + Math.log(sum) - dot;
    }

    /** softmax(z) − y. */
    static double[] crossEntropyGradient(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] g = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            g[k] = Math.exp(z[k] - max);
            sum += g[k];
        }
        for (int k = 0; k < z.length; k++) {
            g[k] = g[k] / sum - TARGET[k];
        }
        return g;
    }

    static final double[] POINT = {-1.2, 1.0, 0.8, 1.5};

    /** The Rosenbrock gradient with {@code change} applied to the correct one. */
    static Function<double[], double[]> planted(UnaryOperator<double[]> change) {
        return x -> change.apply(rosenbrockGradient(x));
    }

    static List<String> names(List<ParameterCheck> checks) {
        return checks.stream().map(ParameterCheck::parameter).toList();
    }

    static String messageOf(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Nested
    class CorrectGradientsPass {

        @Test
        void rosenbrockAwayFromItsMinimumAgreesInEveryCoordinate() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, POINT);
            assertTrue(r.passed(), r.text());
            assertEquals(List.of("x[0]", "x[1]", "x[2]", "x[3]"), names(r.checks()));
            r.checks().forEach(c -> assertInstanceOf(Verdict.Agrees.class, c.verdict(), c.parameter()));
        }

        @Test
        void rosenbrockInTenDimensionsAgreesInEveryCoordinate() {
            double[] x = new double[10];
            for (int k = 0; k < x.length; k++) {
                x[k] = Math.sin(k + 1.0) * 1.5;
            }
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, x);
            assertTrue(r.passed(), r.text());
            assertEquals(10, r.checks().size());
        }

        @Test
        void softmaxCrossEntropyAgreesInEveryCoordinate() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::crossEntropy,
                    GradientCheckerTests::crossEntropyGradient, new double[] {0.3, -1.2, 2.0, 0.5});
            assertTrue(r.passed(), r.text());
            r.checks().forEach(c -> assertInstanceOf(Verdict.Agrees.class, c.verdict(), c.parameter()));
        }

        @Test
        void softmaxCrossEntropyAgreesAtLargeLogits() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::crossEntropy,
                    GradientCheckerTests::crossEntropyGradient, new double[] {300.0, -120.0, 298.0, 0.0});
            assertTrue(r.passed(), r.text());
        }

        @Test
        void everyEstimateComesFromCentralDifferencesAndBoundsItsOwnError() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, POINT);
            double[] truth = rosenbrockGradient(POINT);
            for (int j = 0; j < truth.length; j++) {
                ParameterCheck c = r.checks().get(j);
                assertEquals(Oracle.CENTRAL_DIFFERENCE, c.decidedBy());
                assertTrue(Math.abs(c.oracle().value() - truth[j]) <= c.oracle().errorEstimate(),
                        c.parameter() + ": error " + Math.abs(c.oracle().value() - truth[j]) + " > estimate " + c.oracle().errorEstimate());
            }
        }

        @Test
        void eachGradientEstimateIsTheCentralDifferenceOfThatCoordinate() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, POINT);
            for (int j = 0; j < POINT.length; j++) {
                int index = j;
                Estimate expected = CentralDifference.derivative(t -> {
                    double[] p = POINT.clone();
                    p[index] = t;
                    return rosenbrock(p);
                }, POINT[j]);
                assertEquals(expected, r.checks().get(j).oracle(), "x[" + j + "]");
            }
        }
    }

    @Nested
    class PlantedErrorsFailAtTheRightCoordinate {

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 2, 3})
        void oneEntryOffByOnePartIn10000(int j) {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock, planted(g -> {
                g[j] *= 1 + 1e-4;
                return g;
            }), POINT);
            assertFalse(r.passed());
            assertEquals(List.of("x[" + j + "]"), names(r.failures()));
            assertInstanceOf(Verdict.Disagrees.class, r.failures().get(0).verdict());
        }

        @Test
        void aSignFlip() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock, planted(g -> {
                g[2] = -g[2];
                return g;
            }), POINT);
            assertEquals(List.of("x[2]"), names(r.failures()));
        }

        @Test
        void aSwappedPairNamesBothCoordinates() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock, planted(g -> {
                double t = g[1];
                g[1] = g[3];
                g[3] = t;
                return g;
            }), POINT);
            assertEquals(List.of("x[1]", "x[3]"), names(r.failures()));
        }

        @Test
        void aSignFlipInSoftmaxCrossEntropy() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::crossEntropy, z -> {
                double[] g = crossEntropyGradient(z);
                g[2] = -g[2];
                return g;
            }, new double[] {0.3, -1.2, 2.0, 0.5});
            assertEquals(List.of("x[2]"), names(r.failures()));
        }

        @Test
        void theFailureCarriesTheUsersNameForTheCoordinate() {
            FunctionCheckReport r = GradientChecker.withNames(List.of("w0", "w1", "w2", "w3"))
                    .check(GradientCheckerTests::rosenbrock, planted(g -> {
                        g[3] *= 1 + 1e-4;
                        return g;
                    }), POINT);
            assertEquals(List.of("w3"), names(r.failures()));
            assertEquals(List.of("w0", "w1", "w2", "w3"), names(r.checks()));
        }

        @Test
        void aLooserToleranceAcceptsWhatTheDefaultRejects() {
            Function<double[], double[]> off = planted(g -> {
                g[1] *= 1 + 1e-4;
                return g;
            });
            assertFalse(GradientChecker.check(GradientCheckerTests::rosenbrock, off, POINT).passed());
            assertTrue(GradientChecker.withTolerance(Tolerance.DEFAULT.withRelative(1e-3))
                    .check(GradientCheckerTests::rosenbrock, off, POINT).passed());
        }
    }

    @Nested
    class Kinks {

        @Test
        void absoluteValueAtZeroIsNotDifferentiableHere() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.abs(x[0]), x -> new double[] {1.0}, new double[] {0.0});
            assertEquals(new Verdict.NotDifferentiableHere("one-sided differences <1.0> and <-1.0> differ"),
                    r.checks().get(0).verdict());
            assertTrue(r.passed());
        }

        @ParameterizedTest
        @ValueSource(doubles = {0.0, 0.5, 1.0})
        void reluAtZeroPassesUnderAnyConventionForItsDerivative(double claim) {
            FunctionCheckReport r = GradientChecker.check(x -> Math.max(0, x[0]), x -> new double[] {claim},
                    new double[] {0.0});
            assertEquals(new Verdict.NotDifferentiableHere("one-sided differences <1.0> and <0.0> differ"),
                    r.checks().get(0).verdict());
        }

        @Test
        void aClaimOutsideTheOneSidedDerivativesIsWrongEvenAtAKink() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.max(0, x[0]), x -> new double[] {-1.0},
                    new double[] {0.0});
            Verdict.Disagrees wrong = assertInstanceOf(Verdict.Disagrees.class, r.checks().get(0).verdict());
            assertEquals(1.0, wrong.error());
        }

        @Test
        void aKinkInOneCoordinateLeavesTheOthersChecked() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.abs(x[0]) + x[1] * x[1],
                    x -> new double[] {0.0, 3.0}, new double[] {0.0, 1.0});
            assertInstanceOf(Verdict.NotDifferentiableHere.class, r.checks().get(0).verdict());
            assertEquals(List.of("x[1]"), names(r.failures()));
        }

        @Test
        void aKinkJustInsideTheStencilIsNotAFalseFailure() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.abs(x[0] - 1e-7), x -> new double[] {-1.0},
                    new double[] {0.0});
            assertInstanceOf(Verdict.NotDifferentiableHere.class, r.checks().get(0).verdict(), r.text());
        }

        @Test
        void aKinkUnderStrongCurvatureIsStillAKink() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.abs(x[0]) + 1e6 * x[0] * x[0], x -> new double[] {1.0},
                    new double[] {0.0});
            assertInstanceOf(Verdict.NotDifferentiableHere.class, r.checks().get(0).verdict(), r.text());
        }

        @Test
        void aTinyKinkIsStillAKink() {
            FunctionCheckReport r = GradientChecker.check(x -> 1e-8 * Math.abs(x[0]), x -> new double[] {1e-8},
                    new double[] {0.0});
            assertEquals(new Verdict.NotDifferentiableHere("one-sided differences <1.0E-8> and <-1.0E-8> differ"),
                    r.checks().get(0).verdict());
        }

        @Test
        void aQuarticAtItsFlatPointIsSmoothNotAKink() {
            FunctionCheckReport r = GradientChecker.check(x -> x[0] * x[0] * x[0] * x[0], x -> new double[] {0.0},
                    new double[] {0.0});
            assertInstanceOf(Verdict.Agrees.class, r.checks().get(0).verdict(), r.text());
        }

        @Test
        void absoluteValueAwayFromZeroIsCheckedAsUsual() {
            ToDoubleFunction<double[]> abs = x -> Math.abs(x[0]);
            double[] x = {0.5};
            assertInstanceOf(Verdict.Agrees.class, GradientChecker.check(abs, p -> new double[] {1.0}, x).checks().get(0).verdict());
            assertInstanceOf(Verdict.Disagrees.class, GradientChecker.check(abs, p -> new double[] {-1.0}, x).checks().get(0).verdict());
        }

        @ParameterizedTest
        @ValueSource(doubles = {-0.3, 0.0, 0.4})
        void steepSmoothFunctionsAreNotTakenForKinks(double at) {
            FunctionCheckReport r = GradientChecker.check(x -> Math.exp(40 * x[0]) + 1e8 * x[1] * x[1],
                    x -> new double[] {40 * Math.exp(40 * x[0]), 2e8 * x[1]}, new double[] {at, at});
            r.checks().forEach(c -> assertInstanceOf(Verdict.Agrees.class, c.verdict(), r.text()));
        }
    }

    @Nested
    class NonFiniteValuesNeverPass {

        @Test
        void aNanInTheGradient() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock, planted(g -> {
                g[1] = Double.NaN;
                return g;
            }), POINT);
            assertEquals(new Verdict.NonFinite("claimed value is NaN"), r.checks().get(1).verdict());
            assertEquals(List.of("x[1]"), names(r.failures()));
        }

        @Test
        void anInfiniteGradientEntry() {
            FunctionCheckReport r = GradientChecker.check(x -> x[0], x -> new double[] {Double.POSITIVE_INFINITY},
                    new double[] {1.0});
            assertEquals(new Verdict.NonFinite("claimed value is Infinity"), r.checks().get(0).verdict());
        }

        @Test
        void aFunctionThatIsInfiniteAtX() {
            FunctionCheckReport r = GradientChecker.check(x -> Math.log(x[0]), x -> new double[] {1.0},
                    new double[] {0.0});
            assertEquals(new Verdict.NonFinite("f(x) is -Infinity"), r.checks().get(0).verdict());
            assertFalse(r.passed());
        }

        @Test
        void aFunctionThatIsNanNearX() {
            FunctionCheckReport r = GradientChecker.check(x -> x[0] > 0 ? Double.NaN : x[0], x -> new double[] {1.0},
                    new double[] {0.0});
            assertEquals(new Verdict.NonFinite("oracle value is NaN"), r.checks().get(0).verdict());
        }
    }

    @Nested
    class BadInputIsRejectedWithAMessage {

        @Test
        void aGradientOfTheWrongLength() {
            assertEquals("Gradient of length <3> does not match x of length <4>",
                    messageOf(() -> GradientChecker.check(GradientCheckerTests::rosenbrock, x -> new double[3], POINT)));
        }

        @Test
        void aNanInX() {
            assertEquals("x[1] is <NaN>; every coordinate of x must be finite",
                    messageOf(() -> GradientChecker.check(GradientCheckerTests::rosenbrock,
                            GradientCheckerTests::rosenbrockGradient, new double[] {0, Double.NaN})));
        }

        @Test
        void anInfinityInXUnderTheUsersName() {
            assertEquals("b is <-Infinity>; every coordinate of x must be finite",
                    messageOf(() -> GradientChecker.withNames(List.of("a", "b")).check(GradientCheckerTests::rosenbrock,
                            GradientCheckerTests::rosenbrockGradient, new double[] {0, Double.NEGATIVE_INFINITY})));
        }

        @Test
        void aGradientFunctionReturningNull() {
            assertEquals("Gradient function returned <null>; it must return an array of length <4>",
                    messageOf(() -> GradientChecker.check(GradientCheckerTests::rosenbrock, x -> null, POINT)));
        }

        @Test
        void anEmptyPoint() {
            assertEquals("x is empty; give a point with at least one coordinate",
                    messageOf(() -> GradientChecker.check(x -> 0, x -> x, new double[0])));
        }

        @Test
        void noPointAtAll() {
            assertEquals("x is <null>; give the point at which to check",
                    messageOf(() -> GradientChecker.check(x -> 0, x -> x, null)));
        }

        @Test
        void noFunction() {
            assertEquals("Function is <null>; give the function to check",
                    messageOf(() -> GradientChecker.check(null, x -> x, POINT)));
        }

        @Test
        void noGradientFunction() {
            assertEquals("Gradient function is <null>; give the gradient to check",
                    messageOf(() -> GradientChecker.check(GradientCheckerTests::rosenbrock, null, POINT)));
        }

        @Test
        void namesOfTheWrongLength() {
            assertEquals("Names of length <2> do not match x of length <4>",
                    messageOf(() -> GradientChecker.withNames(List.of("a", "b")).check(GradientCheckerTests::rosenbrock,
                            GradientCheckerTests::rosenbrockGradient, POINT)));
        }

        @Test
        void aNameGivenTwice() {
            assertEquals("Name <w> appears twice; coordinate names must be distinct",
                    messageOf(() -> GradientChecker.withNames(List.of("w", "v", "w"))));
        }

        @Test
        void aMissingName() {
            List<String> withHole = new ArrayList<>(List.of("a", "b"));
            withHole.set(1, null);
            assertEquals("Name at index <1> is <null>; give every coordinate a name",
                    messageOf(() -> GradientChecker.withNames(withHole)));
        }

        @Test
        void noTolerance() {
            assertEquals("Tolerance is <null>; pass Tolerance.DEFAULT or your own",
                    messageOf(() -> GradientChecker.withTolerance(null)));
        }
    }

    @Nested
    class TheCallersDataIsSafe {

        @Test
        void aFunctionThatWritesIntoItsArgumentChangesNeitherXNorTheVerdict() {
            double[] x = POINT.clone();
            ToDoubleFunction<double[]> vandal = p -> {
                double value = rosenbrock(p);
                p[0] = 99;
                return value;
            };
            Function<double[], double[]> vandalGradient = p -> {
                double[] g = rosenbrockGradient(p);
                p[1] = -99;
                return g;
            };
            FunctionCheckReport r = GradientChecker.check(vandal, vandalGradient, x);
            assertTrue(r.passed(), r.text());
            assertArrayEquals(POINT, x);
        }

        @Test
        void aGradientFunctionThatReusesItsBufferIsReadBeforeTheFunctionRuns() {
            double[] buffer = new double[POINT.length];
            ToDoubleFunction<double[]> f = p -> {
                double[] g = rosenbrockGradient(p);
                System.arraycopy(g, 0, buffer, 0, g.length);
                return rosenbrock(p);
            };
            FunctionCheckReport r = GradientChecker.check(f, p -> {
                System.arraycopy(rosenbrockGradient(p), 0, buffer, 0, buffer.length);
                return buffer;
            }, POINT);
            assertTrue(r.passed(), r.text());
        }

        @Test
        void theReportCannotBeChanged() {
            FunctionCheckReport r = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, POINT);
            assertThrows(UnsupportedOperationException.class, () -> r.checks().clear());
        }

        @Test
        void configuringACheckerReturnsANewOneAndLeavesTheOldAlone() {
            FunctionChecker strict = GradientChecker.withTolerance(Tolerance.DEFAULT);
            FunctionChecker loose = strict.withTolerance(Tolerance.DEFAULT.withRelative(1e-3));
            assertNotSame(strict, loose);
            assertSame(Tolerance.DEFAULT, strict.tolerance());
            assertEquals(1e-3, loose.tolerance().relative());
        }
    }

    @Nested
    class TextRendering {

        /**
         * f = |x₀| + x₁ + x₂ at 0, claimed (1, 1, −1). At x_j = 0 the step is h = ε^{1/3} and every sample
         * is exact (f = h or ±h, ±h/2), so: x₀ has r₅ = 0 and one-sided derivatives 2·1 − 1 = 1 and
         * −2 + 1 = −1 (a kink); x₁, x₂ have r₃ = h and r₅ = (4/3)h − h/3 = h, value 1.0 with truncation
         * |r₅ − r₃|/h = 0; every rounding estimate is e₅/h = 2(h/2 + h/2)ε/h + 2hε/h = 4ε = 8.88e−16.
         * Allowed = 10·4ε + 1e−6·max(|claim|, 1) = 1.00e−06; x₂ is off by |−1 − 1| = 2.
         */
        @Test
        void aKinkAnAgreementAndASignFlipInThreeRows() {
            FunctionCheckReport r = GradientChecker.withTolerance(new Tolerance(1e-6, 0.0, 10.0))
                    .check(x -> Math.abs(x[0]) + x[1] + x[2], x -> new double[] {1.0, 1.0, -1.0}, new double[3]);
            assertEquals(String.join("\n",
                    "  coordinate                   claimed        central difference    ± error     off by    allowed  verdict",
                    "  x[0]                             1.0                       0.0   8.88e-16          -          -  KINK",
                    "  x[1]                             1.0                       1.0   8.88e-16   0.00e+00   1.00e-06  ok",
                    "  x[2]                            -1.0                       1.0   8.88e-16   2.00e+00   1.00e-06  WRONG",
                    "KINK: x[0]: one-sided differences <1.0> and <-1.0> differ; not differentiable here",
                    "FAILED: 1 of 3 derivatives disagree with finite differences",
                    ""), r.text());
        }

        @Test
        void aPassingCheckEndsWithThePassedLine() {
            String text = GradientChecker.check(GradientCheckerTests::rosenbrock,
                    GradientCheckerTests::rosenbrockGradient, POINT).text();
            assertTrue(text.endsWith("PASSED: all 4 derivatives agree with finite differences\n"), text);
        }

        @Test
        void aTinyDerivativeIsMarkedUnresolved() {
            String text = GradientChecker.check(x -> 1 + 1e-20 * x[0], x -> new double[] {1e-20}, new double[] {1.0}).text();
            assertTrue(text.contains("ok (unresolved)"), text);
            assertTrue(text.contains("NOTE: 1 derivative is below what finite differences can resolve"), text);
        }

        @Test
        void aNonFiniteClaimSaysWhatIsNotFinite() {
            String text = GradientChecker.check(x -> x[0], x -> new double[] {Double.NaN}, new double[] {1.0}).text();
            assertTrue(text.contains("NON-FINITE (claimed value is NaN)"), text);
            assertTrue(text.endsWith("FAILED: 1 of 1 derivatives disagree with finite differences\n"), text);
        }
    }
}
