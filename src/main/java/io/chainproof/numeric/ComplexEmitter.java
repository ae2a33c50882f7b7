package io.chainproof.numeric;

import io.chainproof.expr.Expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link Expr expressions} into Java statements over complex values — pairs of doubles
 * {@code (re, im)} — with common-subexpression elimination, the complex twin of {@link JavaEmitter}.
 *
 * <p>A value whose imaginary part is known to be exactly 0 (a constant, a target {@code y}, a real
 * binding) carries no imaginary part at all, so real subexpressions compile to the same real code as
 * {@link JavaEmitter} would write and cost nothing extra. Arithmetic is exact complex arithmetic
 * ({@code (a+ib)(c+id) = ac − bd + i(ad + bc)}, integer powers by repeated multiplication, division by
 * Smith's algorithm); the elementary functions are evaluated to first order in the imaginary part by
 * {@link ComplexFunctions}; a {@link Expr.Conditional} branches on the real part of its test, which is
 * the one-sided derivative at a kink. Optionally every conditional's test is also compared with a band
 * around 0 and a boolean local is set when it lies inside (a kink is near).
 *
 * <p>With bounds on, every value also carries bounds of its parts evaluated without cancellation — sums
 * of absolute values, {@code |a|·|b|} for products, {@code |f'(a)|·bound} for functions (a running error
 * analysis): the scale against which the rounding of the imaginary part is measured. For
 * {@code (a − y)²} the bound of the imaginary part is {@code 2(|a| + |y|)·|Im a|} where the value is
 * {@code 2(a − y)·Im a}.
 *
 * <p>One emitter writes one block of straight-line code. Not thread-safe.
 */
final class ComplexEmitter {

    private static final String STABLE = "io.chainproof.expr.StableFunctions.";
    private static final String COMPLEX = "io.chainproof.numeric.ComplexFunctions.";

    /**
     * A complex value in generated code.
     *
     * @param re      Java expression of the real part
     * @param im      Java expression of the imaginary part, or {@code null} if it is exactly 0
     * @param reBound bound of |re| without cancellation, or {@code null} for {@code |re|}
     * @param imBound bound of |im| without cancellation, or {@code null} for {@code |im|}
     */
    record Value(String re, String im, String reBound, String imBound) {

        Value(String re, String im) {
            this(re, im, null, null);
        }

        /** A value with no imaginary part. */
        static Value real(String re) {
            return new Value(re, null);
        }

        boolean isReal() {
            return im == null;
        }

        /** The imaginary part as a Java expression, {@code 0.0} if there is none. */
        String imOrZero() {
            return im == null ? "0.0" : im;
        }

        /** The bound of the real part as a Java expression. */
        String reBoundOrAbs() {
            return reBound != null ? reBound : "Math.abs(" + re + ")";
        }

        /** The bound of the imaginary part as a Java expression, {@code 0.0} if there is none. */
        String imBoundOrAbs() {
            return im == null ? "0.0" : imBound != null ? imBound : "Math.abs(" + im + ")";
        }
    }

    private final StringBuilder out;
    private final String indent;
    private final String prefix;
    private final String kinkFlag;
    private final String kinkBand;
    private final boolean bounds;
    private int temps;

    /**
     * @param out    where statements are appended
     * @param indent leading whitespace of each statement
     * @param prefix prefix of the generated local names (unique per enclosing scope)
     */
    ComplexEmitter(StringBuilder out, String indent, String prefix) {
        this(out, indent, prefix, null, null, false);
    }

    /**
     * @param kinkFlag a boolean local set to true when a conditional's test lies within {@code kinkBand}
     *                 of 0, or {@code null}
     * @param kinkBand a Java expression for the half-width of that band
     * @param bounds   whether to compute the cancellation-free bounds of every value
     */
    ComplexEmitter(StringBuilder out, String indent, String prefix, String kinkFlag, String kinkBand, boolean bounds) {
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
        this.kinkFlag = kinkFlag;
        this.kinkBand = kinkBand;
        this.bounds = bounds;
    }

    /**
     * Emits the statements that compute {@code expr} and returns its value as Java expressions (locals or
     * literals). Subexpressions repeated within {@code expr} are computed once.
     *
     * @param bindings the complex value of every symbol of {@code expr}
     */
    Value emit(Expr expr, Map<String, Value> bindings) {
        return emit(expr, bindings, new HashMap<>());
    }

    private Value emit(Expr e, Map<String, Value> bindings, Map<Expr, Value> seen) {
        if (e instanceof Expr.Num n) {
            return new Value(JavaEmitter.literal(n.value()), null, JavaEmitter.literal(Math.abs(n.value())), null);
        }
        if (e instanceof Expr.Sym s) {
            Value bound = bindings.get(s.name());
            if (bound == null) {
                throw new IllegalStateException("Symbol <" + s.name() + "> is not bound; bound symbols: " + bindings.keySet());
            }
            return bound;
        }
        Value known = seen.get(e);
        if (known != null) {
            return known;
        }
        Value v = compute(e, bindings, seen);
        String re = temp(v.re());
        String im = v.isReal() ? null : temp(v.im());
        Value stored = new Value(re, im,
                bounds ? temp(v.reBound() != null ? v.reBound() : "Math.abs(" + re + ")") : null,
                bounds && im != null ? temp(v.imBound() != null ? v.imBound() : "Math.abs(" + im + ")") : null);
        seen.put(e, stored);
        return stored;
    }

    /** Declares a {@code final double} local holding {@code java} and returns its name. */
    private String temp(String java) {
        String name = prefix + temps++;
        out.append(indent).append("final double ").append(name).append(" = ").append(java).append(";\n");
        return name;
    }

    /** A value whose bounds are only computed in bounds mode. */
    private Value value(String re, String im, String reBound, String imBound) {
        return bounds ? new Value(re, im, reBound, im == null ? null : imBound) : new Value(re, im);
    }

    private Value compute(Expr e, Map<String, Value> b, Map<Expr, Value> seen) {
        if (e instanceof Expr.Sum s) {
            List<Value> terms = new ArrayList<>();
            for (Expr t : s.terms()) {
                terms.add(emit(t, b, seen));
            }
            return value(join(terms, Value::re, false), join(terms, Value::im, true),
                    join(terms, Value::reBoundOrAbs, false), join(terms, Value::imBoundOrAbs, true));
        }
        if (e instanceof Expr.Product p) {
            return product(p, b, seen);
        }
        if (e instanceof Expr.Power p) {
            return power(p, b, seen);
        }
        if (e instanceof Expr.Call c) {
            return call(c.fn(), emit(c.argument(), b, seen));
        }
        Expr.Conditional c = (Expr.Conditional) e;
        Value test = emit(c.test(), b, seen);
        if (kinkFlag != null) {
            out.append(indent).append(kinkFlag).append(" |= Math.abs(").append(test.re()).append(") <= ").append(kinkBand)
                    .append(";\n");
        }
        Value yes = emit(c.ifPositive(), b, seen);
        Value no = emit(c.otherwise(), b, seen);
        String branch = "(" + test.re() + " > 0.0 ? ";
        boolean real = yes.isReal() && no.isReal();
        return value(branch + yes.re() + " : " + no.re() + ")", real ? null : branch + yes.imOrZero() + " : " + no.imOrZero() + ")",
                branch + yes.reBoundOrAbs() + " : " + no.reBoundOrAbs() + ")",
                branch + yes.imBoundOrAbs() + " : " + no.imBoundOrAbs() + ")");
    }

    /** {@code a + b + …} of the non-null parts, or {@code null} if {@code complexOnly} and every part is real. */
    private static String join(List<Value> terms, java.util.function.Function<Value, String> part, boolean complexOnly) {
        StringBuilder sb = new StringBuilder();
        for (Value t : terms) {
            if (complexOnly && t.isReal()) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : " + ").append(part.apply(t));
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Real factors multiply in order (as {@link JavaEmitter} does); complex factors then fold in pairwise. */
    private Value product(Expr.Product p, Map<String, Value> b, Map<Expr, Value> seen) {
        List<Value> real = new ArrayList<>();
        List<Value> complex = new ArrayList<>();
        for (Expr f : p.factors()) {
            if (f instanceof Expr.Num n && n.value() == 1.0) {
                continue;
            }
            Value v = emit(f, b, seen);
            (v.isReal() ? real : complex).add(v);
        }
        String r = real.isEmpty() ? "1.0" : String.join(" * ", real.stream().map(Value::re).toList());
        String rBound = real.isEmpty() ? "1.0" : String.join(" * ", real.stream().map(Value::reBoundOrAbs).toList());
        if (complex.isEmpty()) {
            return value(r, null, rBound, null);
        }
        Value acc = complex.get(0);
        for (int i = 1; i < complex.size(); i++) {
            acc = multiply(acc, complex.get(i));
        }
        if (real.isEmpty()) {
            return acc;
        }
        String factor = temp(r);
        String factorBound = bounds ? temp(rBound) : null;
        return value(factor + " * " + acc.re(), factor + " * " + acc.im(),
                factorBound + " * " + acc.reBoundOrAbs(), factorBound + " * " + acc.imBoundOrAbs());
    }

    /** (a + ib)(c + id) = (ac − bd) + i(ad + bc), into locals. */
    private Value multiply(Value x, Value y) {
        String re = temp(x.re() + " * " + y.re() + " - " + x.im() + " * " + y.im());
        String im = temp(x.re() + " * " + y.im() + " + " + x.im() + " * " + y.re());
        if (!bounds) {
            return new Value(re, im);
        }
        String rx = x.reBoundOrAbs();
        String ix = x.imBoundOrAbs();
        String ry = y.reBoundOrAbs();
        String iy = y.imBoundOrAbs();
        return new Value(re, im, temp(rx + " * " + ry + " + " + ix + " * " + iy), temp(rx + " * " + iy + " + " + ix + " * " + ry));
    }

    private Value power(Expr.Power p, Map<String, Value> b, Map<Expr, Value> seen) {
        if (!(p.exponent() instanceof Expr.Num n)) {
            Value base = emit(p.base(), b, seen);
            Value exponent = emit(p.exponent(), b, seen);
            if (base.isReal() && exponent.isReal()) {
                return Value.real("Math.pow(" + base.re() + ", " + exponent.re() + ")");
            }
            // w^u = e^{u·log w}
            Expr rewritten = Expr.call(Expr.Fn.EXP, new Expr.Product(List.of(p.exponent(), Expr.call(Expr.Fn.LOG, p.base()))));
            return emit(rewritten, b, seen);
        }
        Value base = emit(p.base(), b, seen);
        double k = n.value();
        boolean integer = k == Math.rint(k) && Math.abs(k) <= 64;
        if (base.isReal()) {
            String bound = integer && k > 0 ? realPower(base.reBoundOrAbs(), k) : "Math.abs(" + realPower(base.re(), k) + ")";
            return value(realPower(base.re(), k), null, bound, null);
        }
        if (integer) {
            Value positive = integerPower(base, (int) Math.abs(k));
            if (k >= 0) {
                return positive;
            }
            String square = "(" + positive.re() + " * " + positive.re() + ")";
            return value(COMPLEX + "divideRe(1.0, 0.0, " + positive.re() + ", " + positive.im() + ")",
                    COMPLEX + "divideIm(1.0, 0.0, " + positive.re() + ", " + positive.im() + ")",
                    positive.reBoundOrAbs() + " / " + square, positive.imBoundOrAbs() + " / " + square);
        }
        // non-integer constant exponent, first order: (a + ib)^k = a^k + i·b·k·a^{k−1}
        String slope = JavaEmitter.literal(k) + " * " + realPower(base.re(), k - 1);
        return value(realPower(base.re(), k), base.im() + " * " + slope,
                "Math.abs(" + realPower(base.re(), k) + ")", base.imBoundOrAbs() + " * Math.abs(" + slope + ")");
    }

    /** w^k for an integer k ≥ 0 by binary powering — exact complex multiplications. */
    private Value integerPower(Value base, int k) {
        Value result = null;
        Value square = base;
        for (int e = k; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = result == null ? square : multiply(result, square);
            }
            if (e > 1) {
                square = multiply(square, square);
            }
        }
        return result == null ? value("1.0", null, "1.0", null) : result;
    }

    /** The same real powers as {@link JavaEmitter}, so real parts match its code bit for bit. */
    private static String realPower(String base, double k) {
        if (k == 2) {
            return base + " * " + base;
        }
        if (k == 1) {
            return base;
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
        return "Math.pow(" + base + ", " + JavaEmitter.literal(k) + ")";
    }

    /** f(a + ib) = f(a) + i·b·f'(a): the value into a local, the slope from {@link ComplexFunctions}. */
    private Value call(Expr.Fn fn, Value arg) {
        String value = function(fn) + "(" + arg.re() + ")";
        if (arg.isReal()) {
            return value(value, null, null, null);
        }
        String re = temp(value);
        String slope = switch (fn) {
            case EXP -> re;
            case LOG -> "(1.0 / " + arg.re() + ")";
            case SIGMOID -> COMPLEX + "sigmoidSlope(" + arg.re() + ")";
            case SIGMOID_PRIME -> COMPLEX + "sigmoidPrimeSlope(" + arg.re() + ")";
            case SOFTPLUS -> COMPLEX + "softplusSlope(" + arg.re() + ")";
            case TANH -> COMPLEX + "tanhSlope(" + arg.re() + ")";
            case SECH -> COMPLEX + "sechSlope(" + arg.re() + ")";
            case ERF -> COMPLEX + "erfSlope(" + arg.re() + ")";
            case EXPM1 -> "Math.exp(" + arg.re() + ")";
        };
        if (!bounds) {
            return new Value(re, arg.im() + " * " + slope);
        }
        String s = temp(slope);
        return new Value(re, arg.im() + " * " + s, "Math.abs(" + re + ")", arg.imBoundOrAbs() + " * Math.abs(" + s + ")");
    }

    private static String function(Expr.Fn fn) {
        return switch (fn) {
            case EXP -> "Math.exp";
            case LOG -> "Math.log";
            case TANH -> "Math.tanh";
            case SIGMOID -> STABLE + "sigmoid";
            case SIGMOID_PRIME -> STABLE + "sigmoidPrime";
            case SOFTPLUS -> STABLE + "softplus";
            case SECH -> STABLE + "sech";
            case ERF -> STABLE + "erf";
            case EXPM1 -> "Math.expm1";
        };
    }
}
