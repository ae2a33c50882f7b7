package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.number.ComplexStepNumber;
import io.chainproof.number.VarianceDualNumber;

/** One full pass of a model per parameter: the literal oracles the tape's results are compared with. */
final class Literal {

    private Literal() {
    }

    /** The loss in complex-step arithmetic with parameter {@code index} seeded: its derivative and bound. */
    static ComplexStepNumber complexStep(Model model, double[] point, int index) {
        return ModelEvaluator.loss(model, ComplexStepNumber.FIELD,
                k -> k == index ? ComplexStepNumber.seed(point[k], 1) : ComplexStepNumber.FIELD.constant(point[k]));
    }

    /** The loss in variance-carrying dual numbers with parameter {@code index} seeded: its statistical error. */
    static VarianceDualNumber varianceDual(Model model, double[] point, int index) {
        return ModelEvaluator.loss(model, VarianceDualNumber.FIELD,
                k -> k == index ? VarianceDualNumber.seed(point[k], 1) : VarianceDualNumber.FIELD.constant(point[k]));
    }
}
