/**
 * Symbolic differentiation with Symja, confined to this package: {@link io.chainproof.symbolic.ChainRuleDerivation}
 * factors ∂L/∂θ of a network spec by the chain rule into named local derivatives
 * ({@code ∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁}), assembled from
 * {@link io.chainproof.symbolic.LocalDerivatives} that Symja derives once per activation and loss and that
 * are read back into {@link io.chainproof.expr.Expr} with a stable lowering (σ(1 − σ) becomes σ', which
 * does not round to 0 at z = 250); {@link io.chainproof.symbolic.AgreementProof} proves the written-out
 * chain-rule form equal to Symja's direct {@code D[L, θ]}; {@link io.chainproof.symbolic.MathNotation}
 * renders expressions as text and LaTeX. No Symja type appears in the public API; all Symja work goes
 * through {@link io.chainproof.symbolic.SymbolicEngine}.
 *
 * <p>Thread safety: Symja is not thread-safe, so {@code SymbolicEngine} runs every evaluation under one lock;
 * derivations from several threads are correct and take turns in Symja. The caches of derived rules
 * ({@code LocalDerivatives}, {@code SymbolicRules}, {@code DerivativeBounds}) are filled under locks or
 * concurrent maps, and {@code ChainRuleDerivation} instances are immutable.
 */
package io.chainproof.symbolic;
