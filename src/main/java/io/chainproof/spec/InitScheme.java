package io.chainproof.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How {@link InitSpec} draws the weights of a layer with {@code fan_in = units_{l−1}} and
 * {@code fan_out = units_l}; {@code s} is the scale. The spec name is the lower-case constant name.
 *
 * <table>
 * <caption>Weight distributions</caption>
 * <tr><th>scheme</th><th>distribution</th><th>variance</th><th>source</th></tr>
 * <tr><td>xavier_uniform</td><td>U(−a, a), a = s·√(6/(fan_in+fan_out))</td><td>a²/3</td>
 *     <td>Glorot &amp; Bengio 2010, eq. 16</td></tr>
 * <tr><td>xavier_normal</td><td>N(0, σ²), σ = s·√(2/(fan_in+fan_out))</td><td>σ²</td>
 *     <td>Glorot &amp; Bengio 2010</td></tr>
 * <tr><td>he_uniform</td><td>U(−a, a), a = s·√(6/fan_in)</td><td>a²/3</td><td>He et al. 2015</td></tr>
 * <tr><td>he_normal</td><td>N(0, σ²), σ = s·√(2/fan_in)</td><td>σ²</td><td>He et al. 2015, eq. 10</td></tr>
 * <tr><td>uniform</td><td>U(−s, s)</td><td>s²/3</td><td></td></tr>
 * <tr><td>normal</td><td>N(0, s²)</td><td>s²</td><td></td></tr>
 * <tr><td>constant</td><td>every weight and every bias = s</td><td>0</td><td></td></tr>
 * </table>
 */
public enum InitScheme {
    /** U(−a, a), a = s·√(6/(fan_in+fan_out)). */
    XAVIER_UNIFORM,
    /** N(0, σ²), σ = s·√(2/(fan_in+fan_out)). */
    XAVIER_NORMAL,
    /** U(−a, a), a = s·√(6/fan_in). */
    HE_UNIFORM,
    /** N(0, σ²), σ = s·√(2/fan_in). */
    HE_NORMAL,
    /** U(−s, s). */
    UNIFORM,
    /** N(0, s²). */
    NORMAL,
    /** Every weight and every bias equals s. */
    CONSTANT;

    /** @return the name used in spec files, e.g. {@code "xavier_uniform"} */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param specName a name as written in a spec file (exact, lower case)
     * @return the scheme of that name, or empty if there is none
     */
    public static Optional<InitScheme> fromSpecName(String specName) {
        return Arrays.stream(values()).filter(s -> s.specName().equals(specName)).findFirst();
    }

    /** @return every spec name, in declaration order */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(InitScheme::specName).toList();
    }

    /** @return whether weights are drawn from a uniform distribution U(−a, a) */
    public boolean isUniform() {
        return this == XAVIER_UNIFORM || this == HE_UNIFORM || this == UNIFORM;
    }

    /** @return whether weights are drawn from a normal distribution N(0, σ²) */
    public boolean isNormal() {
        return this == XAVIER_NORMAL || this == HE_NORMAL || this == NORMAL;
    }

    /**
     * The spread of the weight distribution: the half-width {@code a} for uniform schemes, the standard
     * deviation {@code σ} for normal schemes, the value itself for {@link #CONSTANT}.
     *
     * @param fanIn  units of the previous layer (inputs for layer 1)
     * @param fanOut units of this layer
     * @param scale  the scale {@code s}
     * @return {@code a}, {@code σ} or {@code s}
     */
    public double spread(int fanIn, int fanOut, double scale) {
        return switch (this) {
            case XAVIER_UNIFORM -> scale * Math.sqrt(6.0 / ((double) fanIn + fanOut));
            case XAVIER_NORMAL -> scale * Math.sqrt(2.0 / ((double) fanIn + fanOut));
            case HE_UNIFORM -> scale * Math.sqrt(6.0 / fanIn);
            case HE_NORMAL -> scale * Math.sqrt(2.0 / fanIn);
            case UNIFORM, NORMAL, CONSTANT -> scale;
        };
    }
}
