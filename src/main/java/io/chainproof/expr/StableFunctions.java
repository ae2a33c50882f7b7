package io.chainproof.expr;

/**
 * Double-precision kernels of the {@link Expr.Fn elementary functions}, in forms that neither overflow
 * nor cancel. Compiled gradient code calls these static methods directly.
 *
 * <table>
 *   <caption>Why the stable forms matter (measured in double precision)</caption>
 *   <tr><th>quantity</th><th>naive form</th><th>naive value</th><th>stable value</th></tr>
 *   <tr><td>σ'(250)</td><td>σ(1−σ)</td><td>0 (σ rounds to 1)</td><td>2.6679e−109</td></tr>
 *   <tr><td>σ(−800)</td><td>1/(1+e^{800})</td><td>0 (correct)</td><td>0</td></tr>
 *   <tr><td>softplus(800)</td><td>log(1+e^{800})</td><td>∞</td><td>800</td></tr>
 *   <tr><td>softplus(−40)</td><td>log(1+e^{−40})</td><td>0 (1+e^{−40} rounds to 1)</td><td>4.2484e−18</td></tr>
 * </table>
 */
public final class StableFunctions {

    private StableFunctions() {
    }

    /**
     * σ(x) = 1/(1+e^{−x}); for x &lt; 0 as e^{x}/(1+e^{x}), so e^{−x} never overflows.
     *
     * @param x the argument
     * @return σ(x), in [0, 1]
     */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * σ'(x) = e^{−|x|}/(1+e^{−|x|})², exact to rounding for every x (σ'(250) ≈ 2.67e−109, not 0).
     *
     * @param x the argument
     * @return σ'(x), in [0, 1/4]
     */
    public static double sigmoidPrime(double x) {
        double e = Math.exp(-Math.abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }

    /**
     * softplus(x) = log(1+e^{x}) = max(x,0) + log1p(e^{−|x|}).
     *
     * @param x the argument
     * @return softplus(x); ≥ 0
     */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * sech(x) = 1/cosh(x), evaluated as 2e^{−|x|}/(1+e^{−2|x|}) so it underflows gracefully instead of via ∞.
     *
     * @param x the argument
     * @return sech(x), in [0, 1]
     */
    public static double sech(double x) {
        double e = Math.exp(-Math.abs(x));
        return 2.0 * e / (1.0 + e * e);
    }

    /**
     * The error function erf(x) = (2/√π)·∫₀ˣ e^{−t²} dt, our own so that the page's JavaScript twin
     * ({@code JavaScriptNetwork}) runs the same operations in the same order: only +, −, ×, ÷, {@code Math.abs} and
     * {@code Math.floor}, fixed iteration counts, and an exponential of its own ({@link #expMinus}) where
     * {@code Math.exp} would do, because Java's and Chromium's {@code Math.exp} differ in the last bit for about one
     * argument in 450 (both are within an ulp; neither is correctly rounded everywhere). Exactly odd; NaN gives NaN,
     * ±∞ gives ±1.
     *
     * <ul>
     *   <li>{@code |x| < 1}: the Taylor series erf(x) = (2/√π)·Σ (−1)ⁿx^{2n+1}/(n!(2n+1)), n = 0…19, by Horner in
     *       x², written {@code x + x·((2/√π − 1) + x²·p(x²))} so that the leading coefficient 2/√π is not rounded
     *       (Abramowitz &amp; Stegun 7.1.5). The neglected term is below 1.1e−20 relative; the alternating terms'
     *       magnitudes sum to at most erfi(1)/erf(1) = 1.96 times the result, so the rounding of the terms is not
     *       amplified much. Tiny and subnormal x need no branch: x² underflows harmlessly, erf(x) ≈ 1.128x.</li>
     *   <li>{@code 1 ≤ |x| < 6}: erf = 1 − erfc with erfc(a) = (2a/√π)·e^{−a²}/K(a) and the even contraction of
     *       Laplace's continued fraction K(a) = 2a² + 1 − 1·2/(2a² + 5 − 3·4/(2a² + 9 − …)) (A&amp;S 7.1.14),
     *       evaluated backward from a fixed 100th level; at a = 1, its slowest point, 100 levels leave a truncation
     *       below 1e−20 relative (80 leave 4 ulps of erf). a² is split exactly into hi + lo (Dekker's product) and
     *       e^{−a²} = e^{−hi−lo}. erfc's relative error reaches erf damped by erfc/erf ≤ 0.19.</li>
     *   <li>{@code |x| ≥ 6}: ±1, which is erf rounded to double for |x| ≥ 5.92158719579450…, where erfc(x) = 2⁻⁵⁴.</li>
     * </ul>
     *
     * <table>
     *   <caption>Error against mpmath, in ulps of the result, measured by {@code ErfReferenceTests} on 9438 doubles
     *   (src/test/resources/reference/erf)</caption>
     *   <tr><th>arguments</th><th>this erf</th><th>Commons Math's Erf.erf</th></tr>
     *   <tr><td>subnormal</td><td>0.39</td><td>4.6e15 (erf(x) = 0)</td></tr>
     *   <tr><td>[2.2e−308, 1e−150)</td><td>0.65</td><td>9.0e15 (x² underflows)</td></tr>
     *   <tr><td>[1e−150, 1e−8)</td><td>0.65</td><td>310</td></tr>
     *   <tr><td>[1e−8, 1)</td><td>0.98 (x = 0.987)</td><td>19.6</td></tr>
     *   <tr><td>[1, 6)</td><td>0.83 (x = 1.012)</td><td>5.3</td></tr>
     *   <tr><td>[6, 7]</td><td>0.10</td><td>0.10</td></tr>
     * </table>
     *
     * @param x the argument
     * @return erf(x), in [−1, 1]
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (a < 1.0) {
            double z = x * x;
            double p = ERF_TAYLOR[ERF_TAYLOR.length - 1];
            for (int n = ERF_TAYLOR.length - 2; n >= 1; n--) {
                p = p * z + ERF_TAYLOR[n];
            }
            return x + x * (TWO_OVER_SQRT_PI_MINUS_ONE + z * p);
        }
        if (!(a < ERF_ONE)) {
            return x != x ? x : x < 0 ? -1.0 : 1.0;
        }
        double hi = a * a;
        double t = DEKKER_SPLIT * a;
        double ah = t - (t - a);
        double al = a - ah;
        double lo = ((ah * ah - hi) + 2.0 * ah * al) + al * al;
        double y = 2.0 * hi;
        double k = y + (4 * ERF_FRACTION_LEVELS + 1);
        for (int n = ERF_FRACTION_LEVELS; n >= 1; n--) {
            k = (y + (4 * n - 3)) - ((2 * n - 1) * (2 * n)) / k;
        }
        double r = 1.0 - TWO_OVER_SQRT_PI * a * expMinus(hi, lo) / k;
        return x < 0 ? -r : r;
    }

    /**
     * e^{−(hi+lo)} for hi ∈ [1, 36] and |lo| ≤ ulp(hi)/2, from +, −, ×, ÷ alone (so JavaScript reproduces it bit
     * for bit): hi + lo = k·ln 2 + r with k = ⌊hi/ln 2 + ½⌋ and |r| ≤ 0.35 (Cody and Waite's reduction, ln 2 in
     * two parts, the first with 40 bits so k·LN2_HI and hi − k·LN2_HI are exact), e^{−r} by its Taylor series to
     * degree 16 in nested form (neglected term below 1e−21), then k exact halvings. Within about 1 ulp.
     */
    private static double expMinus(double hi, double lo) {
        double k = Math.floor(hi * INV_LN2 + 0.5);
        double s = -(((hi - k * LN2_HI) - k * LN2_LO) + lo);
        double e = 1.0;
        for (int m = EXP_DEGREE; m >= 1; m--) {
            e = 1.0 + e * s / m;
        }
        for (int i = 0; i < k; i++) {
            e *= 0.5;
        }
        return e;
    }

    /** 2/√π. */
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** 2/√π − 1, rounded once (not 2/√π rounded, then 1 subtracted). */
    private static final double TWO_OVER_SQRT_PI_MINUS_ONE = 0.1283791670955126;
    /** (2/√π)·(−1)ⁿ/(n!(2n+1)) for n = 0…19, each mpmath's value rounded to double. */
    private static final double[] ERF_TAYLOR = {1.1283791670955126, -0.37612638903183754, 0.11283791670955126,
        -0.026866170645131252, 0.005223977625442188, -0.0008548327023450853, 0.00012055332981789664,
        -1.492565035840625e-05, 1.6462114365889248e-06, -1.6365844691234924e-07, 1.4807192815879218e-08,
        -1.2290555301717928e-09, 9.422759064650411e-11, -6.7113668551641105e-12, 4.4632242632864775e-13,
        -2.7835162072109215e-14, 1.6342614095367152e-15, -9.063970842808673e-17, 4.763348040515068e-18,
        -2.3784598852774293e-19};
    /** |x| from which erf(x) is ±1 in double. */
    private static final double ERF_ONE = 6.0;
    /** Levels of erfc's continued fraction. */
    private static final int ERF_FRACTION_LEVELS = 100;
    /** 2²⁷ + 1: splits a double into two halves whose products are exact. */
    private static final double DEKKER_SPLIT = 134217729.0;
    /** ln 2 to 40 bits. */
    private static final double LN2_HI = 0.6931471805592082;
    /** ln 2 − LN2_HI. */
    private static final double LN2_LO = 7.371002565167799e-13;
    /** 1/ln 2. */
    private static final double INV_LN2 = 1.4426950408889634;
    /** Degree of e^{−r}'s Taylor polynomial. */
    private static final int EXP_DEGREE = 16;

    /**
     * {@code base^exponent} with the exact special cases: squares and reciprocals are products and quotients,
     * square roots {@code Math.sqrt}, not {@code Math.pow}.
     *
     * @param base     the base
     * @param exponent the exponent
     * @return the power
     */
    public static double power(double base, double exponent) {
        if (exponent == 1) {
            return base;
        }
        if (exponent == 2) {
            return base * base;
        }
        if (exponent == -1) {
            return 1.0 / base;
        }
        if (exponent == 0.5) {
            return Math.sqrt(base);
        }
        return Math.pow(base, exponent);
    }

    /**
     * Applies {@code fn} to {@code x}.
     *
     * @param fn the elementary function
     * @param x the argument
     * @return fn(x), by the stable kernel above
     */
    public static double apply(Expr.Fn fn, double x) {
        return switch (fn) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SIGMOID -> sigmoid(x);
            case SIGMOID_PRIME -> sigmoidPrime(x);
            case SOFTPLUS -> softplus(x);
            case TANH -> Math.tanh(x);
            case SECH -> sech(x);
            case ERF -> erf(x);
            case EXPM1 -> Math.expm1(x);
        };
    }
}
