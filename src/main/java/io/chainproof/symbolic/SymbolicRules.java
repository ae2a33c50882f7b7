package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.ops.LocalRules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ops' local derivatives by Symja's {@code D}, read back in stable form ({@link SymbolicEngine#derivative}) and
 * cached for the life of the JVM: each op definition is differentiated once, however many nodes use it.
 * Thread-safe.
 */
public final class SymbolicRules implements LocalRules {

    private static final SymbolicRules INSTANCE = new SymbolicRules();

    private final Map<Key, Expr> cache = new ConcurrentHashMap<>();

    private record Key(Expr definition, String variable) {
    }

    private SymbolicRules() {
    }

    /** @return the shared, caching instance */
    public static SymbolicRules instance() {
        return INSTANCE;
    }

    @Override
    public double derivativeBound(io.chainproof.ops.ElementwiseOp op) {
        return DerivativeBounds.of(op).gamma();
    }

    @Override
    public Expr derivative(Expr definition, String variable) {
        return cache.computeIfAbsent(new Key(definition, variable),
                k -> SymbolicEngine.instance().derivative(k.definition(), k.variable()));
    }
}
