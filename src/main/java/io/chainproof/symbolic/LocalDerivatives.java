package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.ops.Activations;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import org.matheclipse.core.interfaces.IExpr;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The local derivatives every chain-rule derivation is assembled from, derived by Symja once per
 * activation, loss and the affine map and then cached for the life of the JVM: a 12-layer network costs
 * no more Symja work than a 1-layer one, and a second request for the same kind reaches no Symja at all.
 * Symja's derivations of these fixed definitions are also kept as a resource ({@link DerivedRules}, checked against
 * Symja by the tests), so a run that needs nothing else does not start Symja. Thread-safe.
 *
 * <table>
 *   <caption>Definitions given to Symja ({@code D[definition, z]} resp. {@code D[term, a]}); an activation's is written
 *            from its op's forward rule</caption>
 *   <tr><th>kind</th><th>definition</th></tr>
 *   <tr><td>identity</td><td>{@code z}</td></tr>
 *   <tr><td>sigmoid</td><td>{@code LogisticSigmoid[z]}</td></tr>
 *   <tr><td>tanh</td><td>{@code Tanh[z]}</td></tr>
 *   <tr><td>relu</td><td>{@code Piecewise[{{z, z>0}}, 0]}</td></tr>
 *   <tr><td>leaky_relu</td><td>{@code Piecewise[{{z, z>0}}, z/100]}</td></tr>
 *   <tr><td>softplus</td><td>{@code Log[1+E^z]}</td></tr>
 *   <tr><td>silu</td><td>{@code z*LogisticSigmoid[z]}</td></tr>
 *   <tr><td>gelu</td><td>{@code z/2*(1+Erf[z/Sqrt[2]])}</td></tr>
 *   <tr><td>mse, sse</td><td>{@code (a-y)^2}, mean resp. sum over outputs</td></tr>
 *   <tr><td>half_sse</td><td>{@code (a-y)^2/2}, sum</td></tr>
 *   <tr><td>bce</td><td>{@code -(y*Log[a]+(1-y)*Log[1-a])}, mean</td></tr>
 *   <tr><td>cross_entropy</td><td>{@code -y*Log[a]}, sum</td></tr>
 * </table>
 */
public final class LocalDerivatives {

    private static final Map<Activation, ActivationDerivative> ACTIVATIONS = new EnumMap<>(Activation.class);
    private static final Map<Loss, LossDerivative> LOSSES = new EnumMap<>(Loss.class);
    private static SoftmaxDerivative softmax;
    private static AffineDerivative affine;

    private static final Map<String, String> SOFTMAX_NAMES = Map.of(SoftmaxDerivative.OUTPUT_I, "oᵢ",
            SoftmaxDerivative.OUTPUT_J, "oⱼ");
    private static final Map<String, String> SOFTMAX_LATEX = Map.of(SoftmaxDerivative.OUTPUT_I, "o_i",
            SoftmaxDerivative.OUTPUT_J, "o_j");

    private LocalDerivatives() {
    }

    /**
     * φ and φ' of an elementwise activation.
     *
     * @param activation an elementwise activation
     * @return φ and φ', derived by Symja; the same instance on every call
     * @throws ChainproofException for softmax, which is not elementwise (use {@link #softmax()})
     */
    public static synchronized ActivationDerivative activation(Activation activation) {
        ActivationDerivative known = ACTIVATIONS.get(activation);
        if (known == null) {
            known = DerivedRules.kept().activations().get(activation);
        }
        if (known == null) {
            known = deriveActivation(activation);
            ACTIVATIONS.put(activation, known);
        }
        return known;
    }

    /**
     * The softmax Jacobian in output form, proved by Symja.
     *
     * @return the diagonal and off-diagonal entries; the same instance on every call
     */
    public static synchronized SoftmaxDerivative softmax() {
        if (softmax == null) {
            softmax = DerivedRules.kept().softmax().orElseGet(LocalDerivatives::deriveSoftmax);
        }
        return softmax;
    }

    /**
     * ℓ and ∂ℓ/∂a of a loss.
     *
     * @param loss the loss
     * @return ℓ and ∂ℓ/∂a, derived by Symja; the same instance on every call
     */
    public static synchronized LossDerivative loss(Loss loss) {
        LossDerivative known = LOSSES.get(loss);
        if (known == null) {
            known = DerivedRules.kept().losses().get(loss);
        }
        if (known == null) {
            known = deriveLoss(loss);
            LOSSES.put(loss, known);
        }
        return known;
    }

    /**
     * ∂z/∂w, ∂z/∂b, ∂z/∂o of {@code z = w·o + b}.
     *
     * @return the three derivatives; the same instance on every call
     */
    public static synchronized AffineDerivative affine() {
        if (affine == null) {
            affine = DerivedRules.kept().affine().orElseGet(LocalDerivatives::deriveAffine);
        }
        return affine;
    }

    /** The affine map's partials, by Symja now. */
    static AffineDerivative deriveAffine() {
        IExpr[] r = evaluateList("{D[w*o+b,w],D[w*o+b,b],D[w*o+b,o]}", 3);
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        return new AffineDerivative(reader.read(r[0]), reader.read(r[1]), reader.read(r[2]));
    }

    /**
     * φ of an elementwise activation as Symja input, written from its op's forward rule
     * ({@link io.chainproof.ops.ElementwiseOp#definition()}): the one definition every stage uses.
     */
    static String definition(Activation activation) {
        if (activation == Activation.SOFTMAX) {
            throw new ChainproofException("Activation <softmax> is not elementwise: it has no single "
                    + "derivative φ'(z); use LocalDerivatives.softmax() for its Jacobian");
        }
        return new SymjaWriter().write(Activations.elementwise(activation).definition());
    }

    /** φ and φ' by Symja now, not from the kept derivations. */
    static ActivationDerivative deriveActivation(Activation activation) {
        String definition = definition(activation);
        Expr phi = Activations.elementwise(activation).definition();
        Optional<Branches> branches = Branches.of(phi);
        if (branches.isPresent()) {
            return derivePiecewise(activation, phi, branches.get());
        }
        IExpr[] r = evaluateList("{" + definition + ",D[" + definition + ",z]}", 2);
        SymjaWriter names = new SymjaWriter();
        SymjaReader lowered = new SymjaReader(names, SymjaReader.Mode.LOWERED);
        SymjaReader literal = new SymjaReader(names, SymjaReader.Mode.LITERAL);
        Expr literalDerivative = literal.read(r[1]);
        return new ActivationDerivative(activation, lowered.read(r[0]), lowered.read(r[1]),
                MathNotation.text(literalDerivative), MathNotation.latex(literalDerivative),
                MathNotation.text(literal.read(r[0])));
    }

    /**
     * φ and φ' of a piecewise activation, φ' branch by branch ({@link Branches}): each branch differentiated and
     * brought over a common denominator, so that no branch's derivative cancels.
     */
    private static ActivationDerivative derivePiecewise(Activation activation, Expr phi, Branches b) {
        SymjaWriter names = new SymjaWriter();
        String value = names.write(phi);
        String positive = "Together[D[" + names.write(b.positive()) + ",z]]";
        String otherwise = "Together[D[" + names.write(b.otherwise()) + ",z]]";
        IExpr[] r = evaluateList("{" + value + "," + positive + "," + otherwise + "}", 3);
        SymjaReader lowered = new SymjaReader(names, SymjaReader.Mode.LOWERED);
        SymjaReader literal = new SymjaReader(names, SymjaReader.Mode.LITERAL);
        Expr literalDerivative = new Expr.Conditional(b.test(), literal.read(r[1]), literal.read(r[2]));
        return new ActivationDerivative(activation, lowered.read(r[0]),
                new Expr.Conditional(b.test(), lowered.read(r[1]), lowered.read(r[2])),
                MathNotation.text(literalDerivative), MathNotation.latex(literalDerivative),
                MathNotation.text(literal.read(r[0])));
    }

    /** The softmax Jacobian, proved by Symja now. */
    static SoftmaxDerivative deriveSoftmax() {
        String oi = "(E^zi/(E^zi+E^zj+r))";
        String oj = "(E^zj/(E^zi+E^zj+r))";
        String diagonal = "oi*(1-oi)";
        String offDiagonal = "-oi*oj";
        String outputs = "{oi->" + oi + ",oj->" + oj + "}";
        String proof = "{" + diagonal + "," + offDiagonal
                + ",Together[D[" + oi + ",zi]-(" + diagonal + "/." + outputs + ")]"
                + ",Together[D[" + oi + ",zj]-(" + offDiagonal + "/." + outputs + ")]"
                + ",PossibleZeroQ[D[" + oi + ",zi]-(" + diagonal + "/." + outputs + ")]"
                + ",PossibleZeroQ[D[" + oi + ",zj]-(" + offDiagonal + "/." + outputs + ")]}";
        IExpr[] r = evaluateList(proof, 6);
        boolean proved = SymbolicEngine.isExactZero(r[2]) && SymbolicEngine.isExactZero(r[3])
                && r[4].isTrue() && r[5].isTrue();
        if (!proved) {
            throw new ChainproofException("Symja did not prove the softmax Jacobian: D[o_i, z_i] − o_i(1 − o_i) = <"
                    + r[2] + ">, D[o_i, z_j] + o_i·o_j = <" + r[3] + ">; both must be 0 — this is a bug in chainproof "
                    + "or in Symja, please report it");
        }
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LOWERED);
        Expr d = reader.read(r[0]);
        Expr off = reader.read(r[1]);
        Function<String, String> text = n -> SOFTMAX_NAMES.getOrDefault(n, n);
        Function<String, String> latex = n -> SOFTMAX_LATEX.getOrDefault(n, n);
        return new SoftmaxDerivative(d, off,
                "∂oᵢ/∂zᵢ = " + MathNotation.text(d, text) + ",  ∂oᵢ/∂zⱼ = " + MathNotation.text(off, text) + " (j ≠ i)",
                "\\frac{\\partial o_i}{\\partial z_i} = " + MathNotation.latex(d, latex)
                        + ", \\quad \\frac{\\partial o_i}{\\partial z_j} = " + MathNotation.latex(off, latex)
                        + " \\quad (j \\neq i)",
                true);
    }

    /** A loss term and its derivative by Symja now. */
    static LossDerivative deriveLoss(Loss loss) {
        String term = switch (loss) {
            case MSE, SSE -> "(a-y)^2";
            case HALF_SSE -> "(a-y)^2/2";
            case BCE -> "-(y*Log[a]+(1-y)*Log[1-a])";
            case CROSS_ENTROPY -> "-y*Log[a]";
        };
        LossDerivative.Reduction reduction = loss == Loss.MSE || loss == Loss.BCE
                ? LossDerivative.Reduction.MEAN : LossDerivative.Reduction.SUM;
        IExpr[] r = evaluateList("{" + term + ",D[" + term + ",a]}", 2);
        SymjaReader reader = new SymjaReader(new SymjaWriter(), SymjaReader.Mode.LITERAL);
        Expr literalTerm = reader.read(r[0]);
        Expr literalDerivative = reader.read(r[1]);
        return new LossDerivative(loss, LossDerivative.lower(literalTerm), LossDerivative.lower(literalDerivative),
                reduction, MathNotation.text(literalTerm), MathNotation.text(literalDerivative),
                MathNotation.latex(literalDerivative));
    }

    private static IExpr[] evaluateList(String input, int size) {
        IExpr result = SymbolicEngine.instance().evaluate(input);
        if (!result.isList() || result.argSize() != size) {
            throw new ChainproofException("Symja returned <" + SymbolicEngine.abbreviate(result.toString()) + "> for <"
                    + SymbolicEngine.abbreviate(input) + ">; expected a list of " + size + " results");
        }
        IExpr[] parts = new IExpr[size];
        for (int i = 0; i < size; i++) {
            parts[i] = result.getAt(i + 1);
        }
        return parts;
    }
}
