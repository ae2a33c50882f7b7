package io.chainproof.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JacobianCheckTests {

    /** (r, θ) ↦ (r cos θ, r sin θ). */
    static double[] cartesian(double[] p) {
        return new double[] {p[0] * Math.cos(p[1]), p[0] * Math.sin(p[1])};
    }

    /** [[cos θ, −r sin θ], [sin θ, r cos θ]]. */
    static double[][] polarJacobian(double[] p) {
        double r = p[0];
        double c = Math.cos(p[1]);
        double s = Math.sin(p[1]);
        return new double[][] {{c, -r * s}, {s, r * c}};
    }

    static double[][] transposed(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** (r, θ, φ) ↦ (r sin θ cos φ, r sin θ sin φ, r cos θ, r²): a map ℝ³ → ℝ⁴. */
    static double[] spherical(double[] p) {
        double r = p[0];
        double t = p[1];
        double f = p[2];
        return new double[] {r * Math.sin(t) * Math.cos(f), r * Math.sin(t) * Math.sin(f), r * Math.cos(t), r * r};
    }

    static double[][] sphericalJacobian(double[] p) {
        double r = p[0];
        double st = Math.sin(p[1]);
        double ct = Math.cos(p[1]);
        double sf = Math.sin(p[2]);
        double cf = Math.cos(p[2]);
        return new double[][] {
                {st * cf, r * ct * cf, -r * st * sf},
                {st * sf, r * ct * sf, r * st * cf},
                {ct, -r * st, 0},
                {2 * r, 0, 0}};
    }

    static final double[] POLAR = {2.0, 0.7};

    static List<String> names(List<ParameterCheck> checks) {
        return checks.stream().map(ParameterCheck::parameter).toList();
    }

    static String messageOf(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }

    @Nested
    class CorrectJacobiansPass {

        @Test
        void polarToCartesianAgreesInEveryEntry() {
            FunctionCheckReport r = GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                    JacobianCheckTests::polarJacobian, POLAR);
            assertTrue(r.passed(), r.text());
            assertEquals(FunctionCheckReport.Kind.JACOBIAN, r.kind());
            assertEquals(List.of("J[0][0]", "J[0][1]", "J[1][0]", "J[1][1]"), names(r.checks()));
            r.checks().forEach(c -> assertInstanceOf(Verdict.Agrees.class, c.verdict(), c.parameter()));
        }

        @Test
        void aNonSquareMapAgreesInEveryEntryInRowMajorOrder() {
            FunctionCheckReport r = GradientChecker.checkJacobian(JacobianCheckTests::spherical,
                    JacobianCheckTests::sphericalJacobian, new double[] {1.5, 0.4, -2.1});
            assertTrue(r.passed(), r.text());
            assertEquals(12, r.checks().size());
            assertEquals("J[3][0]", r.checks().get(9).parameter());
        }

        @Test
        void everyEntrysErrorEstimateBoundsItsTrueErrorWhenOutputsDifferInScale() {
            Function<double[], double[]> f = p -> new double[] {Math.sin(p[0]), 1e6 * Math.exp(10 * p[0]), 1e-6 * p[0] * p[0]};
            double x = 0.3;
            double[] truth = {Math.cos(x), 1e7 * Math.exp(10 * x), 2e-6 * x};
            FunctionCheckReport r = GradientChecker.checkJacobian(f, p -> new double[][] {{truth[0]}, {truth[1]}, {truth[2]}},
                    new double[] {x});
            assertTrue(r.passed(), r.text());
            for (int i = 0; i < truth.length; i++) {
                Estimate e = r.checks().get(i).oracle();
                assertTrue(Math.abs(e.value() - truth[i]) <= e.errorEstimate(),
                        "J[" + i + "][0]: error " + Math.abs(e.value() - truth[i]) + " > estimate " + e.errorEstimate());
            }
        }

        @Test
        void theUsersNamesLabelTheInputs() {
            FunctionCheckReport r = GradientChecker.withNames(List.of("r", "theta"))
                    .checkJacobian(JacobianCheckTests::cartesian, JacobianCheckTests::polarJacobian, POLAR);
            assertEquals(List.of("J[0][r]", "J[0][theta]", "J[1][r]", "J[1][theta]"), names(r.checks()));
        }
    }

    @Nested
    class WrongJacobiansFailAtTheRightEntries {

        @Test
        void aTransposedJacobianFailsInTheOffDiagonalEntries() {
            FunctionCheckReport r = GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                    p -> transposed(polarJacobian(p)), POLAR);
            assertFalse(r.passed());
            assertEquals(List.of("J[0][1]", "J[1][0]"), names(r.failures()));
        }

        @Test
        void aTransposedJacobianFailsUnderTheUsersNames() {
            FunctionCheckReport r = GradientChecker.withNames(List.of("r", "theta"))
                    .checkJacobian(JacobianCheckTests::cartesian, p -> transposed(polarJacobian(p)), POLAR);
            assertEquals(List.of("J[0][theta]", "J[1][r]"), names(r.failures()));
        }

        @Test
        void oneEntryOffByOnePartIn10000() {
            FunctionCheckReport r = GradientChecker.checkJacobian(JacobianCheckTests::spherical, p -> {
                double[][] j = sphericalJacobian(p);
                j[1][2] *= 1 + 1e-4;
                return j;
            }, new double[] {1.5, 0.4, -2.1});
            assertEquals(List.of("J[1][2]"), names(r.failures()));
        }

        @Test
        void aNanEntryIsNonFinite() {
            FunctionCheckReport r = GradientChecker.checkJacobian(JacobianCheckTests::cartesian, p -> {
                double[][] j = polarJacobian(p);
                j[1][0] = Double.NaN;
                return j;
            }, POLAR);
            assertEquals(new Verdict.NonFinite("claimed value is NaN"), r.checks().get(2).verdict());
            assertEquals(List.of("J[1][0]"), names(r.failures()));
        }

        @Test
        void anOutputThatIsNanAtXFailsItsWholeRow() {
            FunctionCheckReport r = GradientChecker.checkJacobian(p -> new double[] {Math.sqrt(p[0] - 1), p[0] * p[1]},
                    p -> new double[][] {{0.5, 0}, {p[1], p[0]}}, new double[] {0.0, 3.0});
            assertEquals(new Verdict.NonFinite("f(x)[0] is NaN"), r.checks().get(0).verdict());
            assertEquals(List.of("J[0][0]", "J[0][1]"), names(r.failures()));
        }

        @Test
        void aKinkInOneEntryIsReportedAndTheRestChecked() {
            FunctionCheckReport r = GradientChecker.checkJacobian(p -> new double[] {Math.abs(p[0]), p[0] * p[1]},
                    p -> new double[][] {{1, 0}, {p[1], p[0]}}, new double[] {0.0, 2.0});
            assertTrue(r.passed(), r.text());
            assertEquals(List.of("J[0][0]"), names(r.kinks()));
            assertEquals(new Verdict.NotDifferentiableHere("one-sided differences <1.0> and <-1.0> differ"),
                    r.checks().get(0).verdict());
        }
    }

    @Nested
    class OneStencilPerColumn {

        @Test
        void aColumnCostsAtMostEightEvaluationsWhateverTheNumberOfOutputs() {
            AtomicInteger calls = new AtomicInteger();
            int m = 50;
            Function<double[], double[]> f = p -> {
                calls.incrementAndGet();
                double[] y = new double[m];
                for (int i = 0; i < m; i++) {
                    y[i] = Math.sin((i + 1) * p[0]) + Math.exp(0.1 * i * p[1]) * p[2];
                }
                return y;
            };
            Function<double[], double[][]> jacobian = p -> {
                double[][] j = new double[m][];
                for (int i = 0; i < m; i++) {
                    double e = Math.exp(0.1 * i * p[1]);
                    j[i] = new double[] {(i + 1) * Math.cos((i + 1) * p[0]), 0.1 * i * e * p[2], e};
                }
                return j;
            };
            FunctionCheckReport r = GradientChecker.checkJacobian(f, jacobian, new double[] {0.2, 0.5, 1.5});
            assertTrue(r.passed(), r.text());
            assertEquals(150, r.checks().size());
            assertTrue(calls.get() <= 1 + 8 * 3, "f was called " + calls.get() + " times");
        }

        @ParameterizedTest
        @ValueSource(doubles = {-3.0, -0.25, 0.0, 0.3, 1.0, 7.5, 1e3})
        void aScalarColumnIsExactlyCentralDifferenceOfSine(double x) {
            assertEquals(CentralDifference.derivative(Math::sin, x), column(Math::sin, x).central());
        }

        @ParameterizedTest
        @ValueSource(doubles = {-0.5, 0.0, 0.3, 2.0})
        void aScalarColumnIsExactlyCentralDifferenceWhenTheStepIsRechosen(double x) {
            DoubleUnaryOperator steep = t -> Math.exp(10 * t);
            Estimate expected = CentralDifference.derivative(steep, x);
            double firstStep = ((x + Math.cbrt(Math.ulp(1.0)) * Math.max(1, Math.abs(x))) - x);
            assertNotEquals(firstStep, expected.step(), "this case must take the second step");
            assertEquals(expected, column(steep, x).central());
        }

        private JacobianEstimate column(DoubleUnaryOperator g, double x) {
            return JacobianDifference.column(p -> new double[] {g.applyAsDouble(p[0])}, new double[] {x}, 0,
                    new double[] {g.applyAsDouble(x)}, Tolerance.DEFAULT_SAFETY).get(0);
        }

        @Test
        void aFunctionThatReusesItsOutputBufferIsDifferencedCorrectly() {
            double[] buffer = new double[2];
            FunctionCheckReport r = GradientChecker.checkJacobian(p -> {
                double[] y = cartesian(p);
                System.arraycopy(y, 0, buffer, 0, 2);
                return buffer;
            }, JacobianCheckTests::polarJacobian, POLAR);
            assertTrue(r.passed(), r.text());
        }

        @Test
        void theCallersPointIsNotChanged() {
            double[] x = POLAR.clone();
            GradientChecker.checkJacobian(p -> {
                double[] y = cartesian(p);
                p[0] = -1;
                return y;
            }, p -> {
                double[][] j = polarJacobian(p);
                p[1] = 99;
                return j;
            }, x);
            assertArrayEquals(POLAR, x);
        }
    }

    @Nested
    class BadInputIsRejectedWithAMessage {

        @Test
        void aJacobianWithTooFewRows() {
            assertEquals("Jacobian of <1> rows does not match f(x) of length <2>",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                            p -> new double[][] {{1, 0}}, POLAR)));
        }

        @Test
        void aJacobianRowOfTheWrongLength() {
            assertEquals("Jacobian row <1> of length <3> does not match x of length <2>",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                            p -> new double[][] {{1, 0}, {0, 1, 2}}, POLAR)));
        }

        @Test
        void aMissingJacobianRow() {
            assertEquals("Jacobian row <0> is <null>; it must have length <2>",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                            p -> new double[][] {null, {0, 1}}, POLAR)));
        }

        @Test
        void aJacobianFunctionReturningNull() {
            assertEquals("Jacobian function returned <null>; it must return <2> rows of length <2>",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian, p -> null, POLAR)));
        }

        @Test
        void noJacobianFunction() {
            assertEquals("Jacobian function is <null>; give the Jacobian to check",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian, null, POLAR)));
        }

        @Test
        void aFunctionReturningNullAtX() {
            assertEquals("Function returned <null> at x; it must return the vector f(x)",
                    messageOf(() -> GradientChecker.checkJacobian(p -> null, JacobianCheckTests::polarJacobian, POLAR)));
        }

        @Test
        void aFunctionReturningNoValues() {
            assertEquals("Function returned <0> values at x; it must return at least one",
                    messageOf(() -> GradientChecker.checkJacobian(p -> new double[0], p -> new double[0][], POLAR)));
        }

        @Test
        void aFunctionWhoseOutputLengthChangesNearX() {
            assertEquals("Function returned <3> values near x but <2> at x; it must return vectors of one length",
                    messageOf(() -> GradientChecker.checkJacobian(p -> p[0] == 2.0 ? cartesian(p) : new double[3],
                            JacobianCheckTests::polarJacobian, POLAR)));
        }

        @Test
        void aFunctionReturningNullNearX() {
            assertEquals("Function returned <null> near x; it must return a vector of length <2> everywhere",
                    messageOf(() -> GradientChecker.checkJacobian(p -> p[1] == 0.7 ? cartesian(p) : null,
                            JacobianCheckTests::polarJacobian, POLAR)));
        }

        @Test
        void aNanInX() {
            assertEquals("x[0] is <NaN>; every coordinate of x must be finite",
                    messageOf(() -> GradientChecker.checkJacobian(JacobianCheckTests::cartesian,
                            JacobianCheckTests::polarJacobian, new double[] {Double.NaN, 0.7})));
        }
    }

    @Nested
    class TextRendering {

        /**
         * f = (x₀ + x₁, x₀ − x₁) at 0, claimed [[1, 1], [1, 1]]. Each sample is exactly ±h or ±h/2, so every
         * central difference is exactly ±1 (r₅ = ±((4/3)h − h/3) = ±h) with error estimate 4ε = 8.88e−16, and
         * allowed = 10·4ε + 1e−6·1 = 1.00e−06; J[1][1] is off by |1 − (−1)| = 2.
         */
        @Test
        void aTwoByTwoTableWithOneWrongEntry() {
            FunctionCheckReport r = GradientChecker.withTolerance(new Tolerance(1e-6, 0.0, 10.0))
                    .checkJacobian(p -> new double[] {p[0] + p[1], p[0] - p[1]}, p -> new double[][] {{1, 1}, {1, 1}},
                            new double[2]);
            assertEquals(String.join("\n",
                    "  entry                     claimed        central difference    ± error     off by    allowed  verdict",
                    "  J[0][0]                       1.0                       1.0   8.88e-16   0.00e+00   1.00e-06  ok",
                    "  J[0][1]                       1.0                       1.0   8.88e-16   0.00e+00   1.00e-06  ok",
                    "  J[1][0]                       1.0                       1.0   8.88e-16   0.00e+00   1.00e-06  ok",
                    "  J[1][1]                       1.0                      -1.0   8.88e-16   2.00e+00   1.00e-06  WRONG",
                    "FAILED: 1 of 4 derivatives disagree with finite differences",
                    ""), r.text());
        }
    }
}
