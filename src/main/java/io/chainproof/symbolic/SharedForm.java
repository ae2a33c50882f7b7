package io.chainproof.symbolic;

import io.chainproof.expr.Expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A closed form written the way its DAG is built: with its shared parts named, {@code let}-style, so it stays
 * as long as the network is large instead of growing with every path through it. The lecture chain's
 * ∂L/∂w₁ reads {@code 2·σ'(z₃)·w₃·σ'(z₂)·w₂·σ'(z₁)·x₁·(σ(z₃) − y₁)} where {@code z₁ = w₁·x₁ + b₁},
 * {@code z₂ = w₂·σ(z₁) + b₂}, {@code z₃ = w₃·σ(z₂) + b₃}.
 *
 * <p>Named are: every pre-activation z (the lecture's names), and any other part written out at least twice
 * with at least {@value #SHARED_LEAVES} leaves — by its network name where it is one (o, ∂L/∂o, ∂L/∂z), else
 * u₁, u₂, …. Equal subtrees count as one part however they were built (hash-consing: a node is its kind,
 * its number, symbol or function, and its children's identities), so a softmax's denominator, rebuilt for
 * every output, is named once. With several samples a name carries its sample, z₁⁽ˢ¹⁾. Substituting the
 * bindings back, last first, gives the closed form exactly.
 *
 * @param body     the closed form over parameters, data and the bindings' symbols
 * @param bindings each named part's definition over parameters, data and earlier bindings, in order
 * @param text     the display name of each binding symbol, in Unicode text
 * @param latex    the display name of each binding symbol, in LaTeX
 */
public record SharedForm(Expr body, List<Binding> bindings, Map<String, String> text, Map<String, String> latex) {

    /** A part written out at least twice is named from this many leaves on (σ(z₁) alone is one leaf). */
    static final int SHARED_LEAVES = 3;

    /**
     * One named part.
     *
     * @param symbol     the symbol standing for it in the body and in later bindings
     * @param definition its expression
     */
    public record Binding(String symbol, Expr definition) {

        /**
         * Validates the components.
         *
         * @param symbol the symbol standing for it in the body and in later bindings
         * @param definition its expression
         */
        public Binding {
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(definition, "definition");
        }
    }

    /**
     * Validates and copies the components.
     *
     * @param body the closed form over parameters, data and the bindings' symbols
     * @param bindings each named part's definition, in order
     * @param text the display name of each binding symbol, in Unicode text
     * @param latex the display name of each binding symbol, in LaTeX
     */
    public SharedForm {
        Objects.requireNonNull(body, "body");
        bindings = List.copyOf(bindings);
        text = Map.copyOf(text);
        latex = Map.copyOf(latex);
    }

    /**
     * Display names: the bindings' own, others from {@code fallback}.
     *
     * @param fallback names of parameter and data symbols
     * @return the text name of any symbol of the body or a binding
     */
    public Function<String, String> textNames(Function<String, String> fallback) {
        return symbol -> text.containsKey(symbol) ? text.get(symbol) : fallback.apply(symbol);
    }

    /**
     * Display names in LaTeX: the bindings' own, others from {@code fallback}.
     *
     * @param fallback names of parameter and data symbols
     * @return the LaTeX name of any symbol of the body or a binding
     */
    public Function<String, String> latexNames(Function<String, String> fallback) {
        return symbol -> latex.containsKey(symbol) ? latex.get(symbol) : fallback.apply(symbol);
    }

    /**
     * The leaves (numbers and symbols) of {@code e} written out as a tree, shared parts once per occurrence;
     * linear in the DAG.
     *
     * @param e an expression
     * @return its written-out leaf count, saturating at {@link Long#MAX_VALUE}
     */
    public static long leaves(Expr e) {
        return ExprAlgebra.leafCount(e);
    }

    /**
     * Names the shared parts of {@code closed}.
     *
     * @param closed     a closed form built by substitution (shared subexpressions are shared objects)
     * @param candidates network names of parts that may occur: the expression object → its symbol
     * @param preActivations the candidate symbols that are pre-activations z (always named)
     * @param display    the text and LaTeX name of a candidate symbol
     */
    static SharedForm of(Expr closed, IdentityHashMap<Expr, String> candidates,
                         java.util.Set<String> preActivations,
                         Function<String, String[]> display) {
        // hash-consing: equal subtrees, however they were built, become one node (ids in post-order)
        List<Expr> order = postOrder(closed);
        IdentityHashMap<Expr, Integer> id = new IdentityHashMap<>();
        Map<Key, Integer> interned = new java.util.HashMap<>();
        List<Expr> nodes = new ArrayList<>();
        List<int[]> childIds = new ArrayList<>();
        List<String> networkName = new ArrayList<>();
        for (Expr e : order) {
            List<Expr> children = Expr.children(e);
            int[] ids = new int[children.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = id.get(children.get(i));
            }
            Key key = new Key(e, ids);
            Integer known = interned.get(key);
            if (known == null) {
                known = nodes.size();
                interned.put(key, known);
                nodes.add(e);
                childIds.add(ids);
                networkName.add(null);
            }
            id.put(e, known);
            String candidate = candidates.get(e);
            if (candidate != null && networkName.get(known) == null) {
                networkName.set(known, candidate);
            }
        }
        int n = nodes.size();
        int root = id.get(closed);
        long[] occurrences = new long[n];
        occurrences[root] = 1;
        for (int i = n - 1; i >= 0; i--) {
            for (int child : childIds.get(i)) {
                long sum = occurrences[child] + occurrences[i];
                occurrences[child] = sum < 0 ? Long.MAX_VALUE : sum;
            }
        }
        long[] leaves = new long[n];
        String[] named = new String[n];
        Map<String, String> text = new java.util.HashMap<>();
        Map<String, String> latex = new java.util.HashMap<>();
        List<Integer> namedOrder = new ArrayList<>();
        int generic = 0;
        for (int i = 0; i < n; i++) {
            int[] children = childIds.get(i);
            long size = children.length == 0 ? 1 : 0;
            for (int child : children) {
                size += named[child] != null ? 1 : leaves[child];
            }
            leaves[i] = size;
            if (i == root || children.length == 0 || occurrences[i] == 0) {
                continue;
            }
            String candidate = networkName.get(i);
            if (candidate != null && preActivations.contains(candidate)
                    || occurrences[i] >= 2 && size >= SHARED_LEAVES) {
                String symbol;
                if (candidate != null) {
                    symbol = candidate;
                    String[] shown = display.apply(candidate);
                    text.put(symbol, shown[0]);
                    latex.put(symbol, shown[1]);
                } else {
                    generic++;
                    symbol = "u#" + generic;
                    text.put(symbol, "u" + io.chainproof.graph.Notation.subscript(generic));
                    latex.put(symbol, "u_{" + generic + "}");
                }
                named[i] = symbol;
                namedOrder.add(i);
            }
        }
        Expr[] rebuilt = new Expr[n];
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rebuilt[i] = rebuild(nodes.get(i), childIds.get(i), named, rebuilt);
            if (named[i] != null) {
                bindings.add(new Binding(named[i], rebuilt[i]));
            }
        }
        return new SharedForm(rebuilt[root], bindings, text, latex);
    }

    /** A node's identity up to its children: its kind, its own datum (number, symbol, function) and child ids. */
    private record Key(Class<?> kind, Object datum, List<Integer> children) {
        Key(Expr e, int[] ids) {
            this(e.getClass(), e instanceof Expr.Num num ? (Object) Double.doubleToLongBits(num.value())
                    : e instanceof Expr.Sym sym ? sym.name() : e instanceof Expr.Call call ? call.fn() : null,
                    java.util.Arrays.stream(ids).boxed().toList());
        }
    }

    /** Node {@code e} over its children's rebuilt forms, a named child by its symbol. */
    private static Expr rebuild(Expr e, int[] children, String[] named, Expr[] rebuilt) {
        if (children.length == 0) {
            return e;
        }
        List<Expr> parts = new ArrayList<>(children.length);
        for (int child : children) {
            parts.add(named[child] != null ? Expr.sym(named[child]) : rebuilt[child]);
        }
        if (e instanceof Expr.Sum) {
            return new Expr.Sum(parts);
        }
        if (e instanceof Expr.Product) {
            return new Expr.Product(parts);
        }
        if (e instanceof Expr.Power) {
            return new Expr.Power(parts.get(0), parts.get(1));
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.fn(), parts.get(0));
        }
        return new Expr.Conditional(parts.get(0), parts.get(1), parts.get(2));
    }

    /** The distinct nodes of {@code root}, children before parents (iterative: deep DAGs do not overflow). */
    private static List<Expr> postOrder(Expr root) {
        List<Expr> order = new ArrayList<>();
        IdentityHashMap<Expr, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Expr e = (Expr) top[0];
            int next = (int) top[1];
            List<Expr> children = Expr.children(e);
            if (next < children.size()) {
                top[1] = next + 1;
                Expr child = children.get(next);
                if (seen.put(child, true) == null) {
                    stack.push(new Object[] {child, 0});
                }
            } else {
                stack.pop();
                order.add(e);
            }
        }
        return order;
    }
}
