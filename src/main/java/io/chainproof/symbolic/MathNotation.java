package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Readable mathematics for an {@link Expr}, as Unicode text ({@code σ(z)·(1 − σ(z))}) or LaTeX
 * ({@code \sigma(z) \cdot (1 - \sigma(z))}).
 *
 * <p>Conventions: a sum shows its negative terms with a minus ({@code a + (−1)·y} is {@code a − y}) and
 * starts with a positive term if it has one ({@code −1 + y} is {@code y − 1}); a
 * product shows its numeric coefficient first, then its other factors, then parenthesised sums, and
 * factors with negative exponents as a denominator ({@code −y/a}); small integer powers are superscripts
 * ({@code sech(z)²}); {@code u^(1/2)} is {@code √u}; π and e are recognised among the numbers; a
 * conditional {@code t > 0 ? a : b} reads {@code (a if t > 0 else b)}. Symbols are shown through a naming
 * function (e.g. {@code o3_0} → {@code o₃}), by default as they are. Stateless and thread-safe.
 */
public final class MathNotation {

    private static final int SUM = 1;
    private static final int PRODUCT = 2;
    private static final int POWER = 3;
    private static final int ATOM = 4;
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private final boolean latex;
    private final Function<String, String> names;

    private MathNotation(boolean latex, Function<String, String> names) {
        this.latex = latex;
        this.names = names;
    }

    /**
     * Unicode text of {@code e} with symbols shown by their names.
     *
     * @param e the expression
     * @return the expression in Unicode
     */
    public static String text(Expr e) {
        return text(e, Function.identity());
    }

    /**
     * Unicode text of {@code e} with each symbol shown as {@code names.apply(symbol)}.
     *
     * @param e the expression
     * @param names the display name of each symbol
     * @return the expression in Unicode
     */
    public static String text(Expr e, Function<String, String> names) {
        return new MathNotation(false, names).render(e).text;
    }

    /**
     * LaTeX of {@code e}; symbols are shown by their names, {@code _} escaped, longer names upright.
     *
     * @param e the expression
     * @return the expression in LaTeX
     */
    public static String latex(Expr e) {
        return latex(e, MathNotation::defaultLatexName);
    }

    /**
     * LaTeX of {@code e} with each symbol shown as {@code names.apply(symbol)} (already LaTeX).
     *
     * @param e the expression
     * @param names the LaTeX of each symbol
     * @return the expression in LaTeX
     */
    public static String latex(Expr e, Function<String, String> names) {
        return new MathNotation(true, names).render(e).text;
    }

    private static String defaultLatexName(String name) {
        String escaped = name.replace("_", "\\_");
        return name.length() == 1 ? escaped : "\\mathrm{" + escaped + "}";
    }

    private record Piece(String text, int precedence) {
    }

    private Piece render(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.value() < 0 ? new Piece(minus() + number(-n.value()), PRODUCT) : new Piece(number(n.value()), ATOM);
        }
        if (e instanceof Expr.Sym s) {
            return new Piece(names.apply(s.name()), ATOM);
        }
        if (e instanceof Expr.Sum s) {
            return sum(s.terms());
        }
        if (e instanceof Expr.Product p) {
            return product(p.factors());
        }
        if (e instanceof Expr.Power p) {
            if (p.exponent() instanceof Expr.Num k && k.value() < 0) {
                return product(List.of(p));
            }
            return power(p.base(), p.exponent());
        }
        if (e instanceof Expr.Call c) {
            return call(c);
        }
        Expr.Conditional c = (Expr.Conditional) e;
        String a = render(c.ifPositive()).text;
        String t = render(c.test()).text;
        String b = render(c.otherwise()).text;
        return latex
                ? new Piece("\\begin{cases} " + a + " & " + t + " > 0 \\\\ " + b + " & \\text{otherwise} \\end{cases}", ATOM)
                : new Piece("(" + a + " if " + t + " > 0 else " + b + ")", ATOM);
    }

    private Piece sum(List<Expr> given) {
        List<Expr> terms = new ArrayList<>(given);
        if (magnitudeIfNegative(terms.get(0)) != null) {
            for (int i = 1; i < terms.size(); i++) {
                if (magnitudeIfNegative(terms.get(i)) == null) {
                    terms.add(0, terms.remove(i));
                    break;
                }
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            Expr term = terms.get(i);
            Expr magnitude = magnitudeIfNegative(term);
            boolean negative = magnitude != null;
            String text = wrap(render(negative ? magnitude : term), SUM + 1);
            if (i == 0) {
                b.append(negative ? minus() : "").append(text);
            } else {
                b.append(negative ? " " + minus() + " " : " + ").append(text);
            }
        }
        return new Piece(b.toString(), SUM);
    }

    /** {@code m} if {@code e} is {@code −m} with a visibly negative coefficient, else null. */
    private static Expr magnitudeIfNegative(Expr e) {
        if (e instanceof Expr.Num n && n.value() < 0) {
            return Expr.num(-n.value());
        }
        if (e instanceof Expr.Product p && p.factors().get(0) instanceof Expr.Num n && n.value() < 0) {
            List<Expr> rest = new ArrayList<>(p.factors().subList(1, p.factors().size()));
            if (n.value() != -1) {
                rest.add(0, Expr.num(-n.value()));
            }
            return rest.size() == 1 ? rest.get(0) : new Expr.Product(rest);
        }
        return null;
    }

    private Piece product(List<Expr> factors) {
        double coefficient = 1;
        List<Expr> numerator = new ArrayList<>();
        List<Expr> sums = new ArrayList<>();
        List<Expr> denominator = new ArrayList<>();
        for (Expr f : factors) {
            if (f instanceof Expr.Num n && n.value() != Math.PI && n.value() != Math.E) {
                coefficient *= n.value();
            } else if (f instanceof Expr.Power p && p.exponent() instanceof Expr.Num k && k.value() < 0) {
                denominator.add(k.value() == -1 ? p.base() : new Expr.Power(p.base(), Expr.num(-k.value())));
            } else if (f instanceof Expr.Sum) {
                sums.add(f);
            } else {
                numerator.add(f);
            }
        }
        numerator.addAll(sums);
        String sign = coefficient < 0 ? minus() : "";
        List<String> top = new ArrayList<>();
        double magnitude = Math.abs(coefficient);
        long[] fraction = smallFraction(magnitude);
        if (fraction != null && fraction[1] > 1 && !(numerator.isEmpty() && denominator.isEmpty())) {
            magnitude = fraction[0];
            denominator.add(0, Expr.num(fraction[1]));
        }
        if (magnitude != 1 || (numerator.isEmpty() && (denominator.isEmpty() || latex))) {
            String c = number(magnitude);
            top.add(c.contains("/") && !numerator.isEmpty() ? "(" + c + ")" : c);
        }
        if (top.isEmpty() && numerator.size() == 1 && sign.isEmpty() && denominator.isEmpty()) {
            return render(numerator.get(0));
        }
        boolean alone = latex && top.isEmpty() && numerator.size() == 1;
        for (Expr f : numerator) {
            top.add(alone ? render(f).text : wrap(render(f), PRODUCT + 1));
        }
        String times = latex ? " \\cdot " : "·";
        String num = top.isEmpty() ? "1" : String.join(times, top);
        if (denominator.isEmpty()) {
            return new Piece(sign + num, top.size() == 1 && sign.isEmpty() && numerator.isEmpty() ? ATOM : PRODUCT);
        }
        List<String> bottom = new ArrayList<>();
        for (Expr f : denominator) {
            bottom.add(wrap(render(f), latex ? SUM : PRODUCT + 1));
        }
        String den = String.join(times, bottom);
        if (latex) {
            return new Piece(sign + "\\frac{" + num + "}{" + den + "}", PRODUCT);
        }
        if (bottom.size() > 1) {
            den = "(" + den + ")";
        }
        return new Piece(sign + num + "/" + den, PRODUCT);
    }

    private Piece power(Expr base, Expr exponent) {
        Piece b = render(base);
        if (exponent instanceof Expr.Num k) {
            double v = k.value();
            if (v == 0.5) {
                return latex ? new Piece("\\sqrt{" + b.text + "}", ATOM)
                        : new Piece("√" + (b.precedence == ATOM ? b.text : "(" + b.text + ")"), POWER);
            }
            if (!latex && v == Math.rint(v) && v >= 2 && v <= 9) {
                return new Piece(wrap(b, ATOM) + SUPERSCRIPTS.charAt((int) v), POWER);
            }
        }
        String base2 = wrap(b, ATOM);
        Piece x = render(exponent);
        return latex ? new Piece("{" + base2 + "}^{" + x.text + "}", POWER)
                : new Piece(base2 + "^" + wrap(x, ATOM), POWER);
    }

    private Piece call(Expr.Call c) {
        Piece u = render(c.argument());
        if (c.fn() == Expr.Fn.EXP) {
            return latex ? new Piece("e^{" + u.text + "}", POWER) : new Piece("e^" + wrap(u, ATOM), POWER);
        }
        if (c.fn() == Expr.Fn.EXPM1) {
            return new Piece((latex ? "e^{" + u.text + "}" : "e^" + wrap(u, ATOM)) + " " + minus() + " 1", SUM);
        }
        String name = switch (c.fn()) {
            case LOG -> latex ? "\\log" : "log";
            case SIGMOID -> latex ? "\\sigma" : "σ";
            case SIGMOID_PRIME -> latex ? "\\sigma'" : "σ'";
            case SOFTPLUS -> latex ? "\\operatorname{softplus}" : "softplus";
            case TANH -> latex ? "\\tanh" : "tanh";
            case SECH -> latex ? "\\operatorname{sech}" : "sech";
            case ERF -> latex ? "\\operatorname{erf}" : "erf";
            case EXP, EXPM1 -> throw new AssertionError();
        };
        String open = latex ? "\\left(" : "(";
        String close = latex ? "\\right)" : ")";
        return new Piece(name + open + u.text + close, ATOM);
    }

    private String wrap(Piece p, int needed) {
        if (p.precedence >= needed) {
            return p.text;
        }
        return latex ? "\\left(" + p.text + "\\right)" : "(" + p.text + ")";
    }

    private String minus() {
        return latex ? "-" : "−";
    }

    /** A non-negative number: integer, short decimal, small fraction, π or e. */
    private String number(double v) {
        if (v == Math.PI) {
            return latex ? "\\pi" : "π";
        }
        if (v == Math.E) {
            return "e";
        }
        if (Double.isInfinite(v)) {
            return latex ? "\\infty" : "∞";
        }
        String decimal = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        if (decimal.length() <= 6) {
            return decimal;
        }
        long[] fraction = smallFraction(v);
        if (fraction != null) {
            return latex ? "\\frac{" + fraction[0] + "}{" + fraction[1] + "}" : fraction[0] + "/" + fraction[1];
        }
        return latex ? Double.toString(v).replace("E", "\\times 10^{") + (Double.toString(v).contains("E") ? "}" : "")
                : Double.toString(v);
    }

    /** {@code {p, q}} with {@code p/q == v}, q ≤ 1000 and p below 10⁶, or null. */
    private static long[] smallFraction(double v) {
        for (int q = 1; q <= 1000; q++) {
            double p = Math.rint(v * q);
            if (p / q == v && p < 1e6) {
                return new long[] {(long) p, q};
            }
        }
        return null;
    }
}
