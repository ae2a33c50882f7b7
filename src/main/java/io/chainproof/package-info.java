/**
 * chainproof, a symbolic and numeric autodiff verifier: the root holds
 * {@link io.chainproof.ChainproofException}, the unchecked exception every deliberate failure (bad
 * input) derives from. The work happens in the sub-packages: {@code spec} (reading), {@code model} (every spec
 * as a graph of ops) over {@code ops} (one file per op) and {@code number} (the arithmetics the ops' forward
 * rules are written over), {@code symbolic} (Symja, confined there), {@code numeric} (evaluation: the graph's
 * walks and the MLP's compiled code), {@code check}, {@code bounds}, {@code explain}, {@code render} and
 * {@code cli}.
 */
package io.chainproof;
