package io.chainproof.bench;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.GraphFunction;
import io.chainproof.check.VerificationReport;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.numeric.ModelEvaluator;
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
 * Layered models, in-process: the reverse walk's gradient of the small CNN example and of a conv net with about
 * 50,000 parameters, compiling the big one, (conv2d 3→16 k3 on 16×16, conv2d 16→16 k3, dense to 20; built from the spec below), and the
 * complex-step verification of the small CNN exhaustively and of the big one both exhaustively (on a
 * {@link io.chainproof.numeric.ComplexTape}, from a fresh function: recording included) and in fast mode; and an
 * lstm of hidden 32 over 50 steps ({@link io.chainproof.TestData#lstm}): its gradient and its exhaustive
 * complex-step verification (the tape's cones stitched at the recurrent states).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class LayeredBenchmark {

    /** The big conv net, as a spec (weights drawn by init, two samples from a fixed generator). */
    static String bigSpec() {
        String x = io.chainproof.TestData.images(2, 3, 16, 1);
        String hot0 = "[1" + ",0".repeat(19) + "]";
        String hot1 = "[" + "0,".repeat(19) + "1]";
        return "{\"name\": \"conv50k\", \"inputs\": [3, 16, 16], \"layers\": ["
                + "{\"type\": \"conv2d\", \"channels\": 16, \"kernel\": 3, \"activation\": \"relu\"},"
                + "{\"type\": \"conv2d\", \"channels\": 16, \"kernel\": 3, \"activation\": \"relu\"},"
                + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 20, \"activation\": \"softmax\"}],"
                + "\"loss\": \"cross_entropy\", \"init\": {\"scheme\": \"he_uniform\", \"seed\": 1},"
                + "\"data\": {\"x\": " + x + ", \"y\": [" + hot0 + "," + hot1 + "]}}";
    }

    private Model small;
    private Model big;
    private GraphFunction smallFunction;
    private GraphFunction bigFunction;
    private double[] smallClaimed;
    private double[] bigClaimed;
    private Model lstm;
    private double[] lstmClaimed;

    @Setup
    public void setUp() {
        small = Models.of(SpecReader.readAny(Path.of("examples/small-cnn.json")));
        big = Models.of(SpecReader.parseAny(bigSpec(), "<benchmark>", io.chainproof.spec.SpecFormat.JSON));
        smallFunction = new GraphFunction(small);
        bigFunction = new GraphFunction(big);
        smallClaimed = ModelEvaluator.gradient(small, small.point());
        bigClaimed = ModelEvaluator.gradient(big, big.point());
        lstm = Models.of(SpecReader.parseAny(io.chainproof.TestData.lstm(50, 32), "<benchmark>",
                io.chainproof.spec.SpecFormat.JSON));
        lstmClaimed = ModelEvaluator.gradient(lstm, lstm.point());
    }

    @Benchmark
    public double[] smallCnnGradient() {
        return ModelEvaluator.gradient(small, small.point());
    }

    @Benchmark
    public double[] conv50kGradient() {
        return ModelEvaluator.gradient(big, big.point());
    }

    @Benchmark
    public VerificationReport smallCnnExhaustiveComplexStep() {
        return new GradientVerifier().verifyExhaustively(smallFunction, smallClaimed);
    }

    /** Compiling the big net: too long for straight-line code, it is compiled node by node. */
    @Benchmark
    public io.chainproof.numeric.CompiledGraph conv50kCompile() {
        return io.chainproof.numeric.GraphCompiler.compile(big);
    }

    /** A fresh function each time: the tape is recorded, its work estimated and every parameter checked. */
    @Benchmark
    public VerificationReport conv50kExhaustiveComplexStep() {
        return new GradientVerifier().verify(new GraphFunction(big), bigClaimed);
    }

    /**
     * The lstm of hidden 32 over 50 steps (4,513 parameters), every parameter by the complex step, from a fresh
     * function: the tape recorded, its cones stitched at the states.
     */
    @Benchmark
    public VerificationReport lstm32x50ExhaustiveComplexStep() {
        return new GradientVerifier().verifyExhaustively(new GraphFunction(lstm), lstmClaimed);
    }

    @Benchmark
    public double[] lstm32x50Gradient() {
        return ModelEvaluator.gradient(lstm, lstm.point());
    }

    @Benchmark
    public VerificationReport conv50kFastComplexStep() {
        return new GradientVerifier().verifyFast(bigFunction, bigClaimed, GradientVerifier.DEFAULT_DIRECTIONS, 0L);
    }
}
