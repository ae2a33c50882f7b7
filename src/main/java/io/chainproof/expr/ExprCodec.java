package io.chainproof.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Expr} to and from a compact prefix text, for derivations kept between runs (no Symja needed to read them
 * back): {@code (+ a b …)}, {@code (* a b …)}, {@code (^ base exponent)}, {@code (FN argument)} with FN an
 * {@link Expr.Fn} name, {@code (? test ifPositive otherwise)}, a number as Java writes a double (round-tripping
 * exactly), a symbol as its name (which must not start like a number nor hold spaces or parentheses). Stateless.
 */
public final class ExprCodec {

    private ExprCodec() {
    }

    /**
     * The prefix text of {@code e}.
     *
     * @param e an expression
     * @return its text, which {@link #decode} reads back to an equal expression
     * @throws IllegalArgumentException if a symbol's name cannot be written
     */
    public static String encode(Expr e) {
        StringBuilder out = new StringBuilder();
        encode(e, out);
        return out.toString();
    }

    private static void encode(Expr e, StringBuilder out) {
        if (e instanceof Expr.Num n) {
            out.append(Double.toString(n.value()));
        } else if (e instanceof Expr.Sym s) {
            if (!s.name().matches("[^\\s()0-9.\\-][^\\s()]*") || s.name().equals("NaN") || s.name().equals("Infinity")) {
                throw new IllegalArgumentException("Symbol <" + s.name() + "> cannot be written: it must not start "
                        + "like a number nor hold spaces or parentheses");
            }
            out.append(s.name());
        } else if (e instanceof Expr.Sum s) {
            list("+", s.terms(), out);
        } else if (e instanceof Expr.Product p) {
            list("*", p.factors(), out);
        } else if (e instanceof Expr.Power p) {
            list("^", List.of(p.base(), p.exponent()), out);
        } else if (e instanceof Expr.Call c) {
            list(c.fn().name(), List.of(c.argument()), out);
        } else {
            Expr.Conditional c = (Expr.Conditional) e;
            list("?", List.of(c.test(), c.ifPositive(), c.otherwise()), out);
        }
    }

    private static void list(String head, List<Expr> parts, StringBuilder out) {
        out.append('(').append(head);
        for (Expr part : parts) {
            out.append(' ');
            encode(part, out);
        }
        out.append(')');
    }

    /**
     * The expression of a prefix text written by {@link #encode}.
     *
     * @param text the text
     * @return the expression
     * @throws IllegalArgumentException naming the position if the text is not well formed
     */
    public static Expr decode(String text) {
        int[] at = {0};
        Expr e = read(text, at);
        skipSpaces(text, at);
        if (at[0] != text.length()) {
            throw new IllegalArgumentException("Unexpected <" + text.substring(at[0]) + "> after an expression at "
                    + at[0]);
        }
        return e;
    }

    private static Expr read(String text, int[] at) {
        skipSpaces(text, at);
        if (at[0] >= text.length()) {
            throw new IllegalArgumentException("Expression ends early at " + at[0]);
        }
        if (text.charAt(at[0]) != '(') {
            String token = token(text, at);
            char first = token.charAt(0);
            return Character.isDigit(first) || first == '-' || first == '.' || token.equals("NaN")
                    || token.equals("Infinity") ? new Expr.Num(Double.parseDouble(token)) : new Expr.Sym(token);
        }
        at[0]++;
        String head = token(text, at);
        List<Expr> parts = new ArrayList<>();
        while (true) {
            skipSpaces(text, at);
            if (at[0] >= text.length()) {
                throw new IllegalArgumentException("Missing ')' for <(" + head + "> at " + at[0]);
            }
            if (text.charAt(at[0]) == ')') {
                at[0]++;
                break;
            }
            parts.add(read(text, at));
        }
        return switch (head) {
            case "+" -> new Expr.Sum(parts);
            case "*" -> new Expr.Product(parts);
            case "^" -> {
                arity(head, parts, 2);
                yield new Expr.Power(parts.get(0), parts.get(1));
            }
            case "?" -> {
                arity(head, parts, 3);
                yield new Expr.Conditional(parts.get(0), parts.get(1), parts.get(2));
            }
            default -> {
                arity(head, parts, 1);
                Expr.Fn fn;
                try {
                    fn = Expr.Fn.valueOf(head);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown head <" + head + ">", e);
                }
                yield new Expr.Call(fn, parts.get(0));
            }
        };
    }

    private static void arity(String head, List<Expr> parts, int n) {
        if (parts.size() != n) {
            throw new IllegalArgumentException("<" + head + "> takes " + n + " parts, not " + parts.size());
        }
    }

    private static String token(String text, int[] at) {
        skipSpaces(text, at);
        int start = at[0];
        while (at[0] < text.length() && !Character.isWhitespace(text.charAt(at[0])) && text.charAt(at[0]) != '('
                && text.charAt(at[0]) != ')') {
            at[0]++;
        }
        if (start == at[0]) {
            throw new IllegalArgumentException("Expected a token at " + start);
        }
        return text.substring(start, at[0]);
    }

    private static void skipSpaces(String text, int[] at) {
        while (at[0] < text.length() && Character.isWhitespace(text.charAt(at[0]))) {
            at[0]++;
        }
    }
}
