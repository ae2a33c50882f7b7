package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.ops.LocalRules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ops' local derivatives by Symja's {@code D}, read back in stable form ({@link SymbolicEngine#derivative}) and
 * cached for the life of the JVM: each op definition is differentiated once, however many nodes use it; those of the
 * bundled models come from the kept derivations ({@link DerivedRules}) without starting Symja.
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
        return cache.computeIfAbsent(new Key(definition, variable), k -> {
            Expr kept = DerivedRules.kept().derivatives().get(new DerivedRules.Key(k.definition(), k.variable()));
            return kept != null ? kept : derive(k.definition(), k.variable());
        });
    }

    /**
     * ∂definition/∂variable by Symja now, not from the kept derivations.
     *
     * @param definition an op definition
     * @param variable the symbol to differentiate by
     * @return the derivative in stable form
     */
    static Expr derive(Expr definition, String variable) {
        return SymbolicEngine.instance().derivative(definition, variable);
    }
}
