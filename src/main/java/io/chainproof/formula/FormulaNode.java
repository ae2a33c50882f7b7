package io.chainproof.formula;

import java.util.List;

/**
 * The parse tree of a formula, before names are resolved and sums expanded. Every node keeps the
 * 1-based column of the token that starts it, for messages. Sums and products are n-ary lists, so a
 * long chain {@code a + b + c + …} is one node and not a deep tree.
 */
sealed interface FormulaNode {

    /** @return the 1-based column of the token that starts this node */
    int column();

    /** A number literal, {@code 1.5e-3}. */
    record Number(double value, String text, int column) implements FormulaNode { }

    /** A bare name: a parameter, input, sum index or constant. */
    record Name(String name, int column) implements FormulaNode { }

    /** An entry {@code name[[index]]} of a list value. */
    record Part(String name, FormulaNode index, int column) implements FormulaNode { }

    /** A call {@code head[arg, …]}. */
    record Call(String head, List<FormulaNode> arguments, int column) implements FormulaNode { }

    /** A list {@code {a, b, c}} — only the range of a {@code Sum}. */
    record ListOf(List<FormulaNode> items, int column) implements FormulaNode { }

    /** {@code ±t₁ ± t₂ ± …}; {@code negated[k]} says whether term k is subtracted. */
    record Sum(List<FormulaNode> terms, List<Boolean> negated, int column) implements FormulaNode { }

    /** {@code f₁ ⋅ f₂ / f₃ …}; {@code divided[k]} says whether factor k divides. */
    record Product(List<FormulaNode> factors, List<Boolean> divided, int column) implements FormulaNode { }

    /** {@code base ^ exponent}. */
    record Power(FormulaNode base, FormulaNode exponent, int column) implements FormulaNode { }

    /** {@code −operand}. */
    record Negate(FormulaNode operand, int column) implements FormulaNode { }
}
