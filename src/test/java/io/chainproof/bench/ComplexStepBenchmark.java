package io.chainproof.bench;

import io.chainproof.check.ComplexStep;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.ComplexNetwork;
import io.chainproof.numeric.ComplexNetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.InitScheme;
import io.chainproof.spec.InitSpec;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The exhaustive complex-step gradient of a 64-64-32-1 sigmoid MLP (6,273 parameters; inputs 64, layers
 * 64, 32, 1; Xavier-uniform weights, mse) — the target is an exhaustive check in well under
 * 0.15 s warm — and, for scale, one literal complex-step partial derivative and one directional
 * derivative (one complex forward pass per sample).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ComplexStepBenchmark {

    /** Data samples the loss averages over. */
    @Param({"1", "16"})
    public int samples;

    private ComplexNetwork network;
    private double[] parameters;
    private double[] direction;

    @Setup
    public void setUp() {
        int inputs = 64;
        List<LayerSpec> layers = List.of(new LayerSpec(64, Activation.SIGMOID), new LayerSpec(32, Activation.SIGMOID),
                new LayerSpec(1, Activation.SIGMOID));
        Random r = new Random(42);
        double[][] x = new double[samples][inputs];
        double[][] y = new double[samples][1];
        for (int s = 0; s < samples; s++) {
            for (int k = 0; k < inputs; k++) {
                x[s][k] = r.nextGaussian();
            }
            y[s][0] = r.nextDouble();
        }
        NetworkSpec spec = new NetworkSpec("mlp-64-64-32-1", "<benchmark>", inputs, layers, Loss.MSE,
                new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, 42).initialise(inputs, layers), new Data(x, y));
        network = ComplexNetworkCompiler.compile(ComputationGraph.of(spec));
        parameters = network.graph().parameterValues();
        direction = r.doubles(parameters.length, -1, 1).toArray();
    }

    @Benchmark
    public ComplexStep.Result[] exhaustiveGradient() {
        return ComplexStep.gradient(network, parameters);
    }

    @Benchmark
    public ComplexStep.Result oneParameterOfTheFirstLayer() {
        return ComplexStep.derivative(network, parameters, 0);
    }

    @Benchmark
    public ComplexStep.Result directionalDerivative() {
        return ComplexStep.directional(network, parameters, direction);
    }
}
