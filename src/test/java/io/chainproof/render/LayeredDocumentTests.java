package io.chainproof.render;

import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.SpecReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The derivation of a layered model: each kind of layer's chain rule, the flow of the gradient, the check. */
class LayeredDocumentTests {

    private static String text(String spec) {
        return TextWriter.write(LayeredDocument.of((LayeredSpec) SpecReader.readAny(Path.of(spec))));
    }

    @Test
    void a_conv_net_is_derived_through_the_convolution_the_pooling_and_the_dense_layer() {
        String t = text("examples/small-cnn.json");
        assertTrue(t.startsWith("Backpropagation through small-cnn\n"), t);
        assertTrue(t.contains("∂L/∂W[o,c,κ] = Σ_n Σ_q ḡ[n,o,q]·x[n, c, q·s − p + κ·d]"), "a sum over positions: " + t);
        assertTrue(t.contains("gathers the kernel's weights in flipped order"), t);
        assertTrue(t.contains("Each window's gradient goes to the entry that was its maximum"), t);
        assertTrue(t.contains("All 77 gradients agree with the complex step."), t);
        assertFalse(t.contains("Layer norm"), "only the layers the model has");
    }

    @Test
    void norms_residual_blocks_and_embeddings_have_their_own_rules() {
        String residual = text("examples/residual-mlp.json");
        assertTrue(residual.contains("∂L/∂x = ḡ + J_Fᵀ·ḡ = (I + J_F)ᵀ·ḡ"), residual);
        assertTrue(residual.contains("∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/σ  with ĝ = γ·ḡ"), residual);
        assertTrue(residual.contains("the second comes through μ and the third through σ²"), residual);
        String embedding = text("src/test/resources/reference/layered/embedding-00.spec.json");
        assertTrue(embedding.contains("∂L/∂E[v] = Σ_{t: id_t = v} ḡ_t"), embedding);
        assertTrue(embedding.contains("accumulates every occurrence's gradient"), embedding);
    }

    @Test
    void the_vanishing_chain_shows_the_gradient_shrinking_layer_by_layer() {
        String t = text("examples/remedies/sigmoid-chain-20.json");
        int at = t.indexOf("The gradient, layer by layer");
        assertTrue(at > 0, t);
        String first = t.lines().filter(l -> l.startsWith("  1      dense")).findFirst().orElseThrow();
        assertTrue(first.trim().endsWith("1.6202e-15"), first);
    }

    @Test
    void the_picture_draws_every_layer_and_each_residual_block_with_its_identity_path() {
        LayeredSpec spec = (LayeredSpec) SpecReader.readAny(Path.of("examples/residual-mlp.json"));
        String svg = LayerPicture.svg(spec);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"layer-picture\""), svg);
        for (String box : new String[] {"1  dense", "2.1  layer_norm", "2.2  dense → silu", "5.3  dense",
                "6  dense → sigmoid", "loss: bce"}) {
            assertTrue(svg.contains(">" + box + "<"), box);
        }
        assertTrue(svg.contains("gamma2.1 [5], beta2.1 [5]"), "a norm's two parameters");
        assertTrue(svg.split("residual block ", -1).length - 1 == 4, "four residual frames");
        assertTrue(svg.split(">identity<", -1).length - 1 == 4, "four identity paths");
    }
}
