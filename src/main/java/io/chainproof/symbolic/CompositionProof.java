package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The proof that scales: the chain rule's closed form of ∂L/∂θ equals D[L, θ] computed a second, independent
 * way — by <em>forward</em> accumulation through the network — with both built from the same op rules, each
 * of which Symja derived once from the op's definition ({@link DerivedRules}, re-derived by its test).
 *
 * <p>The two sides compose the rules in opposite orders: the derivation multiplies backward quantities from
 * the loss down (∂L/∂o_l = Σ ∂L/∂o_{l+1}·φ'·w, the fused softmax/cross-entropy and sigmoid/bce rules, the
 * lecture's unrolled chain), while forward accumulation carries ∂(node)/∂θ from θ up (∂z = Σ (∂w·o + w·∂o) + ∂b,
 * ∂o = φ'(z)·∂z, the softmax Jacobian, ∂ℓ/∂a), differentiating the loss exactly as it is written. A wrong
 * index, a missing path, a wrong factor or a wrong fused rule makes them different rational functions.
 *
 * <p>They are compared by exact evaluation in GF(2⁶¹ − 1) at random points ({@link FieldEvaluator}: every
 * function value opaque, a random function of its argument). Both sides are DAGs with shared parts, so the
 * cost is linear in the network, not in the written-out expression. If c ≠ D as rational functions, one
 * point reveals it except with probability at most (deg N + K²·(W + 1))/p (Schwartz–Zippel, plus a union
 * bound over the K opaque values' arguments of degree ≤ W colliding); {@value #POINTS} independent points
 * multiply that bound, which the proof prints. When the sides differ at a point the proof is not claimed
 * (a constant rounded differently by the two constructions can do that), and Symja decides instead.
 */
final class CompositionProof {

    /** Independent random points; each must agree. */
    static final int POINTS = 3;

    private final NetworkModel model;
    private final List<Integer> samples;
    private final long seed;

    CompositionProof(NetworkModel model, List<Integer> samples, long seed) {
        this.model = model;
        this.samples = List.copyOf(samples);
        this.seed = seed;
    }

    /** D[L, θ] by forward accumulation, in parameter and data symbols (the data of sample s as in ClosedForm). */
    Expr forwardDerivative(ParameterId theta) {
        String thetaSymbol = theta.symbol();
        List<Expr> perSample = new ArrayList<>();
        for (int s : samples) {
            Map<String, Expr> values = new HashMap<>();
            Map<String, Expr> ders = new HashMap<>();
            ders.put(thetaSymbol, ExprAlgebra.ONE);
            for (int k = 0; k < model.spec.inputs(); k++) {
                values.put(io.chainproof.graph.Node.input(k).symbol(), Expr.sym(ClosedForm.input(k, s)));
            }
            for (int l = 1; l <= model.layers; l++) {
                for (int j = 0; j < model.units(l); j++) {
                    Expr definition = model.preActivationDefinition(l, j);
                    String z = name(NetworkModel.z(l, j));
                    ders.put(z, ringDerivative(definition, values, ders));
                    values.put(z, ExprAlgebra.substitute(definition, values));
                }
                Activation a = model.activation(l);
                if (a == Activation.SOFTMAX) {
                    for (int k = 0; k < model.units(l); k++) {
                        values.put(name(NetworkModel.o(l, k)), ExprAlgebra.substitute(model.activationDefinition(l, k), values));
                    }
                    SoftmaxDerivative softmax = LocalDerivatives.softmax();
                    for (int k = 0; k < model.units(l); k++) {
                        List<Expr> terms = new ArrayList<>();
                        for (int i = 0; i < model.units(l); i++) {
                            Expr jacobian = ExprAlgebra.substitute(softmax.jacobianAt(k == i, NetworkModel.o(l, k),
                                    NetworkModel.o(l, i)), values);
                            terms.add(product(jacobian, ders.get(name(NetworkModel.z(l, i)))));
                        }
                        ders.put(name(NetworkModel.o(l, k)), sum(terms));
                    }
                } else {
                    ActivationDerivative rule = LocalDerivatives.activation(a);
                    for (int j = 0; j < model.units(l); j++) {
                        String z = name(NetworkModel.z(l, j));
                        String o = name(NetworkModel.o(l, j));
                        values.put(o, ExprAlgebra.substitute(model.activationDefinition(l, j), values));
                        ders.put(o, product(ExprAlgebra.substitute(rule.derivativeAt(NetworkModel.z(l, j)), values),
                                ders.get(z)));
                    }
                }
            }
            LossDerivative loss = LocalDerivatives.loss(model.spec.loss());
            int outputs = model.units(model.layers);
            List<Expr> terms = new ArrayList<>();
            for (int j = 0; j < outputs; j++) {
                Expr dlda = ExprAlgebra.substitute(loss.plainDerivative(), Map.of(LossDerivative.OUTPUT,
                        values.get(name(NetworkModel.o(model.layers, j))), LossDerivative.TARGET,
                        Expr.sym(ClosedForm.target(j, s))));
                terms.add(product(dlda, ders.get(name(NetworkModel.o(model.layers, j)))));
            }
            perSample.add(product(Expr.num(loss.reduction().factor(outputs)), sum(terms)));
        }
        return product(Expr.num(1.0 / samples.size()), sum(perSample));
    }

    /**
     * c ≡ D[L, θ] (the proof carries D[L, θ] by forward accumulation as its direct form), or empty when a point tells them apart or no point gives defined values.
     *
     * @param theta  θ
     * @param closed the chain rule's closed form of ∂L/∂θ
     */
    Optional<AgreementProof> prove(ParameterId theta, Expr closed) {
        Expr direct = forwardDerivative(theta);
        FieldEvaluator.Degrees degrees = new FieldEvaluator.Degrees();
        FieldEvaluator.Degrees.Degree c = degrees.of(closed);
        FieldEvaluator.Degrees.Degree d = degrees.of(direct);
        double numerator = Math.max((double) c.numerator() + d.denominator(), (double) d.numerator() + c.denominator());
        double k = degrees.opaqueValues();
        double perPoint = (numerator + k * k * (degrees.widestArgument() + 1.0)) / PrimeField.P;
        if (!(perPoint < 1e-6)) {
            return Optional.empty();
        }
        SplittableRandom random = new SplittableRandom(seed);
        int agreed = 0;
        for (int attempt = 0; attempt < 4 * POINTS && agreed < POINTS; attempt++) {
            Map<String, Long> point = new HashMap<>();
            long functions = random.nextLong();
            java.util.function.ToLongFunction<String> values = name -> point.computeIfAbsent(name,
                    n -> random.nextLong(PrimeField.P));
            try {
                long left = new FieldEvaluator(functions, values).value(closed);
                long right = new FieldEvaluator(functions, values).value(direct);
                if (left != right) {
                    return Optional.empty();
                }
                agreed++;
            } catch (FieldEvaluator.Undefined | ArithmeticException e) {
                // a denominator vanished at this point (probability ≤ its degree / p): draw another
            }
        }
        if (agreed < POINTS) {
            return Optional.empty();
        }
        double log10 = POINTS * Math.log10(perPoint);
        AgreementOutcome.Proved proved = new AgreementOutcome.Proved(METHOD + "; error probability < 1e−"
                + -(int) Math.ceil(log10), AgreementOutcome.Proved.COMPOSITION);
        return Optional.of(new AgreementProof(theta, proved, Optional.of(closed), Optional.of(direct)));
    }

    /** How the proof is described, before its error bound. */
    static final String METHOD = "the chain rule and the forward accumulation of Symja's local rules are identical at "
            + POINTS + " random points of GF(2⁶¹ − 1), in exact arithmetic";

    /** d(e) for an expression of sums, products and integer powers, with the derivatives of its symbols given. */
    private static Expr ringDerivative(Expr e, Map<String, Expr> values, Map<String, Expr> ders) {
        if (e instanceof Expr.Num) {
            return ExprAlgebra.ZERO;
        }
        if (e instanceof Expr.Sym s) {
            return ders.getOrDefault(s.name(), ExprAlgebra.ZERO);
        }
        if (e instanceof Expr.Sum s) {
            List<Expr> terms = new ArrayList<>();
            for (Expr t : s.terms()) {
                terms.add(ringDerivative(t, values, ders));
            }
            return sum(terms);
        }
        if (e instanceof Expr.Product p) {
            List<Expr> terms = new ArrayList<>();
            for (int i = 0; i < p.factors().size(); i++) {
                List<Expr> factors = new ArrayList<>();
                factors.add(ringDerivative(p.factors().get(i), values, ders));
                for (int k = 0; k < p.factors().size(); k++) {
                    if (k != i) {
                        factors.add(ExprAlgebra.substitute(p.factors().get(k), values));
                    }
                }
                terms.add(product(factors.toArray(Expr[]::new)));
            }
            return sum(terms);
        }
        if (e instanceof Expr.Power p && p.exponent() instanceof Expr.Num n && n.value() == Math.rint(n.value())) {
            return product(Expr.num(n.value()), new Expr.Power(ExprAlgebra.substitute(p.base(), values),
                    Expr.num(n.value() - 1)), ringDerivative(p.base(), values, ders));
        }
        throw new FieldEvaluator.Undefined("<" + MathNotation.text(e) + "> is not a sum, product or integer power");
    }

    /** A product without constant folding (so no constant is rounded), 0 if a factor is the literal 0. */
    private static Expr product(Expr... factors) {
        List<Expr> kept = new ArrayList<>();
        for (Expr f : factors) {
            if (f == ExprAlgebra.ZERO || f.equals(ExprAlgebra.ZERO)) {
                return ExprAlgebra.ZERO;
            }
            if (!f.equals(ExprAlgebra.ONE)) {
                kept.add(f);
            }
        }
        return kept.isEmpty() ? ExprAlgebra.ONE : kept.size() == 1 ? kept.get(0) : new Expr.Product(kept);
    }

    /** A sum without constant folding, the literal zeros dropped. */
    private static Expr sum(List<Expr> terms) {
        List<Expr> kept = new ArrayList<>();
        for (Expr t : terms) {
            if (!(t instanceof Expr.Num n && n.value() == 0)) {
                kept.add(t);
            }
        }
        return kept.isEmpty() ? ExprAlgebra.ZERO : kept.size() == 1 ? kept.get(0) : new Expr.Sum(kept);
    }

    private static String name(Expr symbol) {
        return ((Expr.Sym) symbol).name();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CompositionProof[%s]", model.spec.name());
    }
}
