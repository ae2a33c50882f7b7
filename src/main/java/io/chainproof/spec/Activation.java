package io.chainproof.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The activation {@code a = act(z)} of a layer, applied elementwise except for {@link #SOFTMAX}.
 * The spec name is the lower-case constant name ({@code "leaky_relu"}).
 */
public enum Activation {
    /** {@code a = z}. */
    IDENTITY,
    /** {@code σ(z) = 1 / (1 + e^{−z})}, outputs in (0, 1). */
    SIGMOID,
    /** {@code tanh z}, outputs in (−1, 1). */
    TANH,
    /** {@code max(0, z)}; not differentiable at 0. */
    RELU,
    /** {@code z} for {@code z ≥ 0}, {@code 0.01·z} otherwise (slope 0.01). */
    LEAKY_RELU,
    /** {@code log(1 + e^z)}. */
    SOFTPLUS,
    /** {@code z·σ(z)} (also called swish). */
    SILU,
    /** Exact GELU, {@code z·Φ(z) = ½·z·(1 + erf(z/√2))}. */
    GELU,
    /** {@code e^{z_i} / Σ_j e^{z_j}} over the layer; allowed only on the last layer, with 2 or more units. */
    SOFTMAX;

    /** @return the name used in spec files, e.g. {@code "leaky_relu"} */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param specName a name as written in a spec file (exact, lower case)
     * @return the activation of that name, or empty if there is none
     */
    public static Optional<Activation> fromSpecName(String specName) {
        return Arrays.stream(values()).filter(a -> a.specName().equals(specName)).findFirst();
    }

    /** @return every spec name, in declaration order */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(Activation::specName).toList();
    }
}
