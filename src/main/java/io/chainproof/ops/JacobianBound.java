package io.chainproof.ops;

/**
 * Two bounds on the spectral norm of an op's Jacobian ∂output/∂input with respect to one input: one certified
 * for every value of that input (given the op's parameters — sup|φ'| of an activation, ‖W‖₂ of an affine map),
 * and one at the input's present value (max_j |φ'(z_j)|). Instances are immutable.
 *
 * @param certified the bound for every value of the input; ≥ here
 * @param here      the bound at the present value; ≥ the spectral norm of the Jacobian there
 */
public record JacobianBound(double certified, double here) {

    /**
     * Validates the components.
     *
     * @param certified the bound for every value of the input
     * @param here      the bound at the present value
     */
    public JacobianBound {
        if (!(here >= 0) || !(certified >= 0)) {
            throw new IllegalArgumentException("Jacobian bounds <" + certified + ", " + here + "> must be ≥ 0");
        }
    }
}
