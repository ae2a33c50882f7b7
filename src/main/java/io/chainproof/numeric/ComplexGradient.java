package io.chainproof.numeric;

/**
 * Every partial derivative of a loss by the complex step, flat in the parameter layout of
 * {@link io.chainproof.graph.ComputationGraph}, each with its {@link ComplexDerivative#magnitude()
 * magnitude} and {@link ComplexDerivative#nearKink() kink flag}. Instances are immutable: arrays are
 * copied in and out.
 *
 * @param values     ∂L/∂θ_i
 * @param magnitudes the absolute-value propagation per parameter (≥ |values[i]|)
 * @param nearKinks  whether parameter i's perturbed path passes within the kink band of a relu kink
 */
public record ComplexGradient(double[] values, double[] magnitudes, boolean[] nearKinks) {

    /**
     * Validates the components.
     *
     * @param values ∂L/∂θ_i
     * @param magnitudes the absolute-value propagation per parameter (≥ |values[i]|)
     * @param nearKinks whether parameter i's perturbed path passes within the kink band of a relu kink
     * @throws IllegalArgumentException if the three arrays differ in length
     */
    public ComplexGradient {
        if (magnitudes.length != values.length || nearKinks.length != values.length) {
            throw new IllegalArgumentException("Arrays of lengths <" + values.length + ">, <" + magnitudes.length
                    + "> and <" + nearKinks.length + "> must have one entry per parameter each");
        }
        values = values.clone();
        magnitudes = magnitudes.clone();
        nearKinks = nearKinks.clone();
    }

    /**
     * ∂L/∂θ_i for every parameter.
     *
     * @return a copy of the values, flat layout
     */
    @Override
    public double[] values() {
        return values.clone();
    }

    /**
     * The magnitude of every derivative: a bound on its value and the scale of its rounding error.
     *
     * @return a copy of the magnitudes, flat layout
     */
    @Override
    public double[] magnitudes() {
        return magnitudes.clone();
    }

    /**
     * Whether each parameter's perturbed path passes near a relu kink.
     *
     * @return a copy of the flags, flat layout
     */
    @Override
    public boolean[] nearKinks() {
        return nearKinks.clone();
    }

    /**
     * The number of parameters.
     *
     * @return the length of every array
     */
    public int size() {
        return values.length;
    }

    /**
     * Parameter i's derivative, magnitude and kink flag, without copying the arrays.
     *
     * @param i the flat index of θ_i
     * @return the derivative ∂L/∂θ_i with its magnitude and kink flag
     */
    public ComplexDerivative get(int i) {
        return new ComplexDerivative(values[i], magnitudes[i], nearKinks[i]);
    }
}
