package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IExpr;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one gateway to Symja: a lazily created singleton holding one Symja evaluator, used under a lock
 * because Symja is not thread-safe. Its public face is Symja-free ({@link Expr} in, {@link Expr} out);
 * the package uses the Symja-typed methods.
 *
 * <p>Creating the instance costs 2–4 s (Symja's static initialisation), once per JVM. Before any other
 * Symja class loads, it sets {@code Config.JAS_NO_THREADS} so Symja's polynomial library starts no
 * non-daemon thread pool (which would keep the JVM alive for 60 s after {@code main} returns), and
 * it silences Symja's console output. Measured cold times of single derivatives: 1–170 ms.
 *
 * <p>Every evaluation is counted ({@link #evaluations()}), so callers and tests can see that cached
 * work does not reach Symja again.
 *
 * <p>A caller that gives up on an evaluation (a time limit) {@link #stop stops} it: Symja is asked to stop and the
 * thread is interrupted, and if the evaluation still holds the engine after a grace period, the engine is abandoned to
 * it and the next caller gets a fresh one, so a long-running JVM (a test suite) never waits behind a timed-out
 * derivative.
 */
public final class SymbolicEngine {

    private static final class Holder {
        private static final SymbolicEngine INSTANCE = new SymbolicEngine();
    }

    /** Symja's largest AST (number of arguments). */
    static final int MAX_AST_SIZE = 2_000_000;
    /** Symja's largest integer, in bits. */
    static final int MAX_BIT_LENGTH = 100_000;
    /** Symja's longest loop. */
    static final long MAX_LOOP_COUNT = 1_000_000L;
    /** Symja's largest input, in leaves. */
    static final long MAX_INPUT_LEAVES = 5_000_000L;
    /** Symja's highest polynomial degree. */
    static final int MAX_POLYNOMIAL_DEGREE = 10_000;

    /** One Symja evaluator with its lock and the thread evaluating in it, if any. */
    private static final class Session {
        private final ExprEvaluator evaluator;
        /** The thread inside {@link #evaluate}, or null; written under the session's lock. */
        private volatile Thread running;

        Session() {
            PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
            evaluator = new ExprEvaluator(false, (short) 1);
            EvalEngine engine = evaluator.getEvalEngine();
            engine.setQuietMode(true);
            engine.setOutPrintStream(silent);
            engine.setErrorPrintStream(silent);
        }
    }

    /** The clock of the evaluations of a thread that asked for one ({@link #measure}). */
    private static final ThreadLocal<EngineTime> CLOCK = new ThreadLocal<>();

    /** The session new evaluations use; replaced when a stopped evaluation does not let go of its own. */
    private volatile Session session;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    private SymbolicEngine() {
        Config.JAS_NO_THREADS = true;
        // Limits against runaway evaluation (a user's formula, or an unexpectedly large expansion): no AST with
        // more than 2·10⁶ arguments, no integer beyond 10⁵ bits (≈ 3·10⁴ digits), no loop beyond 10⁶ steps, no
        // input beyond 5·10⁶ leaves, no polynomial beyond degree 10⁴; recursion and iteration stay at Symja's
        // defaults (512, 1000). Each symbolic step also runs under a time limit (ProofSettings, FormulaModel).
        Config.MAX_AST_SIZE = MAX_AST_SIZE;
        Config.MAX_BIT_LENGTH = MAX_BIT_LENGTH;
        Config.MAX_LOOP_COUNT = MAX_LOOP_COUNT;
        Config.MAX_INPUT_LEAVES = MAX_INPUT_LEAVES;
        Config.MAX_POLYNOMIAL_DEGREE = MAX_POLYNOMIAL_DEGREE;
        session = new Session();
    }

    /**
     * The engine, created (and Symja initialised) on first use.
     *
     * @return the one engine of this JVM
     */
    public static SymbolicEngine instance() {
        return Holder.INSTANCE;
    }

    /**
     * How many Symja evaluations this engine has run since the JVM started.
     *
     * @return the number of evaluations; ≥ 0
     */
    public long evaluations() {
        return evaluations.get();
    }

    /**
     * {@code ∂e/∂symbol} by Symja's {@code D}, read back with the stable lowering of {@link SymjaReader}.
     *
     * @param e the expression
     * @param symbol the name of the symbol to differentiate by
     * @return ∂e/∂symbol, in stable form
     * @throws ChainproofException if Symja fails or its result uses a function outside the allow-list
     */
    public Expr derivative(Expr e, String symbol) {
        Optional<Branches> branches = Branches.of(e);
        if (branches.isPresent() && !ExprAlgebra.symbols(branches.get().test()).isEmpty()) {
            Branches b = branches.get();
            return new Expr.Conditional(b.test(), branchDerivative(b.positive(), symbol),
                    branchDerivative(b.otherwise(), symbol));
        }
        SymjaWriter writer = new SymjaWriter();
        String input = "D[" + writer.write(e) + "," + writer.symbol(symbol) + "]";
        return new SymjaReader(writer, SymjaReader.Mode.LOWERED).read(evaluate(input));
    }

    /** One branch of a piecewise definition, differentiated and brought over a common denominator. */
    private Expr branchDerivative(Expr branch, String symbol) {
        SymjaWriter writer = new SymjaWriter();
        String input = "Together[D[" + writer.write(branch) + "," + writer.symbol(symbol) + "]]";
        return new SymjaReader(writer, SymjaReader.Mode.LOWERED).read(evaluate(input));
    }

    /**
     * Counts the time the calling thread's evaluations spend inside the engine in {@code time}, from when each gets the
     * engine (not while it waits for another caller's evaluation) until it ends.
     *
     * @param time the clock; null to stop measuring this thread
     */
    public void measure(EngineTime time) {
        if (time == null) {
            CLOCK.remove();
        } else {
            CLOCK.set(time);
        }
    }

    /**
     * Evaluates Symja input.
     *
     * @throws ChainproofException naming the input if Symja throws
     */
    IExpr evaluate(String input) {
        Session s = session;
        synchronized (s) {
            if (Thread.currentThread().isInterrupted()) {
                // stopped between two evaluations: do not start another
                throw new ChainproofException("Symja evaluation of <" + abbreviate(input) + "> was stopped before it "
                        + "began (its caller gave up); run the command again");
            }
            evaluations.incrementAndGet();
            EngineTime clock = CLOCK.get();
            if (clock != null) {
                clock.start();
            }
            s.running = Thread.currentThread();
            s.evaluator.getEvalEngine().setStopRequested(false);
            try {
                return s.evaluator.eval(input);
            } catch (RuntimeException | StackOverflowError e) {
                throw new ChainproofException("Symja could not evaluate <" + abbreviate(input) + ">: " + e
                        + "; the expression may be too large for symbolic work — use the numeric checks instead", e);
            } finally {
                s.running = null;
                if (clock != null) {
                    clock.stop();
                }
            }
        }
    }

    /**
     * Stops the evaluation {@code thread} is running, if any: Symja is asked to stop and the thread is interrupted;
     * if it still holds the engine after {@code grace}, the engine is left to it and later evaluations get a fresh
     * one. Returns once the engine is free for the next caller either way.
     *
     * @param thread the thread whose evaluation its caller gave up on
     * @param grace  how long to wait for it to stop
     */
    public void stop(Thread thread, Duration grace) {
        Session s = session;
        thread.interrupt();
        if (s.running != thread) {
            return;
        }
        s.evaluator.getEvalEngine().stopRequest();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (s.running == thread && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (s.running == thread && session == s) {
            session = new Session();
            abandoned.incrementAndGet();
        }
    }

    /**
     * Whether an evaluation is running in the engine that the next evaluation would use.
     *
     * @return true while some thread evaluates in it
     */
    public boolean busy() {
        return session.running != null;
    }

    /**
     * How many engines were left to evaluations that did not stop when asked ({@link #stop}).
     *
     * @return the count since the JVM started
     */
    public long abandonedEngines() {
        return abandoned.get();
    }

    /**
     * Evaluates Symja input under {@code TimeConstrained}; empty if it did not finish within {@code limit}
     * (whole seconds, at least 1). Symja 3.0.0's {@code TimeConstrained[e, n]} stops after n − 1 s for
     * n ≥ 2 (measured with {@code Pause}), so n is the limit plus one.
     */
    Optional<IExpr> evaluateWithin(String input, Duration limit) {
        long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
        IExpr result = evaluate("TimeConstrained[" + input + "," + (seconds + 1) + "]");
        return result == S.$Aborted ? Optional.empty() : Optional.of(result);
    }

    /** Whether Symja's result is the literal 0 (exact zero, not a numerical guess). */
    static boolean isExactZero(IExpr result) {
        return result.isZero() && result.isInteger();
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
