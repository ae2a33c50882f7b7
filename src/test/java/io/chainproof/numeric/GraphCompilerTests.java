package io.chainproof.numeric;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The compiled graph against the walk it compiles: for every reference spec (MLPs, RNNs, ragged RNNs, layered
 * models with convolutions, pooling, norms, residual blocks and embeddings — whose walks
 * {@code ModelReferenceTests} holds to PyTorch) and every bundled example (formulas included), the compiled loss and
 * gradient must equal {@link ModelEvaluator}'s double-precision walk exactly ({@code ==}: the same operations in the
 * same order), at the spec's point and at another point — the code bakes in the data, never the parameters. Each
 * model is compiled twice: as one method, and split into parts of 7 statements so that nearly every value crosses
 * from one method to another through the scratch array; and three times node by node ({@link NodeCompiler}), with the
 * ops' own rules on arrays for all steps, for most, and for none.
 */
class GraphCompilerTests {

    private static final List<Path> DIRS = List.of(Path.of("src/test/resources/reference"),
            Path.of("src/test/resources/reference/rnn"), Path.of("src/test/resources/reference/rnn-ragged"),
            Path.of("src/test/resources/reference/layered"), Path.of("src/test/resources/reference/layered-sequence"),
            Path.of("examples"));

    static Stream<Path> specs() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir : DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expected.json"))
                        .sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    /**
     * Limits for {@link NodeCompiler}: statements per straight-line step, and in all. Every step a call of the op's
     * rule; small steps straight-line until 200 statements are used; every step that fits 400 straight-line.
     */
    static final int[][] NODE_LIMITS = {{0, 0}, {40, 200}, {400, 1_000_000}};

    /** Another point: every parameter moved, deterministically. */
    static double[] elsewhere(double[] theta) {
        double[] other = theta.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] = 1.37 * other[i] + 0.1 * Math.sin(i + 1.0);
        }
        return other;
    }

    static void assertSameAsWalk(Model model, CompiledGraph compiled, double[] theta, String where) {
        double walkLoss = ModelEvaluator.loss(model, theta);
        double compiledLoss = compiled.loss(theta);
        assertTrue(walkLoss == compiledLoss || Double.isNaN(walkLoss) && Double.isNaN(compiledLoss),
                where + ": loss " + compiledLoss + " compiled, " + walkLoss + " by the walk");
        double[] walk = ModelEvaluator.gradient(model, theta);
        double[] g = new double[theta.length];
        double both = compiled.lossAndGradient(theta, g);
        assertTrue(both == compiledLoss || Double.isNaN(both) && Double.isNaN(compiledLoss), where + ": loss with gradient");
        for (int i = 0; i < g.length; i++) {
            if (!(walk[i] == g[i] || Double.isNaN(walk[i]) && Double.isNaN(g[i]))) {
                fail(where + ": " + model.parameterAt(i) + " compiled " + g[i] + ", by the walk " + walk[i]);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> the_compiled_loss_and_gradient_are_the_walk_bit_for_bit() throws IOException {
        return specs().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Model model = Models.of(SpecReader.readAny(p));
            for (int chunk : new int[] {GraphCompiler.CHUNK, 7}) {
                CompiledGraph compiled = GraphCompiler.compile(model, chunk, GraphCompiler.MAX_STATEMENTS);
                assertSameAsWalk(model, compiled, model.point(), p + " (parts of " + chunk + ")");
                assertSameAsWalk(model, compiled, elsewhere(model.point()), p + " elsewhere (parts of " + chunk + ")");
            }
            for (int[] limits : NODE_LIMITS) {
                CompiledGraph byNode = NodeCompiler.compile(model, limits[0], limits[1]);
                String where = p + " by node (" + limits[0] + " per step, " + limits[1] + " in all)";
                assertSameAsWalk(model, byNode, model.point(), where);
                assertSameAsWalk(model, byNode, elsewhere(model.point()), where + " elsewhere");
            }
        }));
    }

    @Test
    void small_parts_really_split_the_code_into_methods_that_share_a_scratch_array() throws IOException {
        Model model = Models.of(SpecReader.readAny(Path.of("examples/rnn-tanh-every.json")));
        String source = GraphCompiler.compile(model, 7, GraphCompiler.MAX_STATEMENTS).source();
        assertTrue(source.contains("gradientPart3(p, t)"), source.substring(0, Math.min(2000, source.length())));
        assertTrue(source.contains("t[0] = v"), "values cross between parts through t[]");
        Model small = Models.of(SpecReader.readAny(Path.of("examples/lecture-chain.json")));
        String whole = GraphCompiler.compile(small).source();
        assertTrue(!whole.contains("gradientPart0") && !whole.contains("double[] t"), "a small model is one method");
    }

    @Test
    void a_walk_longer_than_the_limit_is_compiled_node_by_node_with_the_large_steps_left_to_the_ops() throws IOException {
        Model model = Models.of(SpecReader.readAny(Path.of("examples/small-cnn.json")));
        CompiledGraph compiled = GraphCompiler.compile(model, 100, 300);
        String source = compiled.source();
        assertTrue(source.contains("class GeneratedNodes"), source.substring(0, Math.min(2000, source.length())));
        assertTrue(source.contains("ops[0].forward("), "the convolution runs its own loops");
        assertTrue(source.contains("private static double[] forward"), "small steps are straight-line");
        assertSameAsWalk(model, compiled, model.point(), "small-cnn by node");
    }

    @Test
    void a_parameter_vector_of_the_wrong_length_is_refused() throws IOException {
        Model model = Models.of(SpecReader.readAny(Path.of("examples/lecture-chain.json")));
        CompiledGraph compiled = GraphCompiler.compile(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compiled.loss(new double[1]));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertEquals(model, compiled.model());
    }
}
