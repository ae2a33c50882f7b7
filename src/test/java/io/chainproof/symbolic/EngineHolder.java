package io.chainproof.symbolic;

/**
 * Test support: another caller's evaluation that holds the symbolic engine until it is stopped — a loop that never
 * ends by itself ({@code While[True, …]}), so a test that needs the engine busy does not depend on how long a real
 * differentiation takes on this machine (a 600-term derivative was over in 600 ms on a fast run).
 */
public final class EngineHolder {

    private EngineHolder() {
    }

    /**
     * Starts a daemon thread that evaluates an endless loop under the engine's lock, and returns once the engine is
     * busy with it. Stop it with {@link SymbolicEngine#stop(Thread, java.time.Duration)}.
     *
     * @return the holding thread, alive
     * @throws InterruptedException if interrupted while waiting for the engine to become busy
     */
    public static Thread hold() throws InterruptedException {
        SymbolicEngine engine = SymbolicEngine.instance();
        Thread holder = new Thread(() -> {
            try {
                engine.evaluate("n = 0; While[True, n = n + 1]");
            } catch (io.chainproof.ChainproofException stopped) {
                // stopped by the test once it has seen what it waits for
            }
        }, "holds-the-engine");
        holder.setDaemon(true);
        holder.start();
        while (!engine.busy() && holder.isAlive()) {
            Thread.sleep(1);
        }
        if (!holder.isAlive()) {
            throw new IllegalStateException("the endless loop ended by itself");
        }
        return holder;
    }
}
