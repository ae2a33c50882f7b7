package io.chainproof.bench;

import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.SpecReader;
import io.chainproof.symbolic.AgreementProof;
import io.chainproof.symbolic.ProofSettings;
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

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Proving every parameter's chain rule against D[L, θ] by composition, in-process and warm: width-1 sigmoid chains of
 * depth 12, 24 and 48 (the cost should grow with depth × parameters, i.e. quadratically in depth for {@code all},
 * linearly per proof) and the bundled softmax classifier (31 parameters, which Symja on the whole loss took about
 * 90 s for). {@code mvn -B -Pbench -DskipTests verify -Dbench.args=ProofBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ProofBenchmark {

    @Param({"12", "24", "48"})
    public int depth;

    private NetworkSpec chain;
    private NetworkSpec classifier;

    @Setup
    public void setUp() {
        chain = DerivationBenchmark.sigmoidChain(depth);
        classifier = (NetworkSpec) SpecReader.readAny(Path.of("examples/softmax-classifier.json"));
    }

    @Benchmark
    public List<AgreementProof> proveEveryParameterOfTheChain() {
        return AgreementProof.all(chain, ProofSettings.DEFAULTS);
    }

    @Benchmark
    public List<AgreementProof> proveEveryParameterOfTheSoftmaxClassifier() {
        return AgreementProof.all(classifier, ProofSettings.DEFAULTS);
    }
}
