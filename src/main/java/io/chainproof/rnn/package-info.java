/**
 * Recurrent networks: the numeric vanilla RNN of an {@link io.chainproof.spec.RnnSpec}, its gradient by
 * backpropagation through time, and its vanishing/exploding-gradient bounds. The central type is
 * {@link io.chainproof.rnn.RnnNetwork} (loss, BPTT gradient and hidden-state Jacobians
 * ∂h_t/∂h_k = ∏ diag(φ'(z_s))·W_h over a flat parameter vector); {@link io.chainproof.rnn.RnnBounds} compares
 * those Jacobians with Pascanu's bound (γ‖W_h‖₂)^{t−k} in an {@link io.chainproof.rnn.RnnBoundReport}.
 */
package io.chainproof.rnn;
