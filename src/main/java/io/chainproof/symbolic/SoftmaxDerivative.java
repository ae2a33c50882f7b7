package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.Objects;

/**
 * The Jacobian of softmax {@code o_i = e^{z_i} / Σ_k e^{z_k}} in output form:
 * {@code ∂o_i/∂z_i = o_i·(1 − o_i)} and {@code ∂o_i/∂z_j = −o_i·o_j} for j ≠ i, as expressions in the
 * symbols {@value #OUTPUT_I} and {@value #OUTPUT_J}. Symja derived {@code D[e^{z_i}/(e^{z_i}+e^{z_j}+R), z_i]}
 * and {@code …, z_j]} (R, the other exponentials, is constant for both) and proved them equal to these
 * forms; numeric code evaluates them with o computed by a max-shifted softmax, so no exponential
 * overflows. Instances are immutable.
 *
 * @param diagonal    {@code ∂o_i/∂z_i} in {@value #OUTPUT_I}
 * @param offDiagonal {@code ∂o_i/∂z_j} in {@value #OUTPUT_I} and {@value #OUTPUT_J}
 * @param text        both, in Unicode
 * @param latex       both, in LaTeX
 * @param proved      whether Symja proved both equal to its own derivatives (always true: otherwise
 *                    {@link LocalDerivatives#softmax()} throws)
 */
public record SoftmaxDerivative(Expr diagonal, Expr offDiagonal, String text, String latex, boolean proved) {

    /** The symbol of the output o_i being differentiated. */
    public static final String OUTPUT_I = "oi";
    /** The symbol of the other output o_j. */
    public static final String OUTPUT_J = "oj";

    /**
     * Validates the components.
     *
     * @param diagonal {@code ∂o_i/∂z_i} in {@value #OUTPUT_I}
     * @param offDiagonal {@code ∂o_i/∂z_j} in {@value #OUTPUT_I} and {@value #OUTPUT_J}
     * @param text both, in Unicode
     * @param latex both, in LaTeX
     * @param proved whether Symja proved both equal to its own derivatives (always true: otherwise {@link
     *     LocalDerivatives#softmax()} throws)
     */
    public SoftmaxDerivative {
        Objects.requireNonNull(diagonal, "diagonal");
        Objects.requireNonNull(offDiagonal, "offDiagonal");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(latex, "latex");
    }

    /**
     * {@code ∂o_k/∂z_i} with the outputs {@code ok} and {@code oi} substituted (the diagonal when k = i).
     *
     * @param sameUnit whether k = i
     * @param ok the expression for o_k
     * @param oi the expression for o_i
     * @return ∂o_k/∂z_i
     */
    public Expr jacobianAt(boolean sameUnit, Expr ok, Expr oi) {
        return sameUnit ? ExprAlgebra.substitute(diagonal, OUTPUT_I, ok)
                : ExprAlgebra.substitute(offDiagonal, java.util.Map.of(OUTPUT_I, ok, OUTPUT_J, oi));
    }
}
