package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.ops.Activation;

import java.util.Objects;
import java.util.Set;

/**
 * An elementwise activation φ and its derivative φ', both as expressions in the symbol {@value #ARGUMENT},
 * derived by Symja's {@code D} from the definition and read back with the stable lowering (so the
 * sigmoid's derivative is {@code Call(SIGMOID_PRIME, z)}, not the cancelling {@code σ(z)·(1−σ(z))}).
 * The texts show the derivative as Symja derived it, before lowering. Instances are immutable.
 *
 * @param activation      which activation (never softmax, see {@link SoftmaxDerivative})
 * @param value           φ(z), lowered
 * @param derivative      φ'(z), lowered
 * @param derivativeText  φ'(z) as Symja derived it, e.g. {@code σ(z)·(1 − σ(z))}
 * @param derivativeLatex the same in LaTeX
 * @param definitionText  φ(z) as defined, e.g. {@code z·σ(z)}
 */
public record ActivationDerivative(Activation activation, Expr value, Expr derivative, String derivativeText,
                                   String derivativeLatex, String definitionText) {

    /** The argument symbol of {@link #value} and {@link #derivative}. */
    public static final String ARGUMENT = "z";

    /**
     * Validates the components.
     *
     * @param activation which activation (never softmax, see {@link SoftmaxDerivative})
     * @param value φ(z), lowered
     * @param derivative φ'(z), lowered
     * @param derivativeText φ'(z) as Symja derived it, e.g. {@code σ(z)·(1 − σ(z))}
     * @param derivativeLatex the same in LaTeX
     * @param definitionText φ(z) as defined, e.g. {@code z·σ(z)}
     * @throws IllegalArgumentException if the activation is softmax or an expression uses a symbol other
     *                                  than {@value #ARGUMENT}
     */
    public ActivationDerivative {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(derivativeText, "derivativeText");
        Objects.requireNonNull(derivativeLatex, "derivativeLatex");
        Objects.requireNonNull(definitionText, "definitionText");
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("Activation <softmax> is not elementwise; use SoftmaxDerivative");
        }
        requireOnlyArgument("value", value);
        requireOnlyArgument("derivative", derivative);
    }

    private static void requireOnlyArgument(String what, Expr e) {
        Objects.requireNonNull(e, what);
        Set<String> symbols = ExprAlgebra.symbols(e);
        if (!Set.of(ARGUMENT).containsAll(symbols)) {
            throw new IllegalArgumentException("The " + what + " of an activation uses symbols <" + symbols
                    + ">; it may use only <" + ARGUMENT + ">");
        }
    }

    /**
     * φ(argument): {@link #value} with {@value #ARGUMENT} replaced.
     *
     * @param argument the expression to put in place of the activation's argument
     * @return φ(argument)
     */
    public Expr valueAt(Expr argument) {
        return ExprAlgebra.substitute(value, ARGUMENT, argument);
    }

    /**
     * φ'(argument): {@link #derivative} with {@value #ARGUMENT} replaced.
     *
     * @param argument the expression to put in place of the activation's argument
     * @return φ'(argument)
     */
    public Expr derivativeAt(Expr argument) {
        return ExprAlgebra.substitute(derivative, ARGUMENT, argument);
    }
}
