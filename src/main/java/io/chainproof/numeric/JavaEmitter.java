package io.chainproof.numeric;

import io.chainproof.expr.Expr;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns {@link Expr expressions} into Java statements with common-subexpression elimination: every
 * distinct non-trivial subexpression of one block is computed once into a {@code final double} local.
 *
 * <p>One emitter writes one block of straight-line code; symbols are bound to Java expressions
 * (e.g. {@code z → z2[j]}) per call. Not thread-safe; one per generated method.
 */
final class JavaEmitter {

    private final StringBuilder out;
    private final String indent;
    private final String prefix;
    private final Dialect dialect;
    private int temps;

    /**
     * @param out    where statements are appended
     * @param indent leading whitespace of each statement
     * @param prefix prefix of the generated local names (unique per enclosing scope)
     */
    JavaEmitter(StringBuilder out, String indent, String prefix) {
        this(out, indent, prefix, Dialect.JAVA);
    }

    /**
     * An emitter writing {@code dialect}.
     *
     * @param out where statements go
     * @param indent indentation of each statement
     * @param prefix prefix of the generated local names (unique per enclosing scope)
     * @param dialect the language written
     */
    JavaEmitter(StringBuilder out, String indent, String prefix, Dialect dialect) {
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
        this.dialect = dialect;
    }

    /**
     * Emits the statements that compute {@code expr} and returns a Java expression (a local name or a
     * literal) holding its value. Subexpressions repeated within {@code expr} are computed once.
     *
     * @param bindings the Java expression for every symbol of {@code expr}
     */
    String emit(Expr expr, Map<String, String> bindings) {
        return emit(expr, bindings, new HashMap<>());
    }

    private String emit(Expr e, Map<String, String> bindings, Map<Expr, String> seen) {
        if (e instanceof Expr.Num n) {
            return dialect.literal(n.value());
        }
        if (e instanceof Expr.Sym s) {
            String bound = bindings.get(s.name());
            if (bound == null) {
                throw new IllegalStateException("Symbol <" + s.name() + "> is not bound; bound symbols: " + bindings.keySet());
            }
            return bound;
        }
        String known = seen.get(e);
        if (known != null) {
            return known;
        }
        String value = compute(e, bindings, seen);
        String name = prefix + temps++;
        out.append(indent).append(dialect.constant()).append(name).append(" = ").append(value).append(";\n");
        seen.put(e, name);
        return name;
    }

    private String compute(Expr e, Map<String, String> b, Map<Expr, String> seen) {
        if (e instanceof Expr.Sum s) {
            StringBuilder sb = new StringBuilder();
            for (Expr t : s.terms()) {
                sb.append(sb.length() == 0 ? "" : " + ").append(emit(t, b, seen));
            }
            return sb.toString();
        }
        if (e instanceof Expr.Product p) {
            StringBuilder sb = new StringBuilder();
            for (Expr f : p.factors()) {
                if (f instanceof Expr.Num n && n.value() == 1.0) {
                    continue;
                }
                sb.append(sb.length() == 0 ? "" : " * ").append(emit(f, b, seen));
            }
            return sb.length() == 0 ? "1.0" : sb.toString();
        }
        if (e instanceof Expr.Power p) {
            String base = emit(p.base(), b, seen);
            if (p.exponent() instanceof Expr.Num n) {
                double k = n.value();
                if (k == 2) {
                    return base + " * " + base;
                }
                if (k == -1) {
                    return "1.0 / " + base;
                }
                if (k == -2) {
                    return "1.0 / (" + base + " * " + base + ")";
                }
                if (k == 0.5) {
                    return "Math.sqrt(" + base + ")";
                }
                if (k == -0.5) {
                    return "1.0 / Math.sqrt(" + base + ")";
                }
            }
            return "Math.pow(" + base + ", " + emit(p.exponent(), b, seen) + ")";
        }
        if (e instanceof Expr.Call c) {
            String arg = emit(c.argument(), b, seen);
            return function(c.fn(), dialect) + "(" + arg + ")";
        }
        Expr.Conditional c = (Expr.Conditional) e;
        String test = emit(c.test(), b, seen);
        String yes = emit(c.ifPositive(), b, seen);
        String no = emit(c.otherwise(), b, seen);
        return "(" + test + " > 0.0 ? " + yes + " : " + no + ")";
    }

    /** The Java method that computes {@code fn} as {@link io.chainproof.expr.StableFunctions#apply} does. */
    static String function(Expr.Fn fn) {
        return function(fn, Dialect.JAVA);
    }

    /** The function that computes {@code fn} in {@code dialect}, the same formula in both. */
    static String function(Expr.Fn fn, Dialect dialect) {
        return switch (fn) {
            case EXP -> "Math.exp";
            case LOG -> "Math.log";
            case TANH -> "Math.tanh";
            case SIGMOID -> dialect.stable("sigmoid");
            case SIGMOID_PRIME -> dialect.stable("sigmoidPrime");
            case SOFTPLUS -> dialect.stable("softplus");
            case SECH -> dialect.stable("sech");
            case ERF -> dialect.stable("erf");
            case EXPM1 -> "Math.expm1";
        };
    }

    /** A Java literal for {@code v}, including the infinities. */
    static String literal(double v) {
        return Dialect.JAVA.literal(v);
    }
}
