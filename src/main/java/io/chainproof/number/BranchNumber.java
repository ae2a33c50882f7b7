package io.chainproof.number;

import io.chainproof.expr.Expr;
import io.chainproof.expr.StableFunctions;

import java.util.BitSet;

/**
 * Double precision that records every branch it takes: each {@link #ifPositive} (a kink's test, such as relu's or
 * max-pooling's comparison) appends its outcome to the field's trace, in evaluation order, while
 * {@link #ifPositiveJoined} (pieces that join smoothly) does not. Running an op's forward rule at two points and
 * comparing the traces tells whether a kink lies between them, for any op. Values are computed exactly as
 * {@link DoubleNumber} computes them. Not thread-safe: one {@link Trace} per evaluation.
 *
 * @param value the value
 * @param trace the trace the branches are recorded on
 */
public record BranchNumber(double value, Trace trace) implements Real<BranchNumber> {

    /** The outcomes of the branches taken, in order, and the arithmetic whose numbers record on it. */
    public static final class Trace implements RealField<BranchNumber> {

        private final BitSet outcomes = new BitSet();
        private int count;

        @Override
        public BranchNumber constant(double value) {
            return new BranchNumber(value, this);
        }

        @Override
        public BranchNumber[] array(int length) {
            return new BranchNumber[length];
        }

        void record(boolean positive) {
            outcomes.set(count++, positive);
        }

        /**
         * @param other another trace
         * @return whether both took the same branches, in the same order
         */
        public boolean sameBranches(Trace other) {
            return count == other.count && outcomes.equals(other.outcomes);
        }

        /** @return the number of branches taken */
        public int branches() {
            return count;
        }
    }

    @Override
    public RealField<BranchNumber> field() {
        return trace;
    }

    @Override
    public BranchNumber add(BranchNumber other) {
        return new BranchNumber(value + other.value, trace);
    }

    @Override
    public BranchNumber subtract(BranchNumber other) {
        return new BranchNumber(value - other.value, trace);
    }

    @Override
    public BranchNumber multiply(BranchNumber other) {
        return new BranchNumber(value * other.value, trace);
    }

    @Override
    public BranchNumber divide(BranchNumber other) {
        return new BranchNumber(value / other.value, trace);
    }

    @Override
    public BranchNumber negate() {
        return new BranchNumber(-value, trace);
    }

    @Override
    public BranchNumber pow(double exponent) {
        return new BranchNumber(StableFunctions.power(value, exponent), trace);
    }

    @Override
    public BranchNumber pow(BranchNumber exponent) {
        return new BranchNumber(Math.pow(value, exponent.value), trace);
    }

    @Override
    public BranchNumber call(Expr.Fn fn) {
        return new BranchNumber(StableFunctions.apply(fn, value), trace);
    }

    @Override
    public BranchNumber ifPositive(BranchNumber whenPositive, BranchNumber otherwise) {
        trace.record(value > 0);
        return value > 0 ? whenPositive : otherwise;
    }

    @Override
    public BranchNumber ifPositiveJoined(BranchNumber whenPositive, BranchNumber otherwise) {
        return value > 0 ? whenPositive : otherwise;
    }

    @Override
    public String toString() {
        return Double.toString(value);
    }
}
