package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.testing.Networks;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The compiled graph equals the walk bit for bit on random layered models too (convolutions with every stride,
 * padding and dilation the arbitrary draws, max and average pooling, batch and layer norm, residual blocks,
 * embeddings), at their point and elsewhere, in one method and split into parts of 11 statements, and compiled node by
 * node with every step a call of the op's rule on arrays, or some of them straight-line.
 */
class GraphCompilerProperties {

    @Provide
    Arbitrary<LayeredSpec> models() {
        return Networks.layered().activations(io.chainproof.ops.Activation.TANH, io.chainproof.ops.Activation.RELU,
                io.chainproof.ops.Activation.ELU, io.chainproof.ops.Activation.SOFTSIGN, io.chainproof.ops.Activation.GELU);
    }

    @Property(tries = 80)
    void compiled_code_is_the_walk_on_random_layered_models(@ForAll("models") LayeredSpec spec) {
        Model model = Models.of(spec);
        for (int chunk : new int[] {GraphCompiler.CHUNK, 11}) {
            CompiledGraph compiled = GraphCompiler.compile(model, chunk, GraphCompiler.MAX_STATEMENTS);
            GraphCompilerTests.assertSameAsWalk(model, compiled, model.point(), spec.name());
            GraphCompilerTests.assertSameAsWalk(model, compiled, GraphCompilerTests.elsewhere(model.point()),
                    spec.name() + " elsewhere");
        }
        for (int[] limits : GraphCompilerTests.NODE_LIMITS) {
            CompiledGraph compiled = NodeCompiler.compile(model, limits[0], limits[1]);
            GraphCompilerTests.assertSameAsWalk(model, compiled, model.point(), spec.name() + " by node");
            GraphCompilerTests.assertSameAsWalk(model, compiled, GraphCompilerTests.elsewhere(model.point()),
                    spec.name() + " by node, elsewhere");
        }
    }
}
