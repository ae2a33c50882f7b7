package io.chainproof.bounds;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.NetworkSpec;

import java.util.List;

/**
 * The layer bounds of {@link GrowthBounds#of} for many parameter values of one architecture, compiling the
 * network's gradient once instead of once per call (compiling is about two thirds of a {@link GrowthBounds#of}
 * call on a 64-64-32-1 MLP).
 */
final class SweepBounds {

    private final CompiledNetwork network;

    SweepBounds(NetworkSpec spec) {
        this.network = NetworkCompiler.compile(ComputationGraph.of(spec));
    }

    /**
     * @param spec the spec compiled, with other parameter values
     * @return every layer's bounds, as {@link GrowthBounds#of}{@code (spec).layers()}
     */
    List<LayerBound> layers(NetworkSpec spec) {
        return GrowthBounds.of(spec, network).layers();
    }

    /**
     * Where the network's numbers stop being finite with {@code spec}'s parameters, if they do: bounds are computed
     * only from a finite loss and gradient.
     *
     * @param spec the spec compiled, with other parameter values
     * @return the finding, or empty if the loss and the gradient are finite
     */
    java.util.Optional<io.chainproof.check.NonFiniteValues.Finding> nonFinite(NetworkSpec spec) {
        double[] theta = ComputationGraph.of(spec).parameterValues();
        CompiledNetwork.Evaluation e = network.evaluate(theta);
        boolean finite = Double.isFinite(e.loss());
        for (int i = 0; finite && i < theta.length; i++) {
            finite = Double.isFinite(e.gradient(i));
        }
        return finite ? java.util.Optional.empty() : java.util.Optional.of(
                io.chainproof.check.NonFiniteValues.find(io.chainproof.model.Models.mlp(spec), theta).orElse(
                        new io.chainproof.check.NonFiniteValues.Finding(false, "the network", "L", e.loss(),
                                "with a non-finite gradient", "lower --to")));
    }
}
