package io.chainproof.check;

/**
 * One random-direction check of a layer (fast mode): the directional derivative D_v L of the loss along
 * a random unit direction v supported on one layer's parameters, against ⟨claimed gradient, v⟩. One
 * check costs a few loss evaluations whatever the layer's size.
 *
 * @param layer     the layer whose parameters v moves (1-based)
 * @param direction which of the layer's seeded directions (0-based)
 * @param claimed   ⟨claimed gradient, v⟩
 * @param oracle    D_v L by central differences, with its error estimate
 * @param verdict   the outcome
 */
public record DirectionalCheck(int layer, int direction, double claimed, Estimate oracle, Verdict verdict) {
}
