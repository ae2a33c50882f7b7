/**
 * chainproof, a symbolic and numeric autodiff verifier: the root holds
 * {@link io.chainproof.ChainproofException}, the unchecked exception every deliberate failure (bad
 * input) derives from. The work happens in the sub-packages: {@code spec} (reading), {@code graph},
 * {@code symbolic} (Symja, confined there), {@code numeric} (compiled evaluation), {@code check},
 * {@code render} and {@code cli}.
 */
package io.chainproof;
