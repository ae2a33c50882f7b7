package io.chainproof.symbolic;

import java.util.List;

/**
 * One path from a parameter θ to the loss through the activations it influences, e.g.
 * {@code w⁽¹⁾₁₂ → o₁,₁ → o₂,₂ → o₃ → L}, with its contribution to ∂L/∂θ: the product of the local
 * derivatives along its edges ({@code ∂o₁,₁/∂θ · ∂o₂,₂/∂o₁,₁ · ∂o₃/∂o₂,₂ · ∂L/∂o₃}), averaged over the
 * samples. By the multivariate chain rule ∂L/∂θ is the sum of the contributions of all paths. Instances
 * are immutable.
 *
 * @param nodesText    the nodes in Unicode, θ first and L last
 * @param nodesLatex   the same in LaTeX
 * @param sampleValues the product along the path, per sample of the derivation
 * @param value        the mean of {@link #sampleValues}
 */
public record ChainPath(List<String> nodesText, List<String> nodesLatex, List<Double> sampleValues, double value) {

    /**
     * Validates the components.
     *
     * @param nodesText the nodes in Unicode, θ first and L last
     * @param nodesLatex the same in LaTeX
     * @param sampleValues the product along the path, per sample of the derivation
     * @param value the mean of {@link #sampleValues}
     */
    public ChainPath {
        nodesText = List.copyOf(nodesText);
        nodesLatex = List.copyOf(nodesLatex);
        sampleValues = List.copyOf(sampleValues);
        if (nodesText.size() < 2 || nodesText.size() != nodesLatex.size()) {
            throw new IllegalArgumentException("A path needs at least θ and L, with one LaTeX name per node; it has "
                    + nodesText.size() + " and " + nodesLatex.size());
        }
    }

    /**
     * {@code θ → o₁ → … → L} in Unicode.
     *
     * @return the path in Unicode
     */
    public String text() {
        return String.join(" → ", nodesText);
    }

    /**
     * The same in LaTeX.
     *
     * @return the path in LaTeX
     */
    public String latex() {
        return String.join(" \\to ", nodesLatex);
    }
}
