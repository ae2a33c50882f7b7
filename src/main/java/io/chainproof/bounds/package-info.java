/**
 * Certified bounds on gradient growth: {@link io.chainproof.bounds.GrowthBounds} bounds every layer's weight
 * gradient {@code ‖∂L/∂W_l‖_F} by products of activation-derivative bounds γ and spectral norms
 * {@code ‖W_k‖₂}, once with γ = sup|φ'| and once with the derivatives actually taken at the spec's data, and
 * reports both with the actual gradient, their ratios and a regime per layer in a
 * {@link io.chainproof.bounds.BoundReport}.
 */
package io.chainproof.bounds;
