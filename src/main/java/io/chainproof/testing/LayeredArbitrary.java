package io.chainproof.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainproof.ops.Activation;
import io.chainproof.ops.Window;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.LayeredSpecReader;
import io.chainproof.spec.Loss;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.ArbitraryDecorator;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random layered models — convolutional nets (1d and 2d, with pooling and batch norm), residual MLPs with layer
 * norm, sequences with per-step dense layers, embeddings, rnn/lstm/gru layers, residual self-attention blocks — valid
 * by construction: every kernel fits, every residual block keeps its shape, batch norm sees at least 2 values per
 * channel, the heads divide the width. The architecture is drawn from small whole
 * numbers that shrink toward the smallest network of the family; parameters and data come from a seed (weights
 * {@code U(−1, 1)·scale/√fan-in}, data {@code U(−1, 1)}, ids uniform), which shrinks toward 0. Immutable: every
 * setter returns a new arbitrary.
 *
 * <pre>{@code
 * @Property
 * void my_layers_backprop_right(@ForAll("models") LayeredSpec spec) { ... }
 *
 * @Provide
 * Arbitrary<LayeredSpec> models() {
 *     return Networks.layered().families(LayeredArbitrary.Family.CONV2D, LayeredArbitrary.Family.RESIDUAL_MLP);
 * }
 * }</pre>
 */
public final class LayeredArbitrary extends ArbitraryDecorator<LayeredSpec> {

    /** The kinds of model drawn. */
    public enum Family {
        /** conv1d → optional pooling and batch norm → flatten → dense. */
        CONV1D,
        /** conv2d → optional pooling and batch norm → flatten → dense. */
        CONV2D,
        /** dense → 1 to 3 residual blocks (layer norm, dense, activation, dense) → dense. */
        RESIDUAL_MLP,
        /** a [T, F] sequence → dense per step → layer norm → flatten → dense. */
        SEQUENCE,
        /** ids → embedding → dense per step → flatten → dense. */
        EMBEDDING,
        /** a [T, F] sequence → rnn, lstm or gru (every step's state, or the last) → flatten → dense. */
        RECURRENT,
        /** a [T, F] sequence → dense per step → residual block (layer norm, self-attention, maybe causal) → flatten
         * → dense. */
        ATTENTION
    }

    private static final List<Activation> SMOOTH = List.of(Activation.TANH, Activation.SIGMOID, Activation.SOFTPLUS,
            Activation.SILU, Activation.GELU, Activation.ELU, Activation.SOFTSIGN);

    private final List<Family> families;
    private final List<Activation> activations;
    private final List<Loss> losses;
    private final double scale;

    /** Every family, smooth activations, every loss, weight scale 1. */
    public LayeredArbitrary() {
        this(List.of(Family.values()), SMOOTH, List.of(Loss.values()), 1.0);
    }

    private LayeredArbitrary(List<Family> families, List<Activation> activations, List<Loss> losses, double scale) {
        this.families = List.copyOf(families);
        this.activations = List.copyOf(activations);
        this.losses = List.copyOf(losses);
        this.scale = scale;
    }

    /**
     * @param chosen the families to draw from; at least one
     * @return a copy drawing only these
     */
    public LayeredArbitrary families(Family... chosen) {
        if (chosen.length == 0) {
            throw new IllegalArgumentException("families(...): give at least one family");
        }
        return new LayeredArbitrary(List.of(chosen), activations, losses, scale);
    }

    /**
     * @param chosen the hidden activations (softmax is not one); at least one
     * @return a copy using these
     */
    public LayeredArbitrary activations(Activation... chosen) {
        if (chosen.length == 0 || Arrays.asList(chosen).contains(Activation.SOFTMAX)) {
            throw new IllegalArgumentException("activations(...): give at least one elementwise activation");
        }
        return new LayeredArbitrary(families, List.of(chosen), losses, scale);
    }

    /**
     * @param chosen the losses; at least one
     * @return a copy using these
     */
    public LayeredArbitrary losses(Loss... chosen) {
        if (chosen.length == 0) {
            throw new IllegalArgumentException("losses(...): give at least one loss");
        }
        return new LayeredArbitrary(families, activations, List.of(chosen), scale);
    }

    /**
     * @param weightScale the factor on every weight's {@code 1/√fan-in}; positive and finite
     * @return a copy with this scale
     */
    public LayeredArbitrary weightScale(double weightScale) {
        MlpArbitrary.checkScales("weightScale(s)", weightScale, weightScale);
        return new LayeredArbitrary(families, activations, losses, weightScale);
    }

    @Override
    protected Arbitrary<LayeredSpec> arbitrary() {
        Arbitrary<int[]> sizes = Arbitraries.integers().between(0, 3).array(int[].class).ofSize(8);
        return Combinators.combine(Arbitraries.of(families), sizes, Arbitraries.of(losses),
                        Arbitraries.integers().between(0, activations.size() - 1),
                        Arbitraries.longs().between(0, 1_000_000).shrinkTowards(0))
                .as((family, s, loss, act, seed) -> build(family, s, loss, activations.get(act), seed));
    }

    private LayeredSpec build(Family family, int[] s, Loss loss, Activation act, long seed) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode layers = f.arrayNode();
        int[] shape;
        switch (family) {
            case CONV1D, CONV2D -> {
                int axes = family == Family.CONV1D ? 1 : 2;
                int channels = 1 + s[0] % 2;
                int size = 3 + s[1];
                shape = axes == 1 ? new int[] {channels, size + 2} : new int[] {channels, size, size};
                int kernel = 1 + s[2] % 3;
                int stride = 1 + s[3] % 2;
                int padding = s[4] % 2;
                int dilation = 1 + (s[5] == 3 ? 1 : 0);
                int span = shape[1] + 2 * padding;
                while (dilation * (kernel - 1) + 1 > span) {
                    kernel--;
                }
                ObjectNode conv = layers.addObject().put("type", "conv" + axes + "d").put("channels", 1 + s[6] % 3)
                        .put("kernel", kernel).put("stride", stride).put("padding", padding).put("dilation", dilation)
                        .put("activation", act.specName());
                int out = Window.outputSize(shape[1], kernel, stride, padding, dilation);
                if (s[7] % 2 == 1 && out >= 2) {
                    layers.addObject().put("type", (s[7] == 3 ? "avg" : "max") + "_pool" + axes + "d").put("kernel", 2);
                }
                if (s[0] >= 2) {
                    layers.addObject().put("type", "batch_norm");
                }
                layers.addObject().put("type", "flatten");
            }
            case RESIDUAL_MLP -> {
                shape = new int[] {2 + s[0]};
                int width = 2 + s[1];
                layers.addObject().put("type", "dense").put("units", width);
                for (int b = 0; b <= s[2] % 3; b++) {
                    ArrayNode block = layers.addObject().put("type", "residual").putArray("layers");
                    if (s[3] % 2 == 0) {
                        block.addObject().put("type", "layer_norm");
                    }
                    block.addObject().put("type", "dense").put("units", 2 + s[4]).put("activation", act.specName());
                    block.addObject().put("type", "dense").put("units", width);
                }
            }
            case SEQUENCE -> {
                shape = new int[] {2 + s[0], 1 + s[1]};
                layers.addObject().put("type", "dense").put("units", 2 + s[2]).put("activation", act.specName());
                layers.addObject().put("type", "layer_norm");
                layers.addObject().put("type", "flatten");
            }
            case EMBEDDING -> {
                shape = new int[] {2 + s[0]};
                layers.addObject().put("type", "embedding").put("vocabulary", 2 + s[1]).put("dim", 1 + s[2]);
                layers.addObject().put("type", "dense").put("units", 1 + s[3]).put("activation", act.specName());
                layers.addObject().put("type", "flatten");
            }
            case RECURRENT -> {
                shape = new int[] {2 + s[0], 1 + s[1]};
                String cell = List.of("rnn", "lstm", "gru").get(s[2] % 3);
                ObjectNode recurrent = layers.addObject().put("type", cell).put("hidden", 1 + s[3] % 3);
                if (s[4] % 2 == 1) {
                    recurrent.put("return", "last");
                }
                if (cell.equals("rnn") && act == Activation.RELU) {
                    recurrent.put("activation", "relu");
                } else if (!cell.equals("rnn")) {
                    recurrent.put("activation", act.specName());
                }
                layers.addObject().put("type", "flatten");
            }
            case ATTENTION -> {
                int heads = 1 + s[2] % 2;
                shape = new int[] {2 + s[0], 1 + s[1]};
                layers.addObject().put("type", "dense").put("units", heads * (1 + s[3] % 2))
                        .put("activation", act.specName());
                ArrayNode block = layers.addObject().put("type", "residual").putArray("layers");
                block.addObject().put("type", "layer_norm");
                block.addObject().put("type", "attention").put("heads", heads).put("causal", s[4] % 2 == 1);
                layers.addObject().put("type", "flatten");
            }
            default -> throw new IllegalStateException("family " + family);
        }
        int outputs = loss == Loss.CROSS_ENTROPY ? 2 + s[7] % 2 : 1 + s[7] % 2;
        ObjectNode head = layers.addObject().put("type", "dense").put("units", outputs);
        if (loss == Loss.BCE) {
            head.put("activation", "sigmoid");
        } else if (loss == Loss.CROSS_ENTROPY) {
            head.put("activation", "softmax");
        }
        root.put("name", family.name().toLowerCase(java.util.Locale.ROOT) + "-" + seed);
        ArrayNode inputs = root.putArray("inputs");
        Arrays.stream(shape).forEach(inputs::add);
        root.set("layers", layers);
        root.put("loss", loss.specName());
        root.putObject("init").put("scheme", "xavier_uniform").put("scale", scale).put("seed", seed);
        SplittableRandom random = new SplittableRandom(seed);
        int samples = 2 + (int) (seed % 2);
        int vocabulary = family == Family.EMBEDDING ? 2 + s[1] : 0;
        ArrayNode x = f.arrayNode();
        ArrayNode y = f.arrayNode();
        for (int n = 0; n < samples; n++) {
            x.add(nested(f, shape, 0, () -> vocabulary > 0 ? random.nextInt(vocabulary) : round(random.nextDouble(-1, 1))));
            ArrayNode target = y.addArray();
            int hot = random.nextInt(outputs);
            for (int j = 0; j < outputs; j++) {
                target.add(switch (loss) {
                    case CROSS_ENTROPY -> j == hot ? 1.0 : 0.0;
                    case BCE -> round(random.nextDouble());
                    default -> round(random.nextDouble(-1, 1));
                });
            }
        }
        root.putObject("data").<ObjectNode>set("x", x).set("y", y);
        return LayeredSpecReader.read("<" + Networks.class.getSimpleName() + ".layered()>", root);
    }

    private static com.fasterxml.jackson.databind.JsonNode nested(JsonNodeFactory f, int[] shape, int axis,
                                                                  java.util.function.DoubleSupplier value) {
        ArrayNode a = f.arrayNode();
        for (int i = 0; i < shape[axis]; i++) {
            if (axis == shape.length - 1) {
                a.add(value.getAsDouble());
            } else {
                a.add(nested(f, shape, axis + 1, value));
            }
        }
        return a;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    @Override
    public String toString() {
        return "LayeredArbitrary[families=" + families + ", activations="
                + activations.stream().map(Activation::specName).toList() + ", losses="
                + losses.stream().map(Loss::specName).toList() + ", weightScale=" + scale + "]";
    }
}
