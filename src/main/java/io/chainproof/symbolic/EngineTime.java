package io.chainproof.symbolic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The time a thread's evaluations have spent inside the {@link SymbolicEngine}, from the moment each got the engine to
 * its end: its own work, without the time it waited for another caller's evaluation to let go of the engine. A caller
 * with a time limit ({@code FormulaModel}) counts this, so that a parallel test suite's other symbolic work does not
 * use up its limit. Safe to read from any thread while the measured one evaluates.
 */
public final class EngineTime {

    private final AtomicLong finished = new AtomicLong();
    /** {@link System#nanoTime()} when the running evaluation got the engine; meaningful while {@link #inside}. */
    private volatile long since;
    private volatile boolean inside;

    /** A clock at zero. */
    public EngineTime() {
    }

    void start() {
        since = System.nanoTime();
        inside = true;
    }

    void stop() {
        inside = false;
        finished.addAndGet(System.nanoTime() - since);
    }

    /**
     * @return the nanoseconds spent inside the engine so far, the running evaluation included
     */
    public long nanos() {
        long done = finished.get();
        return inside ? done + (System.nanoTime() - since) : done;
    }
}
