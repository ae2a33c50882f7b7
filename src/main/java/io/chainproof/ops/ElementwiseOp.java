package io.chainproof.ops;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.number.DualNumber;
import io.chainproof.number.Real;
import io.chainproof.number.RealEvaluator;
import io.chainproof.number.RealField;
import io.chainproof.number.SymbolicNumber;

import java.util.List;

/**
 * An activation applied entry by entry, {@code o_j = φ(z_j)}: a subclass writes φ once, over {@link Real}; its
 * derivative φ' is derived by Symja from that definition ({@link #definition()}) and the backward rule is
 * {@code ḡ_z = ḡ_o ⊙ φ'(z)}. Piecewise activations (a branch in φ) have kinks where the branch's test is 0.
 */
public abstract class ElementwiseOp implements Op {

    /** The symbol φ is defined over. */
    public static final String ARGUMENT = "z";

    private final int size;
    private volatile Expr definition;

    /**
     * @param size the number of entries; ≥ 1
     */
    protected ElementwiseOp(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Size <" + size + "> of an elementwise op must be at least 1");
        }
        this.size = size;
    }

    /**
     * φ, written once.
     *
     * @param z   the argument
     * @param <T> the number type
     * @return φ(z)
     */
    public abstract <T extends Real<T>> T apply(T z);

    /**
     * φ as an expression over the symbol {@value #ARGUMENT}: what Symja differentiates.
     *
     * @return φ(z)
     */
    public final Expr definition() {
        Expr d = definition;
        if (d == null) {
            d = apply(SymbolicNumber.symbol(ARGUMENT)).expr();
            definition = d;
        }
        return d;
    }

    /**
     * The tests of φ's branches, as expressions over {@value #ARGUMENT}: φ has a kink where one of them is 0
     * (relu and leaky_relu branch on z itself). Empty for a smooth φ.
     *
     * @return the branch tests, outermost first
     */
    public final List<Expr> branchTests() {
        return Expr.tests(definition());
    }

    /**
     * Whether φ has a kink: a branch where its one-sided derivatives differ (relu: 1 and 0), so that a derivative
     * there is not defined and every oracle is one-sided. Found by forward-mode dual numbers just either side of
     * the branch point 0; elu and softsign branch at 0 with slope 1 on both sides, which is no kink. A branch on
     * another test than z itself counts as a kink.
     *
     * @return whether φ has a kink
     */
    public final boolean kinked() {
        List<Expr> tests = branchTests();
        if (tests.isEmpty()) {
            return false;
        }
        if (!tests.stream().allMatch(t -> t.equals(Expr.sym(ARGUMENT)))) {
            return true;
        }
        double right = apply(DualNumber.seed(Double.MIN_NORMAL, 1)).tangent();
        double left = apply(DualNumber.seed(-Double.MIN_NORMAL, 1)).tangent();
        return !(Math.abs(right - left) <= 1e-12 * Math.max(Math.abs(right), Math.abs(left)));
    }

    @Override
    public final int outputSize() {
        return size;
    }

    @Override
    public final <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] z = inputs.get(0);
        T[] o = field.array(size);
        for (int j = 0; j < size; j++) {
            o[j] = apply(z[j]);
        }
        return o;
    }

    @Override
    public final <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                                   T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
        T[] gz = inputGradients.get(0);
        if (gz == null) {
            return;
        }
        Expr derivative = rules.derivative(definition(), ARGUMENT);
        T[] z = inputs.get(0);
        for (int j = 0; j < size; j++) {
            T zj = z[j];
            gz[j] = gz[j].add(outputGradient[j].multiply(RealEvaluator.evaluate(derivative, field, name -> zj)));
        }
    }

    /**
     * The diagonal Jacobian diag(φ'(z)): certified γ = sup|φ'| (derived by Symja from φ), and max_j |φ'(z_j)| here.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        Expr derivative = rules.derivative(definition(), ARGUMENT);
        double here = 0;
        for (double z : inputs.get(0)) {
            here = Math.max(here, Math.abs(ExprEvaluator.evaluate(derivative, name -> z)));
        }
        return java.util.Optional.of(new JacobianBound(Math.max(rules.derivativeBound(this), here), here));
    }

    /**
     * The activation's classic backward mistakes: φ' left out (∂L/∂z = ∂L/∂o), φ used for φ', and φ' taken at the
     * output o instead of the pre-activation z.
     */
    @Override
    public List<OpFault> faults() {
        return List.of(
                new OpFault("MISSING_ACTIVATION_DERIVATIVE", "%s: the gradients equal ours without the " + symbol()
                        + "'(z) factor: the activation derivative is missing", (in, out, g, grads, rules) -> {
                            double[] gz = grads.get(0);
                            if (gz != null) {
                                for (int j = 0; j < size; j++) {
                                    gz[j] += g[j];
                                }
                            }
                        }),
                new OpFault("ACTIVATION_INSTEAD_OF_DERIVATIVE", "%s: the gradients use " + symbol() + "(z) where "
                        + symbol() + "'(z) belongs: the activation instead of its derivative", (in, out, g, grads, rules) -> {
                            double[] gz = grads.get(0);
                            if (gz != null) {
                                for (int j = 0; j < size; j++) {
                                    gz[j] += g[j] * out[j];
                                }
                            }
                        }),
                new OpFault("DERIVATIVE_AT_OUTPUT", "%s: the gradients use " + symbol() + "'(o) instead of " + symbol()
                        + "'(z): the derivative is evaluated at the output instead of the pre-activation",
                        (in, out, g, grads, rules) -> backward(List.of(out), out, g, grads, rules)));
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((ElementwiseOp) o).size == size;
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + size;
    }

    @Override
    public String toString() {
        return kind() + "[" + size + "]";
    }
}
