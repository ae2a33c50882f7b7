package io.chainproof.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The activations a spec can name, each with the op that computes it: the one registry of activations. The spec
 * name is the lower-case constant name ({@code "leaky_relu"}); every activation is applied elementwise except
 * {@link #SOFTMAX}. Adding an activation is its op file and one constant here.
 */
public enum Activation {
    /** {@code a = z}. */
    IDENTITY(Identity::new),
    /** {@code σ(z) = 1 / (1 + e^{−z})}, outputs in (0, 1). */
    SIGMOID(Sigmoid::new),
    /** {@code tanh z}, outputs in (−1, 1). */
    TANH(Tanh::new),
    /** {@code max(0, z)}; not differentiable at 0. */
    RELU(Relu::new),
    /** {@code z} for {@code z ≥ 0}, {@code 0.01·z} otherwise (slope 0.01). */
    LEAKY_RELU(LeakyRelu::new),
    /** {@code log(1 + e^z)}. */
    SOFTPLUS(Softplus::new),
    /** {@code z·σ(z)} (also called swish). */
    SILU(Silu::new),
    /** Exact GELU, {@code z·Φ(z) = ½·z·(1 + erf(z/√2))}. */
    GELU(Gelu::new),
    /** {@code z} for {@code z > 0}, {@code e^z − 1} otherwise (α = 1); slope 1 on both sides of 0. */
    ELU(Elu::new),
    /** {@code z / (1 + |z|)}, outputs in (−1, 1). */
    SOFTSIGN(Softsign::new),
    /** {@code e^{z_i} / Σ_j e^{z_j}} over the layer; allowed only on the last layer, with 2 or more units. */
    SOFTMAX(null);

    private final IntFunction<ElementwiseOp> elementwise;

    Activation(IntFunction<ElementwiseOp> elementwise) {
        this.elementwise = elementwise;
    }

    /**
     * The op applying this activation to {@code size} entries in rows of {@code width} (softmax normalises each
     * row; the elementwise ones ignore rows).
     *
     * @param size  the number of entries; a multiple of {@code width}
     * @param width the length of the last axis
     * @return the op
     */
    public Op op(int size, int width) {
        return elementwise == null ? new Softmax(size / width, width) : elementwise.apply(size);
    }

    /**
     * The elementwise op of this activation, for its scalar definition φ.
     *
     * @return its op on one entry
     * @throws IllegalArgumentException for softmax, which is not elementwise
     */
    public ElementwiseOp elementwise() {
        if (elementwise == null) {
            throw new IllegalArgumentException("Activation <" + specName() + "> is not elementwise: it has no "
                    + "single derivative φ'(z)");
        }
        return elementwise.apply(1);
    }

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
