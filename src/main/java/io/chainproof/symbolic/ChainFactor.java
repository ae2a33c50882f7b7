package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.List;
import java.util.Objects;

/**
 * One named factor of a chain-rule derivation, such as {@code ∂L/∂o₃ = 2·(o₃ − y₁)} or
 * {@code ∂o₃/∂o₂ = σ'(z₃)·w₃}: its identifier-safe symbol (other factors' definitions refer to it by
 * this symbol), its display names, its local definition as an expression in node, parameter and factor
 * symbols, and its value at the spec's point for each sample of the derivation. Instances are immutable.
 *
 * @param symbol          identifier-safe symbol, e.g. {@code dL_do3_0}
 * @param name            Unicode name, e.g. {@code ∂L/∂o₃}
 * @param latexName       LaTeX name, e.g. {@code \frac{\partial L}{\partial o_{3}}}
 * @param definition      the local definition
 * @param definitionText  the definition in Unicode, with display names, e.g. {@code σ'(z₃)·w₃}
 * @param definitionLatex the definition in LaTeX
 * @param values          the value at the spec's point, one per sample of the derivation
 */
public record ChainFactor(String symbol, String name, String latexName, Expr definition, String definitionText,
                          String definitionLatex, List<Double> values) {

    /**
     * Validates the components.
     *
     * @param symbol identifier-safe symbol, e.g. {@code dL_do3_0}
     * @param name Unicode name, e.g. {@code ∂L/∂o₃}
     * @param latexName LaTeX name, e.g. {@code \frac{\partial L}{\partial o_{3}}}
     * @param definition the local definition
     * @param definitionText the definition in Unicode, with display names, e.g. {@code σ'(z₃)·w₃}
     * @param definitionLatex the definition in LaTeX
     * @param values the value at the spec's point, one per sample of the derivation
     */
    public ChainFactor {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latexName, "latexName");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(definitionText, "definitionText");
        Objects.requireNonNull(definitionLatex, "definitionLatex");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Factor <" + name + "> has no values; it needs one per sample");
        }
    }

    /**
     * The value for the i-th sample of the derivation (0-based in {@link ParameterDerivation#samples()}).
     *
     * @param i the index into the derivation's samples, 0-based
     * @return the factor's value for that sample
     */
    public double value(int i) {
        return values.get(i);
    }

    /**
     * {@code name = definition = value(s)} in Unicode, e.g. {@code ∂o₃/∂o₂ = σ'(z₃)·w₃ = 0.235}.
     *
     * @return the definition in Unicode
     */
    public String text() {
        return name + " = " + definitionText + " = " + ParameterDerivation.format(values);
    }

    /**
     * {@code name = definition = value(s)} in LaTeX.
     *
     * @return the definition in LaTeX
     */
    public String latex() {
        return latexName + " = " + definitionLatex + " = " + ParameterDerivation.formatLatex(values);
    }
}
