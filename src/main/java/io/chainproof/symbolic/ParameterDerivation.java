package io.chainproof.symbolic;

import io.chainproof.graph.ParameterId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The chain-rule factorisation of ∂L/∂θ for one parameter θ: the product of {@link #factors} (averaged
 * over the samples when there are several, since L = (1/N)·Σ_s L_s), the {@link #intermediates} the
 * first factor is defined through (for a deep network, the backward quantities ∂L/∂o of every later
 * layer; their number grows linearly with depth), and the values at the spec's point.
 *
 * <p>For the lecture's width-1 chain the factors are the unrolled chain
 * {@code ∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁} with {@code ∂o_k/∂o_{k−1} = σ'(z_k)·w_k}; otherwise
 * {@code ∂L/∂w^{(l)}_{jk} = ∂L/∂o_{l,j} · ∂o_{l,j}/∂z_{l,j} · ∂z_{l,j}/∂w^{(l)}_{jk}} (for a softmax output
 * layer {@code ∂L/∂z_{L,j} · ∂z_{L,j}/∂θ}). Instances are immutable.
 *
 * @param parameter     θ
 * @param name          Unicode name of the derivative, e.g. {@code ∂L/∂w₁}
 * @param latexName     LaTeX name of the derivative
 * @param factors       the factors whose product is ∂L_s/∂θ
 * @param intermediates the named quantities the factors' definitions refer to, latest layer first
 * @param samples       the sample indices (0-based rows of the data) the derivation covers
 * @param sampleValues  ∂L_s/∂θ per sample, the product of the factor values
 * @param value         ∂L/∂θ = mean of {@link #sampleValues}
 */
public record ParameterDerivation(ParameterId parameter, String name, String latexName, List<ChainFactor> factors,
                                  List<ChainFactor> intermediates, List<Integer> samples, List<Double> sampleValues,
                                  double value) {

    /**
     * Validates the components.
     *
     * @param parameter θ
     * @param name Unicode name of the derivative, e.g. {@code ∂L/∂w₁}
     * @param latexName LaTeX name of the derivative
     * @param factors the factors whose product is ∂L_s/∂θ
     * @param intermediates the named quantities the factors' definitions refer to, latest layer first
     * @param samples the sample indices (0-based rows of the data) the derivation covers
     * @param sampleValues ∂L_s/∂θ per sample, the product of the factor values
     * @param value ∂L/∂θ = mean of {@link #sampleValues}
     */
    public ParameterDerivation {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latexName, "latexName");
        factors = List.copyOf(factors);
        intermediates = List.copyOf(intermediates);
        samples = List.copyOf(samples);
        sampleValues = List.copyOf(sampleValues);
        if (factors.isEmpty() || samples.isEmpty() || samples.size() != sampleValues.size()) {
            throw new IllegalArgumentException("Derivation of <" + parameter.name() + "> has " + factors.size()
                    + " factors, " + samples.size() + " samples and " + sampleValues.size()
                    + " sample values; it needs at least one factor and one value per sample");
        }
    }

    /**
     * The factored form, e.g. {@code ∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁}.
     *
     * @return the factored form in Unicode
     */
    public String text() {
        String product = factors.stream().map(ChainFactor::name).collect(Collectors.joining(" · "));
        return name + " = " + (samples.size() == 1 ? product : "(1/" + samples.size() + ")·Σₛ [" + product + "]ₛ");
    }

    /**
     * The factored form in LaTeX.
     *
     * @return the factored form in LaTeX
     */
    public String latex() {
        String product = factors.stream().map(ChainFactor::latexName).collect(Collectors.joining(" \\cdot "));
        return latexName + " = " + (samples.size() == 1 ? product
                : "\\frac{1}{" + samples.size() + "} \\sum_{s} \\left[ " + product + " \\right]_{s}");
    }

    /**
     * One line per factor and intermediate: name = local definition = value(s); then the result.
     *
     * @return the definitions, one per line
     */
    public String definitionsText() {
        List<String> lines = new ArrayList<>();
        factors.forEach(f -> lines.add(f.text()));
        intermediates.forEach(f -> lines.add(f.text()));
        lines.add(name + " = " + format(List.of(value)));
        return String.join("\n", lines);
    }

    /**
     * The same as {@link #definitionsText()} as a LaTeX {@code aligned} block.
     *
     * @return the definitions in LaTeX
     */
    public String definitionsLatex() {
        List<String> lines = new ArrayList<>();
        factors.forEach(f -> lines.add(alignedLine(f.latexName(), f.definitionLatex(), f.values())));
        intermediates.forEach(f -> lines.add(alignedLine(f.latexName(), f.definitionLatex(), f.values())));
        lines.add(latexName + " &= " + formatLatex(List.of(value)));
        return "\\begin{aligned}\n" + String.join(" \\\\\n", lines) + "\n\\end{aligned}";
    }

    private static String alignedLine(String name, String definition, List<Double> values) {
        return name + " &= " + definition + " = " + formatLatex(values);
    }

    /** A value as its shortest round-trip decimal; several as {@code [v₀, v₁]}. */
    static String format(List<Double> values) {
        List<String> parts = values.stream().map(v -> Double.toString(v).replace('-', '−')).toList();
        return parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
    }

    static String formatLatex(List<Double> values) {
        List<String> parts = values.stream().map(ParameterDerivation::latexNumber).toList();
        return parts.size() == 1 ? parts.get(0) : "\\left[" + String.join(", ", parts) + "\\right]";
    }

    private static String latexNumber(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        return e < 0 ? s : s.substring(0, e) + " \\times 10^{" + s.substring(e + 1) + "}";
    }
}
