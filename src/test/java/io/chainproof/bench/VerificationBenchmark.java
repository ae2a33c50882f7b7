package io.chainproof.bench;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.VerificationReport;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Verifying the gradient of a 64-64-32-1 sigmoid MLP (64 inputs; 6,273 parameters; 4 samples):
 * exhaustively (target ≤ 0.15 s warm; PyTorch gradcheck ≈ 1.5 s) and in fast mode (target ≤ 6 ms).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VerificationBenchmark {

    private CompiledNetwork network;
    private double[] claimed;
    private final GradientVerifier verifier = new GradientVerifier();
    private final GradientVerifier finiteDifferences = new GradientVerifier()
            .withOracle(io.chainproof.check.Oracle.CENTRAL_DIFFERENCE);

    @Setup
    public void setUp() {
        List<LayerSpec> layers = List.of(new LayerSpec(64, Activation.SIGMOID), new LayerSpec(32, Activation.SIGMOID),
                new LayerSpec(1, Activation.SIGMOID));
        SplittableRandom random = new SplittableRandom(7);
        double[][] x = new double[4][64];
        double[][] y = new double[4][1];
        for (int s = 0; s < 4; s++) {
            for (int k = 0; k < 64; k++) {
                x[s][k] = random.nextDouble(-1, 1);
            }
            y[s][0] = random.nextDouble();
        }
        NetworkSpec spec = new NetworkSpec("mlp-64-64-32-1", "<benchmark>", 64, layers, Loss.MSE,
                new InitSpec(InitScheme.XAVIER_UNIFORM, 1.0, 1).initialise(64, layers), new Data(x, y));
        network = NetworkCompiler.compile(ComputationGraph.of(spec));
        claimed = network.evaluate().gradient();
        network.complexStep();
    }

    @Benchmark
    public VerificationReport exhaustiveComplexStep() {
        return verifier.verifyExhaustively(network, claimed);
    }

    @Benchmark
    public VerificationReport exhaustiveFiniteDifferences() {
        return finiteDifferences.verifyExhaustively(network, claimed);
    }

    @Benchmark
    public VerificationReport fast() {
        return verifier.verifyFast(network, claimed, GradientVerifier.DEFAULT_DIRECTIONS, 0L);
    }
}
