package io.chainproof.formula;

import io.chainproof.expr.Expr;
import io.chainproof.formula.FormulaToken.Kind;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.SpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the formula of a {@link FormulaSpec} into an {@link Expr}, by a recursive-descent parser of our
 * own: the user's text never reaches Symja's parser (which could run {@code Get} while parsing), and
 * everything outside the grammar is rejected before any evaluation, with its 1-based column.
 *
 * <p>Grammar (Symja's input syntax, restricted):
 * <pre>{@code
 * sum     = product { ("+" | "-") product }
 * product = unary { ("*" | "/") unary }            (no implicit multiplication: write w*x, not w x)
 * unary   = ("-" | "+") unary | power
 * power   = primary [ "^" unary ]                   (right-associative: 2^3^2 = 2^9)
 * primary = number | name | name "[[" sum "]]" | name "[" sum { "," sum } "]" | "(" sum ")"
 * number  = digits [ "." digits ] [ ("e" | "E") [ "+" | "-" ] digits ]     (1.5e-3)
 * name    = ASCII letter { ASCII letter | digit }
 * }</pre>
 * Calls are allowed only of {@link FormulaSpec#FUNCTIONS}: {@code Exp}, {@code Log}, {@code Sqrt},
 * {@code Tanh}, {@code Sech}, {@code Erf}, {@code LogisticSigmoid} (alias {@code Sigmoid}), {@code Softplus}
 * ({@code Log[1+Exp[x]]}) and {@code Sum[body, {i, a, b}]} (or {@code {i, b}} for a = 1; several ranges
 * nest, the last innermost as in Symja), whose bounds must evaluate to whole numbers. {@code E} and
 * {@code Pi} are constants. Entries of list-valued parameters and inputs are {@code v[[i]]}, 1-based.
 *
 * <p>Limits, each reported as a {@link SpecException} naming the formula and the column:
 * <table>
 *   <caption>Limits of a formula</caption>
 *   <tr><th>what</th><th>limit</th></tr>
 *   <tr><td>length</td><td>{@value #MAX_LENGTH} characters</td></tr>
 *   <tr><td>nesting (parentheses, calls, signs, exponents)</td><td>{@value #MAX_DEPTH} levels</td></tr>
 *   <tr><td>terms of all sums together</td><td>{@value #MAX_SUM_TERMS}</td></tr>
 *   <tr><td>expression nodes after expanding sums</td><td>{@value #MAX_NODES}</td></tr>
 *   <tr><td>constants (literals and constant subexpressions)</td><td>finite doubles</td></tr>
 * </table>
 * Nesting is counted, so deep input is rejected before the Java stack is at risk; a
 * {@link StackOverflowError} is still caught and reported as bad input. All arithmetic on constants is
 * in double precision — {@code 2^(10^8)} is ∞ and is rejected as not finite; no big integer is formed.
 */
public final class FormulaParser {

    /** Longest formula, in characters. */
    public static final int MAX_LENGTH = 100_000;
    /** Deepest nesting of parentheses, calls, signs and exponents. */
    public static final int MAX_DEPTH = 200;
    /** Most terms that all {@code Sum}s of one formula may expand to, together. */
    public static final int MAX_SUM_TERMS = 10_000;
    /** Most expression nodes a formula may expand to. */
    public static final int MAX_NODES = 200_000;

    private final String source;
    private final FormulaLexer lexer;
    private FormulaToken lookahead;
    private int depth;

    private FormulaParser(String source, FormulaLexer lexer) {
        this.source = source;
        this.lexer = lexer;
        this.lookahead = lexer.next();
    }

    /**
     * Parses, checks and expands the formula of {@code spec}: names resolved to the spec's parameters
     * (symbols {@code w}, or {@code v[1]}, {@code v[2]}, … for list entries) and inputs (symbols too,
     * bound to their values when evaluated), sum indices replaced by numbers, sums expanded, constant
     * subexpressions folded.
     *
     * @param spec the formula spec
     * @return the loss as an expression over parameter and input symbols
     * @throws SpecException if the formula breaks the grammar, the allow-list or a limit; the message
     *                       names the offending token or function and its column
     */
    public static Expr parse(FormulaSpec spec) {
        String text = spec.formula();
        String source = spec.source();
        if (text.length() > MAX_LENGTH) {
            throw new SpecException(source, "formula", text.length() + " characters",
                    "is longer than " + MAX_LENGTH + " characters", "shorten the formula, e.g. with Sum");
        }
        if (text.isBlank()) {
            throw new SpecException(source, "formula", text, "is empty",
                    "write the loss, e.g. \"(w*x - y)^2\"");
        }
        try {
            FormulaNode tree = new FormulaParser(source, new FormulaLexer(source, text)).formula();
            return new FormulaExpander(spec).expand(tree);
        } catch (StackOverflowError e) {
            throw new SpecException(source, "formula", abbreviate(text), "nests too deeply to be read",
                    "nest at most " + MAX_DEPTH + " levels");
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private FormulaNode formula() {
        FormulaNode tree = sum();
        FormulaToken end = peek();
        if (end.kind() != Kind.END) {
            throw unexpected(end, end.kind() == Kind.CLOSE_PAREN || end.kind() == Kind.CLOSE_BRACKET
                    || end.kind() == Kind.CLOSE_BRACE ? "remove it or add its opening bracket"
                    : "write an operator (*, +, ...) between two terms");
        }
        return tree;
    }

    private FormulaNode sum() {
        enter(peek());
        int column = peek().column();
        List<FormulaNode> terms = new ArrayList<>();
        List<Boolean> negated = new ArrayList<>();
        terms.add(product());
        negated.add(false);
        while (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
            negated.add(take().kind() == Kind.MINUS);
            terms.add(product());
        }
        depth--;
        return terms.size() == 1 ? terms.get(0) : new FormulaNode.Sum(terms, negated, column);
    }

    private FormulaNode product() {
        int column = peek().column();
        List<FormulaNode> factors = new ArrayList<>();
        List<Boolean> divided = new ArrayList<>();
        factors.add(unary());
        divided.add(false);
        while (peek().kind() == Kind.TIMES || peek().kind() == Kind.DIVIDE) {
            divided.add(take().kind() == Kind.DIVIDE);
            factors.add(unary());
        }
        return factors.size() == 1 ? factors.get(0) : new FormulaNode.Product(factors, divided, column);
    }

    private FormulaNode unary() {
        FormulaToken sign = peek();
        if (sign.kind() == Kind.MINUS || sign.kind() == Kind.PLUS) {
            take();
            enter(sign);
            FormulaNode operand = unary();
            depth--;
            return sign.kind() == Kind.MINUS ? new FormulaNode.Negate(operand, sign.column()) : operand;
        }
        FormulaNode base = primary();
        if (peek().kind() == Kind.POWER) {
            FormulaToken caret = take();
            enter(caret);
            FormulaNode exponent = unary();
            depth--;
            return new FormulaNode.Power(base, exponent, caret.column());
        }
        return base;
    }

    private FormulaNode primary() {
        FormulaToken t = take();
        switch (t.kind()) {
            case NUMBER:
                return new FormulaNode.Number(Double.parseDouble(t.text()), t.text(), t.column());
            case OPEN_PAREN: {
                FormulaNode inner = sum();
                expect(Kind.CLOSE_PAREN, t, ")");
                return inner;
            }
            case OPEN_BRACE:
                return list(t);
            case NAME:
                if (peek().kind() == Kind.OPEN_PART) {
                    return part(t);
                }
                return peek().kind() == Kind.OPEN_BRACKET ? call(t) : new FormulaNode.Name(t.text(), t.column());
            default:
                throw unexpected(t, "write a number, a name, a call such as Exp[x] or a parenthesis here");
        }
    }

    private FormulaNode part(FormulaToken name) {
        FormulaToken open = take();
        FormulaNode index = sum();
        FormulaToken close = expect(Kind.CLOSE_BRACKET, open, "]]");
        if (peek().kind() != Kind.CLOSE_BRACKET || peek().column() != close.column() + 1) {
            throw unexpected(peek(), "close the entry " + name.text() + "[[...]] with ]]");
        }
        take();
        return new FormulaNode.Part(name.text(), index, name.column());
    }

    /** A call; the head is checked against the allow-list before anything after its bracket is read. */
    private FormulaNode call(FormulaToken name) {
        if (!FormulaSpec.FUNCTIONS.contains(name.text())) {
            throw new SpecException(source, "formula", abbreviate(name.text()), "at column " + name.column()
                    + " is not an allowed function", "allowed: " + String.join(", ", FormulaSpec.FUNCTIONS));
        }
        FormulaToken open = take();
        List<FormulaNode> arguments = new ArrayList<>();
        if (peek().kind() != Kind.CLOSE_BRACKET) {
            arguments.add(sum());
            while (peek().kind() == Kind.COMMA) {
                take();
                arguments.add(sum());
            }
        }
        expect(Kind.CLOSE_BRACKET, open, "]");
        return new FormulaNode.Call(name.text(), arguments, name.column());
    }

    private FormulaNode list(FormulaToken open) {
        List<FormulaNode> items = new ArrayList<>();
        if (peek().kind() != Kind.CLOSE_BRACE) {
            items.add(sum());
            while (peek().kind() == Kind.COMMA) {
                take();
                items.add(sum());
            }
        }
        expect(Kind.CLOSE_BRACE, open, "}");
        return new FormulaNode.ListOf(items, open.column());
    }

    private void enter(FormulaToken at) {
        if (++depth > MAX_DEPTH) {
            throw new SpecException(source, "formula", at.shown(), "at column " + at.column()
                    + " nests deeper than " + MAX_DEPTH + " levels", "simplify the formula or use Sum");
        }
    }

    private FormulaToken expect(Kind kind, FormulaToken open, String closing) {
        FormulaToken t = peek();
        if (t.kind() != kind) {
            throw unexpected(t, "close the " + open.text() + " at column " + open.column() + " with " + closing);
        }
        return take();
    }

    private SpecException unexpected(FormulaToken t, String fix) {
        return new SpecException(source, "formula", t.shown(), "at column " + t.column() + " is unexpected", fix);
    }

    private FormulaToken peek() {
        return lookahead;
    }

    private FormulaToken take() {
        FormulaToken t = lookahead;
        if (t.kind() != Kind.END) {
            lookahead = lexer.next();
        }
        return t;
    }
}
