package io.chainproof.bench;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Data;
import io.chainproof.spec.LayerSpec;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.spec.Parameters;
import io.chainproof.symbolic.ChainRuleDerivation;
import io.chainproof.symbolic.ParameterDerivation;
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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Symbolic work for a 12-layer width-1 sigmoid chain: the chain-rule factorisation of all 24 parameters,
 * then compilation of loss and gradient (target: ≤ 0.1 s warm — symbolic work must grow with the number
 * of layers, not the number of parameters).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 20)
@Measurement(iterations = 30)
@Fork(1)
@State(Scope.Benchmark)
public class DerivationBenchmark {

    static final int DEPTH = 12;

    private NetworkSpec chain;

    @Setup
    public void setUp() {
        chain = sigmoidChain(DEPTH);
        // warm the local-derivative cache and Symja once, as a long-running process would have
        ChainRuleDerivation.of(chain).deriveAll();
    }

    @Benchmark
    public List<ParameterDerivation> deriveAllParameters() {
        return ChainRuleDerivation.of(chain).deriveAll();
    }

    @Benchmark
    public CompiledNetwork compileLossAndGradient() {
        return NetworkCompiler.compile(ComputationGraph.of(chain));
    }

    @Benchmark
    public Object deriveAndCompile() {
        List<ParameterDerivation> derivations = ChainRuleDerivation.of(chain).deriveAll();
        CompiledNetwork network = NetworkCompiler.compile(ComputationGraph.of(chain));
        return List.of(derivations, network);
    }

    static NetworkSpec sigmoidChain(int depth) {
        List<LayerSpec> layers = Collections.nCopies(depth, new LayerSpec(1, Activation.SIGMOID));
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            weights.add(new double[][] {{0.5 + 0.1 * l}});
            biases.add(new double[] {-0.1 * l});
        }
        return new NetworkSpec("sigmoid-chain-" + depth, "<benchmark>", 1, layers, Loss.SSE,
                new Parameters(weights, biases), new Data(new double[][] {{1.0}}, new double[][] {{0.5}}));
    }
}
