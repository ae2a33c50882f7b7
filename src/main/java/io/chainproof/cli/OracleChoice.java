package io.chainproof.cli;

import io.chainproof.check.Oracle;

/** The oracles a user can pick on the command line. */
enum OracleChoice {
    /** Im L(θ + ih)/h: exact to rounding. */
    complex_step(Oracle.COMPLEX_STEP),
    /** Dual numbers through the ops' forward rules, one forward pass per parameter. */
    forward_ad(Oracle.FORWARD_AD),
    /** Richardson-extrapolated central differences with an error estimate. */
    finite_difference(Oracle.CENTRAL_DIFFERENCE);

    final Oracle oracle;

    OracleChoice(Oracle oracle) {
        this.oracle = oracle;
    }
}
