package io.chainproof.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's loss as a function of its flat parameters, with everything the {@link GradientVerifier} asks of it:
 * values, the oracles' derivatives, kinks and the localisation of a fault. One verifier checks every kind of
 * model through this interface: {@link GraphFunction} serves any op graph by walking it, {@link NetworkFunction}
 * serves an MLP from its compiled code.
 */
public interface LossFunction {

    /**
     * A run of parameters that belong together: a tensor ({@code W1}, {@code Wh}), or a layer in fast mode.
     *
     * @param name the tensor's or layer's name
     * @param from the flat index of its first parameter
     * @param to   one past the flat index of its last parameter
     */
    record Block(String name, int from, int to) {
        /**
         * Validates the range.
         *
         * @param name the tensor's or layer's name
         * @param from the first flat index
         * @param to   one past the last flat index
         */
        public Block {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("Block <" + name + "> of [" + from + ", " + to + ") is empty");
            }
        }

        /** @return the number of parameters */
        public int size() {
            return to - from;
        }
    }

    /** @return the model's name, for reports */
    String name();

    /** @return what the value is called in messages: {@code the loss}, or {@code f(x)} for a user's function */
    default String valueName() {
        return "the loss";
    }

    /**
     * Whether this function can serve {@code oracle}: a model serves all; a plain Java function, whose
     * arithmetic cannot be changed, only finite differences.
     *
     * @param oracle an oracle
     * @return whether {@link GradientVerifier} may decide by it
     */
    default boolean supports(Oracle oracle) {
        return true;
    }

    /**
     * ∂L/∂θ_index by central differences with Richardson extrapolation and an error estimate. A model's kinks
     * are known from its structure ({@link #kink}), so by default no one-sided differences are taken; a
     * black-box function detects kinks from them.
     *
     * @param point  the parameters; entry {@code index} is moved during the call and restored (callers pass a
     *               scratch copy of their own)
     * @param index  the flat index of the parameter
     * @param safety the multiple of rounding bounds a kink's gap must exceed
     * @return the estimate
     */
    default JacobianEstimate difference(double[] point, int index, double safety) {
        double original = point[index];
        try {
            return JacobianEstimate.smooth(CentralDifference.derivative(t -> {
                point[index] = t;
                return loss(point);
            }, original));
        } finally {
            point[index] = original;
        }
    }

    /** @return where the model came from (a file name), for reports */
    String source();

    /**
     * The lecture's notation of parameter {@code index} for text listings, e.g. {@code w⁽¹⁾₁₂}; empty where the model
     * has none.
     *
     * @param index a flat index
     * @return the notation, or the empty string
     */
    default String notation(int index) {
        return "";
    }

    /**
     * The work of an exhaustive check by an exact oracle, in scalar operations: one pass of the loss per parameter.
     * {@link GradientVerifier#verify(LossFunction, double[])} turns to fast mode above
     * {@link GradientVerifier#AUTO_FAST_WORK}. Compiled code that shares work across parameters reports 0.
     *
     * @return the estimated work, or 0 where it is not a concern
     */
    default double exhaustiveWork() {
        return 0;
    }

    /**
     * {@link #exhaustiveWork()} for one oracle: where an oracle shares work across parameters (the complex step on
     * a tape), less than one pass per parameter. By default the same for every oracle.
     *
     * @param oracle the oracle the check would use
     * @return the estimated work, or 0 where it is not a concern
     */
    default double exhaustiveWork(Oracle oracle) {
        return exhaustiveWork();
    }

    /** @return every flat parameter's name as the spec writes it, in layout order */
    List<String> parameterNames();

    /** @return the spec's parameter values in layout order (a fresh copy) */
    double[] point();

    /**
     * @param theta parameters in layout order; not modified
     * @return the loss at {@code theta}
     */
    double loss(double[] theta);

    /**
     * chainproof's own gradient (the compiled chain rule, or the reverse walk of the graph).
     *
     * @param theta parameters in layout order; not modified
     * @return ∂L/∂θ in layout order
     */
    double[] gradient(double[] theta);

    /**
     * A flat vector as the spec's named tensors, for JSON in PyTorch's {@code {name: p.grad}} layout.
     *
     * @param flat a vector in layout order
     * @return per tensor, a {@code Double}, {@code double[]} or {@code double[][]}
     */
    Map<String, Object> tensors(double[] flat);

    /** @return the parameter tensors, in layout order: the tolerance's tensor floor is taken per tensor */
    List<Block> tensorBlocks();

    /** @return the blocks that fast mode gives random directions of their own (an MLP's layers; else the tensors) */
    List<Block> directionBlocks();

    /**
     * Every partial derivative by the complex step, with error bounds and kink flags.
     *
     * @param point the parameters; not modified
     * @return one result per parameter, in layout order
     */
    ComplexStep.Result[] complexStep(double[] point);

    /**
     * The partial derivatives of {@code indices} by the complex step: by default one step each (in parallel
     * above a few dozen), where compiled code that computes every partial at once overrides it.
     *
     * @param point   the parameters; not modified
     * @param indices the flat indices asked for
     * @return a result at each asked index, null elsewhere
     */
    default ComplexStep.Result[] complexStep(double[] point, int[] indices) {
        ComplexStep.Result[] results = new ComplexStep.Result[point.length];
        java.util.stream.IntStream asked = java.util.stream.IntStream.of(indices);
        (indices.length >= 64 ? asked.parallel() : asked).forEach(i -> {
            double[] e = new double[point.length];
            e[i] = 1;
            results[i] = complexStep(point, e);
        });
        return results;
    }

    /**
     * {@link #complexStep(double[], int[])} as columns, a few numbers per entry rather than two objects: what the
     * exhaustive check of a million parameters holds. By default the results converted; compiled code that computes
     * every partial at once overrides it.
     *
     * @param point   the parameters; not modified
     * @param indices the flat indices asked for
     * @return the asked entries set, NaN elsewhere
     */
    default ComplexStep.Columns complexStepColumns(double[] point, int[] indices) {
        ComplexStep.Result[] results = complexStep(point, indices);
        ComplexStep.Columns columns = new ComplexStep.Columns(point.length);
        for (int i : indices) {
            columns.set(i, results[i]);
        }
        return columns;
    }

    /**
     * A tighter error estimate for a complex-step result that was returned with its rigorous rounding bound only,
     * where that bound is uninformative; the verifier asks for it only where the verdict depends on it. By default
     * the estimate itself.
     *
     * @param point    the parameters; not modified
     * @param index    the flat index of the parameter
     * @param estimate the complex-step result's estimate
     * @return the same value with an error estimate no larger
     */
    default Estimate refine(double[] point, int index, Estimate estimate) {
        return estimate;
    }

    /**
     * The directional derivative along {@code direction} by one complex step.
     *
     * @param point     the parameters; not modified
     * @param direction the direction, in layout order; not modified
     * @return the derivative with its error bound
     */
    ComplexStep.Result complexStep(double[] point, double[] direction);

    /**
     * The directional derivative along a direction that lives on one block (zero elsewhere), by the complex
     * step; by default {@link #complexStep(double[], double[])} with the direction written out in full.
     *
     * @param point the parameters; not modified
     * @param block the block the direction lives on
     * @param v the direction on the block, as long as the block; not modified
     * @return the derivative with its error bound
     */
    default ComplexStep.Result complexStep(double[] point, Block block, double[] v) {
        double[] direction = new double[point.length];
        System.arraycopy(v, 0, direction, block.from(), v.length);
        return complexStep(point, direction);
    }

    /**
     * {@link #complexStep(double[], Block, double[])} for a verdict that already allows {@code slack} for other
     * reasons (the rounding of the claimed side): an implementation may skip refining an error bound that stays below
     * it, since the refinement could not change the verdict by more than the slack already does.
     *
     * @param point the parameters; not modified
     * @param block the block the direction lives on
     * @param v the direction on the block, as long as the block; not modified
     * @param slack the absolute allowance the verdict grants besides the oracle's error
     * @return the derivative with its error bound
     */
    default ComplexStep.Result complexStep(double[] point, Block block, double[] v, double slack) {
        return complexStep(point, block, v);
    }

    /**
     * One partial derivative by forward-mode AD.
     *
     * @param point the parameters; not modified
     * @param index the flat index of the parameter
     * @return the derivative with its error bound and kink flag
     */
    ComplexStep.Result forwardAD(double[] point, int index);

    /**
     * The kink met when parameter {@code index} moves by ±{@code step}: a piecewise op's branch point crossed.
     *
     * @param point the parameters; not modified
     * @param index the flat index of the parameter
     * @param step  how far it moves either way
     * @return a description naming the op and the value, if a branch point is crossed
     */
    Optional<String> kink(double[] point, int index, double step);

    /**
     * Where a wrong gradient most likely went wrong, from the failing parameters.
     *
     * @param point   the parameters; not modified
     * @param claimed the claimed gradient
     * @param failing the flat indices of the parameters that failed, ascending
     * @return the likely fault, if one is recognised
     */
    Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing);

    /**
     * {@link #localise(double[], double[], List)} knowing what each verdict allowed, so that hypotheses can be tested
     * to that precision (the wrong-constant family); by default the allowances are not used.
     *
     * @param point   the parameters; not modified
     * @param claimed the claimed gradient
     * @param failing the flat indices of the parameters that failed, ascending
     * @param allowed per flat index, the difference its verdict allowed; NaN where the entry was not checked
     * @return the likely fault, if one is recognised
     */
    default Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing, double[] allowed) {
        return localise(point, claimed, failing);
    }

    /**
     * The op graph this function evaluates, where it has one (every spec's model does): what a finding about
     * non-finite values walks ({@link NonFiniteValues}). Empty by default.
     *
     * @return the model, or empty for an opaque function
     */
    default Optional<io.chainproof.model.Model> opGraph() {
        return Optional.empty();
    }

    /**
     * Whether several threads may evaluate this function at once: {@link GradientVerifier} checks many parameters
     * in parallel only then. A model's walks and compiled kernels may be (true); a user's plain function, which may
     * reuse buffers of its own, is called from the verifying thread alone, one call at a time (false).
     *
     * @return whether the function's methods may run in several threads at once
     */
    default boolean threadSafe() {
        return true;
    }

    /**
     * Whether {@link #backpropBound} can bound this function's backward pass (it has an op graph).
     *
     * @return true for models walked by their op graph, false for opaque functions
     */
    default boolean hasBackpropBound() {
        return false;
    }

    /**
     * {@link BackpropBound#judged} of this function's gradient at its point: how far a correct backward pass in an
     * arithmetic of unit roundoff u may be from the exact gradient, per parameter (the smaller of the worst case and
     * the statistical estimate's {@link BackpropBound#SIGMAS} standard deviations).
     *
     * @param unitRoundoff u ({@link BackpropBound#FLOAT64} or {@link BackpropBound#FLOAT32})
     * @return per parameter, the bound
     * @throws IllegalArgumentException if this function has no op graph to analyse
     */
    default double[] backpropBound(double unitRoundoff) {
        throw new IllegalArgumentException("<" + name() + "> has no op graph whose backward pass could be bounded");
    }

    /**
     * {@link #backpropBound} of chainproof's own backward pass, whose local derivatives take stable forms
     * ({@link io.chainproof.symbolic.SymbolicRules}: σ' as e^{−|z|}/(1 + e^{−|z|})²) and keep relative accuracy where
     * the textbook ones lose it.
     *
     * @param unitRoundoff u ({@link BackpropBound#FLOAT64})
     * @return per parameter, the bound
     * @throws IllegalArgumentException if this function has no op graph to analyse
     */
    default double[] ownBackpropBound(double unitRoundoff) {
        return backpropBound(unitRoundoff);
    }
}
