package io.chainproof.bench;

import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.SpecReader;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The compiled gradient of the lecture's 3-layer sigmoid chain against the same chain rule written by
 * hand in Java (target: compiled within 1.5× of hand-written per evaluation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GradientBenchmark {

    private CompiledNetwork network;
    private double[] parameters;
    private final double[] gradient = new double[6];
    private final double x = 1.0;
    private final double y = 1.0;

    @Setup
    public void setUp() {
        network = NetworkCompiler.compile(ComputationGraph.of(SpecReader.read(Path.of("examples/lecture-chain.json"))));
        parameters = network.graph().parameterValues();
    }

    @Benchmark
    public double compiledLectureChain() {
        return network.lossAndGradient(parameters, gradient) + gradient[0];
    }

    @Benchmark
    public double handWrittenLectureChain() {
        return handWritten(parameters, x, y, gradient) + gradient[0];
    }

    /** The lecture chain's SSE loss and gradient, written out by hand with the stable σ and σ'. */
    static double handWritten(double[] p, double x, double y, double[] g) {
        double z1 = p[0] * x + p[1];
        double o1 = StableFunctions.sigmoid(z1);
        double z2 = p[2] * o1 + p[3];
        double o2 = StableFunctions.sigmoid(z2);
        double z3 = p[4] * o2 + p[5];
        double o3 = StableFunctions.sigmoid(z3);
        double d = o3 - y;
        double dz3 = 2 * d * StableFunctions.sigmoidPrime(z3);
        g[4] = dz3 * o2;
        g[5] = dz3;
        double dz2 = dz3 * p[4] * StableFunctions.sigmoidPrime(z2);
        g[2] = dz2 * o1;
        g[3] = dz2;
        double dz1 = dz2 * p[2] * StableFunctions.sigmoidPrime(z1);
        g[0] = dz1 * x;
        g[1] = dz1;
        return d * d;
    }
}
