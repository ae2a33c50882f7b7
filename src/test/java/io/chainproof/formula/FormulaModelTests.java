package io.chainproof.formula;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.FormulaSpecReader;
import io.chainproof.spec.SpecException;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.SymbolicEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("FormulaModel")
class FormulaModelTests {

    private static final Path LECTURE_FORMULA = Path.of("examples/lecture-chain-formula.json");

    private static FormulaSpec read(Path file) throws IOException {
        return FormulaSpecReader.read(file.toString(), new ObjectMapper().readTree(file.toFile()));
    }

    private static double[] mlpGradient(String example) {
        return NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(Path.of(example)))).evaluate().gradient();
    }

    private static double mlpLoss(String example) {
        return NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(Path.of(example)))).evaluate().loss();
    }

    /**
     * Asserts bit-for-bit agreement: Symja's derivative of the formula, read back in the stable lowering
     * (σ(1−σ) → σ'), evaluates to exactly the doubles of the compiled MLP backward pass.
     */
    private static void assertSameGradient(double[] expected, double[] actual) {
        assertArrayEquals(expected, actual);
    }

    private static FormulaSpec spec(String formula, Map<String, FormulaSpec.Value> parameters,
                                    Map<String, FormulaSpec.Value> inputs) {
        return new FormulaSpec("test", "<string>", formula, parameters, inputs);
    }

    /** An ordered map of scalar values: {@code scalars("w", 1.0, "b", 2.0)}. */
    static Map<String, FormulaSpec.Value> scalars(Object... namesAndValues) {
        Map<String, FormulaSpec.Value> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], FormulaSpec.Value.scalar(((Number) namesAndValues[i + 1]).doubleValue()));
        }
        return values;
    }

    @Nested
    class TheLectureChainAsAFormula {

        @Test
        void hasTheMlpParametersInTheMlpOrder() throws IOException {
            FormulaModel model = FormulaModel.of(read(LECTURE_FORMULA));
            assertEquals(List.of("w1", "b1", "w2", "b2", "w3", "b3"), model.parameterNames());
            assertArrayEquals(new double[] {0.5, -0.5, 500.0, -250.0, 1.0, 0.0}, model.point());
        }

        @Test
        void givesTheMlpLossAndGradientAtTheBoundAttainingPoint() throws IOException {
            FormulaModel model = FormulaModel.of(read(LECTURE_FORMULA));
            assertEquals(mlpLoss("examples/lecture-chain.json"), model.loss(model.point()));
            assertSameGradient(mlpGradient("examples/lecture-chain.json"), model.gradient(model.point()));
        }

        @Test
        void givesTheMlpGradientAtTheSaturatedPointWhereTheNaiveFormRoundsToZero() throws IOException {
            FormulaSpec lecture = read(LECTURE_FORMULA);
            Map<String, FormulaSpec.Value> saturated = new LinkedHashMap<>(lecture.parameters());
            saturated.put("b1", FormulaSpec.Value.scalar(0.0));
            saturated.put("b2", FormulaSpec.Value.scalar(0.0));
            FormulaModel model = FormulaModel.of(spec(lecture.formula(), saturated, lecture.inputs()));
            double[] expected = mlpGradient("examples/lecture-chain-saturated.json");
            double[] actual = model.gradient(model.point());
            assertSameGradient(expected, actual);
            assertTrue(actual[0] != 0 && Math.abs(actual[0]) < 1e-100, "∂L/∂w1 vanishes but is not 0: " + actual[0]);
        }
    }

    @Nested
    class LeastSquaresWithSums {

        private final FormulaSpec leastSquares = spec("Sum[(w*x[[i]] + b - y[[i]])^2, {i, 1, 3}]",
                scalars("w", 0.5, "b", 0.25),
                Map.of("x", FormulaSpec.Value.vector(1, 2, 3), "y", FormulaSpec.Value.vector(2, 4, 7)));

        @Test
        void matchesTheAnalyticGradient() {
            FormulaModel model = FormulaModel.of(leastSquares);
            double[] x = {1, 2, 3};
            double[] y = {2, 4, 7};
            double w = 0.5;
            double b = 0.25;
            double loss = 0;
            double dw = 0;
            double db = 0;
            for (int i = 0; i < 3; i++) {
                double r = w * x[i] + b - y[i];
                loss += r * r;
                dw += 2 * r * x[i];
                db += 2 * r;
            }
            assertEquals(List.of("w", "b"), model.parameterNames());
            assertEquals(loss, model.loss(model.point()), 1e-15 * loss);
            double[] g = model.gradient(model.point());
            assertEquals(dw, g[0], 1e-15 * Math.abs(dw));
            assertEquals(db, g[1], 1e-15 * Math.abs(db));
        }

        @Test
        void flattensListParametersOneBased() {
            FormulaModel model = FormulaModel.of(spec("Sum[(v[[i]] - y[[i]])^2, {i, 2}]",
                    Map.of("v", FormulaSpec.Value.vector(1, 3)), Map.of("y", FormulaSpec.Value.vector(0, 1))));
            assertEquals(List.of("v[1]", "v[2]"), model.parameterNames());
            assertArrayEquals(new double[] {2, 4}, model.gradient(model.point()));
        }
    }

    @Nested
    class Display {

        @Test
        void showsTheLossAndADerivativeInTextAndLatex() {
            FormulaModel model = FormulaModel.of(spec("(w*x - y)^2", scalars("w", 2), scalars("x", 1, "y", 0)));
            assertEquals("(w·x − y)²", model.lossText());
            assertEquals(4.0, model.gradient(model.point())[0]);
            assertTrue(model.derivativeText("w").contains("x"), model.derivativeText("w"));
            assertTrue(model.lossLatex().contains("w"), model.lossLatex());
        }

        @Test
        void keepsParameterNamesThatAreSymjaFunctionNamesInert() {
            FormulaModel model = FormulaModel.of(spec("(sin*quit - d)^2", scalars("sin", 2, "quit", 3),
                    scalars("d", 1)));
            assertArrayEquals(new double[] {30, 20}, model.gradient(model.point()));
        }
    }

    /**
     * Formulas whose derivative Symja would once have expanded into numbers of 10⁸ bits and more (hanging
     * the process): the constants reach Symja as symbols, so each takes milliseconds and is exact.
     */
    @Nested
    class NumberBlowUpsStaySymbolic {

        private double derivativeAtOneHalf(String formula) {
            SymbolicEngine.instance();
            return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                FormulaModel model = FormulaModel.of(spec(formula, scalars("w", 0.5), Map.of()));
                return model.gradient(model.point())[0];
            });
        }

        @Test
        void aHugePowerOfAProduct() {
            assertEquals(2e8, derivativeAtOneHalf("(2*w)^(10^8)"));
        }

        @Test
        void aHugePowerWrittenWithExpAndLog() {
            assertEquals(2e8, derivativeAtOneHalf("Exp[10^8*Log[2*w]]"));
        }

        @Test
        void tenNestedSquares() {
            assertEquals(2048, derivativeAtOneHalf("((((((((((2*w)^2)^2)^2)^2)^2)^2)^2)^2)^2)^2"));
        }

        @Test
        void sevenNestedSquaresWrittenWithExpAndLog() {
            assertEquals(256, derivativeAtOneHalf(
                    "Exp[2*Log[Exp[2*Log[Exp[2*Log[Exp[2*Log[Exp[2*Log[Exp[2*Log[Exp[2*Log[2*w]]]]]]]]]]]]]]"), 1e-12);
        }
    }

    @Test
    void differentiatesTheDeepestNestingTheParserAllows() {
        int calls = FormulaParser.MAX_DEPTH - 1;
        String formula = "Sigmoid[".repeat(calls) + "w" + "]".repeat(calls);
        FormulaModel model = FormulaModel.of(spec(formula, scalars("w", 0.5), Map.of()), Duration.ofSeconds(60));
        double expected = 1;
        double u = 0.5;
        for (int k = 0; k < calls; k++) {
            expected *= StableFunctions.sigmoidPrime(u);
            u = StableFunctions.sigmoid(u);
        }
        assertEquals(expected, model.gradient(model.point())[0], 1e-12 * expected);
    }

    @Test
    void rejectsTheHostileExampleBeforeAnySymjaEvaluation() throws IOException {
        FormulaSpec hostile = read(Path.of("examples/invalid/formula-urlfetch.json"));
        SymbolicEngine.instance();
        long evaluations = SymbolicEngine.instance().evaluations();
        SpecException e = assertThrows(SpecException.class, () -> FormulaModel.of(hostile));
        assertEquals("examples/invalid/formula-urlfetch.json: formula: <URLFetch> at column 15 is not an allowed "
                + "function; allowed: Exp, Log, Sqrt, Tanh, Sech, Erf, LogisticSigmoid, Sigmoid, Softplus, Sum",
                e.getMessage());
        assertEquals(evaluations, SymbolicEngine.instance().evaluations());
    }

    @Test
    void reportsAFormulaThatIsNotDifferentiatedInTimeAsBadInput() {
        FormulaSpec slow = spec("Sum[Tanh[w*x[[i]] + Tanh[w*Tanh[w*i]]]^3, {i, 1, 30}]",
                Map.of("w", FormulaSpec.Value.scalar(1)), Map.of("x", FormulaSpec.Value.vector(new double[30])));
        SpecException e = assertThrows(SpecException.class, () -> FormulaModel.of(slow, Duration.ofMillis(1)));
        assertEquals("<string>: formula: <Sum[Tanh[w*x[[i]] + Tanh[w*Tanh[w*i]]]^3, {i, 1, 30}]> was not "
                + "differentiated within 1 ms; simplify the formula: fewer nested functions, terms or parameters (each "
                + "parameter's derivative is taken separately)", e.getMessage());
        FormulaModel after = FormulaModel.of(spec("w^2", scalars("w", 3), Map.of()));
        assertArrayEquals(new double[] {6}, after.gradient(after.point()), "the engine still works after a timeout");
    }

    /** Another caller's evaluation, holding the engine until it is stopped: a parallel test's symbolic work. */
    private static Thread holdTheEngine() throws InterruptedException {
        return io.chainproof.symbolic.EngineHolder.hold();
    }

    @Test
    void theTimeLimitCountsTheEnginesOwnWorkNotTheWaitWhileAnotherCallerHoldsIt() throws Exception {
        Thread holder = holdTheEngine();
        java.util.concurrent.CompletableFuture<FormulaModel> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> FormulaModel.of(spec("w^2", scalars("w", 3), Map.of()), Duration.ofMillis(200)));
        Thread.sleep(600);
        // three times the limit spent waiting: before the limit counted only the engine's work, this had thrown
        // "was not differentiated within 200 ms"
        assertTrue(holder.isAlive(), "the engine was held throughout");
        SymbolicEngine.instance().stop(holder, Duration.ofSeconds(2));
        holder.join(2000);
        assertFalse(holder.isAlive(), "the endless loop stops when asked");
        FormulaModel after = waiting.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertArrayEquals(new double[] {6}, after.gradient(after.point()));
    }

    @Test
    void theWaitForABusyEngineIsBoundedWithItsOwnMessage() throws Exception {
        Thread holder = holdTheEngine();
        try {
            io.chainproof.ChainproofException e = assertThrows(io.chainproof.ChainproofException.class,
                    () -> FormulaModel.of(spec("w^2", scalars("w", 3), Map.of()), Duration.ofSeconds(10),
                            Duration.ofMillis(300)));
            assertEquals("The symbolic engine was busy with other work for 300 ms before formula <w^2> of <string> "
                    + "could be differentiated; run it again when fewer symbolic checks run at once", e.getMessage());
            assertTrue(holder.isAlive(), "the other caller's work goes on");
        } finally {
            SymbolicEngine.instance().stop(holder, Duration.ofSeconds(2));
        }
        holder.join(2000);
        assertFalse(holder.isAlive(), "the endless loop stops when asked");
        FormulaModel after = FormulaModel.of(spec("w^3", scalars("w", 2), Map.of()));
        assertArrayEquals(new double[] {12}, after.gradient(after.point()));
    }

    @Test
    void aTimedOutDifferentiationFreesTheEngineForTheNextCall() {
        // 600 terms take Symja seconds to differentiate; given 200 ms, the work is stopped, not left running with the
        // engine: once the error is thrown the engine is idle (no wait for the abandoned work), and the next formula
        // is differentiated by it
        FormulaSpec slow = spec("Sum[Tanh[w*x[[i]] + Tanh[w*Tanh[w*i]]]^3, {i, 1, 600}]",
                Map.of("w", FormulaSpec.Value.scalar(1)), Map.of("x", FormulaSpec.Value.vector(new double[600])));
        SymbolicEngine engine = SymbolicEngine.instance();
        long before = engine.evaluations();
        SpecException e = assertThrows(SpecException.class, () -> FormulaModel.of(slow, Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("was not differentiated within 200 ms"), e.getMessage());
        assertTrue(engine.evaluations() > before, "the slow formula reached Symja");
        assertFalse(engine.busy(), "the timed-out differentiation still holds the engine");
        FormulaModel after = FormulaModel.of(spec("w^3", scalars("w", 2), Map.of()));
        assertArrayEquals(new double[] {12}, after.gradient(after.point()));
    }

    @Test
    void differentiatesExponentialsWithAConstantBaseAndLogsOfParameters() {
        // ∂/∂w 2^w = 2^w·ln 2; ∂/∂w w·log w = log w + 1; ∂/∂w x^w = x^w·ln x (analytic, outside references)
        double w = 0.7;
        double x = 3.0;
        FormulaModel model = FormulaModel.of(spec("2^w + w*Log[w] + x^w", scalars("w", w),
                Map.of("x", FormulaSpec.Value.scalar(x))));
        double expected = Math.pow(2, w) * Math.log(2) + Math.log(w) + 1 + Math.pow(x, w) * Math.log(x);
        assertEquals(expected, model.gradient(model.point())[0], 1e-15 * Math.abs(expected));
    }

    @Test
    void aVeryLongUnknownNameIsAbbreviatedInTheMessage() {
        String name = "a".repeat(90_000);
        SpecException e = assertThrows(SpecException.class,
                () -> FormulaModel.of(spec(name + "*w", scalars("w", 0.5), Map.of())));
        assertEquals("<string>: formula: <" + "a".repeat(60) + "...> at column 1 is not a parameter, input, sum index or "
                + "constant; parameters: w; constants: E, Pi", e.getMessage());
    }
}
