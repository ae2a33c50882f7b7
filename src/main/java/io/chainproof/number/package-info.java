/**
 * The arithmetics a model's forward rule is written over, once: {@link io.chainproof.number.Real} is the
 * number abstraction (Hipparchus' {@code CalculusFieldElement} is the model), with a plain double
 * ({@link io.chainproof.number.DoubleNumber}), the complex step with its running rounding bound
 * ({@link io.chainproof.number.ComplexStepNumber}), dual numbers for forward-mode AD
 * ({@link io.chainproof.number.DualNumber}) and symbolic expressions ({@link io.chainproof.number.SymbolicNumber},
 * whose results Symja differentiates). An op that computes its output through {@code Real} is thereby
 * evaluable, complex-steppable, differentiable in forward mode and derivable, with no second copy of its
 * mathematics.
 */
package io.chainproof.number;
