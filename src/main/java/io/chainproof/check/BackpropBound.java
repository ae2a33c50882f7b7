package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.VarianceDualNumber;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.symbolic.TextbookRules;

/**
 * How far a <em>correct</em> backward pass may be from the exact gradient, per entry, from its rounding alone: the
 * running error analysis of the reverse walk (Higham 2002, §3.1) — the forward and backward passes evaluated in
 * arithmetic that carries, beside each value, the first-order scale of its rounding error (Σ|terms| through every
 * sum, |a|·s_b + s_a·|b| through every product, |f'|·s through every function) and the longest chain of roundings
 * n — with the local derivatives written as libraries write them ({@link TextbookRules}: σ·(1 − σ), 1 − tanh²).
 * The bound is {@code γ_n(u)·scale}, γ_n = nu/(1 − nu), for a unit roundoff u: float64's 2⁻⁵³, or float32's 2⁻²⁴
 * with one more rounding for the inputs stored in float32, plus n times the smallest normal number for underflow
 * (the bound is first order: a chain's second-order terms are far below it). It covers any order of summation (a sum of n terms errs
 * by at most γ_{n−1}·Σ|terms| whatever the order), so a library that sums otherwise than chainproof stays inside;
 * where 1 − σ cancels it is as large as the value — the entry has no relative accuracy in that arithmetic.
 *
 * <p>That worst case multiplies absolute values along every path, so through many layers or steps it grows far past
 * the errors backward passes make (2e−4 relative for the first layer of a 20-layer tanh net, whose float64 gradients
 * agree to 1e−14). {@link #statistical} is the statistical model of the same computation (Higham 2002, §2.8; each
 * rounding an independent error of standard deviation u·|value|, variances propagated through the actual signed
 * partial derivatives, {@link VarianceDualNumber}); {@link #judged} — what verdicts use — is the smaller of the worst
 * case and {@value #SIGMAS} standard deviations, which a sum of independent roundings exceeds with probability below
 * 1e−20. Where one rounding dominates (1 − σ at σ ≈ 1) both are as large as the value. Stateless.
 */
public final class BackpropBound {

    /** float64's unit roundoff, 2⁻⁵³. */
    public static final double FLOAT64 = Math.ulp(1.0) / 2;
    /** float32's unit roundoff, 2⁻²⁴. */
    public static final double FLOAT32 = Math.ulp(1.0f) / 2;

    /** Standard deviations of the statistical estimate that {@link #judged} allows. */
    public static final double SIGMAS = 10;

    private BackpropBound() {
    }

    /**
     * The rounding bound verdicts judge by: per entry, the smaller of the worst case ({@link #of}) and
     * {@link #SIGMAS} standard deviations of the statistical estimate ({@link #statistical}).
     *
     * @param model        the model
     * @param unitRoundoff u of the arithmetic the backward pass ran in
     * @return per flat parameter, the bound; +∞ only where both are
     */
    public static double[] judged(Model model, double unitRoundoff) {
        return judged(model, unitRoundoff, TextbookRules.instance());
    }

    /**
     * {@link #judged(Model, double)} of a backward pass written with {@code rules}' local derivatives: chainproof's
     * own stable forms ({@link io.chainproof.symbolic.SymbolicRules}), which keep relative accuracy where the textbook
     * ones lose it.
     *
     * @param model        the model
     * @param unitRoundoff u of the arithmetic the backward pass ran in
     * @param rules        the local derivatives the backward pass uses
     * @return per flat parameter, the bound
     */
    public static double[] judged(Model model, double unitRoundoff, io.chainproof.ops.LocalRules rules) {
        double[] worst = of(model, unitRoundoff, rules);
        double[] likely = statistical(model, unitRoundoff, rules);
        double[] out = new double[worst.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(likely[i]) ? worst[i] : Math.min(worst[i], SIGMAS * likely[i]);
        }
        return out;
    }

    /**
     * The standard deviation of a correct backward pass's rounding error per entry, in the statistical model: the
     * reverse walk with the textbook local derivatives in {@link VarianceDualNumber} arithmetic (float64's u), scaled
     * to {@code unitRoundoff} (every term is first order in u), plus one rounding of each parameter and input for
     * arithmetics coarser than float64 (they are stored in it) and the arithmetic's smallest normal number for
     * underflow.
     *
     * @param model        the model
     * @param unitRoundoff u of the arithmetic
     * @return per flat parameter, the standard deviation (NaN where the walk produced NaN)
     */
    public static double[] statistical(Model model, double unitRoundoff) {
        return statistical(model, unitRoundoff, TextbookRules.instance());
    }

    private static double[] statistical(Model model, double unitRoundoff, io.chainproof.ops.LocalRules rules) {
        double[] theta = model.point();
        boolean single = unitRoundoff > FLOAT64;
        double ratio = unitRoundoff / FLOAT64;
        double[] out = new double[model.parameterCount()];
        // entry by entry: a million weights' bounds without a million gradient objects held at once
        ModelEvaluator.gradient(model, VarianceDualNumber.FIELD, i -> VarianceDualNumber.FIELD.constant(theta[i]), rules,
                (i, g) -> {
                    double sigma = g.valueSigma() * ratio;
                    // stored inputs round once more: at most one more rounding of the value
                    out[i] = sigma + (single ? unitRoundoff * Math.abs(g.value()) : 0) + (single ? Float.MIN_NORMAL
                            : Double.MIN_NORMAL);
                });
        return out;
    }

    /**
     * The bound per gradient entry at the model's point.
     *
     * @param model        the model
     * @param unitRoundoff u of the arithmetic the backward pass ran in ({@link #FLOAT64} or {@link #FLOAT32})
     * @return per flat parameter, the largest rounding error a correct backward pass in that arithmetic can make;
     *     +∞ where the chain of roundings is too long for the bound (n·u ≥ 1)
     */
    public static double[] of(Model model, double unitRoundoff) {
        return of(model, unitRoundoff, TextbookRules.instance());
    }

    private static double[] of(Model model, double unitRoundoff, io.chainproof.ops.LocalRules rules) {
        double[] theta = model.point();
        double[] out = new double[model.parameterCount()];
        boolean single = unitRoundoff > FLOAT64;
        ModelEvaluator.gradient(model, ComplexStepNumber.FIELD, i -> ComplexStepNumber.FIELD.constant(theta[i]), rules,
                (i, g) -> {
                    long n = g.depth() + (single ? 1 : 0);
                    double nu = n * unitRoundoff;
                    // plus, per rounding, the absolute error gradual underflow allows (at most the smallest normal)
                    double underflow = n * (single ? Float.MIN_NORMAL : Double.MIN_NORMAL);
                    out[i] = g.depth() == 0 ? 0 : nu >= 1 ? Double.POSITIVE_INFINITY
                            : nu / (1 - nu) * g.scale() + underflow;
                });
        return out;
    }
}
