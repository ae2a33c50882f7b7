package io.chainproof.formula;

import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import io.chainproof.expr.StableFunctions;
import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.SpecException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link FormulaNode parse tree} into an {@link Expr}: resolves names against the spec, expands
 * {@code Sum}s with their indices replaced by numbers, and folds constant subexpressions in double
 * precision, rejecting any constant that is not finite. Counts the sum terms and expression nodes it
 * creates against {@link FormulaParser#MAX_SUM_TERMS} and {@link FormulaParser#MAX_NODES}.
 */
final class FormulaExpander {

    private static final Expr MINUS_ONE = Expr.num(-1);

    private final FormulaSpec spec;
    private final String source;
    private final Map<String, Integer> indices = new HashMap<>();
    private long terms;
    private long nodes;
    private FormulaNode.Call currentSum;

    FormulaExpander(FormulaSpec spec) {
        this.spec = spec;
        this.source = spec.source();
    }

    Expr expand(FormulaNode node) {
        if (++nodes > FormulaParser.MAX_NODES) {
            String where = currentSum == null ? "formula" : "Sum";
            int column = currentSum == null ? 1 : currentSum.column();
            throw new SpecException(source, "formula", where, "at column " + column + " expands to more than "
                    + FormulaParser.MAX_NODES + " expression nodes", "use fewer or shorter terms");
        }
        if (node instanceof FormulaNode.Number n) {
            return constant(n.value(), n.text(), n.column());
        }
        if (node instanceof FormulaNode.Name n) {
            return name(n);
        }
        if (node instanceof FormulaNode.Part p) {
            return part(p);
        }
        if (node instanceof FormulaNode.Call c) {
            return call(c);
        }
        if (node instanceof FormulaNode.ListOf l) {
            throw error("{", l.column(), "is only allowed as the range of a Sum", "write Sum[body, {i, 1, n}]");
        }
        if (node instanceof FormulaNode.Sum s) {
            return sum(s);
        }
        if (node instanceof FormulaNode.Product p) {
            return product(p);
        }
        if (node instanceof FormulaNode.Power p) {
            return power(expand(p.base()), expand(p.exponent()), p.column());
        }
        FormulaNode.Negate n = (FormulaNode.Negate) node;
        Expr operand = expand(n.operand());
        return operand instanceof Expr.Num v ? Expr.num(-v.value()) : times(List.of(MINUS_ONE, operand));
    }

    private Expr name(FormulaNode.Name n) {
        String name = n.name();
        Integer index = indices.get(name);
        if (index != null) {
            return Expr.num(index);
        }
        if (name.equals("E")) {
            return Expr.num(Math.E);
        }
        if (name.equals("Pi")) {
            return Expr.num(Math.PI);
        }
        FormulaSpec.Value value = value(name);
        if (value != null && value.vector()) {
            throw error(name, n.column(), "is a list of " + value.size() + " numbers",
                    "write " + name + "[[i]] for its entry i (1 to " + value.size() + ")");
        }
        if (value != null) {
            return Expr.sym(name);
        }
        if (FormulaSpec.FUNCTIONS.contains(name)) {
            throw error(name, n.column(), "is a function", "call it with brackets, e.g. " + name + "[x]");
        }
        throw error(name, n.column(), "is not a parameter, input, sum index or constant", known());
    }

    private Expr part(FormulaNode.Part p) {
        FormulaSpec.Value value = value(p.name());
        if (value == null || !value.vector()) {
            throw error(p.name(), p.column(), value == null ? "is not a list-valued parameter or input"
                    : "is a single number, not a list", value == null ? known() : "write " + p.name() + " without [[...]]");
        }
        long k = wholeNumber(p.index(), "index of " + p.name());
        if (k < 1 || k > value.size()) {
            throw error(p.name() + "[[" + k + "]]", p.column(), "is out of range",
                    p.name() + " has entries 1 to " + value.size());
        }
        return Expr.sym(p.name() + "[" + k + "]");
    }

    private Expr call(FormulaNode.Call c) {
        if (c.head().equals("Sum")) {
            return sumCall(c);
        }
        if (c.arguments().size() != 1) {
            throw error(c.head(), c.column(), "takes one argument, not " + c.arguments().size(),
                    "write " + c.head() + "[x]");
        }
        Expr u = expand(c.arguments().get(0));
        if (c.head().equals("Sqrt")) {
            return power(u, Expr.num(0.5), c.column());
        }
        Fn fn = switch (c.head()) {
            case "Exp" -> Fn.EXP;
            case "Log" -> Fn.LOG;
            case "Tanh" -> Fn.TANH;
            case "Sech" -> Fn.SECH;
            case "Erf" -> Fn.ERF;
            case "LogisticSigmoid", "Sigmoid" -> Fn.SIGMOID;
            case "Softplus" -> Fn.SOFTPLUS;
            default -> throw new IllegalStateException("Function <" + c.head() + "> has no translation");
        };
        if (u instanceof Expr.Num v) {
            return constant(StableFunctions.apply(fn, v.value()), c.head() + "[" + number(v.value()) + "]", c.column());
        }
        return Expr.call(fn, u);
    }

    private Expr sumCall(FormulaNode.Call c) {
        if (c.arguments().size() < 2) {
            throw error("Sum", c.column(), "needs a body and a range", "write Sum[body, {i, 1, n}]");
        }
        return sumOver(c, 1);
    }

    /** Σ over the range at argument {@code r} of the sum over the ranges after it (the last innermost). */
    private Expr sumOver(FormulaNode.Call c, int r) {
        if (r == c.arguments().size()) {
            return expand(c.arguments().get(0));
        }
        FormulaNode range = c.arguments().get(r);
        if (!(range instanceof FormulaNode.ListOf l) || l.items().size() < 2 || l.items().size() > 3
                || !(l.items().get(0) instanceof FormulaNode.Name index)) {
            throw error("Sum", c.column(), "has a range that is not {i, a, b} or {i, b}", "write Sum[body, {i, 1, n}]");
        }
        String name = index.name();
        if (value(name) != null || indices.containsKey(name) || FormulaSpec.FUNCTIONS.contains(name)
                || FormulaSpec.CONSTANTS.contains(name)) {
            throw error(name, index.column(), "cannot be a sum index: the name is taken",
                    "use another name for the index, e.g. k");
        }
        long from = l.items().size() == 3 ? wholeNumber(l.items().get(1), "lower bound of " + name) : 1;
        long to = wholeNumber(l.items().get(l.items().size() - 1), "upper bound of " + name);
        long count = Math.max(0, to - from + 1);
        if (count > FormulaParser.MAX_SUM_TERMS - terms) {
            throw error("Sum", c.column(), "expands to more than " + FormulaParser.MAX_SUM_TERMS + " terms ("
                    + count + " for " + name + " from " + from + " to " + to + ")", "sum over fewer terms");
        }
        terms += count;
        FormulaNode.Call outer = currentSum;
        currentSum = c;
        List<Expr> parts = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            indices.put(name, (int) i);
            parts.add(sumOver(c, r + 1));
        }
        indices.remove(name);
        currentSum = outer;
        return plus(parts, c.column());
    }

    private long wholeNumber(FormulaNode node, String what) {
        Expr e = expand(node);
        if (!(e instanceof Expr.Num n) || n.value() != Math.rint(n.value()) || Math.abs(n.value()) > 1e9) {
            throw error(e instanceof Expr.Num n ? number(n.value()) : "expression", node.column(),
                    "is not a whole number from -1000000000 to 1000000000 (" + what + ")",
                    "write a whole number, or an expression of numbers and sum indices");
        }
        return (long) n.value();
    }

    private Expr sum(FormulaNode.Sum s) {
        List<Expr> parts = new ArrayList<>();
        for (int k = 0; k < s.terms().size(); k++) {
            Expr t = expand(s.terms().get(k));
            if (s.negated().get(k)) {
                t = t instanceof Expr.Num v ? Expr.num(-v.value()) : times(List.of(MINUS_ONE, t));
            }
            parts.add(t);
        }
        return plus(parts, s.column());
    }

    private Expr product(FormulaNode.Product p) {
        List<Expr> factors = new ArrayList<>();
        for (int k = 0; k < p.factors().size(); k++) {
            Expr f = expand(p.factors().get(k));
            factors.add(p.divided().get(k) ? power(f, MINUS_ONE, p.factors().get(k).column()) : f);
        }
        boolean constant = factors.stream().allMatch(f -> f instanceof Expr.Num);
        if (constant) {
            double v = 1;
            for (Expr f : factors) {
                v *= ((Expr.Num) f).value();
            }
            return constant(v, "product", p.column());
        }
        return times(factors);
    }

    private Expr plus(List<Expr> parts, int column) {
        List<Expr> flat = new ArrayList<>();
        boolean constant = true;
        double v = 0;
        for (Expr t : parts) {
            if (t instanceof Expr.Sum s) {
                flat.addAll(s.terms());
            } else {
                flat.add(t);
            }
            constant &= t instanceof Expr.Num;
            v += t instanceof Expr.Num n ? n.value() : 0;
        }
        if (constant) {
            return constant(v, "sum", column);
        }
        return flat.size() == 1 ? flat.get(0) : new Expr.Sum(flat);
    }

    private static Expr times(List<Expr> factors) {
        List<Expr> flat = new ArrayList<>();
        for (Expr f : factors) {
            if (f instanceof Expr.Product p) {
                flat.addAll(p.factors());
            } else {
                flat.add(f);
            }
        }
        return new Expr.Product(flat);
    }

    private Expr power(Expr base, Expr exponent, int column) {
        if (base instanceof Expr.Num b && exponent instanceof Expr.Num e) {
            return constant(Math.pow(b.value(), e.value()), number(b.value()) + "^" + number(e.value()), column);
        }
        return new Expr.Power(base, exponent);
    }

    private Expr constant(double value, String text, int column) {
        if (!Double.isFinite(value)) {
            throw error(text, column, "is not finite (" + value + " in double precision)",
                    "keep constants within ±1.8e308; every number is a double");
        }
        return Expr.num(value);
    }

    private FormulaSpec.Value value(String name) {
        FormulaSpec.Value v = spec.parameters().get(name);
        return v != null ? v : spec.inputs().get(name);
    }

    private String known() {
        return "parameters: " + String.join(", ", spec.parameters().keySet())
                + (spec.inputs().isEmpty() ? "" : "; inputs: " + String.join(", ", spec.inputs().keySet()))
                + "; constants: E, Pi";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private SpecException error(String value, int column, String rule, String fix) {
        return new SpecException(source, "formula", FormulaParser.abbreviate(value), "at column " + column + " " + rule, fix);
    }
}
