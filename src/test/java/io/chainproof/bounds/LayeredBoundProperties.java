package io.chainproof.bounds;

import io.chainproof.spec.LayeredSpec;
import io.chainproof.testing.LayeredArbitrary;
import io.chainproof.testing.Networks;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On random layered models ({@code Networks.layered()}, weights up to 3× Xavier so that some units saturate), every
 * per-layer bound holds: the exact ‖J_l‖₂ at the data is at most the ops' product bound at the data, which is at most
 * the certified one, and the exact ‖∂z_L/∂x_l‖₂ at most the chain's product — for convolutions (Σ_κ‖W_κ‖₂), poolings
 * (√c), norms (max|γ|/σ; certified at σ = √ε), residual blocks (1 + ‖J_F‖), dense layers (‖W‖₂), rnn layers
 * (c‖W_ih‖₂ Σ_{d<T} (c‖W_hh‖₂)^d), lstm and gru layers (the sum over block diagonals of per-step bounds) and
 * attention (at the data only; ∞ certified); and every path through a recurrent or attention layer (the rnn's
 * recurrent product, the lstm's cell path, the gru's update path, the softmax Jacobian) lies within its bounds.
 */
class LayeredBoundProperties {

    /** Relative slack for rounding in the exact norms (an SVD) and the products. */
    static final double SLACK = 1e-9;

    @Provide
    Arbitrary<LayeredSpec> models() {
        return Networks.layered().weightScale(3).families(LayeredArbitrary.Family.CONV1D, LayeredArbitrary.Family.CONV2D,
                LayeredArbitrary.Family.RESIDUAL_MLP, LayeredArbitrary.Family.SEQUENCE, LayeredArbitrary.Family.EMBEDDING,
                LayeredArbitrary.Family.RECURRENT, LayeredArbitrary.Family.ATTENTION);
    }

    @Property(tries = 120)
    @Tag("proof:layered-jacobian-bounds")
    void the_exact_jacobian_norms_lie_within_the_bounds_at_the_data_and_those_within_the_certified(
            @ForAll("models") LayeredSpec spec) {
        LayeredBounds.Report r = LayeredBounds.of(spec);
        assertTrue(!r.rows().isEmpty(), spec.name());
        for (LayeredBounds.Row row : r.rows()) {
            String where = spec.name() + " layer " + row.position() + " (" + row.type() + "): " + row;
            assertTrue(!(row.actual() > row.here() * (1 + SLACK) + 1e-300), where);
            assertTrue(row.here() <= row.certified() * (1 + SLACK), where);
            assertTrue(!(row.chainActual() > row.chainHere() * (1 + SLACK) + 1e-300), where);
            assertTrue(row.chainHere() <= row.chainCertified() * (1 + SLACK), where);
        }
    }

    /** Recurrent and attention layers, weights up to 3× Xavier. */
    @Provide
    Arbitrary<LayeredSpec> sequences() {
        return Networks.layered().weightScale(3).families(LayeredArbitrary.Family.RECURRENT,
                LayeredArbitrary.Family.ATTENTION);
    }

    @Property(tries = 120)
    @Tag("proof:layered-jacobian-bounds")
    void every_path_through_a_recurrent_or_attention_layer_lies_within_its_bounds(
            @ForAll("sequences") LayeredSpec spec) {
        LayeredBounds.Report r = LayeredBounds.of(spec);
        assertTrue(!r.paths().isEmpty(), spec.name() + " has a recurrent or attention layer");
        for (LayeredBounds.Path path : r.paths()) {
            String where = spec.name() + ": " + path;
            assertTrue(!(path.actual() > path.here() * (1 + SLACK) + 1e-300), where);
            assertTrue(path.here() <= path.certified() * (1 + SLACK), where);
            if (!path.type().equals("attention")) {
                assertTrue(path.certified() > 0 && path.actual() >= 0, where);
            }
        }
    }

    /** rnn layers (tanh or relu, every step's state or the last), weights up to 3× Xavier. */
    @Provide
    Arbitrary<LayeredSpec> rnn() {
        return Networks.layered().weightScale(3).families(LayeredArbitrary.Family.RECURRENT)
                .filter(spec -> spec.layers().get(0) instanceof LayeredSpec.Recurrent r
                        && r.cell() == LayeredSpec.Recurrent.Cell.RNN);
    }

    @Property(tries = 80)
    @Tag("proof:layered-jacobian-bounds")
    void an_rnn_layers_jacobian_lies_within_the_sum_over_its_steps(@ForAll("rnn") LayeredSpec spec) {
        LayeredBounds.Report r = LayeredBounds.of(spec);
        LayeredBounds.Row row = r.rows().get(0);
        String where = spec.name() + ": " + row;
        assertTrue(row.type().equals("rnn") && row.certified() > 0, where);
        assertTrue(row.actual() <= row.here() * (1 + SLACK) + 1e-300, where);
        assertTrue(row.here() <= row.certified() * (1 + SLACK), where);
        assertTrue(row.chainActual() <= row.chainHere() * (1 + SLACK) + 1e-300, where);
    }

    @Property(tries = 40)
    @Tag("proof:layered-jacobian-bounds")
    void a_residual_block_is_within_one_plus_and_above_one_minus_its_blocks_norm(@ForAll("residual") LayeredSpec spec) {
        LayeredBounds.Report r = LayeredBounds.of(spec);
        for (LayeredBounds.Row row : r.rows()) {
            if (row.type().equals("residual")) {
                // ‖I + J‖ ≤ 1 + ‖J‖ is the bound; the exact norm of a layer-normed block stays above 0
                assertTrue(row.actual() <= row.here() * (1 + SLACK), row.toString());
                assertTrue(row.actual() >= 2 - row.here() - 1e-12 || row.here() >= 2, row.toString());
            }
        }
    }

    @Provide
    Arbitrary<LayeredSpec> residual() {
        return Networks.layered().families(io.chainproof.testing.LayeredArbitrary.Family.RESIDUAL_MLP);
    }

    @net.jqwik.api.Example
    void a_norm_layers_gradient_norm_counts_gamma_and_beta() {
        LayeredSpec spec = (LayeredSpec) io.chainproof.spec.SpecReader.readAny(
                java.nio.file.Path.of("examples/remedies/batchnorm-sigmoid-20.json"));
        io.chainproof.model.Model model = io.chainproof.model.Models.of(spec);
        double[] g = io.chainproof.numeric.ModelEvaluator.gradient(model, model.point());
        double squares = 0;
        for (io.chainproof.model.Parameter p : model.parameters()) {
            if (p.name().equals("gamma2") || p.name().equals("beta2")) {
                for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                    squares += g[i] * g[i];
                }
            }
        }
        LayeredBounds.Row row = LayeredBounds.of(spec).rows().stream().filter(r -> r.position().equals("2"))
                .findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Math.sqrt(squares), row.gradientNorm(), 1e-15 * Math.sqrt(squares));
    }
}
