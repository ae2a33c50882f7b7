package io.chainproof.explain;

import java.util.Objects;

/**
 * One piece of mathematics in two notations: Unicode text ({@code ∂o₂/∂o₁ = σ'(z₂)·w₂}) for terminals and
 * LaTeX ({@code \frac{\partial o_{2}}{\partial o_{1}} = \sigma'(z_{2}) \cdot w_{2}}) for Markdown, LaTeX and
 * KaTeX. The LaTeX uses only macros of standard LaTeX and amsmath. Instances are immutable.
 *
 * @param text  Unicode text
 * @param latex LaTeX math-mode source (no surrounding {@code $})
 */
public record Formula(String text, String latex) {

    /**
     * Validates the components.
     *
     * @param text Unicode text
     * @param latex LaTeX math-mode source (no surrounding {@code $})
     */
    public Formula {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(latex, "latex");
    }

    /**
     * A number as its shortest round-trip decimal ({@link Double#toString}): {@code −5.545216167164804},
     * {@code 2.67E−109} in text and {@code 2.67 \times 10^{-109}} in LaTeX; NaN and ±∞ as such.
     *
     * @param v the number
     * @return the number in text and LaTeX
     */
    public static Formula number(double v) {
        if (Double.isNaN(v)) {
            return new Formula("NaN", "\\mathrm{NaN}");
        }
        if (Double.isInfinite(v)) {
            return new Formula(v > 0 ? "∞" : "−∞", v > 0 ? "\\infty" : "-\\infty");
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String latex = e < 0 ? s : s.substring(0, e) + " \\times 10^{" + s.substring(e + 1) + "}";
        return new Formula(s.replace('-', '−'), latex);
    }

    /**
     * A number to three significant digits, for error estimates and tolerances: {@code 3.17e−09} in text,
     * {@code 3.17 \\times 10^{-9}} in LaTeX; 0, NaN and ±∞ as such.
     *
     * @param v the number
     * @return the rounded number in text and LaTeX
     */
    public static Formula approximately(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return number(v);
        }
        String s = String.format(java.util.Locale.ROOT, "%.2e", v);
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e);
        int exponent = Integer.parseInt(s.substring(e + 1));
        return new Formula((mantissa + "e" + exponent).replace('-', '−'),
                exponent == 0 ? mantissa : mantissa + " \\times 10^{" + exponent + "}");
    }

    /**
     * The same formula followed by {@code = value}, e.g. {@code σ'(z₂)·w₂ = 125}.
     *
     * @param value the value the formula has
     * @return {@code this = value}, in text and LaTeX
     */
    public Formula equalsValue(Formula value) {
        return new Formula(text + " = " + value.text, latex + " = " + value.latex);
    }

    /**
     * {@code this = other}.
     *
     * @param other the right-hand side
     * @return {@code this = other}, in text and LaTeX
     */
    public Formula equalTo(Formula other) {
        return equalsValue(other);
    }
}
