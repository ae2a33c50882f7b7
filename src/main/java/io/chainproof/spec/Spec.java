package io.chainproof.spec;

/**
 * A validated spec file, one of the three kinds chainproof differentiates: an MLP ({@link NetworkSpec}, the
 * default), a recurrent network unrolled in time ({@link RnnSpec}, {@code "type": "rnn"}) or a user's formula
 * ({@link FormulaSpec}, {@code "type": "formula"}). {@link SpecReader#readAny} reads any of them.
 */
public sealed interface Spec permits NetworkSpec, RnnSpec, FormulaSpec {

    /** @return the spec's name, for reports */
    String name();

    /** @return where the spec came from (a file name, or {@code <string>}), for messages */
    String source();
}
