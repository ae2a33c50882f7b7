package io.chainproof.symbolic;

import io.chainproof.expr.Expr;
import io.chainproof.ops.LocalRules;

import java.util.List;

/**
 * The local derivatives as libraries write them, for bounding the rounding error of <em>their</em> backward pass:
 * σ' as {@code σ·(1 − σ)} and tanh' as {@code 1 − tanh²} — the forms PyTorch's and most hand-written backward
 * passes use, which lose all relative accuracy in saturation (1 − σ rounds to 0 at σ ≈ 1) — where chainproof's own
 * rules ({@link SymbolicRules}) use stable forms. Other definitions take chainproof's rules. Thread-safe.
 */
public final class TextbookRules implements LocalRules {

    private static final TextbookRules INSTANCE = new TextbookRules();

    private TextbookRules() {
    }

    /** @return the shared instance */
    public static TextbookRules instance() {
        return INSTANCE;
    }

    @Override
    public Expr derivative(Expr definition, String variable) {
        if (definition instanceof Expr.Call c && c.argument() instanceof Expr.Sym s && s.name().equals(variable)) {
            if (c.fn() == Expr.Fn.SIGMOID) {
                return new Expr.Product(List.of(c, new Expr.Sum(List.of(new Expr.Num(1),
                        new Expr.Product(List.of(new Expr.Num(-1), c))))));
            }
            if (c.fn() == Expr.Fn.TANH) {
                return new Expr.Sum(List.of(new Expr.Num(1),
                        new Expr.Product(List.of(new Expr.Num(-1), new Expr.Power(c, new Expr.Num(2))))));
            }
        }
        return SymbolicRules.instance().derivative(definition, variable);
    }

    @Override
    public double derivativeBound(io.chainproof.ops.ElementwiseOp op) {
        return SymbolicRules.instance().derivativeBound(op);
    }
}
