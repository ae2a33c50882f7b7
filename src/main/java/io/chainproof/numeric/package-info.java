/**
 * Compiled numeric evaluation: {@link io.chainproof.numeric.NetworkCompiler} turns a network's loss and
 * chain-rule gradient (assembled from the Symja-derived local derivatives) into Java bytecode once, with
 * common-subexpression elimination, and {@link io.chainproof.numeric.CompiledNetwork} evaluates it in
 * double precision with no symbolic engine in the loop. {@link io.chainproof.numeric.ComplexNetworkCompiler}
 * compiles the same forward pass and loss in complex arithmetic, and
 * {@link io.chainproof.numeric.ComplexNetwork} evaluates the complex-step derivatives the verifier uses as
 * an oracle independent of the symbolic gradient.
 */
package io.chainproof.numeric;
