package io.chainproof.bounds;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.spec.LayeredSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the size of the gradient changes on its way back from the loss, measured at a layered model's weights and
 * data, with the model's certified bounds ({@link LayeredBounds}) beside it:
 * <ul>
 *   <li>through depth (a model without recurrent layers): {@code ‖∂L/∂W_l‖_F} for each layer l that holds weight
 *       matrices — a dense or convolution layer, a residual block (its layers' weights together), attention; norms,
 *       pools and flatten hold none and are left out;</li>
 *   <li>through time (a model with a recurrent layer): {@code ‖∂L/∂h_t‖_F} over the batch, for each step t of its
 *       first recurrent layer — the backward signal that reaches h_t, from which that step's share of every weight
 *       gradient is made.</li>
 * </ul>
 * The growth {@code g = first/last} compares the first layer (step) with the last; {@link Growth} names it.
 *
 * @param name      the model's name
 * @param source    where its spec was read from
 * @param time      whether the profile runs through time (a recurrent layer's steps) rather than depth
 * @param positions the layers' positions ({@code 1}, {@code 2}, …) or the steps ({@code 1} … {@code T}), first first
 * @param norms     the gradient norm at each position
 * @param bounds    the model's per-layer bounds and paths
 * @param types     the layer types the model contains, nested ones included, in order of first appearance
 * @param activations the activations the model uses (identity left out), in order of first appearance
 * @param normWidth the number of units a layer norm standardises over (its last axis), or 0 without one
 */
public record GradientProfile(String name, String source, boolean time, List<String> positions, double[] norms,
                              LayeredBounds.Report bounds, List<String> types, List<Activation> activations,
                              int normWidth) {

    /**
     * Copies the arrays and lists and requires one norm per position, at least two.
     *
     * @param name        the model's name
     * @param source      where its spec was read from
     * @param time        whether the profile runs through time
     * @param positions   the positions
     * @param norms       one norm per position
     * @param bounds      the model's bounds
     * @param types       the layer types
     * @param activations the activations
     * @param normWidth   a layer norm's width, or 0
     */
    public GradientProfile {
        positions = List.copyOf(positions);
        norms = norms.clone();
        types = List.copyOf(types);
        activations = List.copyOf(activations);
        if (norms.length != positions.size() || norms.length < 2) {
            throw new IllegalArgumentException("a profile needs one norm per position and at least two positions, not "
                    + norms.length + " norms at " + positions.size() + " positions");
        }
    }

    /** @return the norms, a copy */
    @Override
    public double[] norms() {
        return norms.clone();
    }

    /**
     * Measures a layered model.
     *
     * @param spec the model
     * @return its profile
     * @throws IllegalArgumentException if the model has fewer than two layers with weights and no recurrent layer
     */
    public static GradientProfile of(LayeredSpec spec) {
        Model model = Models.of(spec);
        double[] theta = model.point();
        Set<String> types = new LinkedHashSet<>();
        Set<Activation> activations = new LinkedHashSet<>();
        int[] normWidth = {0};
        collect(spec.layers(), spec, types, activations, normWidth);
        LayeredSpec.Recurrent recurrent = firstRecurrent(spec.layers());
        List<String> positions = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        if (recurrent != null) {
            double[][] grads = ModelEvaluator.tensorGradients(model, theta);
            java.util.Map<String, Integer> byName = new java.util.HashMap<>();
            for (int t = 0; t < model.tensors().size(); t++) {
                byName.put(model.tensors().get(t).name(), t);
            }
            for (int t = 1; byName.containsKey("h" + recurrent.position() + "[" + t + "]"); t++) {
                double[] g = grads[byName.get("h" + recurrent.position() + "[" + t + "]")];
                positions.add(Integer.toString(t));
                norms.add(g == null ? 0.0 : frobenius(g));
            }
        } else {
            double[] gradient = ModelEvaluator.gradient(model, theta);
            for (LayeredSpec.Layer layer : spec.layers()) {
                double squares = 0;
                boolean any = false;
                for (Parameter p : model.parameters()) {
                    if (p.name().startsWith("W") && owns(layer.position(), p.name())) {
                        any = true;
                        for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                            squares += gradient[i] * gradient[i];
                        }
                    }
                }
                if (any) {
                    positions.add(layer.position());
                    norms.add(Math.sqrt(squares));
                }
            }
        }
        if (positions.size() < 2) {
            throw new IllegalArgumentException(spec.name() + " has " + positions.size() + (recurrent != null
                    ? " steps" : " layers with weights") + "; a profile needs at least two");
        }
        return new GradientProfile(spec.name(), spec.source(), recurrent != null, positions,
                norms.stream().mapToDouble(Double::doubleValue).toArray(), LayeredBounds.of(spec),
                new ArrayList<>(types), new ArrayList<>(activations), normWidth[0]);
    }

    /** @return the growth from the last position back to the first */
    public Growth growth() {
        return new Growth(norms[0], norms[norms.length - 1], norms.length - 1);
    }

    /** @return the measured quantity, e.g. {@code ‖∂L/∂W_l‖_F} */
    public String measure() {
        return time ? "‖∂L/∂h_t‖_F" : "‖∂L/∂W_l‖_F";
    }

    /** @return the row of the first layer with a Jacobian: its chain of bounds runs from there to the output */
    public LayeredBounds.Row firstRow() {
        return bounds.rows().get(0);
    }

    /**
     * @param type a layer type as specs write it, e.g. {@code residual}
     * @return whether the model contains a layer of this type (nested ones included)
     */
    public boolean has(String type) {
        return types.contains(type);
    }

    private static boolean owns(String position, String parameter) {
        String owner = parameter.replaceFirst(LayeredSpec.OWNER_PREFIX, "");
        return owner.equals(position) || owner.startsWith(position + ".");
    }

    private static LayeredSpec.Recurrent firstRecurrent(List<LayeredSpec.Layer> layers) {
        for (LayeredSpec.Layer layer : layers) {
            if (layer instanceof LayeredSpec.Recurrent r) {
                return r;
            }
        }
        return null;
    }

    private static void collect(List<LayeredSpec.Layer> layers, LayeredSpec spec, Set<String> types,
                                Set<Activation> activations, int[] normWidth) {
        for (LayeredSpec.Layer layer : layers) {
            types.add(layer.type());
            if (layer instanceof LayeredSpec.Recurrent r && r.cell() == LayeredSpec.Recurrent.Cell.RNN) {
                activations.add(r.nonlinearity());
            }
            if (layer.activation() != Activation.IDENTITY) {
                activations.add(layer.activation());
            }
            if (layer instanceof LayeredSpec.Norm n && !n.batch() && normWidth[0] == 0) {
                LayeredSpec.Weights gamma = spec.parameters().get("gamma" + n.position());
                normWidth[0] = gamma == null ? 0 : gamma.values().length;
            }
            if (layer instanceof LayeredSpec.Residual r) {
                collect(r.layers(), spec, types, activations, normWidth);
            }
        }
    }

    private static double frobenius(double[] values) {
        double scale = 0;
        for (double v : values) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double sum = 0;
        for (double v : values) {
            double r = v / scale;
            sum += r * r;
        }
        return scale * Math.sqrt(sum);
    }
}
