package io.chainproof.symbolic;


import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The bound γ = sup_z |φ'(z)| of an elementwise activation's derivative, as derived by
 * {@link DerivativeBounds}: the constant of the local chain-rule factor {@code |∂o_k/∂o_{k−1}| = |φ'(z_k)|·|w_k|
 * ≤ γ·|w_k|} (Pascanu, Mikolov, Bengio 2013, eq. 7, with γ = 1/4 for the sigmoid and 1 for tanh).
 * Instances are immutable.
 *
 * @param activation which activation (never softmax): its spec name, or an op's kind
 * @param gamma      γ = sup_z |φ'(z)|, finite and positive
 * @param argmax     a point z* with |φ'(z*)| = γ, present exactly when the supremum is attained
 * @param attained   whether some z attains γ (softplus: no, γ = 1 is only a limit as z → ∞)
 * @param method     how γ was derived, e.g. which Symja routes found the critical points and limits
 */
public record ActivationBound(String activation, double gamma, OptionalDouble argmax, boolean attained,
                              String method) {

    /**
     * Validates the components.
     *
     * @param activation which activation (never softmax): its spec name, or an op's kind
     * @param gamma γ = sup_z |φ'(z)|, finite and positive
     * @param argmax a point z* with |φ'(z*)| = γ, present exactly when the supremum is attained
     * @param attained whether some z attains γ (softplus: no, γ = 1 is only a limit as z → ∞)
     * @param method how γ was derived, e.g. which Symja routes found the critical points and limits
     * @throws IllegalArgumentException if γ is not finite and positive, if {@code attained} disagrees with
     *                                  the presence of an argmax, or the activation is softmax
     */
    public ActivationBound {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(argmax, "argmax");
        Objects.requireNonNull(method, "method");
        if (activation.equals("softmax")) {
            throw new IllegalArgumentException("Activation <softmax> is not elementwise; it has no bound γ = sup|φ'(z)|");
        }
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("Bound γ <" + gamma + "> of activation <" + activation
                    + "> must be finite and positive");
        }
        if (attained != argmax.isPresent()) {
            throw new IllegalArgumentException("Bound of activation <" + activation + "> is "
                    + (attained ? "attained but has no argmax" : "not attained but has argmax <" + argmax + ">"));
        }
    }
}
