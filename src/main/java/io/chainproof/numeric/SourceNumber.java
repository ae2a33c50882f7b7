package io.chainproof.numeric;

import io.chainproof.expr.Expr;
import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An arithmetic that writes code: running an op's rule on these numbers records, instead of computing, the Java
 * statements that compute it — each operation exactly as {@link io.chainproof.number.DoubleNumber} performs it, so
 * the compiled code gives the double-precision walk's results bit for bit. A number is a leaf (a literal, or a read
 * of the parameter vector) or the result of one recorded statement. Identical statements are recorded once
 * (common-subexpression elimination); operations on known constants are done at once, as double precision would do
 * them. Not thread-safe: one {@link Tape} per compilation.
 */
final class SourceNumber implements Real<SourceNumber> {

    /** The statements recorded by one compilation, in order, and the field whose numbers record onto it. */
    static final class Tape {

        /** One statement: {@code pattern} with {@code %s} for each operand, in order. */
        record Statement(String pattern, SourceNumber[] operands) {
        }

        /** Thrown when the tape would grow past its limit: the model is too large to compile. */
        static final class TooLong extends RuntimeException {
            TooLong() {
                super(null, null, false, false);
            }
        }

        private final List<Statement> statements = new ArrayList<>();
        private final int limit;

        /** A tape of at most {@code limit} statements. */
        Tape(int limit) {
            this.limit = limit;
        }
        private final Map<String, SourceNumber> seen = new HashMap<>();
        private final RealField<SourceNumber> field = new RealField<>() {
            @Override
            public SourceNumber constant(double value) {
                return new SourceNumber(Tape.this, -1, JavaEmitter.literal(value), value, true);
            }

            @Override
            public SourceNumber[] array(int length) {
                return new SourceNumber[length];
            }
        };

        /** @return the arithmetic that records onto this tape */
        RealField<SourceNumber> field() {
            return field;
        }

        /** @return the statements recorded so far */
        List<Statement> statements() {
            return statements;
        }

        /** A leaf read from a Java expression, e.g. {@code p[3]}, whose value is not known. */
        SourceNumber read(String java) {
            return new SourceNumber(this, -1, java, Double.NaN, false);
        }

        SourceNumber record(String pattern, SourceNumber... operands) {
            StringBuilder key = new StringBuilder(pattern);
            for (SourceNumber o : operands) {
                key.append('\u0000').append(o.statement >= 0 ? "#" + o.statement : o.leaf);
            }
            return seen.computeIfAbsent(key.toString(), k -> {
                if (statements.size() >= limit) {
                    throw new TooLong();
                }
                statements.add(new Statement(pattern, operands));
                return new SourceNumber(this, statements.size() - 1, null, Double.NaN, false);
            });
        }
    }

    private final Tape tape;
    /** The index of the statement that computes this number, or −1 for a leaf. */
    final int statement;
    /** A leaf's Java expression; null for a statement's result. */
    final String leaf;
    /** The value where it is known at compile time (a constant), else NaN. */
    private final double known;
    /** Whether this is a constant, whose value is {@link #known}. */
    private final boolean constant;

    private SourceNumber(Tape tape, int statement, String leaf, double known, boolean constant) {
        this.tape = tape;
        this.statement = statement;
        this.leaf = leaf;
        this.known = known;
        this.constant = constant;
    }

    private boolean isKnown() {
        return constant;
    }

    private SourceNumber constant(double v) {
        return tape.field.constant(v);
    }

    private static boolean isPlusZero(SourceNumber x) {
        return x.isPlusZeroConstant();
    }

    /** @return whether this is the constant +0.0 */
    boolean isPlusZeroConstant() {
        return constant && Double.doubleToRawLongBits(known) == 0L;
    }

    @Override
    public RealField<SourceNumber> field() {
        return tape.field;
    }

    /** The value where it is known when the code is written (a constant, such as a data value); NaN otherwise. */
    @Override
    public double value() {
        return known;
    }

    @Override
    public SourceNumber add(SourceNumber other) {
        if (isKnown() && other.isKnown()) {
            return constant(known + other.known);
        }
        // x + (+0.0) = x for every x but −0.0, whose sum is +0.0: equal values, so the compiled code may skip it
        if (isPlusZero(this)) {
            return other;
        }
        if (isPlusZero(other)) {
            return this;
        }
        return tape.record("%s + %s", this, other);
    }

    @Override
    public SourceNumber subtract(SourceNumber other) {
        if (isKnown() && other.isKnown()) {
            return constant(known - other.known);
        }
        return tape.record("%s - %s", this, other);
    }

    @Override
    public SourceNumber multiply(SourceNumber other) {
        if (isKnown() && other.isKnown()) {
            return constant(known * other.known);
        }
        // 1·x = x exactly, NaN and signed zeros included
        if (isKnown() && known == 1.0) {
            return other;
        }
        if (other.isKnown() && other.known == 1.0) {
            return this;
        }
        return tape.record("%s * %s", this, other);
    }

    @Override
    public SourceNumber divide(SourceNumber other) {
        if (isKnown() && other.isKnown()) {
            return constant(known / other.known);
        }
        return tape.record("%s / %s", this, other);
    }

    @Override
    public SourceNumber negate() {
        if (isKnown()) {
            return constant(-known);
        }
        return tape.record("-%s", this);
    }

    @Override
    public SourceNumber pow(double exponent) {
        if (isKnown()) {
            return constant(io.chainproof.expr.StableFunctions.power(known, exponent));
        }
        return tape.record("io.chainproof.expr.StableFunctions.power(%s, " + JavaEmitter.literal(exponent) + ")", this);
    }

    @Override
    public SourceNumber pow(SourceNumber exponent) {
        if (isKnown() && exponent.isKnown()) {
            return constant(Math.pow(known, exponent.known));
        }
        return tape.record("Math.pow(%s, %s)", this, exponent);
    }

    @Override
    public SourceNumber call(Expr.Fn fn) {
        if (isKnown()) {
            return constant(io.chainproof.expr.StableFunctions.apply(fn, known));
        }
        return tape.record(JavaEmitter.function(fn) + "(%s)", this);
    }

    @Override
    public SourceNumber ifPositive(SourceNumber whenPositive, SourceNumber otherwise) {
        if (isKnown()) {
            return known > 0 ? whenPositive : otherwise;
        }
        return tape.record("(%s > 0.0 ? %s : %s)", this, whenPositive, otherwise);
    }

    @Override
    public SourceNumber shiftMax(SourceNumber other) {
        if (isKnown() && other.isKnown()) {
            return constant(Math.max(known, other.known));
        }
        return tape.record("Math.max(%s, %s)", this, other);
    }

    @Override
    public String toString() {
        return leaf != null ? leaf : "#" + statement;
    }
}
