package io.chainproof.spec;

import java.util.List;

/**
 * A validated network: architecture, loss, concrete parameters and data, exactly as the user specified
 * them. Layer {@code l} computes {@code z_l = W_l·a_{l−1} + b_l}, {@code a_l = act_l(z_l)} with
 * {@code a_0 = x}; the loss is the per-sample {@link Loss} averaged over the samples. Instances are
 * immutable.
 *
 * <p>The constructor checks, in this order and failing at the first broken rule: source and name; inputs
 * ≥ 1; a non-empty list of layers; softmax only on the last layer and with 2 or more units; bce and
 * cross_entropy only after a sigmoid or softmax output; the shapes of W1, b1, W2, b2, ...; the width of
 * every row of data.x, then data.y; targets in [0, 1] for bce and ≥ 0 for cross_entropy. Messages use
 * the source and the field paths of the spec file, e.g. {@code lecture.json: parameters.W2: <[1][2]> ...}.
 *
 * @param name       the network's name (default in files: the file name without extension)
 * @param source     where the spec came from, for messages: a file name or {@code <string>}
 * @param inputs     the number of inputs (units of layer 0)
 * @param layers     the layers, first hidden layer first, output layer last
 * @param loss       the per-sample loss
 * @param parameters W_l and b_l for every layer
 * @param data       the samples
 */
public record NetworkSpec(String name, String source, int inputs, List<LayerSpec> layers, Loss loss,
                          Parameters parameters, Data data) implements Spec {

    /**
     * Validates the components.
     *
     * @param name the network's name (default in files: the file name without extension)
     * @param source where the spec came from, for messages: a file name or {@code <string>}
     * @param inputs the number of inputs (units of layer 0)
     * @param layers the layers, first hidden layer first, output layer last
     * @param loss the per-sample loss
     * @param parameters W_l and b_l for every layer
     * @param data the samples
     * @throws SpecException at the first rule (in the order above) the parts break
     */
    public NetworkSpec {
        SpecRules.sourceAndName(source, name);
        SpecRules.architecture(source, inputs, layers);
        layers = List.copyOf(layers);
        SpecRules.lossFits(source, layers, loss);
        SpecRules.parametersFit(source, inputs, layers, parameters);
        SpecRules.dataFits(source, inputs, layers, loss, data);
    }

    /** @return the units of the last layer */
    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /** @return the number of layers (not counting the inputs) */
    public int layerCount() {
        return layers.size();
    }

    /**
     * @param layer 0 for the inputs, 1 to {@link #layerCount()} for a layer
     * @return the units of that layer
     */
    public int units(int layer) {
        if (layer < 0 || layer > layers.size()) {
            throw new SpecException(source, "layer", Integer.toString(layer), "is not a layer",
                    "use 0 (the inputs) to " + layers.size());
        }
        return layer == 0 ? inputs : layers.get(layer - 1).units();
    }

    /** @return the number of scalar parameters, {@code Σ_l units_l·(units_{l−1} + 1)} */
    public int parameterCount() {
        int count = 0;
        for (int l = 1; l <= layers.size(); l++) {
            count += units(l) * (units(l - 1) + 1);
        }
        return count;
    }

    /**
     * @param newParameters parameters of the same shapes
     * @return this spec with other parameters
     * @throws SpecException if the shapes do not fit
     */
    public NetworkSpec withParameters(Parameters newParameters) {
        return new NetworkSpec(name, source, inputs, layers, loss, newParameters, data);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.mlp(this);
    }
}
