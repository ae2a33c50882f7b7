package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.spec.Data;

import java.lang.reflect.InvocationTargetException;

/**
 * A network's loss and gradient, compiled to bytecode by {@link NetworkCompiler}: the loss is the mean
 * over the spec's data samples of the per-sample loss, and so is the gradient.
 *
 * <p>Thread-safe: a kernel with scratch arrays is instantiated once per thread.
 */
public final class CompiledNetwork {

    private final ComputationGraph graph;
    private final String source;
    private final double[][] x;
    private final double[][] y;
    private final SampleKernel shared;
    private final ThreadLocal<SampleKernel> kernels;

    /**
     * @param stateless whether the generated kernel keeps no scratch state, so one instance can serve
     *                  every thread (unrolled code); otherwise each thread gets its own
     */
    CompiledNetwork(ComputationGraph graph, Class<? extends SampleKernel> kernelType, String source, boolean stateless) {
        this.graph = graph;
        this.source = source;
        Data data = graph.spec().data();
        this.x = data.x();
        this.y = data.y();
        this.shared = stateless ? instantiate(kernelType) : null;
        this.kernels = stateless ? null : ThreadLocal.withInitial(() -> instantiate(kernelType));
    }

    private SampleKernel kernel() {
        return shared != null ? shared : kernels.get();
    }

    private static SampleKernel instantiate(Class<? extends SampleKernel> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("cannot instantiate generated kernel " + type.getName(), e);
        }
    }

    /**
     * The graph this network was compiled from.
     *
     * @return the graph, with the spec and the flat parameter layout
     */
    public ComputationGraph graph() {
        return graph;
    }

    private volatile ComplexNetwork complex;

    /**
     * The same network's loss compiled for complex-step differentiation ({@link ComplexNetworkCompiler}),
     * compiled on first use and kept.
     *
     * @return the complex-step network; the same instance on every call
     */
    public ComplexNetwork complexStep() {
        ComplexNetwork c = complex;
        if (c == null) {
            synchronized (this) {
                c = complex;
                if (c == null) {
                    c = ComplexNetworkCompiler.compile(graph);
                    complex = c;
                }
            }
        }
        return c;
    }

    /**
     * The generated Java source.
     *
     * @return the source of the generated kernel class
     */
    public String source() {
        return source;
    }

    /**
     * Number of scalar parameters.
     *
     * @return the length of every flat parameter vector
     */
    public int parameterCount() {
        return graph.parameters().size();
    }

    /**
     * The loss at {@code parameters} (flat layout), averaged over the samples.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @return the mean loss L(θ)
     */
    public double loss(double[] parameters) {
        checkLength(parameters);
        SampleKernel k = kernel();
        double sum = 0;
        for (int s = 0; s < x.length; s++) {
            sum += k.lossAndGradient(parameters, x[s], y[s], 0, null);
        }
        return sum / x.length;
    }

    /**
     * Writes the gradient at {@code parameters} into {@code gradient} (overwriting it) and returns the loss;
     * allocates nothing.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @param gradient receives ∂L/∂θ, flat layout; as long as {@code parameters}
     * @return the mean loss L(θ)
     */
    public double lossAndGradient(double[] parameters, double[] gradient) {
        checkLength(parameters);
        checkLength(gradient);
        java.util.Arrays.fill(gradient, 0.0);
        SampleKernel k = kernel();
        double weight = 1.0 / x.length;
        double sum = 0;
        for (int s = 0; s < x.length; s++) {
            sum += k.lossAndGradient(parameters, x[s], y[s], weight, gradient);
        }
        return sum / x.length;
    }

    /**
     * Loss and gradient at {@code parameters}.
     *
     * @param parameters the parameters θ, flat layout; not modified
     * @return L(θ) and ∂L/∂θ
     */
    public Evaluation evaluate(double[] parameters) {
        double[] g = new double[parameterCount()];
        double loss = lossAndGradient(parameters, g);
        return new Evaluation(loss, g);
    }

    /**
     * Loss and gradient at the spec's own parameters.
     *
     * @return L and ∂L/∂θ at the spec's parameters
     */
    public Evaluation evaluate() {
        return evaluate(graph.parameterValues());
    }

    private void checkLength(double[] v) {
        if (v.length != parameterCount()) {
            throw new IllegalArgumentException("Vector of length <" + v.length + "> does not match the <"
                    + parameterCount() + "> parameters of network <" + graph.spec().name() + ">");
        }
    }

    /**
     * A loss value and its gradient in the flat parameter layout. Instances are immutable.
     *
     * @param loss     the loss
     * @param gradient ∂L/∂θ for every parameter θ, flat
     */
    public record Evaluation(double loss, double[] gradient) {
        /**
         * Validates the components.
         *
         * @param loss the loss
         * @param gradient ∂L/∂θ for every parameter θ, flat
         */
        public Evaluation {
            gradient = gradient.clone();
        }

        /**
         * ∂L/∂θ for every parameter θ.
         *
         * @return a copy of the gradient, flat layout
         */
        @Override
        public double[] gradient() {
            return gradient.clone();
        }

        /**
         * ∂L/∂θ_i without copying the vector.
         *
         * @param i the flat index of θ_i
         * @return ∂L/∂θ_i
         */
        public double gradient(int i) {
            return gradient[i];
        }
    }
}
