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
}
