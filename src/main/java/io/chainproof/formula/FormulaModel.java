package io.chainproof.formula;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.SpecException;
import io.chainproof.symbolic.EngineTime;
import io.chainproof.symbolic.MathNotation;
import io.chainproof.symbolic.SymbolicEngine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A formula spec made ready for checking: its loss parsed and sandboxed by {@link FormulaParser}, its
 * partial derivative by every parameter derived by Symja ({@link SymbolicEngine#derivative}) under a
 * time limit, and both evaluated in double precision by {@link ExprEvaluator}.
 *
 * <p>Parameters are flattened in the spec's order: a number {@code w} is one parameter {@code w}, a list
 * {@code v} of n numbers is {@code v[1]}, …, {@code v[n]} (1-based, as {@code v[[i]]} in the formula).
 * Inputs stay symbols in the expressions and are bound to their values when evaluated, so the
 * derivatives are the general ones and not specialised to the data.
 *
 * <p>Symja sees only the expression built by our parser, never the user's text. Our symbol names are
 * passed to it renamed ({@code cpv1}, …), so a parameter named like a Symja function cannot call it, and
 * every number other than −1, 0 and 1 is passed as a symbol too and put back afterwards, so Symja never
 * does arithmetic on our numbers: {@code (2*w)^(10^8)} would otherwise make it compute 2^(10^8) exactly
 * (and hang), and so would {@code Exp[10^8*Log[2*w]]} or ten nested squares {@code ((2*w)^2)^2…}. With
 * the constants symbolic each of these is differentiated in milliseconds.
 * Instances are immutable; {@link #point()} and the arrays returned are copies.
 */
public final class FormulaModel {

    /** How long the symbolic differentiation of all parameters together may work inside the engine by default. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);
    /**
     * How long a differentiation may wait for the symbolic engine while other callers (a parallel test suite's other
     * symbolic work) use it; the time limit counts only the engine's own work on this formula.
     */
    public static final Duration DEFAULT_WAIT_LIMIT = Duration.ofSeconds(120);
    /** How often the waiting caller looks at the engine time used. */
    private static final long POLL_MILLIS = 20;
    /** How long a timed-out differentiation may take to stop before the engine is left to it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final FormulaSpec spec;
    private final Expr loss;
    private final List<String> parameterNames;
    private final double[] point;
    private final Map<String, Double> inputValues;
    private final Map<String, Expr> derivatives;

    private FormulaModel(FormulaSpec spec, Expr loss, Map<String, Double> parameters, Map<String, Double> inputs,
                         Map<String, Expr> derivatives) {
        this.spec = spec;
        this.loss = loss;
        this.parameterNames = List.copyOf(parameters.keySet());
        this.point = parameters.values().stream().mapToDouble(Double::doubleValue).toArray();
        this.inputValues = Collections.unmodifiableMap(new HashMap<>(inputs));
        this.derivatives = Collections.unmodifiableMap(derivatives);
    }

    /**
     * Parses, sandboxes and differentiates {@code spec} within {@link #DEFAULT_TIME_LIMIT}.
     *
     * @param spec the formula spec
     * @return the model
     * @throws SpecException if the formula is rejected or cannot be differentiated in time
     */
    public static FormulaModel of(FormulaSpec spec) {
        return of(spec, DEFAULT_TIME_LIMIT);
    }

    /**
     * Parses, sandboxes and differentiates {@code spec} within {@code limit} of the engine's own work, waiting for the
     * engine at most {@link #DEFAULT_WAIT_LIMIT}.
     *
     * @param spec  the formula spec
     * @param limit the engine time allowed for differentiating by all parameters together; positive
     * @return the model
     * @throws SpecException if the formula is rejected, Symja fails on it, or it is not differentiated
     *                       within {@code limit}
     */
    public static FormulaModel of(FormulaSpec spec, Duration limit) {
        return of(spec, limit, DEFAULT_WAIT_LIMIT);
    }

    /**
     * Parses, sandboxes and differentiates {@code spec}; the symbolic work runs on a daemon thread and is
     * abandoned (interrupted) when its time inside the engine ({@link EngineTime}) exceeds {@code limit}, or when it
     * has waited {@code waitLimit} in all for other callers to let go of the engine. Symja is initialised (2–4 s, once
     * per JVM) on the calling thread before the clock starts, so the limit covers only the differentiation and an
     * interrupt can never hit Symja's static initialisation.
     *
     * @param spec      the formula spec
     * @param limit     the engine time allowed for differentiating by all parameters together; positive
     * @param waitLimit the time allowed for waiting while other callers use the engine; positive
     * @return the model
     * @throws SpecException       if the formula is rejected, Symja fails on it, or it is not differentiated
     *                             within {@code limit}
     * @throws ChainproofException if the engine stayed busy with other work for {@code waitLimit}
     */
    public static FormulaModel of(FormulaSpec spec, Duration limit, Duration waitLimit) {
        Expr loss = FormulaParser.parse(spec);
        Map<String, Double> parameters = flatten(spec.parameters());
        Map<String, Double> inputs = flatten(spec.inputs());
        Map<String, Expr> derivatives = differentiate(spec, loss, List.copyOf(parameters.keySet()), limit, waitLimit);
        return new FormulaModel(spec, loss, parameters, inputs, derivatives);
    }

    private static Map<String, Double> flatten(Map<String, FormulaSpec.Value> values) {
        Map<String, Double> flat = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            double[] entries = value.entries();
            for (int i = 0; i < entries.length; i++) {
                flat.put(value.vector() ? name + "[" + (i + 1) + "]" : name, entries[i]);
            }
        });
        return flat;
    }

    private static Map<String, Expr> differentiate(FormulaSpec spec, Expr loss, List<String> names, Duration limit,
                                                   Duration waitLimit) {
        SymbolicEngine engine = SymbolicEngine.instance();
        EngineTime time = new EngineTime();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "chainproof-formula-derivative");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
        Future<Map<String, Expr>> work = executor.submit(() -> {
            worker.set(Thread.currentThread());
            engine.measure(time);
            SymbolRenaming renaming = new SymbolRenaming();
            Expr safe = renaming.toEngine(loss);
            Map<String, Expr> result = new LinkedHashMap<>();
            for (String name : names) {
                Expr d = engine.derivative(safe, renaming.engineName(name));
                result.put(name, renaming.fromEngine(d));
            }
            return result;
        });
        long started = System.nanoTime();
        long poll = Math.max(1, Math.min(limit.toMillis(), POLL_MILLIS));
        try {
            while (true) {
                try {
                    return work.get(poll, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long working = time.nanos();
                    if (working >= limit.toNanos()) {
                        throw e;
                    }
                    if (System.nanoTime() - started - working >= waitLimit.toNanos()) {
                        stop(work, worker.get(), engine);
                        throw new ChainproofException("The symbolic engine was busy with other work for "
                                + (waitLimit.toMillis() % 1000 == 0 ? waitLimit.toSeconds() + " s"
                                : waitLimit.toMillis() + " ms") + " before formula <" + FormulaParser.abbreviate(
                                spec.formula()) + "> of " + spec.source() + " could be differentiated; run it again "
                                + "when fewer symbolic checks run at once");
                    }
                }
            }
        } catch (TimeoutException e) {
            stop(work, worker.get(), engine);
            throw new SpecException(spec.source(), "formula", FormulaParser.abbreviate(spec.formula()),
                    "was not differentiated within " + limit.toMillis() + " ms",
                    "simplify the formula: fewer nested functions, terms or parameters (each parameter's derivative "
                            + "is taken separately)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof ChainproofException)) {
                // a bug in chainproof or Symja, not in the formula: exit 3 with the cause, not "bad input"
                throw new IllegalStateException("Differentiating formula <" + FormulaParser.abbreviate(spec.formula())
                        + "> failed inside chainproof: " + cause, cause);
            }
            if (cause.getMessage() != null && cause.getMessage().contains("with head <Hold>")) {
                // Symja stops at its recursion limit and returns the derivative unevaluated, as Hold[D[...]]
                throw new SpecException(spec.source(), "formula", FormulaParser.abbreviate(spec.formula()),
                        "nests too deeply for Symja to differentiate (its recursion limit stopped it)",
                        "nest fewer functions inside each other", cause);
            }
            throw new SpecException(spec.source(), "formula", FormulaParser.abbreviate(spec.formula()),
                    "could not be differentiated (" + FormulaParser.abbreviate(cause.getMessage()) + ")",
                    "simplify the formula", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainproofException("Interrupted while differentiating formula <"
                    + FormulaParser.abbreviate(spec.formula()) + ">; run the command again", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Stops the abandoned work and frees the engine for the next caller (a test suite's next formula). */
    private static void stop(Future<?> work, Thread running, SymbolicEngine engine) {
        work.cancel(true);
        if (running != null) {
            engine.stop(running, STOP_GRACE);
        }
    }

    /** @return the spec this model was made from */
    public FormulaSpec spec() {
        return spec;
    }

    /** @return the flattened parameter names in order, e.g. {@code w}, {@code v[1]}, {@code v[2]}; unmodifiable */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** @return the parameter values of the spec, in the order of {@link #parameterNames()}; a copy */
    public double[] point() {
        return point.clone();
    }

    /** @return the loss as parsed, over parameter and input symbols */
    public Expr lossExpression() {
        return loss;
    }

    /** @return ∂L/∂p for every parameter p, in the order of {@link #parameterNames()}; unmodifiable */
    public Map<String, Expr> derivatives() {
        return derivatives;
    }

    /**
     * The loss at {@code theta}, with the inputs at their spec values.
     *
     * @param theta the parameter values, in the order of {@link #parameterNames()}
     * @return L(θ), in double precision
     */
    public double loss(double[] theta) {
        return ExprEvaluator.evaluate(loss, bindings(theta));
    }

    /**
     * The gradient at {@code theta}, by evaluating the symbolic derivatives.
     *
     * @param theta the parameter values, in the order of {@link #parameterNames()}
     * @return ∂L/∂θ_k for every k, in double precision
     */
    public double[] gradient(double[] theta) {
        Map<String, Double> values = bindings(theta);
        double[] gradient = new double[parameterNames.size()];
        for (int k = 0; k < gradient.length; k++) {
            gradient[k] = ExprEvaluator.evaluate(derivatives.get(parameterNames.get(k)), values);
        }
        return gradient;
    }

    private Map<String, Double> bindings(double[] theta) {
        if (theta.length != parameterNames.size()) {
            throw new IllegalArgumentException("Parameter vector of length <" + theta.length + "> does not fit formula <"
                    + spec.name() + ">; it has " + parameterNames.size() + " parameters: " + parameterNames);
        }
        Map<String, Double> values = new HashMap<>(inputValues);
        for (int k = 0; k < theta.length; k++) {
            values.put(parameterNames.get(k), theta[k]);
        }
        return values;
    }

    /** @return the loss in Unicode, e.g. {@code (σ(w·x + b) − y)²} */
    public String lossText() {
        return MathNotation.text(loss);
    }

    /** @return the loss in LaTeX */
    public String lossLatex() {
        return MathNotation.latex(loss);
    }

    /**
     * ∂L/∂{@code parameter} in Unicode.
     *
     * @param parameter one of {@link #parameterNames()}
     * @return the derivative in Unicode
     */
    public String derivativeText(String parameter) {
        return MathNotation.text(derivative(parameter));
    }

    /**
     * ∂L/∂{@code parameter} in LaTeX.
     *
     * @param parameter one of {@link #parameterNames()}
     * @return the derivative in LaTeX
     */
    public String derivativeLatex(String parameter) {
        return MathNotation.latex(derivative(parameter));
    }

    private Expr derivative(String parameter) {
        Expr d = derivatives.get(parameter);
        if (d == null) {
            throw new IllegalArgumentException("Parameter <" + parameter + "> is not in formula <" + spec.name()
                    + ">; its parameters: " + parameterNames);
        }
        return d;
    }

    /**
     * Hides everything Symja could misread or blow up: every symbol is renamed ({@code w} → {@code _s0},
     * which {@code SymjaWriter} writes as {@code cpv1}, …) and every number other than −1, 0 and 1 becomes
     * a symbol too ({@code _k0}, …), so Symja never forms a number of its own from ours — no
     * {@code (2w)^(10^8) = 2^(10^8)·w^(10^8)}, no {@code ((2w)^2)^2…} doubling the bits at each level.
     * On the way back the numbers are put in and folded ({@link ConstantFolding}).
     */
    private static final class SymbolRenaming {
        private final Map<String, String> toEngine = new HashMap<>();
        private final Map<String, Expr> fromEngine = new HashMap<>();
        private final Map<Double, String> constants = new HashMap<>();

        String engineName(String name) {
            return toEngine.computeIfAbsent(name, n -> {
                String s = "_s" + toEngine.size();
                fromEngine.put(s, Expr.sym(n));
                return s;
            });
        }

        private Expr constant(double value) {
            if (value == -1 || value == 0 || value == 1) {
                return Expr.num(value);
            }
            return Expr.sym(constants.computeIfAbsent(value, v -> {
                String s = "_k" + constants.size();
                fromEngine.put(s, Expr.num(v));
                return s;
            }));
        }

        Expr toEngine(Expr e) {
            return rename(e, true);
        }

        Expr fromEngine(Expr e) {
            return ConstantFolding.fold(rename(e, false));
        }

        private Expr rename(Expr e, boolean forward) {
            if (e instanceof Expr.Num n) {
                return forward ? constant(n.value()) : e;
            }
            if (e instanceof Expr.Sym s) {
                Expr renamed = forward ? Expr.sym(engineName(s.name())) : fromEngine.get(s.name());
                if (renamed == null) {
                    throw new ChainproofException("Symja returned symbol <" + s.name()
                            + "> that the formula does not contain; report this as a bug");
                }
                return renamed;
            }
            if (e instanceof Expr.Sum s) {
                return new Expr.Sum(renameAll(s.terms(), forward));
            }
            if (e instanceof Expr.Product p) {
                return new Expr.Product(renameAll(p.factors(), forward));
            }
            if (e instanceof Expr.Power p) {
                return new Expr.Power(rename(p.base(), forward), rename(p.exponent(), forward));
            }
            if (e instanceof Expr.Call c) {
                return Expr.call(c.fn(), rename(c.argument(), forward));
            }
            Expr.Conditional c = (Expr.Conditional) e;
            return new Expr.Conditional(rename(c.test(), forward), rename(c.ifPositive(), forward),
                    rename(c.otherwise(), forward));
        }

        private List<Expr> renameAll(List<Expr> parts, boolean forward) {
            List<Expr> renamed = new ArrayList<>(parts.size());
            for (Expr part : parts) {
                renamed.add(rename(part, forward));
            }
            return renamed;
        }
    }
}
