package io.chainproof.numeric;

import io.chainproof.model.Model;

/**
 * A model's loss and gradient compiled by {@link GraphCompiler}: the forward rules and the reverse walk of its graph
 * as generated Java, equal bit for bit to {@link ModelEvaluator}'s walk in double precision. Immutable and
 * thread-safe.
 */
public final class CompiledGraph {

    private final Model model;
    private final GraphCompiler.Kernel kernel;
    private final String source;

    CompiledGraph(Model model, GraphCompiler.Kernel kernel, String source) {
        this.model = model;
        this.kernel = kernel;
        this.source = source;
    }

    /** @return the model compiled */
    public Model model() {
        return model;
    }

    /** @return the generated Java source */
    public String source() {
        return source;
    }

    /**
     * @param theta the parameters, flat layout; not modified
     * @return L(θ)
     */
    public double loss(double[] theta) {
        requireLength(theta);
        return kernel.loss(theta);
    }

    /**
     * @param theta the parameters, flat layout; not modified
     * @return ∂L/∂θ, flat layout
     */
    public double[] gradient(double[] theta) {
        requireLength(theta);
        double[] g = new double[theta.length];
        kernel.lossAndGradient(theta, g);
        return g;
    }

    /**
     * Adds ∂L/∂θ to {@code gradient} and returns L(θ), in one pass.
     *
     * @param theta    the parameters, flat layout; not modified
     * @param gradient the accumulator, same length
     * @return L(θ)
     */
    public double lossAndGradient(double[] theta, double[] gradient) {
        requireLength(theta);
        if (gradient.length != theta.length) {
            throw new IllegalArgumentException("Gradient array of length <" + gradient.length + "> does not fit the <"
                    + theta.length + "> parameters of model <" + model.name() + ">");
        }
        return kernel.lossAndGradient(theta, gradient);
    }

    private void requireLength(double[] theta) {
        if (theta.length != model.parameterCount()) {
            throw new IllegalArgumentException("Parameter vector of length <" + theta.length + "> does not fit the <"
                    + model.parameterCount() + "> parameters of model <" + model.name() + ">");
        }
    }
}
