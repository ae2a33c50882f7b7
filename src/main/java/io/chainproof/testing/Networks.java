package io.chainproof.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;

/**
 * jqwik arbitraries of random networks, for property tests of one's own layers and backprop over many
 * architectures and weight scales:
 * <pre>{@code
 * @Property
 * void my_backprop_is_right(@ForAll("networks") NetworkSpec spec) { ... }
 *
 * @Provide
 * Arbitrary<NetworkSpec> networks() {
 *     return Networks.mlps().depth(2, 4).weightScale(1e-3, 1e3);
 * }
 * }</pre>
 * or, without a provider method, {@code @ForAll @Depth(min = 2, max = 4) @WeightScale(min = 1e-3, max = 1e3)
 * NetworkSpec spec} (see {@link NetworkArbitraryProvider}). A failing network shrinks to the smallest one
 * that still fails. jqwik's API is provided by the user's test dependencies.
 */
public final class Networks {

    private Networks() {
    }

    /** @return random multilayer perceptrons with the defaults of {@link MlpArbitrary} */
    public static MlpArbitrary mlps() {
        return new MlpArbitrary();
    }

    /**
     * @return random layered models (convolutional nets, residual MLPs with layer norm, sequences, embeddings),
     *     valid by construction, with the defaults of {@link LayeredArbitrary}
     */
    public static LayeredArbitrary layered() {
        return new LayeredArbitrary();
    }

    /**
     * Weight scales {@code s = min·(max/min)^t} with {@code t} uniform in [0, 1] (6 decimals), so
     * {@code log s} is uniform in {@code [log min, log max]}: each decade is equally likely, and half of the
     * scales lie below the geometric mean {@code √(min·max)}. Shrinks toward {@code min}.
     *
     * @param min the smallest scale, positive and finite
     * @param max the largest scale, finite and at least {@code min}
     * @return log-uniform scales in {@code [min, max]}
     * @throws IllegalArgumentException if the range is not as described
     */
    public static Arbitrary<Double> weightScales(double min, double max) {
        MlpArbitrary.checkScales("weightScales(min, max)", min, max);
        double logMin = Math.log(min);
        double logRatio = Math.log(max) - logMin;
        return Arbitraries.doubles().between(0, 1).ofScale(6).withDistribution(RandomDistribution.uniform())
                .map(t -> Math.min(max, Math.max(min, Math.exp(logMin + t * logRatio))));
    }
}
