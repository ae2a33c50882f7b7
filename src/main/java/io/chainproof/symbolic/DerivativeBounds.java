package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.ops.Activation;
import io.chainproof.expr.Expr;
import io.chainproof.ops.ElementwiseOp;
import org.matheclipse.core.interfaces.IExpr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Derives γ = sup_z |φ'(z)| of every elementwise activation with Symja, from the same definitions as
 * {@link LocalDerivatives}, and caches it for the life of the JVM. Thread-safe.
 *
 * <p>Procedure for φ' = {@code D[φ, z]}:
 * <ol>
 *   <li>φ' free of z (identity): γ = |φ'|, attained everywhere (argmax reported as 0);</li>
 *   <li>φ' a {@code Piecewise} of constants (relu, leaky_relu): γ = the largest |piece|, attained on its
 *       side (argmax reported as ±1; the kink z = 0 itself is excluded);</li>
 *   <li>otherwise the critical points of φ' — the real roots of φ''(z) = 0 — by, in order: exact
 *       {@code Solve} (tanh: 0; gelu: ±√2); exact {@code Solve} in s = σ(z) ∈ (0, 1) when φ'' is a
 *       polynomial in σ(z), then z = log(s/(1−s)) (sigmoid: s = 1/2, z = 0); {@code FindRoot} from the
 *       starts −4, −3, …, 4, keeping a root only where φ'' changes sign (silu: ±2.39936). The limits of φ'
 *       at ±∞ come from {@code Limit}, or, where Symja answers {@code Indeterminate} (silu), from φ' at
 *       |z| = 40 and 60 agreeing to 1e−12. γ is the largest of |φ'| at the critical points and the |limits|;
 *       it is attained iff a critical value exceeds every limit.</li>
 * </ol>
 *
 * <table>
 *   <caption>Derived bounds</caption>
 *   <tr><th>activation</th><th>γ</th><th>attained at</th></tr>
 *   <tr><td>identity, relu, leaky_relu</td><td>1</td><td>any z (relu, leaky_relu: any z &gt; 0)</td></tr>
 *   <tr><td>sigmoid</td><td>1/4</td><td>0</td></tr>
 *   <tr><td>tanh</td><td>1</td><td>0</td></tr>
 *   <tr><td>softplus</td><td>1</td><td>not attained (limit z → ∞)</td></tr>
 *   <tr><td>silu</td><td>1.0998393…</td><td>2.3993573…</td></tr>
 *   <tr><td>gelu</td><td>1.1289041…</td><td>√2</td></tr>
 * </table>
 */
public final class DerivativeBounds {

    private static final Map<Expr, ActivationBound> BOUNDS = new HashMap<>();
    private static final Duration SOLVE_LIMIT = Duration.ofSeconds(3);
    private static final int[] FIND_ROOT_STARTS = {-4, -3, -2, -1, 0, 1, 2, 3, 4};
    private static final double ROOT_SEPARATION = 1e-9;
    private static final double LIMIT_AGREEMENT = 1e-12;

    private DerivativeBounds() {
    }

    /**
     * γ = sup_z |φ'(z)| of an elementwise activation.
     *
     * @param activation an elementwise activation
     * @return γ, where it is attained, and how it was found
     * @throws ChainproofException for softmax, whose derivative is a Jacobian, not a function of one z
     */
    public static ActivationBound of(Activation activation) {
        if (activation == Activation.SOFTMAX) {
            throw new ChainproofException("Activation <softmax> has no derivative bound γ = sup|φ'(z)|: it is not "
                    + "elementwise, its derivative is the Jacobian of LocalDerivatives.softmax(); bound that instead");
        }
        return of(activation.elementwise());
    }

    /**
     * γ = sup_z |φ'(z)| of an elementwise op, from its definition (cached per definition).
     *
     * @param op an elementwise op
     * @return γ, where it is attained, and how it was found
     * @throws ChainproofException if Symja cannot bound its derivative
     */
    public static synchronized ActivationBound of(ElementwiseOp op) {
        ActivationBound known = BOUNDS.get(op.definition());
        if (known == null) {
            known = DerivedRules.kept().bounds().get(op.definition());
        }
        if (known == null) {
            known = derive(op);
            BOUNDS.put(op.definition(), known);
        }
        return known;
    }

    /** γ of an op's definition by Symja now, not from the kept derivations. */
    static ActivationBound derive(ElementwiseOp op) {
        String activation = op.kind();
        String d1 = "D[" + new SymjaWriter().write(op.definition()) + ",z]";
        IExpr first = evaluate(d1);
        if (evaluate("FreeQ[" + d1 + ",z]").isTrue()) {
            return new ActivationBound(activation, number("N[Abs[" + d1 + "]]"), OptionalDouble.of(0), true,
                    "φ'(z) = " + first + " is constant");
        }
        if (first.isAST("Piecewise")) {
            return piecewise(op, d1, first);
        }
        return smooth(activation, d1);
    }

    private static ActivationBound piecewise(ElementwiseOp op, String d1, IExpr first) {
        String activation = op.kind();
        IExpr pieces = evaluate("{" + d1 + "[[1,1,1]]," + d1 + "[[1,1,2]]," + d1 + "[[2]]}");
        if (!pieces.getAt(1).isNumber() || !pieces.getAt(3).isNumber()) {
            return branchwise(op);
        }
        if (!pieces.getAt(2).toString().equals("z>0")) {
            throw new ChainproofException("φ'(z) = <" + first + "> of activation <" + activation
                    + "> is not split at z > 0; chainproof cannot bound it");
        }
        double positive = Math.abs(pieces.getAt(1).evalf());
        double otherwise = Math.abs(pieces.getAt(3).evalf());
        double gamma = Math.max(positive, otherwise);
        return new ActivationBound(activation, gamma, OptionalDouble.of(positive >= otherwise ? 1 : -1), true,
                "φ'(z) = " + first + " is piecewise constant; γ is its largest |piece|, taken for "
                        + (positive >= otherwise ? "z > 0" : "z < 0"));
    }

    /**
     * γ of a piecewise φ whose pieces of φ' are not constant (elu: e^z for z ≤ 0; softsign: 1/(1 ∓ z)²): each branch
     * of φ ({@link Branches}) is differentiated on its own and its |φ'| bounded on its half-line — at its critical
     * points there, at the branch point z = 0 (which belongs to the branch z ≤ 0) and in the limit at ±∞.
     */
    private static ActivationBound branchwise(ElementwiseOp op) {
        String activation = op.kind();
        Branches b = Branches.of(op.definition())
                .filter(x -> x.test().equals(Expr.sym(ElementwiseOp.ARGUMENT)))
                .orElseThrow(() -> new ChainproofException("φ of activation <" + activation
                        + "> does not branch on the sign of z alone; chainproof cannot bound it"));
        SymjaWriter names = new SymjaWriter();
        double best = Double.NEGATIVE_INFINITY;
        double bestAt = Double.NaN;
        boolean attained = false;
        List<String> notes = new ArrayList<>();
        for (int side : new int[] {1, -1}) {
            String d = "Together[D[" + names.write(side > 0 ? b.positive() : b.otherwise()) + ",z]]";
            String region = side > 0 ? "z > 0" : "z ≤ 0";
            if (evaluate("FreeQ[" + d + ",z]").isTrue()) {
                double v = number("N[Abs[" + d + "]]");
                notes.add("on " + region + " φ' = " + evaluate(d) + " is constant");
                if (v > best) {
                    best = v;
                    bestAt = side;
                    attained = true;
                }
                continue;
            }
            List<String> branchNotes = new ArrayList<>();
            List<Double> inside = new ArrayList<>(criticalPoints("Simplify[D[" + d + ",z]]", branchNotes).stream()
                    .filter(z -> side > 0 ? z > 0 : z <= 0).toList());
            double boundary = number("N[Abs[" + d + "/.z->0]]");
            double far = Math.abs(limit(d, side > 0 ? "Infinity" : "-Infinity", side, branchNotes));
            notes.add("on " + region + " φ' = " + evaluate(d) + ": critical points " + inside + ", |φ'(0)| = " + boundary
                    + ", limit " + far + " (" + String.join("; ", branchNotes) + ")");
            for (double z : inside) {
                double v = number("N[Abs[" + d + "/.z->(" + SymjaWriter.number(z) + ")]]");
                if (v > best) {
                    best = v;
                    bestAt = z;
                    attained = true;
                }
            }
            if (boundary > best || (boundary == best && side < 0 && !attained)) {
                best = boundary;
                bestAt = 0;
                attained = side < 0;
            }
            if (far > best) {
                best = far;
                bestAt = Double.NaN;
                attained = false;
            }
        }
        String how = "φ'(z) taken branch by branch; " + String.join("; ", notes);
        return attained ? new ActivationBound(activation, best, OptionalDouble.of(bestAt), true, "attained at z = "
                + bestAt + "; " + how) : new ActivationBound(activation, best, OptionalDouble.empty(), false,
                "not attained (a limit, or the excluded branch point); " + how);
    }

    private static ActivationBound smooth(String activation, String d1) {
        String d2 = "Simplify[D[" + d1 + ",z]]";
        List<String> notes = new ArrayList<>();
        List<Double> critical = criticalPoints(d2, notes);
        double[] limits = {limit(d1, "Infinity", 1, notes), limit(d1, "-Infinity", -1, notes)};
        double limitMax = Math.max(Math.abs(limits[0]), Math.abs(limits[1]));
        double best = Double.NEGATIVE_INFINITY;
        double bestAt = Double.NaN;
        for (double z : critical) {
            double v = number("N[Abs[" + d1 + "/.z->(" + SymjaWriter.number(z) + ")]]");
            if (v > best) {
                best = v;
                bestAt = z;
            }
        }
        String where = String.format(Locale.ROOT, "critical points of φ' (φ''(z) = 0) %s; limits of φ' at ±∞: %s, %s",
                critical, limits[0], limits[1]) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        if (best > limitMax) {
            return new ActivationBound(activation, best, OptionalDouble.of(bestAt), true,
                    "attained at z = " + bestAt + "; " + where);
        }
        return new ActivationBound(activation, limitMax, OptionalDouble.empty(), false,
                "not attained: the supremum is a limit at ±∞; " + where);
    }

    /** Real roots of φ''(z) = 0, found by the first route that answers; notes name the route. */
    private static List<Double> criticalPoints(String d2, List<String> notes) {
        Optional<IExpr> solved = SymbolicEngine.instance().evaluateWithin("Solve[" + d2 + "==0,z]", SOLVE_LIMIT);
        if (solved.isPresent() && solved.get().isList() && solved.get().argSize() == 0) {
            notes.add("no critical points (Solve finds no root)");
            return List.of();
        }
        if (solved.isPresent() && isSolution(solved.get())) {
            notes.add("critical points by Solve");
            return realValues("z/.Solve[" + d2 + "==0,z]");
        }
        String inSigmoid = "(" + d2 + "/.LogisticSigmoid[z]->cps)";
        if (evaluate("FreeQ[" + inSigmoid + ",z]&&!FreeQ[" + d2 + ",LogisticSigmoid]").isTrue()) {
            notes.add("critical points by Solve in s = σ(z), z = log(s/(1−s))");
            return realValues("Log[#/(1-#)]&/@Select[cps/.Solve[" + inSigmoid + "==0,cps],0<#<1&]");
        }
        notes.add("critical points by FindRoot from " + java.util.Arrays.toString(FIND_ROOT_STARTS)
                + ", kept where φ'' changes sign");
        List<Double> roots = new ArrayList<>();
        for (int start : FIND_ROOT_STARTS) {
            IExpr r = evaluate("z/.FindRoot[" + d2 + ",{z," + start + "}]");
            if (!r.isNumber() || !r.isReal()) {
                continue;
            }
            double z = r.evalf();
            double h = 1e-6 * Math.max(1, Math.abs(z));
            double left = number("N[" + d2 + "/.z->(" + SymjaWriter.number(z - h) + ")]");
            double right = number("N[" + d2 + "/.z->(" + SymjaWriter.number(z + h) + ")]");
            boolean signChange = Math.signum(left) * Math.signum(right) < 0;
            if (signChange && roots.stream().noneMatch(x -> Math.abs(x - z) < ROOT_SEPARATION * Math.max(1, Math.abs(z)))) {
                roots.add(z);
            }
        }
        return roots;
    }

    private static boolean isSolution(IExpr solved) {
        if (!solved.isList()) {
            return false;
        }
        for (int i = 1; i <= solved.argSize(); i++) {
            if (!solved.getAt(i).isList() || solved.getAt(i).argSize() != 1) {
                return false;
            }
        }
        return true;
    }

    private static List<Double> realValues(String input) {
        IExpr list = evaluate("Select[N[" + input + "],Im[#]==0&]");
        List<Double> values = new ArrayList<>();
        for (int i = 1; list.isList() && i <= list.argSize(); i++) {
            if (list.getAt(i).isReal()) {
                values.add(list.getAt(i).evalf());
            }
        }
        return values;
    }

    /** lim φ'(z) as z → ±∞ by Symja's Limit, else by agreement of φ' at ±40 and ±60. */
    private static double limit(String d1, String infinity, int sign, List<String> notes) {
        IExpr l;
        try {
            l = evaluate("Limit[" + d1 + ",z->" + infinity + "]");
        } catch (ChainproofException symjaFailed) {
            l = null;
        }
        if (l != null && l.isNumber() && l.isReal()) {
            return l.evalf();
        }
        double near = number("N[" + d1 + "/.z->" + (40 * sign) + "]");
        double far = number("N[" + d1 + "/.z->" + (60 * sign) + "]");
        if (Math.abs(near - far) > LIMIT_AGREEMENT) {
            throw new ChainproofException("Limit of φ'(z) = " + d1 + " as z → " + infinity + " is unknown: Symja's "
                    + "Limit gave <" + l + "> and φ' differs at z = " + 40 * sign + " and " + 60 * sign + " by "
                    + Math.abs(near - far) + " > " + LIMIT_AGREEMENT);
        }
        notes.add("limit at " + infinity + " numerically (Limit gave " + l + "; φ'(±40) and φ'(±60) agree to "
                + LIMIT_AGREEMENT + ")");
        return far;
    }

    private static IExpr evaluate(String input) {
        return SymbolicEngine.instance().evaluate(input);
    }

    private static double number(String input) {
        IExpr r = evaluate(input);
        if (!r.isNumber() || !r.isReal()) {
            throw new ChainproofException("Symja returned <" + r + "> for <" + SymbolicEngine.abbreviate(input)
                    + ">; expected a real number");
        }
        return r.evalf();
    }
}
