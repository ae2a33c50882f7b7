package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * One operation of a model: it reads tensors (flat, row-major arrays of a fixed shape) and writes one. The
 * forward rule is written once over {@link Real}, so one definition serves every arithmetic: double precision,
 * the complex step, dual numbers and symbolic expressions. The backward rule adds the vector–Jacobian product
 * {@code ḡ_i += (∂output/∂input_i)ᵀ·ḡ_out} to every input that wants a gradient, from local derivatives derived
 * by Symja from that same definition. Instances are immutable.
 */
public interface Op {

    /**
     * The op's name as specs and reports write it, e.g. {@code sigmoid}, {@code dense}.
     *
     * @return the name
     */
    String kind();

    /**
     * The op's symbol in derivations, in plain text: {@code σ}, {@code tanh}, {@code relu}; its kind by default.
     *
     * @return the symbol
     */
    default String symbol() {
        return kind();
    }

    /**
     * The op's symbol in LaTeX: {@code \sigma}, {@code \tanh}; {@code \operatorname{kind}} by default.
     *
     * @return the symbol in LaTeX
     */
    default String latexSymbol() {
        return "\\operatorname{" + kind().replace("_", "\\_") + "}";
    }

    /**
     * The number of entries of the output tensor.
     *
     * @return the output size; ≥ 1
     */
    int outputSize();

    /**
     * The forward rule.
     *
     * @param field  the arithmetic
     * @param inputs the input tensors, flat, in the order the op was built with
     * @param <T>    the number type
     * @return the output tensor, flat, of {@link #outputSize()} entries
     */
    <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs);

    /**
     * The backward rule, written once over {@link Real} like the forward rule: adds
     * {@code (∂output/∂input_i)ᵀ·outputGradient} to {@code inputGradients.get(i)} for every input whose gradient
     * array is not null. In double precision it is the reverse walk's step; in a code-writing arithmetic it is
     * compiled ({@code numeric.GraphCompiler}); in dual numbers it differentiates the gradient itself.
     *
     * @param field          the arithmetic
     * @param inputs         the inputs' values at which the forward rule ran
     * @param output         the output the forward rule computed there
     * @param outputGradient ∂L/∂output
     * @param inputGradients ∂L/∂input_i accumulators (entries replaced by their sums), or null where no gradient
     *                       is wanted
     * @param rules          the local derivatives of op definitions
     * @param <T>            the number type
     */
    <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                      List<T[]> inputGradients, LocalRules rules);

    /**
     * Whether this op can give the gradient of input {@code input} one entry at a time
     * ({@link #inputGradientEntry}), the same number {@link #backward(RealField, List, Real[], Real[], List, LocalRules)}
     * would accumulate into a zeroed array: so a large parameter's gradient need not be held whole. No by default.
     *
     * @param input the input's position
     * @return whether {@link #inputGradientEntry} serves that input
     */
    default boolean gradientByEntry(int input) {
        return false;
    }

    /**
     * One entry of ∂L/∂input, for an input {@link #gradientByEntry} accepts: bit for bit what the backward rule adds
     * to a zeroed gradient array at that entry.
     *
     * @param field          the arithmetic
     * @param inputs         the inputs' values at which the forward rule ran
     * @param outputGradient ∂L/∂output
     * @param input          the input's position
     * @param entry          the entry of that input, flat
     * @param <T>            the number type
     * @return the entry's gradient
     * @throws IllegalArgumentException if {@link #gradientByEntry} refuses that input: calling this for it breaks
     *                                  the contract (callers ask {@link #gradientByEntry} first, and use the backward
     *                                  rule otherwise)
     */
    default <T extends Real<T>> T inputGradientEntry(RealField<T> field, List<T[]> inputs, T[] outputGradient,
                                                     int input, int entry) {
        throw new IllegalArgumentException("Op <" + getClass().getSimpleName() + "> does not give input " + input
                + "'s gradient by entry (gradientByEntry(" + input + ") is false); use its backward rule");
    }

    /**
     * The forward rule in double precision: {@link #forward(RealField, List)} over
     * {@link io.chainproof.number.DoubleNumber}, on plain arrays. Ops that do most of a model's work (affine maps,
     * convolutions) override it, and the backward rule on arrays, with the same loops on primitives: the same
     * operations in the same order, so the same values bit for bit ({@code GraphCompilerTests} compares them with
     * the rules traced over {@link Real}), without an object per number.
     *
     * @param inputs the input tensors, flat, in the order the op was built with
     * @return the output tensor, flat, of {@link #outputSize()} entries
     */
    default double[] forward(List<double[]> inputs) {
        return Ops.forwardInDouble(this, inputs);
    }

    /**
     * The backward rule in double precision: {@link #backward(RealField, List, Real[], Real[], List, LocalRules)}
     * over {@link io.chainproof.number.DoubleNumber}, on plain arrays.
     *
     * @param inputs         the inputs' values at which the forward rule ran
     * @param output         the output the forward rule computed there
     * @param outputGradient ∂L/∂output
     * @param inputGradients ∂L/∂input_i accumulators, or null where no gradient is wanted
     * @param rules          the local derivatives of op definitions
     */
    default void backward(List<double[]> inputs, double[] output, double[] outputGradient, List<double[]> inputGradients,
                          LocalRules rules) {
        Ops.backwardInDouble(this, inputs, output, outputGradient, inputGradients, rules);
    }

    /**
     * Bounds on the spectral norm of ∂output/∂input, for the inputs that carry the signal (not the parameters):
     * the growth factor this op contributes to a chain of Jacobians. Empty where the op gives none (a loss).
     *
     * @param input  the input's position
     * @param inputs the inputs' values
     * @param output the output's value
     * @param rules  the local derivatives and their bounds
     * @return the bounds, or empty
     */
    default java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                            LocalRules rules) {
        return java.util.Optional.empty();
    }

    /**
     * About how many scalar operations one forward pass of this op performs, given its inputs' sizes: what deciding
     * between an interpreted walk, compiled code and a fast check needs. By default each input and output entry is
     * touched once; ops that multiply and add per pair of entries (affine maps, convolutions) say so.
     *
     * @param inputSizes the sizes of the inputs, in order
     * @return the estimate; ≥ 0
     */
    default double work(int[] inputSizes) {
        double read = 0;
        for (int size : inputSizes) {
            read += size;
        }
        return read + outputSize();
    }

    /**
     * The classic mistakes in this op's backward rule, for localisation; none by default.
     *
     * @return the faults a localiser tries
     */
    default List<OpFault> faults() {
        return List.of();
    }
}
