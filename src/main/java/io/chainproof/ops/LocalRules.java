package io.chainproof.ops;

import io.chainproof.expr.Expr;

/**
 * Local derivatives of op definitions and the bounds of those derivatives, supplied from above (by Symja, in {@code io.chainproof.symbolic}) so that
 * ops never start the symbolic engine themselves. Implementations cache: a rule is derived once per definition.
 */
public interface LocalRules {

    /**
     * {@code ∂definition/∂variable} in a numerically stable form (σ(1 − σ) as σ', which does not round to 0 at
     * z = 250).
     *
     * @param definition the op's scalar definition, as its forward rule writes it over symbols
     * @param variable   the symbol to differentiate by
     * @return the derivative, an expression over the same symbols
     */
    Expr derivative(Expr definition, String variable);

    /**
     * γ = sup_z |φ'(z)| of an elementwise op, derived from its definition: the certified bound of its Jacobian.
     *
     * @param op an elementwise op
     * @return γ, finite and positive
     */
    double derivativeBound(ElementwiseOp op);
}
