package io.chainproof.check;

import java.util.List;
import java.util.Objects;

/**
 * Every partial derivative's check for one function at one point, and the overall verdict: the function
 * passes when every check passes (agrees, or sits at a kink). Instances are immutable.
 *
 * @param kind   whether a gradient or a Jacobian was checked
 * @param checks one entry per coordinate (gradient) or per entry in row-major order (Jacobian)
 */
public record FunctionCheckReport(Kind kind, List<ParameterCheck> checks) {

    /** What was checked, which names the first column of {@link #text()}. */
    public enum Kind {
        /** ∇f of a scalar function: one check per coordinate. */
        GRADIENT("coordinate"),
        /** J = ∂f/∂x of a vector function: one check per entry J[i][j]. */
        JACOBIAN("entry");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        /**
         * The header of the first column: {@code coordinate} or {@code entry}.
         *
         * @return {@code coordinate} or {@code entry}
         */
        public String column() {
            return column;
        }
    }

    /**
     * Validates the components.
     *
     * @param kind whether a gradient or a Jacobian was checked
     * @param checks one entry per coordinate (gradient) or per entry in row-major order (Jacobian)
     */
    public FunctionCheckReport {
        Objects.requireNonNull(kind, "kind");
        checks = List.copyOf(checks);
    }

    /**
     * Whether every derivative passes.
     *
     * @return true if no check failed
     */
    public boolean passed() {
        return checks.stream().allMatch(c -> c.verdict().passed());
    }

    /**
     * The checks that did not pass, in order.
     *
     * @return the failed checks; empty when the report passed
     */
    public List<ParameterCheck> failures() {
        return checks.stream().filter(c -> !c.verdict().passed()).toList();
    }

    /**
     * The checks at kinks (passed, but with no derivative to compare), in order.
     *
     * @return the checks at kinks; possibly empty
     */
    public List<ParameterCheck> kinks() {
        return checks.stream().filter(c -> c.verdict() instanceof Verdict.NotDifferentiableHere).toList();
    }

    /**
     * The report as a fixed-width table — name, claimed value, central difference, its error estimate,
     * how far off the claim is, the allowed distance, the verdict — followed by notes on unresolved
     * derivatives and kinks and the overall verdict, e.g.
     * {@code FAILED: 1 of 3 derivatives disagree with finite differences}.
     *
     * @return the table and verdict, lines ending in {@code \n}
     */
    public String text() {
        return FunctionCheckRenderer.text(this);
    }
}
