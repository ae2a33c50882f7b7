package io.chainproof.spec;

import java.util.function.Supplier;

/**
 * Limits a caller sets on the specs its thread reads, beside the ones the heap sets: the most parameters a model may
 * have ({@code --max-parameters} on the command line). Readers refuse a larger model from its shapes, before anything
 * is allocated, with a {@link SpecException} naming the layer, the count and the limit.
 */
public final class ReadLimits {

    private static final ThreadLocal<Long> MAX_PARAMETERS = new ThreadLocal<>();

    private ReadLimits() {
    }

    /**
     * Runs {@code read} with at most {@code maxParameters} parameters per model read on this thread.
     *
     * @param maxParameters the most parameters, ≥ 1
     * @param read          the reading (and whatever follows it)
     * @param <T>           its result
     * @return what {@code read} returns
     * @throws IllegalArgumentException if {@code maxParameters} is below 1
     */
    public static <T> T withMaxParameters(long maxParameters, Supplier<T> read) {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("Maximum parameters <" + maxParameters + "> must be at least 1");
        }
        Long before = MAX_PARAMETERS.get();
        MAX_PARAMETERS.set(maxParameters);
        try {
            return read.get();
        } finally {
            if (before == null) {
                MAX_PARAMETERS.remove();
            } else {
                MAX_PARAMETERS.set(before);
            }
        }
    }

    /** @return the limit set on this thread, or {@link Long#MAX_VALUE} if none is */
    static long maxParameters() {
        Long limit = MAX_PARAMETERS.get();
        return limit == null ? Long.MAX_VALUE : limit;
    }
}
