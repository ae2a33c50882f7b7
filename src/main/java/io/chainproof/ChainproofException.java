package io.chainproof;

/**
 * The root of every exception chainproof throws on purpose. All of them are unchecked; subclasses say
 * which kind of failure occurred (bad input, a failed check, ...), and every message names the input,
 * its value, the rule it broke and what to do.
 */
public class ChainproofException extends RuntimeException {

    /**
     * Creates an exception with a complete, user-facing message.
     *
     * @param message what went wrong, with the offending input and a fix
     */
    public ChainproofException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a complete, user-facing message and the lower-level cause.
     *
     * @param message what went wrong, with the offending input and a fix
     * @param cause   the exception that revealed the problem
     */
    public ChainproofException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The command line's exit code for this failure: 2, bad input, unless a subclass says otherwise (a finding about
     * the model, such as values that overflow, is 1).
     *
     * @return the exit code
     */
    public int exitCode() {
        return 2;
    }
}
