package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import org.codehaus.janino.SimpleCompiler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compiles a network's loss and gradient into Java bytecode, once: the forward pass, then the chain
 * rule backwards layer by layer (δ-recursion), every local derivative taken from the Symja-derived
 * {@link io.chainproof.symbolic.LocalDerivatives} and emitted with common-subexpression elimination, compiled in memory with
 * Janino. No symbolic engine is involved per evaluation.
 *
 * <p>Backward recursion (per sample, Σ over the next layer's units i):
 * <pre>
 *   ∂L/∂o_L,j   = r · ∂ℓ/∂a (o_L,j, y_j)               r = 1 (sum) or 1/n_L (mean over outputs)
 *   ∂L/∂z_l,j   = ∂L/∂o_l,j · φ_l'(z_l,j)              softmax: Σ_i ∂L/∂o_L,i · ∂o_i/∂z_j
 *   ∂L/∂w_l,jk  = ∂L/∂z_l,j · ∂z_l,j/∂w_jk   (= o_l−1,k)
 *   ∂L/∂b_l,j   = ∂L/∂z_l,j · ∂z_l,j/∂b_j    (= 1)
 *   ∂L/∂o_l−1,k = Σ_j ∂L/∂z_l,j · ∂z_l,j/∂o_l−1,k  (= w_jk)
 * </pre>
 * Numerically stable bindings: softmax is evaluated with the maximum subtracted and its logarithm as
 * {@code z − max − log Σ e^{z−max}}; for a sigmoid output {@code log a = −softplus(−z)},
 * {@code 1 − a = σ(−z)}, {@code log(1 − a) = −softplus(z)}.
 *
 * <p>Two shapes of code: small networks ({@link UnrolledSource#suits}) are unrolled into straight-line
 * code over local variables, as one would write them by hand; larger ones get one loop per layer over
 * scratch arrays ({@link LoopedSource}), so the bytecode does not grow with the width.
 */
public final class NetworkCompiler {

    private static final AtomicInteger CLASS_COUNTER = new AtomicInteger();

    private NetworkCompiler() {
    }

    /**
     * Generates, compiles and returns the evaluator of {@code graph}'s loss and gradient.
     *
     * @param graph the network and its data
     * @return the compiled network
     */
    public static CompiledNetwork compile(ComputationGraph graph) {
        return compile(graph, UnrolledSource.suits(graph) ? Shape.UNROLLED : Shape.LOOPED);
    }

    /**
     * Starts compiling a one-unit network in the looped and the complex shape on a daemon thread, so the compiler's
     * own start (its classes loaded and warmed: 0.4 s of a cold JVM) overlaps with whatever the caller does first,
     * such as reading a large spec, on another core. Harmless if nothing is compiled after all.
     */
    public static void warmUpInBackground() {
        Thread warm = new Thread(() -> {
            try {
                io.chainproof.spec.NetworkSpec tiny = new io.chainproof.spec.NetworkSpec("warm-up", "<warm-up>", 1,
                        java.util.List.of(new io.chainproof.spec.LayerSpec(1, io.chainproof.ops.Activation.SIGMOID)),
                        io.chainproof.spec.Loss.MSE, new io.chainproof.spec.Parameters(
                        java.util.List.<double[][]>of(new double[][] {{0.5}}), java.util.List.of(new double[] {0.0})),
                        new io.chainproof.spec.Data(new double[][] {{1.0}}, new double[][] {{0.0}}));
                ComputationGraph graph = ComputationGraph.of(tiny);
                compile(graph, Shape.LOOPED).evaluate();
                ComplexNetworkCompiler.compile(graph);
            } catch (Throwable e) {
                // a warm-up only, silent even when the heap is too small for it: the real compilation reports problems
            }
        }, "chainproof-compiler-warm-up");
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
    }

    /** The two shapes of generated code. */
    enum Shape { UNROLLED, LOOPED }

    /** Compiles with the given shape of code (tests compare the two). */
    static CompiledNetwork compile(ComputationGraph graph, Shape shape) {
        String className = "GeneratedNetwork" + CLASS_COUNTER.incrementAndGet();
        String source = shape == Shape.UNROLLED
                ? new UnrolledSource(graph, className).write()
                : new LoopedSource(graph, className).write();
        try {
            SimpleCompiler compiler = new SimpleCompiler();
            compiler.setParentClassLoader(NetworkCompiler.class.getClassLoader());
            compiler.cook(source);
            Class<?> type = compiler.getClassLoader().loadClass("io.chainproof.numeric.generated." + className);
            @SuppressWarnings("unchecked")
            Class<? extends SampleKernel> kernelType = (Class<? extends SampleKernel>) type;
            return new CompiledNetwork(graph, kernelType, source, shape == Shape.UNROLLED);
        } catch (Exception e) {
            throw new IllegalStateException("generated gradient code for network <"
                    + graph.spec().name() + "> does not compile: " + e.getMessage(), e);
        }
    }
}

