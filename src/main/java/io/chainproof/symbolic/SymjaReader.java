package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.Expr.Fn;
import org.matheclipse.core.expression.S;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.IRational;
import org.matheclipse.core.interfaces.IReal;
import org.matheclipse.core.interfaces.ISymbol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Symja result into our {@link Expr}, from an allow-list of heads: {@code Plus}, {@code Times},
 * {@code Power} (so also {@code Sqrt}), integers, rationals, reals, {@code E}, {@code Pi}, {@code Log},
 * {@code LogisticSigmoid}, {@code Tanh}, {@code Sech}, {@code Erf} and {@code Piecewise} with one clause
 * {@code {{a, u>v}}} or {@code {{a, u<v}}} and a default. Anything else is a {@link ChainproofException}
 * naming the head.
 *
 * <p>In {@link Mode#LOWERED lowered} mode the reader rewrites, by these identities, into forms whose
 * double-precision kernels neither overflow nor cancel (see {@link io.chainproof.expr.StableFunctions}):
 * <ol>
 *   <li>{@code E^u} ≡ {@code exp(u)} — {@code Call(EXP, u)};</li>
 *   <li>{@code E^u·(1+E^u)^(−1) = σ(u)} — {@code Call(SIGMOID, u)}; naive form: ∞/∞ = NaN for u ≳ 710;</li>
 *   <li>{@code E^u·(1+E^u)^(−2) = σ'(u)} — {@code Call(SIGMOID_PRIME, u)};</li>
 *   <li>{@code Log(1+E^u) = softplus(u)} — {@code Call(SOFTPLUS, u)}; naive form: ∞ for u ≳ 710;</li>
 *   <li>{@code σ(u)·(1−σ(u)) = σ'(u)} inside a product — {@code Call(SIGMOID_PRIME, u)}; naive form
 *       rounds to 0 for u ≳ 37 (σ'(250) ≈ 2.67e−109 becomes 0);</li>
 *   <li>{@code σ(u)·(σ(u)−1) = −σ'(u)} inside a product — {@code −Call(SIGMOID_PRIME, u)};</li>
 *   <li>{@code Sech(u)} ≡ {@code Call(SECH, u)}, evaluated without forming cosh(u);</li>
 *   <li>{@code E^u − 1 = expm1(u)} inside a sum — {@code Call(EXPM1, u)}; naive form: e^{−1e−10} − 1 is off
 *       by 8e−8 relative.</li>
 * </ol>
 * In {@link Mode#LITERAL literal} mode only the one-to-one renamings apply (rules 1 and 7, and
 * {@code LogisticSigmoid} → {@code σ}), for showing a derivative as Symja derived it.
 */
final class SymjaReader {

    /** Whether to apply the stable lowering. */
    enum Mode { LOWERED, LITERAL }

    private static final String SUPPORTED = "Plus, Times, Power, Sqrt, numbers, E, Pi, Log, LogisticSigmoid, "
            + "Tanh, Sech, Erf, Piecewise with one clause u>v or u<v";

    private final SymjaWriter names;
    private final Mode mode;

    SymjaReader(SymjaWriter names, Mode mode) {
        this.names = names;
        this.mode = mode;
    }

    /** Reads {@code e}. */
    Expr read(IExpr e) {
        if (e.isRational()) {
            IRational r = (IRational) e;
            return Expr.num(new BigDecimal(r.toBigNumerator())
                    .divide(new BigDecimal(r.toBigDenominator()), MathContext.DECIMAL128).doubleValue());
        }
        if (e instanceof IReal real) {
            return Expr.num(real.doubleValue());
        }
        if (e == S.E) {
            return Expr.num(Math.E);
        }
        if (e == S.Pi) {
            return Expr.num(Math.PI);
        }
        if (e.isSymbol() && !e.isBuiltInSymbol()) {
            return Expr.sym(names.original(((ISymbol) e).getSymbolName()));
        }
        if (e.isPlus()) {
            return mode == Mode.LOWERED ? sumWithExpm1((IAST) e) : new Expr.Sum(readAll((IAST) e, 1));
        }
        if (e.isTimes()) {
            return times((IAST) e);
        }
        if (e.isPower()) {
            IAST p = (IAST) e;
            if (p.arg1() == S.E) {
                return Expr.call(Fn.EXP, read(p.arg2()));
            }
            return new Expr.Power(read(p.arg1()), read(p.arg2()));
        }
        if (e.isAST(S.Log, 2)) {
            IExpr u = mode == Mode.LOWERED ? onePlusExp(e.first()) : null;
            return u != null ? Expr.call(Fn.SOFTPLUS, read(u)) : Expr.call(Fn.LOG, read(e.first()));
        }
        if (e.isAST(S.LogisticSigmoid, 2)) {
            return Expr.call(Fn.SIGMOID, read(e.first()));
        }
        if (e.isAST(S.Tanh, 2)) {
            return Expr.call(Fn.TANH, read(e.first()));
        }
        if (e.isAST(S.Sech, 2)) {
            return Expr.call(Fn.SECH, read(e.first()));
        }
        if (e.isAST(S.Erf, 2)) {
            return Expr.call(Fn.ERF, read(e.first()));
        }
        if (e.isAST(S.Piecewise)) {
            return piecewise((IAST) e);
        }
        throw unsupported(e, "it is not one of the supported forms");
    }

    /** Rule 8: a sum with the terms {@code E^u} and {@code −1} reads them as {@code expm1(u)}. */
    private Expr sumWithExpm1(IAST plus) {
        int minusOne = -1;
        int exp = -1;
        for (int i = 1; i <= plus.argSize(); i++) {
            IExpr t = plus.get(i);
            if (t.isMinusOne() && minusOne < 0) {
                minusOne = i;
            } else if (t.isPower() && ((IAST) t).arg1() == S.E && exp < 0) {
                exp = i;
            }
        }
        if (minusOne < 0 || exp < 0) {
            return new Expr.Sum(readAll(plus, 1));
        }
        List<Expr> terms = new ArrayList<>();
        for (int i = 1; i <= plus.argSize(); i++) {
            if (i == exp) {
                terms.add(Expr.call(Fn.EXPM1, read(((IAST) plus.get(i)).arg2())));
            } else if (i != minusOne) {
                terms.add(read(plus.get(i)));
            }
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.Sum(terms);
    }

    private List<Expr> readAll(IAST ast, int from) {
        List<Expr> parts = new ArrayList<>(ast.argSize());
        for (int i = from; i <= ast.argSize(); i++) {
            parts.add(read(ast.get(i)));
        }
        return parts;
    }

    private Expr times(IAST times) {
        List<IExpr> rest = new ArrayList<>();
        for (int i = 1; i <= times.argSize(); i++) {
            rest.add(times.get(i));
        }
        List<Expr> factors = new ArrayList<>();
        if (mode == Mode.LOWERED) {
            fuse(rest, factors);
        }
        for (IExpr f : rest) {
            factors.add(read(f));
        }
        return factors.size() == 1 ? factors.get(0) : new Expr.Product(factors);
    }

    /** Removes the factor pairs of rules 2, 3, 5 and 6 from {@code rest}, adding their fused calls. */
    private void fuse(List<IExpr> rest, List<Expr> fused) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < rest.size() && !changed; i++) {
                IExpr f = rest.get(i);
                for (int k = 0; k < rest.size() && !changed; k++) {
                    if (k == i) {
                        continue;
                    }
                    Expr call = fusePair(f, rest.get(k));
                    if (call != null) {
                        rest.remove(Math.max(i, k));
                        rest.remove(Math.min(i, k));
                        fused.add(call);
                        changed = true;
                    }
                }
            }
        }
    }

    private Expr fusePair(IExpr f, IExpr g) {
        if (f.isPower() && f.first() == S.E && g.isPower() && g.first().isPlus()) {
            IExpr u = f.second();
            if (u.equals(onePlusExp(g.first()))) {
                if (g.second().isMinusOne()) {
                    return Expr.call(Fn.SIGMOID, read(u));
                }
                if (g.second().equals(org.matheclipse.core.expression.F.CN2)) {
                    return Expr.call(Fn.SIGMOID_PRIME, read(u));
                }
            }
        }
        if (f.isAST(S.LogisticSigmoid, 2) && g.isPlus() && g.argSize() == 2) {
            IExpr u = f.first();
            IAST plus = (IAST) g;
            if (plus.arg1().isOne() && plus.arg2().isTimes() && plus.arg2().argSize() == 2
                    && plus.arg2().first().isMinusOne() && plus.arg2().second().equals(f)) {
                return Expr.call(Fn.SIGMOID_PRIME, read(u));
            }
            if (plus.arg1().isMinusOne() && plus.arg2().equals(f)) {
                return ExprAlgebra.negate(Expr.call(Fn.SIGMOID_PRIME, read(u)));
            }
        }
        return null;
    }

    /** {@code u} if {@code plus} is {@code 1 + E^u}, else null. */
    private static IExpr onePlusExp(IExpr plus) {
        if (!plus.isPlus() || plus.argSize() != 2) {
            return null;
        }
        IExpr a = plus.first();
        IExpr b = plus.second();
        if (a.isOne() && b.isPower() && b.first() == S.E) {
            return b.second();
        }
        if (b.isOne() && a.isPower() && a.first() == S.E) {
            return a.second();
        }
        return null;
    }

    private Expr piecewise(IAST e) {
        if (e.argSize() < 1 || e.argSize() > 2 || !e.arg1().isList() || e.arg1().argSize() != 1
                || !e.arg1().first().isList() || e.arg1().first().argSize() != 2) {
            throw unsupported(e, "only a Piecewise with exactly one clause and a default is supported");
        }
        IExpr clause = e.arg1().first();
        IExpr condition = clause.second();
        Expr test;
        if (condition.isAST(S.Greater, 3)) {
            test = difference(condition.first(), condition.second());
        } else if (condition.isAST(S.Less, 3)) {
            test = difference(condition.second(), condition.first());
        } else {
            throw unsupported(condition, "a Piecewise condition must be a strict comparison u>v or u<v");
        }
        Expr otherwise = e.argSize() == 2 ? read(e.arg2()) : ExprAlgebra.ZERO;
        return new Expr.Conditional(test, read(clause.first()), otherwise);
    }

    private Expr difference(IExpr u, IExpr v) {
        return v.isZero() ? read(u) : ExprAlgebra.sum(read(u), ExprAlgebra.negate(read(v)));
    }

    private static ChainproofException unsupported(IExpr e, String reason) {
        String text = e.toString();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "…";
        }
        String head = e.isAST() ? e.head().toString() : e.getClass().getSimpleName();
        return new ChainproofException("Symja result <" + text + "> with head <" + head
                + "> cannot be translated to an expression: " + reason + "; supported: " + SUPPORTED);
    }
}
