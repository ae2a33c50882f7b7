package io.chainproof.bounds;

import io.chainproof.spec.LayeredSpec;
import io.chainproof.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A layered model's gradients as one layer's weights are scaled, or an lstm layer's forget-gate bias is set: at
 * every point, each layer's gradient norm ‖∂L/∂θ_l‖_F, the chain from the first layer to the output, exact and
 * bounded, and — for a recurrent layer — the exact norm of its state path ‖∂h_T/∂h_1‖₂ ({@link LayeredBounds}).
 *
 * @param name        the model's name
 * @param layer       the position of the swept layer
 * @param weight      what is swept, in words: the layer's W, a recurrent layer's W_hh, or an lstm's forget-gate bias
 * @param logarithmic whether the points are factors spaced logarithmically (a scale) or values spaced linearly
 *                    (a bias)
 * @param layers      the positions of the layers reported, first layer first
 * @param points      one per scale
 */
public record LayeredSweep(String name, String layer, String weight, boolean logarithmic, List<String> layers,
                           List<Point> points) {

    /**
     * One scale.
     *
     * @param scale         the factor on W of the swept layer
     * @param gradientNorms ‖∂L/∂θ_l‖_F per reported layer (NaN for a layer without parameters)
     * @param chainActual   the exact ‖∂z_L/∂x_1‖₂ (NaN where too large to form)
     * @param chainAtData   its product bound at the data
     * @param pathActual    the swept recurrent layer's exact ‖∂h_T/∂h_1‖₂ (NaN for other layers, or too large)
     */
    public record Point(double scale, double[] gradientNorms, double chainActual, double chainAtData,
                        double pathActual) {
        /**
         * Copies the norms.
         *
         * @param scale         the factor on W of the swept layer, or the forget-gate bias
         * @param gradientNorms ‖∂L/∂θ_l‖_F per reported layer
         * @param chainActual   the exact ‖∂z_L/∂x_1‖₂
         * @param chainAtData   its product bound at the data
         * @param pathActual    the exact ‖∂h_T/∂h_1‖₂ of the swept recurrent layer, or NaN
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
     * @param weight what is swept
     * @param logarithmic whether the points are log-spaced factors
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
        requirePoints(spec, from, to, points);
        String position = Integer.toString(layer);
        return sweep(spec, position, w, true, from, to, points, (values, scale) -> {
            for (int k = 0; k < values.length; k++) {
                values[k] *= scale;
            }
        });
    }

    /**
     * Sweeps the forget-gate bias of an lstm layer: the forget block of {@code b_ih} set to each of {@code points}
     * values spaced evenly from {@code from} to {@code to} ({@code b_hh} kept; PyTorch adds both) — the remedy of
     * Gers et al. (2000), whose cell path ∏ diag(f_t) survives long sequences as f → 1.
     *
     * @param spec   the model
     * @param layer  the position of an lstm layer at the top level
     * @param from   the first value
     * @param to     the last value; ≥ from
     * @param points the number of values; ≥ 2 (1 if from = to)
     * @return the sweep
     * @throws SpecException naming the option and a fix when the layer is not an lstm or the range is empty
     */
    public static LayeredSweep forgetBias(LayeredSpec spec, int layer, double from, double to, int points) {
        String position = Integer.toString(layer);
        boolean lstm = spec.layers().stream().anyMatch(l -> l.position().equals(position)
                && l instanceof LayeredSpec.Recurrent r && r.cell() == LayeredSpec.Recurrent.Cell.LSTM);
        if (!lstm) {
            List<String> lstms = spec.layers().stream().filter(l -> l instanceof LayeredSpec.Recurrent r
                    && r.cell() == LayeredSpec.Recurrent.Cell.LSTM).map(LayeredSpec.Layer::position).toList();
            throw new SpecException(spec.source(), "--layer", position, "is not an lstm layer of " + spec.name()
                    + " (--forget-bias sets an lstm's forget-gate bias)", lstms.isEmpty()
                    ? "sweep a weight scale instead (without --forget-bias)" : "give one of the lstm layers: "
                    + String.join(", ", lstms));
        }
        if (!Double.isFinite(from) || !Double.isFinite(to) || !(to >= from)) {
            throw new SpecException(spec.source(), "--from/--to", from + ", " + to, "is not a range of biases",
                    "give --from ≤ --to, e.g. --from -2 --to 6");
        }
        requirePoints(spec, from, to, points);
        int hidden = spec.parameters().get("W_hh" + position).shape()[1];
        return sweep(spec, position, "forget-gate bias b_ih" + position + "[f]", false, from, to, points,
                (values, bias) -> java.util.Arrays.fill(values, hidden, 2 * hidden, bias));
    }

    private static void requirePoints(LayeredSpec spec, double from, double to, int points) {
        if (points < 1 || (points == 1 && from != to)) {
            throw new SpecException(spec.source(), "--points", Integer.toString(points),
                    "must be at least 2 (1 if --from = --to)", "give --points 2 or more");
        }
    }

    /** How a sweep changes the swept tensor's values (a copy) at one point. */
    @FunctionalInterface
    private interface Change {
        void apply(double[] values, double at);
    }

    private static LayeredSweep sweep(LayeredSpec spec, String position, String what, boolean logarithmic,
                                      double from, double to, int points, Change change) {
        String tensor = logarithmic ? weight(spec, position) : "b_ih" + position;
        List<Point> out = new ArrayList<>();
        List<String> positions = null;
        for (int i = 0; i < points; i++) {
            double at = i == points - 1 ? to : points == 1 ? from : logarithmic
                    ? from * Math.pow(to / from, (double) i / (points - 1))
                    : from + (to - from) * i / (points - 1);
            Map<String, LayeredSpec.Weights> changed = new LinkedHashMap<>(spec.parameters());
            LayeredSpec.Weights original = spec.parameters().get(tensor);
            double[] values = original.values();
            change.apply(values, at);
            changed.put(tensor, new LayeredSpec.Weights(original.shape(), values));
            LayeredSpec model = new LayeredSpec(spec.name(), spec.source(), spec.inputShape(), spec.layers(),
                    spec.loss(), changed, spec.x(), spec.y(), spec.names());
            LayeredBounds.Report report = LayeredBounds.of(model);
            if (positions == null) {
                positions = report.rows().stream().map(LayeredBounds.Row::position).toList();
            }
            double[] norms = report.rows().stream().mapToDouble(LayeredBounds.Row::gradientNorm).toArray();
            LayeredBounds.Row first = report.rows().get(0);
            double path = report.paths().stream().filter(p -> p.position().equals(position)
                    && (p.path().startsWith("state path") || p.path().startsWith("recurrent path")))
                    .mapToDouble(LayeredBounds.Path::actual).findFirst().orElse(Double.NaN);
            out.add(new Point(at, norms, first.chainActual(), first.chainHere(), path));
        }
        return new LayeredSweep(spec.name(), position, what, logarithmic, positions, out);
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
                .append(layers.get(0));
        boolean paths = hasPath();
        if (paths) {
            s.append(",state_path_norm_layer").append(layer);
        }
        s.append('\n');
        for (Point pt : points) {
            s.append(pt.scale());
            for (double g : pt.gradientNorms()) {
                s.append(',').append(Double.isNaN(g) ? "" : Double.toString(g));
            }
            s.append(',').append(Double.isNaN(pt.chainActual()) ? "" : Double.toString(pt.chainActual()))
                    .append(',').append(Double.isNaN(pt.chainAtData()) ? "" : Double.toString(pt.chainAtData()));
            if (paths) {
                s.append(',').append(Double.isNaN(pt.pathActual()) ? "" : Double.toString(pt.pathActual()));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** @return whether a recurrent layer was swept: the points carry its state path */
    public boolean hasPath() {
        return points.stream().anyMatch(p -> !Double.isNaN(p.pathActual()));
    }

    /**
     * @return a table: per point, the first and last layers' gradient norms, the first layer's chain and, for a
     *     recurrent layer, its state path
     */
    public String table() {
        String firstLayer = layers.get(0);
        String lastLayer = layers.get(layers.size() - 1);
        boolean paths = hasPath();
        String head = logarithmic ? "scale of " + weight : weight;
        String first = "%" + Math.max(13, head.length()) + "s";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, first + "  %14s  %14s  %14s  %14s",
                head, "‖∂L/∂θ_" + firstLayer + "‖_F", "‖∂L/∂θ_" + lastLayer + "‖_F",
                "‖∂z/∂x_" + firstLayer + "‖₂", "bound at data"));
        s.append(paths ? String.format(Locale.ROOT, "  %14s%n", "‖∂h_T/∂h_1‖₂") : "\n");
        for (Point pt : points) {
            double[] g = pt.gradientNorms();
            s.append(String.format(Locale.ROOT, first + "  %14s  %14s  %14s  %14s",
                    String.format(Locale.ROOT, logarithmic ? "%.6e" : "%.4f", pt.scale()), number(g[0]),
                    number(g[g.length - 1]), number(pt.chainActual()), number(pt.chainAtData())));
            s.append(paths ? String.format(Locale.ROOT, "  %14s%n", number(pt.pathActual())) : "\n");
        }
        return s.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.6e", v);
    }
}
