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

    /**
     * @param layered the layered spec given to a command that serves MLP, RNN and formula specs only
     * @param command the command, e.g. {@code bound}
     * @param serves  what the command serves, e.g. {@code "MLP and RNN specs"}
     * @return the exception to throw
     */
    static SpecException layered(io.chainproof.spec.LayeredSpec layered, String command, String serves) {
        return new SpecException(layered.source(), "layers", layered.layers().size() + " layers ("
                + String.join(", ", layered.layers().stream().map(io.chainproof.spec.LayeredSpec.Layer::type)
                        .distinct().toList()) + ")",
                "are a layered model, and " + command + " works on " + serves + " only",
                "check this model's gradients with gradient, check or verify (every oracle works on it)");
    }
}
