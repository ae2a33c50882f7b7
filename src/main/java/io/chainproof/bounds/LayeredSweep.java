package io.chainproof.bounds;

import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A layered model's gradients as one layer's weights are scaled: at every scale, each layer's gradient norm
 * ‖∂L/∂θ_l‖_F and the chain from the first layer to the output, exact and bounded ({@link LayeredBounds}).
 *
 * @param name     the model's name
 * @param layer    the position of the layer whose weights are scaled
 * @param weight   the weight scaled: the layer's W, or a recurrent layer's W_hh
 * @param layers   the positions of the layers reported, first layer first
 * @param points   one per scale
 */
public record LayeredSweep(String name, String layer, String weight, List<String> layers, List<Point> points) {

    /**
     * One scale.
     *
     * @param scale         the factor on W of the swept layer
     * @param gradientNorms ‖∂L/∂θ_l‖_F per reported layer (NaN for a layer without parameters)
     * @param chainActual   the exact ‖∂z_L/∂x_1‖₂ (NaN where too large to form)
     * @param chainAtData   its product bound at the data
     */
    public record Point(double scale, double[] gradientNorms, double chainActual, double chainAtData) {
        /**
         * Copies the norms.
         *
         * @param scale         the factor on W of the swept layer
         * @param gradientNorms ‖∂L/∂θ_l‖_F per reported layer
         * @param chainActual   the exact ‖∂z_L/∂x_1‖₂
         * @param chainAtData   its product bound at the data
         */
        public Point {
            gradientNorms = gradientNorms.clone();
        }

        /** @return ‖∂L/∂θ_l‖_F per reported layer (a copy) */
        @Override
        public double[] gradientNorms() {
            return gradientNorms.clone();
        }
    }

    /**
     * Copies the lists.
     *
     * @param name   the model's name
     * @param layer  the swept layer's position
     * @param weight the swept weight: the layer's W, or a recurrent layer's W_hh
     * @param layers the reported layers' positions
     * @param points one per scale
     */
    public LayeredSweep {
        layers = List.copyOf(layers);
        points = List.copyOf(points);
    }

    /**
     * Sweeps the weights W{layer} of {@code spec} (a recurrent layer's W_hh{layer}) by {@code points} factors log-spaced from {@code from} to
     * {@code to}.
     *
     * @param spec   the model
     * @param layer  the position of a dense, convolution or recurrent layer at the top level
     * @param from   the smallest factor; > 0
     * @param to     the largest factor; ≥ from
     * @param points the number of factors; ≥ 2 (1 if from = to)
     * @return the sweep
     * @throws SpecException naming the option and a fix when the layer has no weights or the range is empty
     */
    public static LayeredSweep run(LayeredSpec spec, int layer, double from, double to, int points) {
        String w = weight(spec, Integer.toString(layer));
        if (w == null) {
            List<String> weighted = spec.layers().stream().filter(l -> weight(spec, l.position()) != null)
                    .map(LayeredSpec.Layer::position).toList();
            throw new SpecException(spec.source(), "--layer", Integer.toString(layer),
                    "is not a dense, convolution or recurrent layer of " + spec.name(),
                    "give one of the layers with weights: " + String.join(", ", weighted));
        }
        if (!(from > 0) || !(to >= from) || !Double.isFinite(to)) {
            throw new SpecException(spec.source(), "--from/--to", from + ", " + to, "is not a range of scales",
                    "give 0 < --from ≤ --to, e.g. --from 0.1 --to 10");
        }
        if (points < 1 || (points == 1 && from != to)) {
            throw new SpecException(spec.source(), "--points", Integer.toString(points),
                    "must be at least 2 (1 if --from = --to)", "give --points 2 or more");
        }
        List<Point> out = new ArrayList<>();
        List<String> positions = null;
        for (int i = 0; i < points; i++) {
            double scale = i == points - 1 ? to : points == 1 ? from : from * Math.pow(to / from, (double) i / (points - 1));
            Map<String, LayeredSpec.Weights> scaled = new LinkedHashMap<>(spec.parameters());
            LayeredSpec.Weights original = spec.parameters().get(w);
            double[] values = original.values();
            for (int k = 0; k < values.length; k++) {
                values[k] *= scale;
            }
            scaled.put(w, new LayeredSpec.Weights(original.shape(), values));
            LayeredSpec at = new LayeredSpec(spec.name(), spec.source(), spec.inputShape(), spec.layers(), spec.loss(),
                    scaled, spec.x(), spec.y(), spec.names());
            LayeredBounds.Report report = LayeredBounds.of(at);
            if (positions == null) {
                positions = report.rows().stream().map(LayeredBounds.Row::position).toList();
            }
            double[] norms = report.rows().stream().mapToDouble(LayeredBounds.Row::gradientNorm).toArray();
            LayeredBounds.Row first = report.rows().get(0);
            out.add(new Point(scale, norms, first.chainActual(), first.chainHere()));
        }
        return new LayeredSweep(spec.name(), Integer.toString(layer), w, positions, out);
    }

    /** The weight a sweep of the layer at {@code position} scales: W, or a recurrent layer's W_hh; null if none. */
    private static String weight(LayeredSpec spec, String position) {
        for (String w : List.of("W" + position, "W_hh" + position)) {
            if (spec.parameters().containsKey(w)) {
                return w;
            }
        }
        return null;
    }

    /** @return the sweep as CSV: scale, each layer's gradient norm, the first layer's chain exact and bounded */
    public String csv() {
        StringBuilder s = new StringBuilder("scale");
        for (String p : layers) {
            s.append(",grad_norm_layer").append(p);
        }
        s.append(",chain_norm_layer").append(layers.get(0)).append(",chain_bound_at_data_layer")
                .append(layers.get(0)).append('\n');
        for (Point pt : points) {
            s.append(pt.scale());
            for (double g : pt.gradientNorms()) {
                s.append(',').append(Double.isNaN(g) ? "" : Double.toString(g));
            }
            s.append(',').append(Double.isNaN(pt.chainActual()) ? "" : Double.toString(pt.chainActual()))
                    .append(',').append(Double.isNaN(pt.chainAtData()) ? "" : Double.toString(pt.chainAtData()))
                    .append('\n');
        }
        return s.toString();
    }

    /** @return a table: per scale, the first and last layers' gradient norms and the first layer's chain */
    public String table() {
        String firstLayer = layers.get(0);
        String lastLayer = layers.get(layers.size() - 1);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%13s  %14s  %14s  %14s  %14s%n",
                "scale of " + weight, "‖∂L/∂θ_" + firstLayer + "‖_F", "‖∂L/∂θ_" + lastLayer + "‖_F",
                "‖∂z/∂x_" + firstLayer + "‖₂", "bound at data"));
        for (Point pt : points) {
            double[] g = pt.gradientNorms();
            s.append(String.format(Locale.ROOT, "%13.6e  %14s  %14s  %14s  %14s%n", pt.scale(), number(g[0]),
                    number(g[g.length - 1]), number(pt.chainActual()), number(pt.chainAtData())));
        }
        return s.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.6e", v);
    }
}
