package io.chainproof.cli;

/** Output formats of the gradient and check commands. */
enum OutputFormat {
    /** readable text. */
    text,
    /** JSON; JSON Lines (one object per line) for several specs. */
    json
}
