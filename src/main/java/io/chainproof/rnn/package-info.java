/**
 * Recurrent networks' vanishing and exploding gradients: {@link io.chainproof.rnn.RnnBounds} compares the
 * hidden-state Jacobians ∂h_T/∂h_k = ∏ diag(φ'(z_s))·W_h — taken from the network's unrolled op graph
 * ({@link io.chainproof.model.Models#rnn}) by reverse walks — with Pascanu's bound (γ‖W_h‖₂)^{T−k} in an
 * {@link io.chainproof.rnn.RnnBoundReport}, and sweeps the recurrent weight's scale. The network's loss and its
 * gradient (backpropagation through time) are the graph's, like every model's.
 */
package io.chainproof.rnn;
