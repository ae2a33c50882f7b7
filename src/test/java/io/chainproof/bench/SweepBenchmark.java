package io.chainproof.bench;

import io.chainproof.bounds.Sweep;
import io.chainproof.bounds.SweepResult;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 60-point sweep (scales 0.01 to 1000 of W2, bias kept) of a 64-64-32-1 sigmoid MLP with Xavier-uniform
 * weights and one sample: the computation only (growth bounds at every scale), no CSV or plot (target: ≤ 1 s
 * warm).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SweepBenchmark {

    private NetworkSpec spec;

    @Setup
    public void setUp() {
        List<LayerSpec> layers = List.of(new LayerSpec(64, Activation.SIGMOID), new LayerSpec(32, Activation.SIGMOID),
                new LayerSpec(1, Activation.SIGMOID));
        double[] x = new double[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i + 1.0);
        }
        spec = new NetworkSpec("mlp-64-64-32-1", "SweepBenchmark", 64, layers, Loss.MSE,
                new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, 1).initialise(64, layers),
                new Data(new double[][] {x}, new double[][] {{0.5}}));
    }

    @Benchmark
    public SweepResult sweepLayer2Over60Points() {
        return Sweep.run(spec, 2, 0.01, 1000, 60, Sweep.BiasMode.KEEP);
    }
}
