package io.chainproof.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-sample loss {@code L(a, y)} between the output {@code a} of the last layer and the target
 * {@code y}; the loss of a data set is the mean over its samples. The spec name is the lower-case
 * constant name ({@code "half_sse"}).
 */
public enum Loss {
    /** Mean over outputs of {@code (a − y)²}. */
    MSE,
    /** {@code Σ (a − y)²}. */
    SSE,
    /** {@code ½ Σ (a − y)²}. */
    HALF_SSE,
    /** {@code −mean[y·log a + (1 − y)·log(1 − a)]}; needs outputs in (0, 1) and targets in [0, 1]. */
    BCE,
    /** {@code −Σ y·log a}; needs outputs in (0, 1) and targets ≥ 0. */
    CROSS_ENTROPY;

    /** @return the name used in spec files, e.g. {@code "cross_entropy"} */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param specName a name as written in a spec file (exact, lower case)
     * @return the loss of that name, or empty if there is none
     */
    public static Optional<Loss> fromSpecName(String specName) {
        return Arrays.stream(values()).filter(l -> l.specName().equals(specName)).findFirst();
    }

    /** @return every spec name, in declaration order */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(Loss::specName).toList();
    }
}
