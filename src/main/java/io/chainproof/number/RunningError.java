package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

/**
 * The rounding charges {@link ComplexStepNumber} and {@link DualNumber} share: γ_n, and for each elementary
 * function its slope's second derivative (how an error in the argument moves the slope) and the number of
 * unit roundoffs its value and slope may be off by.
 *
 * <p>Both numbers keep the invariant of Higham (2002, §3.1, Lemma 3.1) to first order: the computed real part
 * (value) is within {@code γ_depth·scale} and the computed imaginary part (tangent) within
 * {@code γ_depth·magnitude} of the exact ones, where {@code γ_n = nu/(1 − nu)} and {@code u = 2⁻⁵³}. An
 * elementary function {@code f} adds {@link #operations} to the depth, and because its slope is evaluated at the
 * <em>computed</em> argument, the argument's own error {@code γ_depth·scale} reaches the tangent through
 * {@code |f''|}: the tangent's magnitude becomes {@code magnitude·|f'| + scale·|tangent|·|f''|}. Without that
 * term a saturated chain {@code σ(500·σ(w) − 250)} at {@code w = 1} (argument 115.5, rounded by 3e−14) had a
 * derivative off by 3.3e−14 relative against a bound of 1.2e−15.
 *
 * <table>
 *   <caption>Unit roundoffs charged per function (value; slope including the product with the tangent)</caption>
 *   <tr><th>f</th><th>value</th><th>slope</th><th>why</th></tr>
 *   <tr><td>exp</td><td>2</td><td>3</td><td>Math.exp is within 1 ulp (2u)</td></tr>
 *   <tr><td>log</td><td>2</td><td>2</td><td>Math.log within 1 ulp; 1/a is one division</td></tr>
 *   <tr><td>σ</td><td>5</td><td>9</td><td>e^{−|a|} (2u), 1 + e, its square, a quotient</td></tr>
 *   <tr><td>σ'</td><td>8</td><td>15</td><td>σ' (8u), tanh (2.5 ulp = 5u), a product</td></tr>
 *   <tr><td>softplus</td><td>5</td><td>6</td><td>log1p(e^{−|a|}) (4u) plus max(a, 0); slope σ</td></tr>
 *   <tr><td>tanh</td><td>5</td><td>20</td><td>Math.tanh within 2.5 ulp; sech (9u) squared</td></tr>
 *   <tr><td>sech</td><td>9</td><td>16</td><td>2e/(1 + e²); slope sech·tanh</td></tr>
 *   <tr><td>erf</td><td>4</td><td>7 + ⌈a²⌉</td><td>{@link StableFunctions#erf}, measured against mpmath by
 *       {@code ErfReferenceTests} (9438 doubles, every range of |a| down to the subnormals): at most 0.98 ulp,
 *       at |a| = 0.987, where its Taylor branch ends (1.10 ulp on 60,000 random arguments near there); that
 *       test requires ≤ 2 ulps, the sum of its roundings' worst cases, and 2 ulps are at most 4u relative. A
 *       subnormal result's rounding is 2⁻¹⁰⁷⁴ absolute, not relative, so for 0 &lt; |a| &lt; 2.2e−308 the
 *       charge is unbounded. The slope 2/√π·e^{−a²} has Math.exp (2u), two products and the rounding of
 *       {@code a·a}, which moves e^{−a²} by a²u relative.</td></tr>
 * </table>
 */
final class RunningError {

    /** The unit roundoff u = 2⁻⁵³. */
    static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;
    /** A depth so large that γ_depth is unbounded: the charge of a function with no error bound. */
    static final int UNBOUNDED = Integer.MAX_VALUE;
    /** The unit roundoffs {@link StableFunctions#erf} may be off by: 2 ulps of the result. */
    private static final int ERF_VALUE = 4;
    /** e^{−a²} is 0 for a² beyond this; the slope is then exactly 0 and its rounding needs no charge. */
    private static final double EXP_UNDERFLOW = 746;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private RunningError() {
    }

    /**
     * γ_n = nu/(1 − nu), the bound on the relative error of n roundings (Higham 2002, Lemma 3.1).
     *
     * @param n the number of roundings; ≥ 0
     * @return γ_n, or +∞ once nu ≥ 1 (or n is {@link #UNBOUNDED})
     */
    static double gamma(long n) {
        double nu = n * UNIT_ROUNDOFF;
        return n >= UNBOUNDED || nu >= 1 ? Double.POSITIVE_INFINITY : nu / (1 - nu);
    }

    /**
     * {@code a + b} for depths, saturating at {@link #UNBOUNDED}.
     *
     * @param depth a depth
     * @param more  roundings added
     * @return the new depth
     */
    static int deeper(int depth, int more) {
        return (int) Math.min((long) depth + more, UNBOUNDED);
    }

    /**
     * {@code bound·factor} with {@code 0·∞ = 0}: a zero bound (an exact quantity) stays zero whatever it is
     * multiplied by.
     *
     * @param bound  a non-negative bound
     * @param factor a non-negative factor, possibly +∞
     * @return the product
     */
    static double times(double bound, double factor) {
        return bound == 0 || factor == 0 ? 0 : bound * factor;
    }

    /**
     * An upper bound on |f''(a)|: how far an error in the argument moves the slope f'(a).
     *
     * @param fn    the elementary function
     * @param a     the argument
     * @param value f(a)
     * @return the bound; ≥ 0, possibly +∞ (log at 0)
     */
    static double curvature(Expr.Fn fn, double a, double value) {
        return switch (fn) {
            case EXP -> Math.abs(value);
            case EXPM1 -> Math.exp(a);
            case LOG -> 1.0 / (a * a);
            // σ'' = −σ'·tanh(a/2)
            case SIGMOID -> StableFunctions.sigmoidPrime(a) * Math.abs(Math.tanh(0.5 * a));
            // σ''' = σ'·(tanh²(a/2) − sech²(a/2)/2), at most σ' in absolute value
            case SIGMOID_PRIME, SOFTPLUS -> StableFunctions.sigmoidPrime(a);
            case TANH -> {
                double s = StableFunctions.sech(a);
                yield 2 * s * s * Math.abs(Math.tanh(a));
            }
            // sech'' = sech·(tanh² − sech²), at most sech
            case SECH -> StableFunctions.sech(a);
            case ERF -> 2 * Math.abs(a) * TWO_OVER_SQRT_PI * Math.exp(-a * a);
        };
    }

    /**
     * The unit roundoffs charged to {@code fn(a)}: the larger of its value's and its slope's (the slope
     * including the product with the incoming tangent); see the table above.
     *
     * @param fn the elementary function
     * @param a  the argument
     * @return the charge, or {@link #UNBOUNDED}
     */
    static int operations(Expr.Fn fn, double a) {
        return switch (fn) {
            case EXP, EXPM1 -> 3;
            case LOG -> 2;
            case SIGMOID -> 9;
            case SIGMOID_PRIME -> 15;
            case SOFTPLUS -> 6;
            case TANH -> 20;
            case SECH -> 16;
            case ERF -> erfOperations(a);
        };
    }

    private static int erfOperations(double a) {
        if (a != 0 && Math.abs(a) < Double.MIN_NORMAL) {
            return UNBOUNDED;
        }
        int value = ERF_VALUE;
        int slope = 7 + (int) Math.ceil(Math.min(a * a, EXP_UNDERFLOW));
        return Math.max(value, slope);
    }

    /**
     * The unit roundoffs charged to {@code a^k} for a constant exponent: Math.pow (1 ulp) for the value, and for
     * the slope {@code k·a^{k−1}} Math.pow, the product with k and the product with the tangent — plus, when
     * {@code k − 1} is not exact in double, the error {@code |ln a|·|δ|} that the rounded exponent causes.
     *
     * @param a the base
     * @param k the exponent
     * @return the charge
     */
    static int powerOperations(double a, double k) {
        double km1 = k - 1;
        double virtualOne = km1 - k;
        double roundingOfKm1 = (k - (km1 - virtualOne)) + (-1 - virtualOne);
        if (roundingOfKm1 == 0) {
            return 4;
        }
        double extra = Math.abs(Math.log(Math.abs(a))) * Math.abs(roundingOfKm1) / UNIT_ROUNDOFF;
        return extra >= UNBOUNDED - 4 ? UNBOUNDED : 4 + (int) Math.ceil(extra);
    }

    /**
     * An upper bound on |d²/da² a^k| = |k(k−1)|·|a|^{k−2}.
     *
     * @param a the base
     * @param k the exponent
     * @return the bound; ≥ 0, possibly +∞
     */
    static double powerCurvature(double a, double k) {
        return Math.abs(k * (k - 1)) * Math.abs(DoubleNumber.power(a, k - 2));
    }
}
