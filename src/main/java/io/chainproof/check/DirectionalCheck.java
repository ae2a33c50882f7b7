package io.chainproof.check;

/**
 * One random-direction check of a block of parameters (fast mode; an MLP's layer, another model's tensor): the
 * directional derivative D_v L of the loss along a random unit direction v supported on the block's parameters,
 * against ⟨claimed gradient, v⟩. One check costs a few loss evaluations whatever the block's size.
 *
 * @param block     the block whose parameters v moves: an MLP layer's number ({@code 2}) or a tensor's name
 * @param direction which of the block's seeded directions (0-based)
 * @param claimed   ⟨claimed gradient, v⟩
 * @param oracle    D_v L by central differences, with its error estimate
 * @param verdict   the outcome
 */
public record DirectionalCheck(String block, int direction, double claimed, Estimate oracle, Verdict verdict) {
}
