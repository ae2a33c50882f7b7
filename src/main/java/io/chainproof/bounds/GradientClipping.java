package io.chainproof.bounds;

/**
 * Gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_} does it: a gradient g whose global
 * Euclidean norm exceeds {@code maxNorm} is scaled by {@code maxNorm/‖g‖₂}, so its direction is kept and its
 * norm becomes {@code maxNorm}; any other gradient is returned unchanged (Pascanu, Mikolov, Bengio 2013,
 * "On the difficulty of training recurrent neural networks", Algorithm 1). Unlike PyTorch no {@code 1e−6}
 * is added to the norm, so the clipped norm is {@code maxNorm} to rounding rather than slightly below it.
 *
 * <p>The norm is computed scaled, {@code ‖g‖₂ = m·sqrt(Σ_i (g_i/m)²)} with {@code m = max_i |g_i|}, so it
 * neither overflows for entries near {@code Double.MAX_VALUE} nor underflows for subnormal entries (the
 * LAPACK {@code dnrm2} idea), and the clipped entries are formed as {@code (g_i/m)·(maxNorm/r)} with
 * {@code r = sqrt(Σ_i (g_i/m)²) ∈ [1, √n]}, so no intermediate overflows either. The result has a relative
 * error of a few ulps (O(n·ε) in the sum, ε = 2⁻⁵³).
 *
 * <p>Instances are not needed: every method is a pure function of its arguments, and arrays are never
 * modified — the result is always a new array.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * @param g a gradient, flattened; not modified
     * @return {@code ‖g‖₂}, computed scaled so it overflows only when the true norm exceeds
     *         {@code Double.MAX_VALUE}; 0 for an empty or all-zero g; NaN if an entry is NaN; +∞ if an entry is
     *         infinite
     */
    public static double globalNorm(double[] g) {
        double m = largestMagnitude(g);
        if (m == 0 || !Double.isFinite(m)) {
            return m;
        }
        return m * scaledNorm(g, m);
    }

    /**
     * @param g       a gradient, flattened; not modified
     * @param maxNorm the largest global norm allowed; positive (may be +∞: then nothing is clipped)
     * @return a new array: g itself (copied) when {@code ‖g‖₂ ≤ maxNorm}, else {@code g·maxNorm/‖g‖₂}
     * @throws IllegalArgumentException if maxNorm is not positive (or NaN), or an entry of g is not finite
     */
    public static double[] clipByGlobalNorm(double[] g, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("Max norm <" + maxNorm + "> must be positive");
        }
        double m = largestMagnitude(g);
        if (!Double.isFinite(m)) {
            throw new IllegalArgumentException("Gradient norm <" + m + "> must be finite; "
                    + "clip only gradients without NaN or infinite entries");
        }
        if (m == 0) {
            return g.clone();
        }
        double r = scaledNorm(g, m);
        if (m * r <= maxNorm) {
            return g.clone();
        }
        double scale = maxNorm / r;
        double[] clipped = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            clipped[i] = g[i] / m * scale;
        }
        return clipped;
    }

    /** max_i |g_i|; NaN if an entry is NaN. */
    private static double largestMagnitude(double[] g) {
        double m = 0;
        for (double v : g) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** sqrt(Σ_i (g_i/m)²) for m = max_i |g_i| finite and positive; in [1, √n]. */
    private static double scaledNorm(double[] g, double m) {
        double sum = 0;
        for (double v : g) {
            double s = v / m;
            sum += s * s;
        }
        return Math.sqrt(sum);
    }
}
