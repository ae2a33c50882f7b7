package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * The sum that closes a residual block, {@code y = x + F(x)}: inputs x (the identity path) and F(x) (the block's
 * output), of one size. Backward, both receive ∂L/∂y — through the identity path unchanged, which is why the
 * Jacobian of a block is {@code I + J_F} and deep residual networks keep their gradients. Instances are immutable.
 */
public final class Residual implements Op {

    private final int size;
    /** The sum itself; a residual block is the same arithmetic with its own faults and meaning. */
    private final Add sum;

    /**
     * @param size the number of entries of x and of F(x); ≥ 1
     */
    public Residual(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("Residual sum of size <" + size + ">; it must be ≥ 1");
        }
        this.size = size;
        this.sum = new Add(size, 2);
    }

    @Override
    public String kind() {
        return "residual";
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        return sum.forward(field, inputs);
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        sum.backward(field, inputs, output, outputGradient, inputGradients, rules);
    }

    /** Each summand passes through unchanged: the identity, of norm 1 (the block adds its own ‖J_F‖ on top). */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        return java.util.Optional.of(new JacobianBound(1, 1));
    }

    /** The identity path is the whole point, and a backward pass may still forget it. */
    @Override
    public List<OpFault> faults() {
        return List.of(new OpFault("RESIDUAL_IDENTITY_MISSING", "%s: the residual block's backward pass is missing "
                + "its identity path: ∂L/∂x gets only the block's J_Fᵀ·∂L/∂y, not ∂L/∂y itself",
                (inputs, output, g, grads, rules) -> {
                    double[] gf = grads.get(1);
                    if (gf != null) {
                        for (int j = 0; j < size; j++) {
                            gf[j] += g[j];
                        }
                    }
                }));
    }

    @Override
    public String toString() {
        return "residual[" + size + "]";
    }
}
