/**
 * Compiled numeric evaluation: {@link io.chainproof.numeric.NetworkCompiler} turns a network's loss and
 * chain-rule gradient (assembled from the Symja-derived local derivatives) into Java bytecode once, with
 * common-subexpression elimination, and {@link io.chainproof.numeric.CompiledNetwork} evaluates it in
 * double precision with no symbolic engine in the loop.
 */
package io.chainproof.numeric;
