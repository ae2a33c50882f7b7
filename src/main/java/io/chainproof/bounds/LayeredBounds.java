package io.chainproof.bounds;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Node;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.JacobianBound;
import io.chainproof.ops.OutputLoss;
import io.chainproof.spec.LayeredSpec;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer Jacobian bounds of a layered model, each the product of its ops' own bounds ({@code jacobianBound}):
 * a convolution's {@code min(Σ_κ ‖W_κ‖₂, max_ω ‖K̂(ω)‖₂)} ({@link io.chainproof.ops.ConvNorm}), a dense layer's {@code ‖W‖₂}, an activation's γ = sup|φ'| (at the data:
 * max|φ'(z)|), a pooling's {@code √c}, a norm's {@code max|γ|/σ} (certified for every input at σ = √ε), and a
 * residual block's {@code 1 + ‖J_F‖} (its identity path). Each is set against the exact spectral norm of the layer's
 * Jacobian at the data (over the whole batch: batch norm couples the samples), and the chain from each layer to the
 * output against the exact {@code ‖∂z_L/∂x_l‖₂} — the product bounds it by the chain rule.
 */
public final class LayeredBounds {

    /** Exact Jacobians are computed up to this many rows and columns. */
    static final int MAX_EXACT = 1500;

    private LayeredBounds() {
    }

    /**
     * One layer's row.
     *
     * @param position       the layer's position
     * @param type           its type
     * @param certified      the certified bound on ‖J_l‖₂ (every input)
     * @param here           the bound at the data
     * @param actual         the exact ‖J_l‖₂ at the data, or NaN where too large to compute
     * @param chainCertified the product of certified bounds from this layer to the output
     * @param chainHere      the product of the bounds at the data from this layer to the output
     * @param chainActual    the exact ‖∂z_L/∂x_l‖₂, or NaN
     * @param gradientNorm   ‖∂L/∂θ_l‖_F over the layer's parameters (those of a residual block's layers included);
     *                       NaN for a layer without parameters
     */
    public record Row(String position, String type, double certified, double here, double actual,
                      double chainCertified, double chainHere, double chainActual, double gradientNorm) {
    }

    /**
     * A path through a layer that the lecture follows on its own: an RNN's recurrent product, an LSTM's cell state
     * (the constant-error carousel), a GRU's update gate, attention's softmax.
     *
     * @param position  the layer's position
     * @param type      its type
     * @param path      what is bounded, in words and symbols
     * @param certified its bound for every input
     * @param here      its bound at the data
     * @param actual    its exact value at the data, or NaN where too large to compute
     */
    public record Path(String position, String type, String path, double certified, double here, double actual) {
    }

    /**
     * The report.
     *
     * @param name    the model's name
     * @param samples the batch size
     * @param rows    one per layer with a Jacobian (embeddings and flatten have none), first layer first
     * @param paths   the paths through recurrent and attention layers, first layer first
     */
    public record Report(String name, int samples, List<Row> rows, List<Path> paths) {
        /**
         * Copies the lists.
         *
         * @param name    the model's name
         * @param samples the batch size
         * @param rows    the rows
         * @param paths   the paths
         */
        public Report {
            rows = List.copyOf(rows);
            paths = List.copyOf(paths);
        }
    }

    /**
     * @param spec the model
     * @return its per-layer bounds
     */
    public static Report of(LayeredSpec spec) {
        Model model = Models.of(spec);
        double[] theta = model.point();
        double[][] values = ModelEvaluator.values(model, theta);
        List<Node> nodes = model.nodes();
        int lossNode = nodes.size() - 1;
        int last = nodes.get(lossNode).input(0);
        if (!(nodes.get(lossNode).op() instanceof OutputLoss)) {
            throw new IllegalStateException("a layered model ends in its loss");
        }
        List<double[]> factors = new ArrayList<>();
        List<int[]> ends = new ArrayList<>();
        List<LayeredSpec.Layer> layers = new ArrayList<>();
        CellBounds cells = new CellBounds(model, values);
        for (LayeredSpec.Layer layer : spec.layers()) {
            List<Node> own = nodesOf(nodes, layer.position());
            if (own.isEmpty() || layer instanceof LayeredSpec.Embedding) {
                continue;
            }
            layers.add(layer);
            factors.add(bound(model, layer, nodes, values, cells));
            ends.add(new int[] {own.get(0).input(0), own.get(own.size() - 1).output()});
        }
        List<Row> rows = new ArrayList<>();
        double chainCertified = 1;
        double chainHere = 1;
        double[] chainC = new double[layers.size()];
        double[] chainH = new double[layers.size()];
        for (int i = layers.size() - 1; i >= 0; i--) {
            chainCertified *= factors.get(i)[0];
            chainHere *= factors.get(i)[1];
            chainC[i] = chainCertified;
            chainH[i] = chainHere;
        }
        double[] gradient = ModelEvaluator.gradient(model, theta);
        for (int i = 0; i < layers.size(); i++) {
            int[] e = ends.get(i);
            rows.add(new Row(layers.get(i).position(), layers.get(i).type(), factors.get(i)[0], factors.get(i)[1],
                    exact(model, theta, e[0], e[1]), chainC[i], chainH[i], exact(model, theta, e[0], last),
                    gradientNorm(model, gradient, layers.get(i).position())));
        }
        return new Report(spec.name(), spec.samples(), rows, cells.paths);
    }

    /** ‖∂L/∂θ‖_F over the parameters of the layer at {@code position} and of the layers nested in it; NaN if none. */
    private static double gradientNorm(Model model, double[] gradient, String position) {
        double squares = 0;
        boolean any = false;
        for (io.chainproof.model.Parameter p : model.parameters()) {
            String owner = p.name().replaceFirst(LayeredSpec.OWNER_PREFIX, "");
            if (owner.equals(position) || owner.startsWith(position + ".")) {
                any = true;
                for (int i = p.offset(); i < p.offset() + p.size(); i++) {
                    squares += gradient[i] * gradient[i];
                }
            }
        }
        return any ? Math.sqrt(squares) : Double.NaN;
    }

    /** The nodes of the layer at {@code position}: its own and those of the layers nested in it. */
    private static List<Node> nodesOf(List<Node> nodes, String position) {
        String label = "layer " + position;
        return nodes.stream().filter(n -> n.label().equals(label) || n.label().startsWith(label + ".")).toList();
    }

    /** {certified, here} for one layer: the product of its ops' bounds; a residual block 1 + its block's product. */
    private static double[] bound(Model model, LayeredSpec.Layer layer, List<Node> nodes, double[][] values,
                                  CellBounds cells) {
        if (layer instanceof LayeredSpec.Recurrent r) {
            double[] cell = switch (r.cell()) {
                case RNN -> cells.rnn(r, rnnBound(model, r, nodes, values));
                case LSTM -> cells.lstm(r);
                case GRU -> cells.gru(r);
            };
            // an lstm's or gru's activation after the cell (an rnn's is the cell's own)
            for (Node node : nodesOf(nodes, r.position())) {
                if (node.step() == 0 && r.cell() != LayeredSpec.Recurrent.Cell.RNN
                        && node.op() instanceof io.chainproof.ops.ElementwiseOp) {
                    List<double[]> inputs = new ArrayList<>();
                    for (int i = 0; i < node.inputCount(); i++) {
                        inputs.add(values[node.input(i)]);
                    }
                    JacobianBound b = node.op().jacobianBound(0, inputs, values[node.output()], SymbolicRules.instance())
                            .orElseThrow();
                    cell = new double[] {cell[0] * b.certified(), cell[1] * b.here()};
                }
            }
            return cell;
        }
        if (layer instanceof LayeredSpec.Attention a) {
            cells.attention(a);
        }
        double certified = 1;
        double here = 1;
        if (layer instanceof LayeredSpec.Residual r) {
            double innerC = 1;
            double innerH = 1;
            for (LayeredSpec.Layer inner : r.layers()) {
                if (nodesOf(nodes, inner.position()).isEmpty()) {
                    continue;
                }
                double[] b = bound(model, inner, nodes, values, cells);
                innerC *= b[0];
                innerH *= b[1];
            }
            certified = 1 + innerC;
            here = 1 + innerH;
        }
        String label = "layer " + layer.position();
        for (Node node : nodes) {
            if (!node.label().equals(label) || node.op() instanceof OutputLoss) {
                continue;
            }
            List<double[]> inputs = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(values[node.input(i)]);
            }
            JacobianBound b = node.op().jacobianBound(0, inputs, values[node.output()], SymbolicRules.instance())
                    .orElseThrow(() -> new IllegalStateException(node.op().kind() + " gives no Jacobian bound"));
            if (!(layer instanceof LayeredSpec.Residual) || !(node.op() instanceof io.chainproof.ops.Residual)) {
                certified *= b.certified();
                here *= b.here();
            }
        }
        return new double[] {certified, here};
    }

    /**
     * {certified, here} for an rnn layer over T steps: its Jacobian from the input sequence to the states is block
     * lower triangular with blocks {@code ∂h_t/∂x_k = diag(φ'(z_t)) W_hh ⋯ diag(φ'(z_{k+1})) W_hh diag(φ'(z_k)) W_ih},
     * of norm at most {@code c‖W_ih‖₂ (c‖W_hh‖₂)^{t−k}} with c ≥ |φ'| (γ = 1 for tanh and relu; at the data the
     * largest |φ'(z)| over the steps); summing the norms of its T block diagonals gives
     * {@code c‖W_ih‖₂ Σ_{d<T} (c‖W_hh‖₂)^d} (Pascanu et al. 2013 for each block). Returning only the last state keeps
     * one block row, which the same sum bounds.
     */
    private static double[] rnnBound(Model model, LayeredSpec.Recurrent r, List<Node> nodes, double[][] values) {
        String p = r.position();
        double wih = Double.NaN;
        double whh = Double.NaN;
        double gamma = 0;
        double here = 0;
        int steps = 0;
        for (Node node : nodesOf(nodes, p)) {
            if (!node.label().equals("layer " + p)) {
                continue;
            }
            List<double[]> inputs = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(values[node.input(i)]);
            }
            if (node.op() instanceof io.chainproof.ops.Dense dense) {
                String weight = model.tensor(node.input(1)).name();
                double norm = dense.jacobianBound(0, inputs, values[node.output()], SymbolicRules.instance())
                        .orElseThrow().certified();
                if (weight.equals("W_ih" + p)) {
                    wih = norm;
                    steps++;
                } else if (weight.equals("W_hh" + p)) {
                    whh = norm;
                }
            } else if (node.op() instanceof io.chainproof.ops.ElementwiseOp) {
                JacobianBound b = node.op().jacobianBound(0, inputs, values[node.output()], SymbolicRules.instance())
                        .orElseThrow();
                gamma = Math.max(gamma, b.certified());
                here = Math.max(here, b.here());
            }
        }
        return new double[] {rnnSum(gamma, wih, whh, steps), rnnSum(here, wih, whh, steps)};
    }

    private static double rnnSum(double c, double wih, double whh, int steps) {
        double sum = 0;
        double power = 1;
        for (int d = 0; d < steps; d++) {
            sum += power;
            power *= c * whh;
        }
        return c * wih * sum;
    }

    /** The exact spectral norm of ∂to/∂from at the data, or NaN when the Jacobian is too large to form. */
    private static double exact(Model model, double[] theta, int from, int to) {
        if (model.tensor(from).size() > MAX_EXACT || model.tensor(to).size() > MAX_EXACT) {
            return Double.NaN;
        }
        return MatrixNorms.spectralNorm(ModelEvaluator.jacobian(model, theta, from, to));
    }
}
