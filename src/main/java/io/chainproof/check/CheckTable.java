package io.chainproof.check;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The checks of a verification as columns: per check a few numbers (the claim, the oracle's estimate, the verdict's
 * error and allowance, the rounding bound) and a byte for the verdict's kind, with names taken from the model's
 * parameter list and reasons (kinks, non-finite values) kept only where there are some. Read as an immutable list,
 * each {@link ParameterCheck} is made when asked for: a million checks hold ~60 MB here, ~190 MB as objects with their
 * names. Built once by {@link Builder}, then never changed.
 */
final class CheckTable extends AbstractList<ParameterCheck> implements RandomAccess {

    private static final byte AGREES = 0;
    private static final byte DISAGREES = 1;
    private static final byte KINK = 2;
    private static final byte NON_FINITE = 3;

    private final List<String> names;
    private final int[] rows;
    private final Oracle oracle;
    private final double[] claimed;
    private final double[] value;
    private final double[] errorEstimate;
    private final double[] step;
    private final double[] bound;
    private final double[] error;
    private final double[] allowed;
    private final byte[] kind;
    private final Map<Integer, String> reasons;
    private final int failures;

    private CheckTable(Builder b) {
        this.names = b.names;
        this.rows = b.rows;
        this.oracle = b.oracle;
        this.claimed = b.claimed;
        this.value = b.value;
        this.errorEstimate = b.errorEstimate;
        this.step = b.step;
        this.bound = b.bound;
        this.error = b.error;
        this.allowed = b.allowed;
        this.kind = b.kind;
        this.reasons = Map.copyOf(b.reasons);
        int failed = 0;
        for (byte k : kind) {
            failed += k == DISAGREES || k == NON_FINITE ? 1 : 0;
        }
        this.failures = failed;
    }

    @Override
    public ParameterCheck get(int c) {
        java.util.Objects.checkIndex(c, rows.length);
        return new ParameterCheck(names.get(rows[c]), claimed[c], new Estimate(value[c], errorEstimate[c], step[c]),
                oracle, verdict(c), bound[c]);
    }

    @Override
    public int size() {
        return rows.length;
    }

    /** @return the number of checks whose verdict did not pass */
    int failures() {
        return failures;
    }

    /**
     * The verdict of check {@code c}.
     *
     * @param c the check's position
     * @return its verdict
     */
    Verdict verdict(int c) {
        return switch (kind[c]) {
            case AGREES -> new Verdict.Agrees(error[c], allowed[c]);
            case DISAGREES -> new Verdict.Disagrees(error[c], allowed[c]);
            case KINK -> new Verdict.NotDifferentiableHere(reasons.get(c));
            default -> new Verdict.NonFinite(reasons.get(c));
        };
    }

    /**
     * What check {@code c}'s verdict allowed: the allowance of an agreement or disagreement, NaN for the others.
     *
     * @param c the check's position
     * @return the allowance, or NaN
     */
    double allowed(int c) {
        return kind[c] == AGREES || kind[c] == DISAGREES ? allowed[c] : Double.NaN;
    }

    /** Collects the checks in order; each row set once. */
    static final class Builder {

        private final List<String> names;
        private final int[] rows;
        private final Oracle oracle;
        private final double[] claimed;
        private final double[] value;
        private final double[] errorEstimate;
        private final double[] step;
        private final double[] bound;
        private final double[] error;
        private final double[] allowed;
        private final byte[] kind;
        private final Map<Integer, String> reasons = new HashMap<>();

        /**
         * A table of one check per entry of {@code rows}.
         *
         * @param names the model's parameter names, all of them
         * @param rows the parameters checked, as indices into {@code names}, in order
         * @param oracle the oracle that decided them
         */
        Builder(List<String> names, int[] rows, Oracle oracle) {
            this.names = names;
            this.rows = rows.clone();
            this.oracle = oracle;
            int n = rows.length;
            this.claimed = new double[n];
            this.value = new double[n];
            this.errorEstimate = new double[n];
            this.step = new double[n];
            this.bound = new double[n];
            this.error = new double[n];
            this.allowed = new double[n];
            this.kind = new byte[n];
            Arrays.fill(bound, Double.NaN);
        }

        /**
         * Sets check {@code c}.
         *
         * @param c the check's position
         * @param claim the claimed value
         * @param estimate the oracle's estimate
         * @param verdict the verdict
         * @param roundingBound the rounding bound of a correct backward pass, or NaN
         */
        void set(int c, double claim, Estimate estimate, Verdict verdict, double roundingBound) {
            claimed[c] = claim;
            value[c] = estimate.value();
            errorEstimate[c] = estimate.errorEstimate();
            step[c] = estimate.step();
            bound[c] = roundingBound;
            if (verdict instanceof Verdict.Agrees a) {
                kind[c] = AGREES;
                error[c] = a.error();
                allowed[c] = a.allowed();
            } else if (verdict instanceof Verdict.Disagrees d) {
                kind[c] = DISAGREES;
                error[c] = d.error();
                allowed[c] = d.allowed();
            } else if (verdict instanceof Verdict.NotDifferentiableHere k) {
                kind[c] = KINK;
                reasons.put(c, k.reason());
            } else if (verdict instanceof Verdict.NonFinite f) {
                kind[c] = NON_FINITE;
                reasons.put(c, f.what());
            }
        }

        /** @return the table; the builder must not be used again */
        CheckTable build() {
            return new CheckTable(this);
        }
    }
}
