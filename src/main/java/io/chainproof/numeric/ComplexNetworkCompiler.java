package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import org.codehaus.janino.SimpleCompiler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiles a network's forward pass and loss — values only, no derivative expression — into a
 * complex-capable evaluator for the complex step {@code ∂L/∂θ_i ≈ Im L(θ + ih e_i)/h}: generated Java
 * (see {@link ComplexSource}) over pairs of doubles, with common-subexpression elimination, compiled in
 * memory with Janino. The result is independent of the symbolic gradient (no chain-rule code, no
 * {@code LocalDerivatives} derivative is compiled) and of finite differences (no subtraction of nearby
 * values).
 */
public final class ComplexNetworkCompiler {

    private static final AtomicInteger CLASS_COUNTER = new AtomicInteger();

    private ComplexNetworkCompiler() {
    }

    /**
     * Generates, compiles and returns the complex-step evaluator of {@code graph}'s loss.
     *
     * @param graph the network and its data
     * @return the compiled complex-step network
     */
    public static ComplexNetwork compile(ComputationGraph graph) {
        String className = "GeneratedComplexNetwork" + CLASS_COUNTER.incrementAndGet();
        String source = new ComplexSource(graph, className).write();
        try {
            SimpleCompiler compiler = new SimpleCompiler();
            compiler.setParentClassLoader(ComplexNetworkCompiler.class.getClassLoader());
            compiler.cook(source);
            Class<?> type = compiler.getClassLoader().loadClass("io.chainproof.numeric.generated." + className);
            @SuppressWarnings("unchecked")
            Class<? extends ComplexSampleKernel> kernelType = (Class<? extends ComplexSampleKernel>) type;
            return new ComplexNetwork(graph, kernelType, source);
        } catch (Exception e) {
            throw new IllegalStateException("generated complex-step code for network <" + graph.spec().name()
                    + "> does not compile: " + e.getMessage(), e);
        }
    }
}
