package io.chainproof.number;

import io.chainproof.expr.Expr;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * The elementary functions as Commons Math {@link DerivativeStructure} compositions (order 1): forward-mode AD
 * written by others, the outside reference for the number package. Where DerivativeStructure's own function
 * would cancel or overflow, the composition is the textbook identity that does not:
 * <ul>
 *   <li>tanh = 1 − 2/(e^{2x} + 1) for |x| &gt; 2 (DerivativeStructure.tanh differentiates as 1 − tanh², which is 0
 *       beyond |x| = 19);</li>
 *   <li>σ = 1/(1 + e^{−x}) for x ≥ 0, e^x/(1 + e^x) below (e^{−x} overflows at x = −710);</li>
 *   <li>σ' = e^{−|x|}/(1 + e^{−|x|})² (σ(1 − σ) cancels once σ rounds to 1);</li>
 *   <li>softplus = log1p(e^x) for x ≤ 30, x + log1p(e^{−x}) above;</li>
 *   <li>sech = 1/cosh;</li>
 *   <li>erf has no DerivativeStructure: its derivative is the closed form (2/√π)·e^{−g²}·g' on top of the
 *       argument's structure g, and its value Commons Math's {@code Erf.erf}.</li>
 * </ul>
 */
final class CommonsMathReference {

    private CommonsMathReference() {
    }

    /**
     * @param x the value
     * @return the independent variable x with dx/dx = 1
     */
    static DerivativeStructure variable(double x) {
        return new DerivativeStructure(1, 1, 0, x);
    }

    /**
     * @param d a structure
     * @return its first derivative
     */
    static double derivative(DerivativeStructure d) {
        return d.getPartialDerivative(1);
    }

    /**
     * @param fn the function
     * @param g  its argument
     * @return fn(g), by the compositions above
     */
    static DerivativeStructure call(Expr.Fn fn, DerivativeStructure g) {
        double x = g.getValue();
        return switch (fn) {
            case EXP -> g.exp();
            case LOG -> g.log();
            case TANH -> Math.abs(x) <= 2 ? g.tanh() : g.multiply(2).exp().add(1).reciprocal().multiply(-2).add(1);
            case SIGMOID -> x >= 0 ? g.negate().exp().add(1).reciprocal() : g.exp().divide(g.exp().add(1));
            case SIGMOID_PRIME -> {
                DerivativeStructure e = (x >= 0 ? g.negate() : g).exp();
                yield e.divide(e.add(1).pow(2));
            }
            case SOFTPLUS -> x <= 30 ? g.exp().log1p() : g.add(g.negate().exp().log1p());
            case SECH -> g.cosh().reciprocal();
            case EXPM1 -> g.expm1();
            case ERF -> new DerivativeStructure(1, 1, org.apache.commons.math3.special.Erf.erf(x),
                    2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * derivative(g));
        };
    }
}
