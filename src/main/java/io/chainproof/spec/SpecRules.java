package io.chainproof.spec;

import io.chainproof.ops.Activation;
import java.util.List;

/**
 * Every semantic rule a spec must satisfy, each throwing a {@link SpecException} with the exact message.
 * The records call the rules about themselves from their compact constructors (with the record name as
 * source, e.g. {@code LayerSpec: units}); {@link NetworkSpec} calls the rules that relate its parts
 * (with its own source and the paths of the file, e.g. {@code parameters.W2}); {@link SpecReader} calls
 * the same rules as soon as the fields they need have been read, so a file fails at its first error.
 *
 * <p>Within a group the order is fixed: {@link #architecture} checks inputs, then the layer list, then
 * softmax placement layer by layer; {@link #parametersFit} checks W1, b1, W2, b2, ... in turn, and
 * {@link #dataFits} checks the widths of every row of x, then of y, then the target range.
 */
final class SpecRules {

    private SpecRules() {
    }

    // ---- rules of single records -------------------------------------------------------------

    /** Rules of a {@link LayerSpec}: units ≥ 1, activation present. */
    static void layer(int units, Activation activation) {
        if (units < 1) {
            throw new SpecException("LayerSpec", "units", Integer.toString(units), "must be at least 1",
                    "give the layer 1 or more units");
        }
        if (activation == null) {
            throw missing("LayerSpec", "activation", "pass one of " + String.join(", ", Activation.specNames()));
        }
    }

    /** Rules of {@link Parameters}: one weight matrix and one bias vector per layer, all entries finite. */
    static void parameters(List<double[][]> weights, List<double[]> biases) {
        String source = "Parameters";
        if (weights == null) {
            throw missing(source, "weights", "pass one weight matrix per layer");
        }
        if (biases == null) {
            throw missing(source, "biases", "pass one bias vector per layer");
        }
        if (weights.isEmpty()) {
            throw new SpecException(source, "weights", "[]", "is empty", "pass one weight matrix per layer");
        }
        if (biases.size() != weights.size()) {
            throw new SpecException(source, "biases", ValueText.count(biases.size(), "vector", "vectors"),
                    "does not match the " + ValueText.count(weights.size(), "weight matrix", "weight matrices"),
                    "pass one bias vector per weight matrix");
        }
        for (int l = 1; l <= weights.size(); l++) {
            matrix(source, "W" + l, weights.get(l - 1), "pass W" + l + " as one row of numbers per unit of layer " + l);
            vector(source, "b" + l, biases.get(l - 1), "pass b" + l + " as one number per unit of layer " + l);
        }
    }

    /** Rules of {@link Data}: x and y present with the same, positive number of rows, all entries finite. */
    static void data(double[][] x, double[][] y) {
        String source = "Data";
        if (x == null) {
            throw missing(source, "x", "pass one row of inputs per sample");
        }
        if (y == null) {
            throw missing(source, "y", "pass one row of targets per sample");
        }
        rowsPresent(source, "x", x);
        rowsPresent(source, "y", y);
        if (x.length == 0) {
            throw new SpecException(source, "x", "[]", "has no samples", "add at least one row");
        }
        if (y.length != x.length) {
            throw new SpecException(source, "y", ValueText.count(y.length, "row", "rows"),
                    "does not match the " + ValueText.count(x.length, "row", "rows") + " of x",
                    "give one target row per input row");
        }
        finite(source, "x", x);
        finite(source, "y", y);
    }

    /** Rules of an {@link InitSpec}: scheme present, scale finite, and positive unless constant. */
    static void init(InitScheme scheme, double scale) {
        if (scheme == null) {
            throw missing("InitSpec", "scheme", "pass one of " + String.join(", ", InitScheme.specNames()));
        }
        if (!Double.isFinite(scale)) {
            throw new SpecException("InitSpec", "scale", ValueText.of(scale), "is not finite",
                    "use a finite scale such as 1.0");
        }
        if (scheme != InitScheme.CONSTANT && scale <= 0) {
            throw new SpecException("InitSpec", "scale", ValueText.of(scale), "must be > 0 for " + scheme.specName(),
                    "use a positive scale such as 1.0 (only constant allows zero or negative values)");
        }
    }

    // ---- rules relating the parts of a NetworkSpec ----------------------------------------------

    /** The spec's source and name are present, and the name is not blank. */
    static void sourceAndName(String source, String name) {
        if (source == null) {
            throw missing("NetworkSpec", "source", "pass the file name the spec came from, or \"<string>\"");
        }
        if (name == null) {
            throw missing(source, "name", "give the network a name");
        }
        if (name.isBlank()) {
            throw new SpecException(source, "name", name, "is blank",
                    "give a non-empty name, or leave out \"name\" to use the file name");
        }
    }

    /** At least one input. */
    static void inputs(String source, int inputs) {
        if (inputs < 1) {
            throw new SpecException(source, "inputs", Integer.toString(inputs), "must be at least 1",
                    "give the number of input features, e.g. \"inputs\": 2");
        }
    }

    /** A non-empty list of layers without nulls. */
    static void layerList(String source, List<LayerSpec> layers) {
        if (layers == null) {
            throw missing(source, "layers", "pass one LayerSpec per layer");
        }
        if (layers.isEmpty()) {
            throw new SpecException(source, "layers", "[]", "is empty",
                    "add at least one layer, e.g. {\"units\": 1, \"activation\": \"sigmoid\"}");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw missing(source, "layers[" + i + "]", "pass a LayerSpec");
            }
        }
    }

    /** Inputs, layer list, and softmax only on the last layer and only with 2 or more units. */
    static void architecture(String source, int inputs, List<LayerSpec> layers) {
        inputs(source, inputs);
        layerList(source, layers);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer.activation() != Activation.SOFTMAX) {
                continue;
            }
            String path = "layers[" + i + "].activation";
            if (i < layers.size() - 1) {
                throw new SpecException(source, path, "softmax", "is only allowed on the last layer",
                        "use an elementwise activation such as sigmoid or tanh here");
            }
            if (layer.units() == 1) {
                throw new SpecException(source, path, "softmax",
                        "on a single unit always outputs 1 (its gradient is zero)",
                        "use sigmoid for one output, or give the layer 2 or more units");
            }
        }
    }

    /** bce and cross_entropy need outputs in (0, 1): a last activation of sigmoid or softmax. */
    static void lossFits(String source, List<LayerSpec> layers, Loss loss) {
        if (loss == null) {
            throw missing(source, "loss", "pass one of " + String.join(", ", Loss.specNames()));
        }
        Activation last = layers.get(layers.size() - 1).activation();
        boolean probabilities = last == Activation.SIGMOID || last == Activation.SOFTMAX;
        if ((loss == Loss.BCE || loss == Loss.CROSS_ENTROPY) && !probabilities) {
            String preferred = loss == Loss.BCE ? "sigmoid (or softmax)" : "softmax (or sigmoid)";
            throw new SpecException(source, "loss", loss.specName(),
                    "needs outputs in (0, 1), but layer " + layers.size() + " has activation " + last.specName(),
                    "use " + preferred + " on the last layer, or a loss such as mse");
        }
    }

    /** W_l is [units_l][units_{l−1}] and b_l is [units_l], layer by layer. */
    static void parametersFit(String source, int inputs, List<LayerSpec> layers, Parameters parameters) {
        if (parameters == null) {
            throw missing(source, "parameters", "pass one weight matrix and one bias vector per layer");
        }
        if (parameters.layerCount() != layers.size()) {
            throw new SpecException(source, "parameters", ValueText.count(parameters.layerCount(), "layer", "layers"),
                    "does not match the " + ValueText.count(layers.size(), "layer", "layers") + " of the network",
                    "give one W and one b per layer");
        }
        for (int l = 1; l <= layers.size(); l++) {
            int rows = layers.get(l - 1).units();
            int columns = l == 1 ? inputs : layers.get(l - 2).units();
            String columnMeaning = l == 1 ? "one per input" : "one per unit of layer " + (l - 1);
            weightShape(source, l, parameters.weight(l), rows, columns, columnMeaning);
            double[] b = parameters.bias(l);
            if (b.length != rows) {
                throw new SpecException(source, "parameters.b" + l, "[" + b.length + "]",
                        "has the wrong shape, expected [" + rows + "]",
                        "give b" + l + " one entry per unit of layer " + l);
            }
        }
    }

    /** Rows of data.x have one entry per input, rows of data.y one per output; targets suit the loss. */
    static void dataFits(String source, int inputs, List<LayerSpec> layers, Loss loss, Data data) {
        if (data == null) {
            throw missing(source, "data", "pass the samples x and targets y");
        }
        int outputs = layers.get(layers.size() - 1).units();
        double[][] x = data.x();
        double[][] y = data.y();
        rowWidths(source, "data.x", x, inputs, "every row of data.x needs one entry per input (inputs = " + inputs + ")");
        rowWidths(source, "data.y", y, outputs,
                "every row of data.y needs one entry per output unit (outputs = " + outputs + ")");
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y[i].length; j++) {
                String path = "data.y[" + i + "][" + j + "]";
                if (loss == Loss.BCE && (y[i][j] < 0 || y[i][j] > 1)) {
                    throw new SpecException(source, path, ValueText.of(y[i][j]),
                            "is outside [0, 1] (bce targets are probabilities)",
                            "use a target between 0 and 1, or a loss such as mse");
                }
                if (loss == Loss.CROSS_ENTROPY && y[i][j] < 0) {
                    throw new SpecException(source, path, ValueText.of(y[i][j]),
                            "is negative (cross_entropy targets are class probabilities)",
                            "use targets ≥ 0, e.g. one-hot labels");
                }
            }
        }
    }

    // ---- building blocks -------------------------------------------------------------------------

    private static SpecException missing(String source, String path, String fix) {
        return new SpecException(source, path, "null", "is required", fix);
    }

    private static void weightShape(String source, int l, double[][] w, int rows, int columns, String columnMeaning) {
        String name = "W" + l;
        boolean rectangular = true;
        for (double[] row : w) {
            rectangular &= row.length == w[0].length;
        }
        if (rectangular && (w.length != rows || (rows > 0 && w[0].length != columns))) {
            boolean transposed = w.length == columns && w.length > 0 && w[0].length == rows;
            throw new SpecException(source, "parameters." + name, ValueText.shape(w),
                    "has the wrong shape, expected " + ValueText.shape(rows, columns),
                    "give " + name + " " + ValueText.count(rows, "row", "rows") + " (one per unit of layer " + l + ") of "
                            + ValueText.count(columns, "entry", "entries") + " (" + columnMeaning + "), the PyTorch Linear layout"
                            + (transposed ? "; it looks transposed" : ""));
        }
        rowWidths(source, "parameters." + name, w, columns,
                "every row of " + name + " needs one entry " + columnMeaning.substring("one ".length()));
    }

    private static void rowWidths(String source, String path, double[][] matrix, int width, String fix) {
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i].length != width) {
                throw new SpecException(source, path + "[" + i + "]", ValueText.of(matrix[i]),
                        "has " + ValueText.count(matrix[i].length, "entry", "entries") + ", expected " + width, fix);
            }
        }
    }

    private static void matrix(String source, String path, double[][] matrix, String fix) {
        if (matrix == null) {
            throw missing(source, path, fix);
        }
        rowsPresent(source, path, matrix);
        finite(source, path, matrix);
    }

    private static void rowsPresent(String source, String path, double[][] matrix) {
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i] == null) {
                throw missing(source, path + "[" + i + "]", "pass a row of numbers");
            }
        }
    }

    private static void finite(String source, String path, double[][] matrix) {
        for (int i = 0; i < matrix.length; i++) {
            vector(source, path + "[" + i + "]", matrix[i], "pass a row of numbers");
        }
    }

    private static void vector(String source, String path, double[] vector, String fix) {
        if (vector == null) {
            throw missing(source, path, fix);
        }
        for (int j = 0; j < vector.length; j++) {
            if (!Double.isFinite(vector[j])) {
                throw new SpecException(source, path + "[" + j + "]", ValueText.of(vector[j]), "is not finite",
                        "replace it with a finite number");
            }
        }
    }
}
