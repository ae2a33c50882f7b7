package io.chainproof.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A rule for drawing initial parameters, written in a spec as
 * {@code "init": {"scheme": "xavier_uniform", "scale": 1.0, "seed": 0}} instead of explicit
 * {@code "parameters"}. Instances are immutable.
 *
 * <p>For layer {@code l}, {@code fan_in = units_{l−1}} (the inputs for layer 1) and
 * {@code fan_out = units_l}. Weights are drawn as described in {@link InitScheme}:
 * <ul>
 * <li>xavier_uniform: U(−a, a), a = scale·√(6/(fan_in + fan_out))</li>
 * <li>xavier_normal: N(0, σ²), σ = scale·√(2/(fan_in + fan_out))</li>
 * <li>he_uniform: U(−a, a), a = scale·√(6/fan_in)</li>
 * <li>he_normal: N(0, σ²), σ = scale·√(2/fan_in)</li>
 * <li>uniform: U(−scale, scale); normal: N(0, scale²)</li>
 * <li>constant: every weight equals scale</li>
 * </ul>
 * Biases are 0 for every scheme except constant, where every bias equals scale too (so constant sets
 * <em>every</em> parameter to scale).
 *
 * <p>Draws come from one {@link Random java.util.Random(seed)}, whose sequence the JDK specifies, so a
 * seed gives the same parameters on every JVM: weights in the order W1 row by row, then W2, and so on;
 * a uniform weight is {@code a·(2·nextDouble() − 1)}, a normal one {@code σ·nextGaussian()}. Biases
 * consume no draws, so W1 is the same whatever follows it.
 *
 * @param scheme the distribution
 * @param scale  the scale {@code s}: finite, and &gt; 0 unless the scheme is constant (default 1.0)
 * @param seed   the seed of {@code java.util.Random} (default 0)
 */
public record InitSpec(InitScheme scheme, double scale, long seed) {

    /** The scale when a spec leaves it out. */
    public static final double DEFAULT_SCALE = 1.0;
    /** The seed when a spec leaves it out. */
    public static final long DEFAULT_SEED = 0L;

    /**
     * Validates the components.
     *
     * @param scheme the distribution
     * @param scale the scale {@code s}: finite, and &gt; 0 unless the scheme is constant (default 1.0)
     * @param seed the seed of {@code java.util.Random} (default 0)
     * @throws SpecException if the scheme is null, the scale is not finite, or the scale is ≤ 0 for a
     *                       scheme other than constant
     */
    public InitSpec {
        SpecRules.init(scheme, scale);
    }

    /** The keys of an {@code "init"} object. */
    static final List<String> KEYS = List.of("scheme", "scale", "seed");

    /**
     * Reads an {@code "init"} object: {@code scheme}, optional {@code scale} and {@code seed}.
     *
     * @param source the file, for messages
     * @param fields the typed reader of that file
     * @param node   the {@code "init"} value
     * @return the init spec
     * @throws SpecException naming the field that breaks a rule
     */
    static InitSpec read(String source, JsonFields fields, com.fasterxml.jackson.databind.JsonNode node) {
        if (!node.isObject()) {
            // a scheme written without its object is shown back in one; any other text is not repeated
            String example = node.isTextual() && InitScheme.fromSpecName(node.asText()).isPresent() ? node.asText()
                    : "xavier_uniform";
            throw new SpecException(source, "init", ValueText.of(node), "is not an object",
                    "write \"init\": {\"scheme\": \"" + example + "\"}");
        }
        fields.requireKnownKeys(node, "init", KEYS, "an init key");
        fields.require(node, "init", "scheme", "add \"scheme\", one of " + String.join(", ", InitScheme.specNames()));
        InitScheme scheme = fields.named(node.get("scheme"), "init.scheme", "an init scheme",
                InitScheme.specNames(), InitScheme::fromSpecName, "xavier_uniform");
        double scale = node.has("scale") ? fields.number(node.get("scale"), "init.scale") : DEFAULT_SCALE;
        long seed = node.has("seed") ? fields.wholeNumber(node.get("seed"), "init.seed", Long.MIN_VALUE, Long.MAX_VALUE)
                : DEFAULT_SEED;
        try {
            return new InitSpec(scheme, scale, seed);
        } catch (SpecException e) {
            throw e.within(source, "init");
        }
    }

    /**
     * Entries of one weight tensor drawn by this scheme, as {@link #initialise} draws an MLP's (PyTorch's fan
     * convention: fan-in = the entries per output row, fan-out = output rows × the receptive field).
     *
     * @param random the generator, shared by the model's tensors in order
     * @param fanIn  the fan-in; ≥ 1
     * @param fanOut the fan-out; ≥ 1
     * @param size   the number of entries
     * @return the entries
     */
    public double[] weights(Random random, int fanIn, int fanOut, int size) {
        double spread = scheme.spread(fanIn, fanOut, scale);
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = draw(random, spread);
        }
        return w;
    }

    /**
     * @param size the number of entries
     * @return a bias vector as {@link #initialise} makes one: zeros, or the scale for the constant scheme
     */
    public double[] biases(int size) {
        double[] b = new double[size];
        if (scheme == InitScheme.CONSTANT) {
            Arrays.fill(b, scale);
        }
        return b;
    }

    /**
     * An init with the default scale and seed.
     *
     * @param scheme the distribution
     */
    public InitSpec(InitScheme scheme) {
        this(scheme, DEFAULT_SCALE, DEFAULT_SEED);
    }

    /**
     * Draws the parameters of a network.
     *
     * @param inputs the number of inputs (units of layer 0), at least 1
     * @param layers the layers, at least one
     * @return {@code W_l} of shape {@code [units_l][units_{l−1}]} and {@code b_l} of shape {@code [units_l]}
     * @throws SpecException if inputs or layers are invalid
     */
    public Parameters initialise(int inputs, List<LayerSpec> layers) {
        SpecRules.inputs("InitSpec", inputs);
        SpecRules.layerList("InitSpec", layers);
        Random random = new Random(seed);
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        int fanIn = inputs;
        for (LayerSpec layer : layers) {
            int fanOut = layer.units();
            double spread = scheme.spread(fanIn, fanOut, scale);
            double[][] w = new double[fanOut][fanIn];
            for (double[] row : w) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = draw(random, spread);
                }
            }
            double[] b = new double[fanOut];
            if (scheme == InitScheme.CONSTANT) {
                Arrays.fill(b, scale);
            }
            weights.add(w);
            biases.add(b);
            fanIn = fanOut;
        }
        return new Parameters(weights, biases);
    }

    private double draw(Random random, double spread) {
        if (scheme.isUniform()) {
            return spread * (2 * random.nextDouble() - 1);
        }
        if (scheme.isNormal()) {
            return spread * random.nextGaussian();
        }
        return spread;
    }
}
