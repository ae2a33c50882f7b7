package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.Map;
import java.util.Objects;

/**
 * The local derivatives of one term of a pre-activation, {@code z = w·o + b}: {@code ∂z/∂w = o},
 * {@code ∂z/∂b = 1}, {@code ∂z/∂o = w}, derived by Symja in the symbols {@value #WEIGHT},
 * {@value #INPUT}, {@value #BIAS}. Instances are immutable.
 *
 * @param dzdw {@code ∂z/∂w}
 * @param dzdb {@code ∂z/∂b}
 * @param dzdo {@code ∂z/∂o}
 */
public record AffineDerivative(Expr dzdw, Expr dzdb, Expr dzdo) {

    /** The weight symbol. */
    public static final String WEIGHT = "w";
    /** The input (previous activation) symbol. */
    public static final String INPUT = "o";
    /** The bias symbol. */
    public static final String BIAS = "b";

    /**
     * Validates the components.
     *
     * @param dzdw {@code ∂z/∂w}
     * @param dzdb {@code ∂z/∂b}
     * @param dzdo {@code ∂z/∂o}
     */
    public AffineDerivative {
        Objects.requireNonNull(dzdw, "dzdw");
        Objects.requireNonNull(dzdb, "dzdb");
        Objects.requireNonNull(dzdo, "dzdo");
    }

    /**
     * {@code e} with w, o, b replaced by the given expressions.
     *
     * @param e one of {@link #dzdw}, {@link #dzdb}, {@link #dzdo}
     * @param w the expression for the weight
     * @param o the expression for the input
     * @param b the expression for the bias
     * @return {@code e} with the three symbols substituted
     */
    public static Expr at(Expr e, Expr w, Expr o, Expr b) {
        return ExprAlgebra.substitute(e, Map.of(WEIGHT, w, INPUT, o, BIAS, b));
    }
}
