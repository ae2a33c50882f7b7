/**
 * Numeric evaluation with no symbolic engine in the loop. {@link io.chainproof.numeric.ModelEvaluator} walks any
 * model's op graph: forward in any arithmetic, and the gradient by the reverse walk from the ops' Symja-derived
 * local rules (backpropagation, through time for an RNN), with Jacobians between tensors and faulty walks for the
 * localiser. For MLPs, {@link io.chainproof.numeric.NetworkCompiler} turns the loss and chain-rule gradient into
 * Java bytecode once, with common-subexpression elimination, evaluated by
 * {@link io.chainproof.numeric.CompiledNetwork}; {@link io.chainproof.numeric.ComplexNetworkCompiler} compiles the
 * same forward pass in complex arithmetic for {@link io.chainproof.numeric.ComplexNetwork}'s complex-step oracle.
 */
package io.chainproof.numeric;
