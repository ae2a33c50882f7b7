package io.chainproof.number;

/**
 * A forward rule of one parameter written once over {@link Real}, so that the same definition runs in every
 * arithmetic (Java has no generic lambdas, hence the interface).
 */
interface OneParameterRule {

    /**
     * @param w   the parameter, in some arithmetic
     * @param <T> the arithmetic
     * @return the rule's value at w
     */
    <T extends Real<T>> T apply(T w);

    /**
     * @param w the parameter's value
     * @return the complex step of the rule at w, seeded along 1
     */
    default ComplexStepNumber complexStep(double w) {
        return apply(ComplexStepNumber.seed(w, 1));
    }

    /**
     * @param w the parameter's value
     * @return the dual number of the rule at w, seeded along 1
     */
    default DualNumber dual(double w) {
        return apply(DualNumber.seed(w, 1));
    }
}
