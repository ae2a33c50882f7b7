package io.chainproof.check;

import io.chainproof.model.Model;
import io.chainproof.number.ComplexStepNumber;
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
 * Stateless.
 */
public final class BackpropBound {

    /** float64's unit roundoff, 2⁻⁵³. */
    public static final double FLOAT64 = Math.ulp(1.0) / 2;
    /** float32's unit roundoff, 2⁻²⁴. */
    public static final double FLOAT32 = Math.ulp(1.0f) / 2;

    private BackpropBound() {
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
        double[] theta = model.point();
        ComplexStepNumber[] g = ModelEvaluator.gradient(model, ComplexStepNumber.FIELD,
                i -> ComplexStepNumber.FIELD.constant(theta[i]), TextbookRules.instance());
        double[] out = new double[g.length];
        boolean single = unitRoundoff > FLOAT64;
        for (int i = 0; i < g.length; i++) {
            long n = g[i].depth() + (single ? 1 : 0);
            double nu = n * unitRoundoff;
            // plus, per rounding, the absolute error gradual underflow allows (at most the smallest normal number)
            double underflow = n * (single ? Float.MIN_NORMAL : Double.MIN_NORMAL);
            out[i] = g[i].depth() == 0 ? 0 : nu >= 1 ? Double.POSITIVE_INFINITY : nu / (1 - nu) * g[i].scale() + underflow;
        }
        return out;
    }
}
