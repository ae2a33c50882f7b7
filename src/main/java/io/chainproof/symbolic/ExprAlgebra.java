package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little algebra the derivation does on our own {@link Expr} instead of in Symja: building sums and
 * products with trivial folding, substituting symbols, and measuring tree size.
 *
 * <p>Folding rules (all exact in real arithmetic): nested sums and products are flattened;
 * {@code t + 0 = t}; {@code 1·f = f}; {@code 0·f = 0}; numeric factors are multiplied into one leading
 * coefficient and numeric terms added into one constant. π and e are not folded (so {@code √(2·π)}
 * stays exact when written back for Symja). Nothing else is simplified, so a substituted local
 * derivative keeps the shape Symja gave it.
 */
final class ExprAlgebra {

    static final Expr ZERO = Expr.num(0);
    static final Expr ONE = Expr.num(1);

    private ExprAlgebra() {
    }

    /** {@code Σ terms}, flattened and folded; the numeric terms are added into the first one's place. */
    static Expr sum(List<Expr> terms) {
        List<Expr> flat = new ArrayList<>();
        int constantAt = -1;
        double constant = 0;
        for (Expr t : terms) {
            for (Expr inner : t instanceof Expr.Sum s ? s.terms() : List.of(t)) {
                if (inner instanceof Expr.Num n && !isNamedConstant(n)) {
                    constant += n.value();
                    if (constantAt < 0) {
                        constantAt = flat.size();
                    }
                } else {
                    flat.add(inner);
                }
            }
        }
        if (constant != 0 || flat.isEmpty()) {
            flat.add(Math.max(constantAt, 0), Expr.num(constant));
        }
        return flat.size() == 1 ? flat.get(0) : new Expr.Sum(flat);
    }

    static Expr sum(Expr... terms) {
        return sum(List.of(terms));
    }

    /** {@code Π factors}, flattened and folded, the numeric coefficient first. */
    static Expr product(List<Expr> factors) {
        List<Expr> flat = new ArrayList<>();
        double coefficient = 1;
        for (Expr f : factors) {
            List<Expr> parts = f instanceof Expr.Product p ? p.factors() : List.of(f);
            for (Expr part : parts) {
                if (part instanceof Expr.Num n && !isNamedConstant(n)) {
                    coefficient *= n.value();
                } else {
                    flat.add(part);
                }
            }
        }
        if (coefficient == 0) {
            return ZERO;
        }
        if (coefficient != 1 || flat.isEmpty()) {
            flat.add(0, Expr.num(coefficient));
        }
        return flat.size() == 1 ? flat.get(0) : new Expr.Product(flat);
    }

    static Expr product(Expr... factors) {
        return product(List.of(factors));
    }

    /** Whether {@code n} is π or e, which stay symbolic constants. */
    static boolean isNamedConstant(Expr.Num n) {
        return n.value() == Math.PI || n.value() == Math.E;
    }

    /** {@code −e}. */
    static Expr negate(Expr e) {
        return product(Expr.num(-1), e);
    }

    /** {@code 1/e}. */
    static Expr reciprocal(Expr e) {
        return new Expr.Power(e, Expr.num(-1));
    }

    /**
     * Replaces every symbol named in {@code replacements} by its expression (simultaneously, not
     * recursively); other symbols stay. Replaced subtrees are shared, not copied.
     */
    static Expr substitute(Expr e, Map<String, ? extends Expr> replacements) {
        if (e instanceof Expr.Sym s) {
            Expr r = replacements.get(s.name());
            return r != null ? r : e;
        }
        if (e instanceof Expr.Num) {
            return e;
        }
        if (e instanceof Expr.Sum s) {
            List<Expr> terms = new ArrayList<>(s.terms().size());
            for (Expr t : s.terms()) {
                terms.add(substitute(t, replacements));
            }
            return sum(terms);
        }
        if (e instanceof Expr.Product p) {
            List<Expr> factors = new ArrayList<>(p.factors().size());
            for (Expr f : p.factors()) {
                factors.add(substitute(f, replacements));
            }
            return product(factors);
        }
        if (e instanceof Expr.Power p) {
            return new Expr.Power(substitute(p.base(), replacements), substitute(p.exponent(), replacements));
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.fn(), substitute(c.argument(), replacements));
        }
        Expr.Conditional c = (Expr.Conditional) e;
        return new Expr.Conditional(substitute(c.test(), replacements), substitute(c.ifPositive(), replacements),
                substitute(c.otherwise(), replacements));
    }

    /** Replaces one symbol. */
    static Expr substitute(Expr e, String symbol, Expr replacement) {
        return substitute(e, Map.of(symbol, replacement));
    }

    /**
     * The number of leaves (numbers and symbols) of {@code e} written out as a tree — shared subtrees
     * count once per occurrence, as they would in a Symja string. Linear in the number of distinct nodes.
     */
    static long leafCount(Expr e) {
        return leafCount(e, new IdentityHashMap<>());
    }

    private static long leafCount(Expr e, Map<Expr, Long> memo) {
        Long known = memo.get(e);
        if (known != null) {
            return known;
        }
        long count;
        if (e instanceof Expr.Num || e instanceof Expr.Sym) {
            count = 1;
        } else if (e instanceof Expr.Sum s) {
            count = s.terms().stream().mapToLong(t -> leafCount(t, memo)).reduce(0, ExprAlgebra::saturatedAdd);
        } else if (e instanceof Expr.Product p) {
            count = p.factors().stream().mapToLong(f -> leafCount(f, memo)).reduce(0, ExprAlgebra::saturatedAdd);
        } else if (e instanceof Expr.Power p) {
            count = saturatedAdd(leafCount(p.base(), memo), leafCount(p.exponent(), memo));
        } else if (e instanceof Expr.Call c) {
            count = leafCount(c.argument(), memo);
        } else {
            Expr.Conditional c = (Expr.Conditional) e;
            count = saturatedAdd(leafCount(c.test(), memo),
                    saturatedAdd(leafCount(c.ifPositive(), memo), leafCount(c.otherwise(), memo)));
        }
        memo.put(e, count);
        return count;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** The names of the symbols in {@code e}, in first-occurrence order. */
    static Set<String> symbols(Expr e) {
        Set<String> names = new LinkedHashSet<>();
        collect(e, names, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return names;
    }

    private static void collect(Expr e, Set<String> names, Set<Expr> seen) {
        if (!seen.add(e)) {
            return;
        }
        if (e instanceof Expr.Sym s) {
            names.add(s.name());
        } else if (e instanceof Expr.Sum s) {
            s.terms().forEach(t -> collect(t, names, seen));
        } else if (e instanceof Expr.Product p) {
            p.factors().forEach(f -> collect(f, names, seen));
        } else if (e instanceof Expr.Power p) {
            collect(p.base(), names, seen);
            collect(p.exponent(), names, seen);
        } else if (e instanceof Expr.Call c) {
            collect(c.argument(), names, seen);
        } else if (e instanceof Expr.Conditional c) {
            collect(c.test(), names, seen);
            collect(c.ifPositive(), names, seen);
            collect(c.otherwise(), names, seen);
        }
    }

    /** Whether {@code e} contains {@code part} (by {@code equals}) anywhere. */
    static boolean contains(Expr e, Expr part) {
        if (e.equals(part)) {
            return true;
        }
        if (e instanceof Expr.Sum s) {
            return s.terms().stream().anyMatch(t -> contains(t, part));
        }
        if (e instanceof Expr.Product p) {
            return p.factors().stream().anyMatch(f -> contains(f, part));
        }
        if (e instanceof Expr.Power p) {
            return contains(p.base(), part) || contains(p.exponent(), part);
        }
        if (e instanceof Expr.Call c) {
            return contains(c.argument(), part);
        }
        if (e instanceof Expr.Conditional c) {
            return contains(c.test(), part) || contains(c.ifPositive(), part) || contains(c.otherwise(), part);
        }
        return false;
    }
}
