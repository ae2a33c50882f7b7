package io.chainproof.spec;

/**
 * A validated spec file, one of the three kinds chainproof differentiates: an MLP ({@link NetworkSpec}, the
 * default), a recurrent network unrolled in time ({@link RnnSpec}, {@code "type": "rnn"}) or a user's formula
 * ({@link FormulaSpec}, {@code "type": "formula"}). {@link SpecReader#readAny} reads any of them.
 */
public sealed interface Spec permits NetworkSpec, RnnSpec, FormulaSpec, LayeredSpec {

    /** @return the spec's name, for reports */
    String name();

    /** @return where the spec came from (a file name, or {@code <string>}), for messages */
    String source();

    /**
     * Hands this spec to the method of {@code visitor} for its kind: a dispatch the compiler checks for
     * every kind, where a chain of {@code instanceof} tests would silently miss a new one.
     *
     * @param visitor what to do with each kind
     * @param <R>     the result type
     * @return the visitor's result
     */
    <R> R accept(Visitor<R> visitor);

    /**
     * The names another library gives the parameters, mapped to the spec's ({@code "features.0.weight" → "W1"}),
     * for reading its gradient files; none by default.
     *
     * @return the map, possibly empty
     */
    default java.util.Map<String, String> names() {
        return java.util.Map.of();
    }

    /**
     * What to do with a spec of each kind.
     *
     * @param <R> the result type
     */
    interface Visitor<R> {
        /**
         * @param spec an MLP spec
         * @return the result
         */
        R mlp(NetworkSpec spec);

        /**
         * @param spec an RNN spec
         * @return the result
         */
        R rnn(RnnSpec spec);

        /**
         * @param spec a formula spec
         * @return the result
         */
        R formula(FormulaSpec spec);

        /**
         * @param spec a layered spec (convolutions, pooling, norms, residual blocks, embeddings, dense layers)
         * @return the result
         */
        R layered(LayeredSpec spec);
    }
}
