package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import io.chainproof.spec.Loss;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A per-sample loss as a per-output term ℓ(a, y) reduced over the outputs (Σ or mean), with ∂ℓ/∂a by
 * Symja's {@code D}. Instances are immutable.
 *
 * <p>Stable lowering (for losses only): in {@link #term} and {@link #derivative} the logarithm
 * {@code log(a)} is the symbol {@value #LOG_OUTPUT}, {@code 1 − a} is {@value #ONE_MINUS_OUTPUT} and
 * {@code log(1 − a)} is {@value #LOG_ONE_MINUS_OUTPUT}; no bare {@code log(a)} or {@code 1 − a} remains.
 * Numeric code binds them stably — for a sigmoid output {@code a = σ(z)}:
 * {@code log a = −softplus(−z)}, {@code 1 − a = σ(−z)}, {@code log(1 − a) = −softplus(z)}, none of
 * which rounds to 0 or −∞ where the naive forms do (σ(40) rounds to 1, so the naive log(1 − a) is −∞).
 * {@link #plainTerm()} and {@link #plainDerivative()} substitute the plain definitions back.
 *
 * @param loss            which loss
 * @param term            ℓ(a, y), lowered
 * @param derivative      ∂ℓ/∂a, lowered
 * @param reduction       how the terms of the outputs combine
 * @param termText        ℓ(a, y) as defined, e.g. {@code −y·log(a)}
 * @param derivativeText  ∂ℓ/∂a as Symja derived it, e.g. {@code −y/a}
 * @param derivativeLatex the same in LaTeX
 */
public record LossDerivative(Loss loss, Expr term, Expr derivative, Reduction reduction, String termText,
                             String derivativeText, String derivativeLatex) {

    /** The network output symbol a. */
    public static final String OUTPUT = "a";
    /** The target symbol y. */
    public static final String TARGET = "y";
    /** The symbol standing for log(a). */
    public static final String LOG_OUTPUT = "logA";
    /** The symbol standing for 1 − a. */
    public static final String ONE_MINUS_OUTPUT = "oneMinusA";
    /** The symbol standing for log(1 − a). */
    public static final String LOG_ONE_MINUS_OUTPUT = "log1mA";

    /** How the per-output terms of one sample combine. */
    public enum Reduction {
        /** {@code Σ_j ℓ(a_j, y_j)}. */
        SUM,
        /** {@code (1/m)·Σ_j ℓ(a_j, y_j)} over m outputs. */
        MEAN;

        /**
         * The factor in front of the sum over {@code outputs} outputs: 1 or 1/m.
         *
         * @param outputs m, the number of outputs; ≥ 1
         * @return 1 for {@code SUM}, 1/m for {@code MEAN}
         */
        public double factor(int outputs) {
            return this == SUM ? 1.0 : 1.0 / outputs;
        }
    }

    /**
     * Validates the components.
     *
     * @param loss which loss
     * @param term ℓ(a, y), lowered
     * @param derivative ∂ℓ/∂a, lowered
     * @param reduction how the terms of the outputs combine
     * @param termText ℓ(a, y) as defined, e.g. {@code −y·log(a)}
     * @param derivativeText ∂ℓ/∂a as Symja derived it, e.g. {@code −y/a}
     * @param derivativeLatex the same in LaTeX
     * @throws IllegalArgumentException if a lowered expression still contains {@code log(a)} or
     *                                  {@code 1 − a}
     */
    public LossDerivative {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(derivative, "derivative");
        Objects.requireNonNull(reduction, "reduction");
        Objects.requireNonNull(termText, "termText");
        Objects.requireNonNull(derivativeText, "derivativeText");
        Objects.requireNonNull(derivativeLatex, "derivativeLatex");
        for (Expr e : List.of(term, derivative)) {
            if (ExprAlgebra.contains(e, LOG_A) || ExprAlgebra.contains(e, ONE_MINUS_A)) {
                throw new IllegalArgumentException("Loss expression <" + MathNotation.text(e)
                        + "> still contains log(a) or 1 − a; lower them to " + LOG_OUTPUT + " and " + ONE_MINUS_OUTPUT);
            }
        }
    }

    private static final Expr A = Expr.sym(OUTPUT);
    private static final Expr LOG_A = Expr.call(Fn.LOG, A);
    private static final Expr ONE_MINUS_A = ExprAlgebra.sum(ExprAlgebra.ONE, ExprAlgebra.negate(A));

    /**
     * {@link #term} with the plain definitions of logA, oneMinusA, log1mA substituted back.
     *
     * @return the term ℓ(a, y) in plain form
     */
    public Expr plainTerm() {
        return plain(term);
    }

    /**
     * {@link #derivative} with the plain definitions of logA, oneMinusA, log1mA substituted back.
     *
     * @return ∂ℓ/∂a in plain form
     */
    public Expr plainDerivative() {
        return plain(derivative);
    }

    private static Expr plain(Expr e) {
        return ExprAlgebra.substitute(e, Map.of(LOG_OUTPUT, LOG_A, ONE_MINUS_OUTPUT, ONE_MINUS_A,
                LOG_ONE_MINUS_OUTPUT, Expr.call(Fn.LOG, ONE_MINUS_A)));
    }

    /**
     * The loss lowering: {@code log(1 − a)} → {@value #LOG_ONE_MINUS_OUTPUT}, {@code log(a)} →
     * {@value #LOG_OUTPUT}, {@code 1 − a} → {@value #ONE_MINUS_OUTPUT}, and {@code a − 1} →
     * {@code −}{@value #ONE_MINUS_OUTPUT}, applied bottom-up.
     */
    static Expr lower(Expr e) {
        if (e instanceof Expr.Sum s) {
            Expr folded = ExprAlgebra.sum(s.terms().stream().map(LossDerivative::lower).toList());
            if (folded.equals(ONE_MINUS_A) || (folded instanceof Expr.Sum f && f.terms().size() == 2
                    && f.terms().contains(Expr.num(1)) && f.terms().contains(ExprAlgebra.negate(A)))) {
                return Expr.sym(ONE_MINUS_OUTPUT);
            }
            if (folded instanceof Expr.Sum f && f.terms().size() == 2 && f.terms().contains(Expr.num(-1))
                    && f.terms().contains(A)) {
                return ExprAlgebra.negate(Expr.sym(ONE_MINUS_OUTPUT));
            }
            return folded;
        }
        if (e instanceof Expr.Product p) {
            return ExprAlgebra.product(p.factors().stream().map(LossDerivative::lower).toList());
        }
        if (e instanceof Expr.Power p) {
            return new Expr.Power(lower(p.base()), lower(p.exponent()));
        }
        if (e instanceof Expr.Call c) {
            Expr u = lower(c.argument());
            if (c.fn() == Fn.LOG && u.equals(A)) {
                return Expr.sym(LOG_OUTPUT);
            }
            if (c.fn() == Fn.LOG && u.equals(Expr.sym(ONE_MINUS_OUTPUT))) {
                return Expr.sym(LOG_ONE_MINUS_OUTPUT);
            }
            return new Expr.Call(c.fn(), u);
        }
        if (e instanceof Expr.Conditional c) {
            return new Expr.Conditional(lower(c.test()), lower(c.ifPositive()), lower(c.otherwise()));
        }
        return e;
    }
}
