package io.chainproof.check;

import java.util.List;
import java.util.Map;

/**
 * A scalar loss of named parameters with a gradient under test: what {@code gradient} and {@code check} need of a
 * model that is not an MLP (a recurrent network unrolled in time, a user's formula). Parameters are laid out
 * flat; {@link #tensors} shapes a flat vector back into the model's named tensors for JSON output.
 */
public interface DifferentiableLoss {

    /** @return the model's name, for reports */
    String name();

    /** @return where the model came from (a file name), for reports */
    String source();

    /** @return the flat parameters' names, e.g. {@code Wh[0][1]} or {@code w1}, in layout order */
    List<String> parameterNames();

    /** @return the parameter values of the spec, in layout order (a fresh copy) */
    double[] point();

    /**
     * @param theta parameter values in layout order
     * @return the loss at {@code theta}
     */
    double loss(double[] theta);

    /**
     * @param theta parameter values in layout order
     * @return the claimed gradient at {@code theta}, in layout order
     */
    double[] gradient(double[] theta);

    /**
     * @param flat a vector in layout order (e.g. a gradient)
     * @return the same values as named tensors in the model's own layout: a {@code Double}, a {@code double[]} or
     *         a {@code double[][]} per name, in order
     */
    Map<String, Object> tensors(double[] flat);
}
