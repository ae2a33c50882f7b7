package io.chainproof.cli;

import io.chainproof.spec.FormulaSpec;
import io.chainproof.spec.SpecException;

/**
 * The outcome of a command that a model cannot support: bad input (exit 2) whose message says why and what to run
 * instead. Each command decides per spec kind through {@link io.chainproof.spec.Spec.Visitor}, so a new kind cannot
 * slip through unhandled.
 */
final class Unsupported {

    private Unsupported() {
    }

    /**
     * @param formula the formula spec given to a bounds command
     * @param command {@code bound} or {@code sweep}
     * @return the exception to throw
     */
    static SpecException bounds(FormulaSpec formula, String command) {
        return new SpecException(formula.source(), "type", "formula", "has no layers or recurrence to bound",
                command + " works on MLP and RNN specs; use gradient, check, verify or derive for a formula");
    }
}
