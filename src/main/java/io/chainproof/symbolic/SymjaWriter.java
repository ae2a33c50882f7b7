package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes an {@link Expr} as Symja input, undoing the stable lowering so Symja sees the textbook forms
 * it differentiates: {@code σ'(u)} becomes {@code LogisticSigmoid[u]*(1-LogisticSigmoid[u])},
 * {@code softplus(u)} becomes {@code Log[1+E^u]}, {@code e^u} becomes {@code E^u}, and the
 * conditional {@code t > 0 ? a : b} becomes {@code Piecewise[{{a, t>0}}, b]}.
 *
 * <p>Symbol names that are not plain Symja identifiers ({@code z1_0} would be a pattern in Symja) are
 * renamed to {@code cpv1}, {@code cpv2}, …; one writer keeps the table so {@link SymjaReader} maps the
 * names back. Numbers are written exactly: integers as integers, doubles that are a small fraction
 * {@code p/q} (q ≤ 10⁶) as that fraction, π and e as {@code Pi} and {@code E}, anything else as the
 * fraction of its shortest decimal form ({@code 0.4053} → {@code 4053/10000}).
 */
final class SymjaWriter {

    private static final Pattern PLAIN = Pattern.compile("[a-z][A-Za-z0-9]*");
    private static final String PREFIX = "cpv";

    private final Map<String, String> toSymja = new HashMap<>();
    private final Map<String, String> fromSymja = new HashMap<>();
    private final SortedSet<Integer> softmaxSizes = new TreeSet<>();
    private final boolean opaque;

    /** A writer of the textbook forms. */
    SymjaWriter() {
        this(false);
    }

    /**
     * A writer that, if {@code opaque}, writes every call {@code fn(u)} as an undefined Symja function
     * {@code cpf<fn>[u]} (see {@link #opaqueName}), so Symja differentiates by the chain rule alone and
     * the derivatives of the functions come from {@link #OPAQUE_DERIVATIVES}; a conditional
     * {@code t > 0 ? a : b} becomes {@code a·H(t) + b·(1 − H(t))} with an undefined step function H whose
     * derivative is 0 (true everywhere except at the kink t = 0, where the network is not differentiable);
     * and a softmax output {@code e^{z_k}·(Σ_i e^{z_i})^{−1}} (found among the factors of a product)
     * becomes {@code cpfsm<k>x<n>[z_1, …, z_n]} with the proved Jacobian of {@link SoftmaxDerivative} as
     * its derivative rules ({@link #opaqueDerivatives()}).
     */
    SymjaWriter(boolean opaque) {
        this.opaque = opaque;
    }

    /**
     * Replacement rules giving the derivative of each opaque function in terms of opaque functions —
     * the identities exp' = exp, log' = 1/u, σ' = σ', softplus' = σ, tanh' = sech², erf' = (2/√π)·exp(−u²),
     * each the lowered form of Symja's own {@code D} of the function (see {@link LocalDerivatives}).
     */
    static final String OPAQUE_DERIVATIVES = "{Derivative[1][cpfexp][u_]:>cpfexp[u],Derivative[1][cpflog][u_]:>1/u,"
            + "Derivative[1][cpfsigmoid][u_]:>cpfsigmoidprime[u],Derivative[1][cpfsoftplus][u_]:>cpfsigmoid[u],"
            + "Derivative[1][cpftanh][u_]:>cpfsech[u]^2,Derivative[1][cpferf][u_]:>2/Sqrt[Pi]*cpfexp[-u^2],"
            + "Derivative[1][cpfstep][u_]:>0}";

    /**
     * {@link #OPAQUE_DERIVATIVES} plus, for every softmax of n outputs this writer wrote, the rules
     * {@code ∂o_k/∂z_k = o_k·(1 − o_k)} and {@code ∂o_k/∂z_j = −o_k·o_j} (j ≠ k) of {@link SoftmaxDerivative}.
     */
    String opaqueDerivatives() {
        List<String> rules = new ArrayList<>();
        for (int n : softmaxSizes) {
            StringBuilder patterns = new StringBuilder();
            StringBuilder args = new StringBuilder();
            for (int i = 1; i <= n; i++) {
                patterns.append(i > 1 ? "," : "").append('p').append(i).append('_');
                args.append(i > 1 ? "," : "").append('p').append(i);
            }
            for (int k = 0; k < n; k++) {
                String ok = softmaxName(k, n) + "[" + args + "]";
                for (int j = 0; j < n; j++) {
                    String oj = softmaxName(j, n) + "[" + args + "]";
                    StringBuilder index = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        index.append(i > 0 ? "," : "").append(i == j ? 1 : 0);
                    }
                    rules.add("Derivative[" + index + "][" + softmaxName(k, n) + "][" + patterns + "]:>"
                            + (j == k ? ok + "*(1-" + ok + ")" : "-" + ok + "*" + oj));
                }
            }
        }
        String base = OPAQUE_DERIVATIVES.substring(1, OPAQUE_DERIVATIVES.length() - 1);
        return "{" + base + (rules.isEmpty() ? "" : "," + String.join(",", rules)) + "}";
    }

    private static String softmaxName(int k, int n) {
        return "cpfsm" + k + "x" + n;
    }

    /** The name of the opaque Symja function standing for {@code fn}. */
    static String opaqueName(Expr.Fn fn) {
        return "cpf" + fn.name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
    }

    /** The Symja input for {@code e}. */
    String write(Expr e) {
        StringBuilder b = new StringBuilder();
        write(e, b);
        return b.toString();
    }

    /** The Symja name of our symbol {@code name}, allocating one if needed. */
    String symbol(String name) {
        if (PLAIN.matcher(name).matches() && !name.startsWith("cp")) {
            return name;
        }
        return toSymja.computeIfAbsent(name, n -> {
            String s = PREFIX + (toSymja.size() + 1);
            fromSymja.put(s, n);
            return s;
        });
    }

    /** Our name of the Symja symbol {@code symjaName} (itself unless this writer renamed it). */
    String original(String symjaName) {
        return fromSymja.getOrDefault(symjaName, symjaName);
    }

    private void write(Expr e, StringBuilder b) {
        if (e instanceof Expr.Num n) {
            b.append('(').append(number(n.value())).append(')');
        } else if (e instanceof Expr.Sym s) {
            b.append(symbol(s.name()));
        } else if (e instanceof Expr.Sum s) {
            join(s.terms(), "+", b);
        } else if (e instanceof Expr.Product p) {
            if (opaque) {
                opaqueProduct(p.factors(), b);
            } else {
                join(p.factors(), "*", b);
            }
        } else if (e instanceof Expr.Power p) {
            b.append('(');
            write(p.base(), b);
            b.append(")^(");
            write(p.exponent(), b);
            b.append(')');
        } else if (e instanceof Expr.Call c) {
            call(c, b);
        } else if (opaque) {
            Expr.Conditional c = (Expr.Conditional) e;
            String step = "cpfstep[" + write(c.test()) + "]";
            b.append("((").append(write(c.ifPositive())).append(")*").append(step).append("+(")
                    .append(write(c.otherwise())).append(")*(1-").append(step).append("))");
        } else {
            Expr.Conditional c = (Expr.Conditional) e;
            b.append("Piecewise[{{");
            write(c.ifPositive(), b);
            b.append(',');
            write(c.test(), b);
            b.append(">0}},");
            write(c.otherwise(), b);
            b.append(']');
        }
    }

    private void join(List<Expr> parts, String operator, StringBuilder b) {
        b.append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                b.append(operator);
            }
            write(parts.get(i), b);
        }
        b.append(')');
    }

    /** A product with each pair {@code e^{z_k}}, {@code (Σ_i e^{z_i})^{−1}} written as one softmax output. */
    private void opaqueProduct(List<Expr> factors, StringBuilder b) {
        List<Expr> rest = new ArrayList<>(factors);
        List<String> outputs = new ArrayList<>();
        boolean found = true;
        while (found) {
            found = false;
            for (int i = 0; i < rest.size() && !found; i++) {
                List<Expr> exponents = softmaxExponents(rest.get(i));
                for (int k = 0; exponents != null && k < rest.size() && !found; k++) {
                    if (k != i && rest.get(k) instanceof Expr.Call c && c.fn() == Expr.Fn.EXP
                            && exponents.contains(c.argument())) {
                        outputs.add(softmaxOutput(exponents.indexOf(c.argument()), exponents));
                        rest.remove(Math.max(i, k));
                        rest.remove(Math.min(i, k));
                        found = true;
                    }
                }
            }
        }
        b.append('(');
        for (int i = 0; i < outputs.size(); i++) {
            b.append(i > 0 ? "*" : "").append(outputs.get(i));
        }
        for (int i = 0; i < rest.size(); i++) {
            if (i > 0 || !outputs.isEmpty()) {
                b.append('*');
            }
            write(rest.get(i), b);
        }
        b.append(')');
    }

    /** {@code [z_1, …, z_n]} if {@code f} is {@code (e^{z_1} + … + e^{z_n})^{−1}} with n ≥ 2, else null. */
    private static List<Expr> softmaxExponents(Expr f) {
        if (!(f instanceof Expr.Power p && p.exponent().equals(Expr.num(-1)) && p.base() instanceof Expr.Sum s)) {
            return null;
        }
        List<Expr> exponents = new ArrayList<>();
        for (Expr t : s.terms()) {
            if (!(t instanceof Expr.Call c && c.fn() == Expr.Fn.EXP)) {
                return null;
            }
            exponents.add(c.argument());
        }
        return exponents;
    }

    private String softmaxOutput(int k, List<Expr> exponents) {
        softmaxSizes.add(exponents.size());
        StringBuilder b = new StringBuilder(softmaxName(k, exponents.size())).append('[');
        for (int i = 0; i < exponents.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            write(exponents.get(i), b);
        }
        return b.append(']').toString();
    }

    private void call(Expr.Call c, StringBuilder b) {
        String u = write(c.argument());
        if (opaque) {
            b.append(opaqueName(c.fn())).append('[').append(u).append(']');
            return;
        }
        switch (c.fn()) {
            case EXP -> b.append("E^(").append(u).append(')');
            case LOG -> b.append("Log[").append(u).append(']');
            case SIGMOID -> b.append("LogisticSigmoid[").append(u).append(']');
            case SIGMOID_PRIME -> b.append("(LogisticSigmoid[").append(u).append("]*(1-LogisticSigmoid[")
                    .append(u).append("]))");
            case SOFTPLUS -> b.append("Log[1+E^(").append(u).append(")]");
            case TANH -> b.append("Tanh[").append(u).append(']');
            case SECH -> b.append("Sech[").append(u).append(']');
            case ERF -> b.append("Erf[").append(u).append(']');
            case EXPM1 -> b.append("(E^(").append(u).append(")-1)");
        }
    }

    /** The exact Symja number for {@code v}. */
    static String number(double v) {
        if (Double.isInfinite(v)) {
            throw new ChainproofException("Number <" + v + "> cannot be written for Symja: it is not finite; "
                    + "only finite constants can appear in a symbolic expression");
        }
        if (v == Math.PI) {
            return "Pi";
        }
        if (v == Math.E) {
            return "E";
        }
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return Long.toString((long) v);
        }
        long[] fraction = smallFraction(v);
        if (fraction != null) {
            return fraction[0] + "/" + fraction[1];
        }
        BigDecimal d = new BigDecimal(Double.toString(v));
        BigInteger numerator = d.unscaledValue();
        BigInteger denominator = BigInteger.TEN.pow(Math.max(d.scale(), 0));
        if (d.scale() < 0) {
            numerator = numerator.multiply(BigInteger.TEN.pow(-d.scale()));
        }
        return numerator + "/" + denominator;
    }

    /** {@code {p, q}} with {@code (double) p / q == v} and q ≤ 10⁶ found by continued fractions, or null. */
    private static long[] smallFraction(double v) {
        double x = Math.abs(v);
        long p0 = 0;
        long q0 = 1;
        long p1 = 1;
        long q1 = 0;
        double rest = x;
        for (int i = 0; i < 40; i++) {
            long a = (long) Math.floor(rest);
            long p2 = a * p1 + p0;
            long q2 = a * q1 + q0;
            if (q2 > 1_000_000 || p2 < 0) {
                return null;
            }
            if ((double) p2 / q2 == x) {
                return new long[] {v < 0 ? -p2 : p2, q2};
            }
            double frac = rest - a;
            if (frac == 0) {
                return null;
            }
            rest = 1 / frac;
            p0 = p1;
            q0 = q1;
            p1 = p2;
            q1 = q2;
        }
        return null;
    }
}
