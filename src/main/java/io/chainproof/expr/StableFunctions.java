package io.chainproof.expr;

import org.apache.commons.math3.special.Erf;

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
     * The error function (Commons Math).
     *
     * @param x the argument
     * @return erf(x), in [−1, 1]
     */
    public static double erf(double x) {
        return Erf.erf(x);
    }

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
