package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import io.chainproof.ops.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymbolicEngineTests {

    private static final Expr Z = Expr.sym("z");
    /** How long a thread Symja started may take to end after its call returned. */
    private static final long THREAD_END_MILLIS = 5000;

    @Test
    void the_derivative_of_the_sigmoid_is_read_back_as_the_stable_kernel() {
        assertEquals(Expr.call(Fn.SIGMOID_PRIME, Z), SymbolicEngine.instance().derivative(Expr.call(Fn.SIGMOID, Z), "z"));
    }

    @Test
    void symbols_that_are_not_symja_identifiers_are_renamed_and_mapped_back() {
        Expr product = new Expr.Product(List.of(Expr.sym("W1_0_1"), Expr.sym("x_0")));
        assertEquals(Expr.sym("x_0"), SymbolicEngine.instance().derivative(product, "W1_0_1"));
        SymjaWriter writer = new SymjaWriter();
        assertEquals("(cpv1*cpv2)", writer.write(product));
        assertEquals("W1_0_1", writer.original("cpv1"));
        assertEquals("z", writer.symbol("z"));
    }

    @ParameterizedTest
    @CsvSource({"3.0, 3", "-2.5, -5/2", "0.1, 1/10", "0.3333333333333333, 1/3", "0.4053, 4053/10000",
            "3.141592653589793, Pi", "2.718281828459045, E", "1.0E-20, 10/1000000000000000000000"})
    void numbers_are_written_for_symja_exactly(double value, String symja) {
        assertEquals(symja, SymjaWriter.number(value));
    }

    @Test
    void a_symja_result_outside_the_allow_list_is_an_error_naming_its_head() {
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        var result = SymbolicEngine.instance().evaluate("1+Sin[z]");
        ChainproofException e = assertThrows(ChainproofException.class, () -> reader.read(result));
        assertEquals("Symja result <Sin(z)> with head <Sin> cannot be translated to an expression: it is not one of "
                + "the supported forms; supported: Plus, Times, Power, Sqrt, numbers, E, Pi, Log, LogisticSigmoid, "
                + "Tanh, Sech, Erf, Piecewise with one clause u>v or u<v", e.getMessage());
    }

    @Test
    void a_piecewise_with_two_clauses_is_rejected() {
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        var result = SymbolicEngine.instance().evaluate("Piecewise[{{1,z>1},{2,z>0}},0]");
        ChainproofException e = assertThrows(ChainproofException.class, () -> reader.read(result));
        assertTrue(e.getMessage().contains("only a Piecewise with exactly one clause and a default is supported"),
                e.getMessage());
    }

    @Test
    void the_opaque_writer_names_functions_and_softmax_outputs_and_adds_their_derivative_rules() {
        Expr z0 = Expr.sym("z0");
        Expr z1 = Expr.sym("z1");
        Expr sum = new Expr.Sum(List.of(Expr.call(Fn.EXP, z0), Expr.call(Fn.EXP, z1)));
        Expr o1 = new Expr.Product(List.of(Expr.sym("y"), Expr.call(Fn.EXP, z1), new Expr.Power(sum, Expr.num(-1))));
        SymjaWriter writer = new SymjaWriter(true);
        assertEquals("(cpfsm1x2[z0,z1]*y)", writer.write(o1));
        assertEquals("cpfsigmoid[z0]", writer.write(Expr.call(Fn.SIGMOID, z0)));
        assertEquals("(((1))*cpfstep[z0]+((0))*(1-cpfstep[z0]))", writer.write(new Expr.Conditional(z0, Expr.num(1), Expr.num(0))));
        assertTrue(writer.opaqueDerivatives().endsWith(",Derivative[1,0][cpfsm1x2][p1_,p2_]:>-cpfsm1x2[p1,p2]*cpfsm0x2[p1,p2],"
                + "Derivative[0,1][cpfsm1x2][p1_,p2_]:>cpfsm1x2[p1,p2]*(1-cpfsm1x2[p1,p2])}"), writer.opaqueDerivatives());
    }

    @Test
    void a_less_than_condition_becomes_a_positive_test() {
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        Expr e = reader.read(SymbolicEngine.instance().evaluate("Piecewise[{{1,z<0}},0]"));
        assertEquals(new Expr.Conditional(ExprAlgebra.negate(Z), Expr.num(1), Expr.num(0)), e);
    }

    @Test
    void a_conditional_round_trips_through_piecewise() {
        Expr leaky = new Expr.Conditional(Z, Z, ExprAlgebra.product(Expr.num(0.01), Z));
        assertEquals(new Expr.Conditional(Z, Expr.num(1), Expr.num(0.01)), SymbolicEngine.instance().derivative(leaky, "z"));
    }

    @Test
    void an_evaluation_over_its_time_limit_is_abandoned() {
        long start = System.nanoTime();
        assertTrue(SymbolicEngine.instance().evaluateWithin("Pause[10];1", Duration.ofSeconds(1)).isEmpty());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "took " + (System.nanoTime() - start) / 1e9 + " s");
        assertEquals("1", SymbolicEngine.instance().evaluateWithin("1", Duration.ofSeconds(1)).orElseThrow().toString());
    }

    @Test
    void every_evaluation_is_counted() {
        long before = SymbolicEngine.instance().evaluations();
        SymbolicEngine.instance().derivative(Z, "z");
        assertEquals(before + 1, SymbolicEngine.instance().evaluations());
    }

    /**
     * Symja's TimeConstrained runs its work on a short-lived single-thread pool that it shuts down at once;
     * such a thread may still be finishing when the call returns, so new threads get a moment to end.
     */
    @Test
    void symja_leaves_no_non_daemon_thread_behind() throws InterruptedException {
        List<Thread> before = nonDaemonThreads();
        LocalDerivatives.activation(Activation.TANH);
        SymbolicEngine.instance().evaluate("Factor[x^12-1]");
        SymbolicEngine.instance().evaluateWithin("Together[1/x+1/y]", Duration.ofSeconds(1));
        for (Thread t : nonDaemonThreads()) {
            if (!before.contains(t)) {
                t.join(THREAD_END_MILLIS);
            }
        }
        List<String> offenders = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            Thread thread = t.getKey();
            if (!thread.isDaemon() && thread.isAlive() && thread != Thread.currentThread()
                    && (isSymja(t.getValue()) || !before.contains(thread))) {
                offenders.add(thread.getName() + " " + Arrays.toString(t.getValue()));
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static List<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()).toList();
    }

    private static boolean isSymja(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("edu.jas") || frame.getClassName().startsWith("org.matheclipse")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void a_jvm_that_used_symja_exits_as_soon_as_main_returns() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JvmExitProbe.class.getName())
                .redirectErrorStream(true).start();
        long start = System.nanoTime();
        boolean exited = p.waitFor(45, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes());
        if (!exited) {
            p.destroyForcibly();
        }
        assertTrue(exited, "the JVM was still running after 45 s; output: " + output);
        assertEquals(0, p.exitValue(), output);
        assertEquals("Call[fn=SIGMOID_PRIME, argument=Sym[name=z]]", output.strip());
        assertFalse(System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30),
                "exit took " + (System.nanoTime() - start) / 1e9 + " s");
    }

    @Test
    void a_piecewise_definition_is_differentiated_branch_by_branch_without_cancellation() {
        // z/(1 + |z|): through the branch, 1/(1 + |z|) − z·sgn(z)/(1 + |z|)² cancels to 1e−8 relative at |z| = 1e8;
        // branch by branch it is 1/(1 + z)² (resp. 1/(1 − z)²). Exact value 1/(1 + 1e8)² by mpmath (40 digits).
        double exact = 9.999999800000003e-17;
        io.chainproof.number.SymbolicNumber z = io.chainproof.number.SymbolicNumber.symbol("z");
        Expr softsign = z.divide(z.abs().add(1)).expr();
        Expr d = SymbolicEngine.instance().derivative(softsign, "z");
        assertEquals(exact, io.chainproof.expr.ExprEvaluator.evaluate(d, java.util.Map.of("z", 1e8)), 1e-15 * exact);
        assertEquals(exact, io.chainproof.expr.ExprEvaluator.evaluate(d, java.util.Map.of("z", -1e8)), 1e-15 * exact);
        double throughTheBranch = 1 / (1 + 1e8) - 1e8 / ((1 + 1e8) * (1 + 1e8));
        assertTrue(Math.abs(throughTheBranch - exact) > 1e-9 * exact, "the unsplit form loses about 8 digits here");
    }
}
