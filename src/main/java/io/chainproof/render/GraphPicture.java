package io.chainproof.render;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.Node;
import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.chainproof.render.SvgMarkup.escape;
import static io.chainproof.render.SvgMarkup.num;

/**
 * The computation graph of an MLP spec as a self-contained SVG element, with the chain-rule paths of one
 * parameter θ highlighted.
 *
 * <p>Columns run left to right: the inputs x₁…xₙ, one column of neurons o<sub>l,j</sub> per layer (labelled
 * {@code layer l · activation} underneath), the loss node {@code L (loss)}, and the targets y<sub>j</sub>
 * that feed it. There is one edge per weight w<sup>(l)</sup><sub>jk</sub> from o<sub>l−1,k</sub> (or
 * x<sub>k</sub>) to o<sub>l,j</sub>, and one edge from every output neuron to L.
 *
 * <p>On the chain-rule paths of θ ∈ {W<sub>l</sub>[j][k], b<sub>l</sub>[j]} lie: θ's own edge
 * o<sub>l−1,k</sub>→o<sub>l,j</sub> (for a bias, a short stub drawn into o<sub>l,j</sub>), every edge out of
 * o<sub>l,j</sub>, every edge between later layers and every output→L edge that such a path reaches. A softmax
 * layer couples its units, so once any of its units is on a path all of them are; it is framed by a dashed
 * {@code <rect class="softmax-group">}. Markup contract, for
 * pages and tests: graph edges are {@code <line class="edge">} or {@code class="edge on-path"}, θ's edge
 * additionally carries {@code parameter-edge}; a bias stub is {@code class="bias-stub on-path parameter-edge"};
 * target links are {@code class="target-edge"}; nodes are {@code <g class="node">} or
 * {@code class="node on-path"} with {@code data-role} input, neuron, loss or target. Edges and nodes carry
 * {@code data-from}/{@code data-to}/{@code data-node} with the {@link Node#symbol() node symbols}
 * ({@code x_0}, {@code o2_1}, {@code y_0}, {@code L}). The style sheet is scoped to the root's class
 * {@value #ROOT_CLASS}, so several pictures and the host page do not restyle each other.
 *
 * <p>A layer of more than {@value #ELIDE_ABOVE} units shows its first and last {@value #KEPT_AT_ENDS} units
 * and the units θ names, and a "⋮ N more" marker for each run of hidden units; edges to hidden units are
 * not drawn, and the {@code <title>} says which layers are elided. The output is a pure function of the
 * spec's architecture, name and loss and of θ: the same input gives the same string.
 */
public final class GraphPicture {

    /** The class of the root element, which scopes the style sheet. */
    public static final String ROOT_CLASS = "chainproof-graph";
    /** Layers with more units than this are elided. */
    public static final int ELIDE_ABOVE = 12;
    /** Units kept at each end of an elided layer. */
    public static final int KEPT_AT_ENDS = 5;

    private static final double COLUMN = 140;
    private static final double ROW = 56;
    private static final double RADIUS = 19;
    private static final double MARGIN = 70;
    private static final double TOP = 30;
    private static final double BOTTOM = 40;
    private static final String ON_PATH = "#d9480f";
    private static final String STYLE = ("svg.R{background:#fff}"
            + ".R text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:13px;fill:#212529;text-anchor:middle}"
            + ".R text.small{font-size:10px}.R text.caption{font-size:12px;fill:#495057}"
            + ".R .edge,.R .target-edge{stroke:#ced4da;stroke-width:1.2}"
            + ".R .target-edge{stroke-dasharray:4 3}"
            + ".R .edge.on-path,.R .bias-stub{stroke:@on;stroke-width:3}"
            + ".R .parameter-edge{stroke-width:5}"
            + ".R .node circle,.R .node rect{fill:#fff;stroke:#adb5bd;stroke-width:1.5}"
            + ".R .node.on-path circle,.R .node.on-path rect{stroke:@on;stroke-width:2.5}"
            + ".R .node[data-role=target] circle{stroke-dasharray:3 2}"
            + ".R .softmax-group{fill:none;stroke:#868e96;stroke-dasharray:5 4}"
            + ".R .elided text{fill:#868e96}.R .elided.on-path text{fill:@on}"
            + ".R text.parameter-label{fill:@on;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:4px}")
            .replace(".R", "." + ROOT_CLASS).replace("@on", ON_PATH);

    private final ComputationGraph graph;
    private final ParameterId theta;
    private final int layers;
    private final boolean scalarChain;
    /** Per column 0…L (inputs, layers): the drawn rows, each a unit (≥ 0) or a marker (−1 − hidden count). */
    private final List<List<Integer>> rows = new ArrayList<>();
    private final List<int[]> rowOfUnit = new ArrayList<>();
    private final int maxRows;
    private final StringBuilder out = new StringBuilder(8192);

    private GraphPicture(ComputationGraph graph, ParameterId theta) {
        this.graph = graph;
        this.theta = theta;
        this.layers = graph.layerCount();
        this.scalarChain = graph.isScalarChain();
        int most = 1;
        for (int l = 0; l <= layers; l++) {
            layout(l);
            most = Math.max(most, rows.get(l).size());
        }
        this.maxRows = most;
    }

    /**
     * Draws the graph of {@code spec} with the chain-rule paths of {@code parameter} highlighted.
     *
     * @param spec      a validated network
     * @param parameter a parameter of that network, e.g. {@code W1[0][1]}
     * @return one {@code <svg>} element, without XML declaration, ready to inline into HTML
     * @throws IllegalArgumentException naming the parameter if the network has no such parameter
     * @throws NullPointerException     if an argument is null
     */
    public static String svg(NetworkSpec spec, ParameterId parameter) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parameter, "parameter");
        ComputationGraph graph = ComputationGraph.of(spec);
        graph.offset(parameter);
        return new GraphPicture(graph, parameter).render();
    }

    private void layout(int layer) {
        int units = graph.units(layer);
        List<Integer> drawn = new ArrayList<>();
        int[] rowOf = new int[units];
        int hidden = 0;
        for (int u = 0; u < units; u++) {
            if (units <= ELIDE_ABOVE || u < KEPT_AT_ENDS || u >= units - KEPT_AT_ENDS || pinned(layer, u)) {
                if (hidden > 0) {
                    drawn.add(-1 - hidden);
                    hidden = 0;
                }
                rowOf[u] = drawn.size();
                drawn.add(u);
            } else {
                rowOf[u] = -1;
                hidden++;
            }
        }
        rows.add(drawn);
        rowOfUnit.add(rowOf);
    }

    /** Whether θ names this unit: its own unit, or for a weight its source unit. */
    private boolean pinned(int layer, int unit) {
        if (layer == theta.layer()) {
            return unit == theta.row();
        }
        return theta.kind() == ParameterId.Kind.WEIGHT && layer == theta.layer() - 1 && unit == theta.column();
    }

    /** Whether a backward path from L to θ passes through o_{layer,unit} after θ's own unit. */
    private boolean downstream(int layer, int unit) {
        if (layer > theta.layer()) {
            return true;
        }
        return layer == theta.layer()
                && (unit == theta.row() || graph.layer(layer).activation() == Activation.SOFTMAX);
    }

    private boolean nodeOnPath(int layer, int unit) {
        return downstream(layer, unit) || layer == theta.layer() - 1 && pinned(layer, unit);
    }

    private String render() {
        double width = 2 * MARGIN + (layers + 2) * COLUMN;
        double height = TOP + maxRows * ROW + BOTTOM;
        String title = title();
        out.append("<svg xmlns=\"").append(SvgMarkup.NAMESPACE).append("\" class=\"").append(ROOT_CLASS)
                .append("\" viewBox=\"0 0 ").append(num(width)).append(' ').append(num(height))
                .append("\" width=\"").append(num(width)).append("\" height=\"").append(num(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(title)).append("\">\n");
        out.append("<title>").append(escape(title)).append("</title>\n");
        out.append("<style>").append(STYLE).append("</style>\n");
        edges(false);
        targetEdges();
        edges(true);
        parameterMark();
        for (int l = 0; l <= layers; l++) {
            neurons(l);
        }
        lossAndTargets();
        captions();
        parameterLabel();
        out.append("</svg>\n");
        return out.toString();
    }

    private String title() {
        NetworkSpec spec = graph.spec();
        StringBuilder t = new StringBuilder("Computational graph of ").append(spec.name()).append(": ")
                .append(spec.inputs()).append(spec.inputs() == 1 ? " input" : " inputs");
        for (int l = 1; l <= layers; l++) {
            t.append(" → ").append(graph.units(l)).append(' ').append(graph.layer(l).activation().specName());
        }
        t.append(" → L (").append(spec.loss().specName()).append("). Highlighted: the chain-rule paths from ")
                .append(parameterName()).append(" = ").append(theta.name()).append(" to L.");
        List<String> elided = new ArrayList<>();
        for (int l = 0; l <= layers; l++) {
            int shown = (int) rows.get(l).stream().filter(u -> u >= 0).count();
            if (shown < graph.units(l)) {
                elided.add((l == 0 ? "inputs" : "layer " + l) + " shows " + shown + " of " + graph.units(l));
            }
        }
        if (!elided.isEmpty()) {
            t.append(" Units elided (⋮): ").append(String.join(", ", elided)).append('.');
        }
        return t.toString();
    }

    /** w₂ / b₂ in a width-1 chain, w⁽²⁾₁₂ / b⁽²⁾₁ otherwise. */
    private String parameterName() {
        if (scalarChain) {
            return (theta.kind() == ParameterId.Kind.WEIGHT ? "w" : "b") + Notation.subscript(theta.layer());
        }
        return theta.unicode();
    }

    private double x(int column) {
        return MARGIN + column * COLUMN;
    }

    private double y(int layer, int row) {
        return TOP + (maxRows - rows.get(layer).size()) * ROW / 2 + row * ROW + ROW / 2;
    }

    private double unitY(int layer, int unit) {
        return y(layer, rowOfUnit.get(layer)[unit]);
    }

    private boolean drawn(int layer, int unit) {
        return rowOfUnit.get(layer)[unit] >= 0;
    }

    private double lossY() {
        return TOP + maxRows * ROW / 2;
    }

    /** Weight edges and output→L edges, either those off the paths or those on them (θ's own last). */
    private void edges(boolean onPath) {
        for (int l = 1; l <= layers; l++) {
            for (int j = 0; j < graph.units(l); j++) {
                for (int k = 0; k < graph.units(l - 1); k++) {
                    boolean isTheta = theta.equals(ParameterId.weight(l, j, k));
                    boolean on = isTheta || l - 1 >= theta.layer() && downstream(l - 1, k);
                    if (on == onPath && !isTheta && drawn(l, j) && drawn(l - 1, k)) {
                        line("edge" + (on ? " on-path" : ""), Node.activation(l - 1, k).symbol(),
                                Node.activation(l, j).symbol(), x(l - 1), unitY(l - 1, k), x(l), unitY(l, j),
                                weightName(ParameterId.weight(l, j, k)));
                    }
                }
            }
        }
        for (int j = 0; j < graph.units(layers); j++) {
            if (downstream(layers, j) == onPath && drawn(layers, j)) {
                line("edge" + (onPath ? " on-path" : ""), Node.activation(layers, j).symbol(), "L",
                        x(layers), unitY(layers, j), x(layers + 1), lossY());
            }
        }
    }

    private void targetEdges() {
        for (int j = 0; j < graph.units(layers); j++) {
            if (drawn(layers, j)) {
                line("target-edge", Node.target(layers + 1, j).symbol(), "L",
                        x(layers + 2), unitY(layers, j), x(layers + 1), lossY());
            }
        }
    }

    /** θ's own edge, or for a bias its stub into o_{l,j}. */
    private void parameterMark() {
        int l = theta.layer();
        int j = theta.row();
        if (theta.kind() == ParameterId.Kind.WEIGHT) {
            int k = theta.column();
            line("edge on-path parameter-edge", Node.activation(l - 1, k).symbol(), Node.activation(l, j).symbol(),
                    x(l - 1), unitY(l - 1, k), x(l), unitY(l, j), weightName(theta));
        } else {
            double[] stub = biasStub();
            line("bias-stub on-path parameter-edge", theta.symbol(), Node.activation(l, j).symbol(),
                    stub[0], stub[1], stub[2], stub[3]);
        }
    }

    /** From (x1, y1) up-left of o_{l,j} to its rim. */
    private double[] biasStub() {
        double cx = x(theta.layer());
        double cy = unitY(theta.layer(), theta.row());
        double dx = 46;
        double dy = 30;
        double length = StrictMath.hypot(dx, dy);
        return new double[] {cx - dx, cy - dy, cx - dx / length * RADIUS, cy - dy / length * RADIUS};
    }

    private void line(String cssClass, String from, String to, double x1, double y1, double x2, double y2) {
        line(cssClass, from, to, x1, y1, x2, y2, null);
    }

    /** A line; with a title (a weight's name, in the text's notation), the title is its tooltip. */
    private void line(String cssClass, String from, String to, double x1, double y1, double x2, double y2,
                      String title) {
        out.append("<line class=\"").append(cssClass).append("\" data-from=\"").append(escape(from))
                .append("\" data-to=\"").append(escape(to)).append("\" x1=\"").append(num(x1))
                .append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"")
                .append(num(y2)).append(title == null ? "\"/>\n" : "\"><title>" + escape(title) + "</title></line>\n");
    }

    /** w₂ in a width-1 chain, w⁽²⁾₁₂ otherwise: the name the text gives the weight. */
    private String weightName(ParameterId weight) {
        return scalarChain ? "w" + Notation.subscript(weight.layer()) : weight.unicode();
    }

    private void neurons(int layer) {
        List<Integer> drawn = rows.get(layer);
        if (layer > 0 && graph.layer(layer).activation() == Activation.SOFTMAX) {
            double pad = RADIUS + 8;
            out.append("<rect class=\"softmax-group\" x=\"").append(num(x(layer) - pad)).append("\" y=\"")
                    .append(num(y(layer, 0) - pad)).append("\" width=\"").append(num(2 * pad)).append("\" height=\"")
                    .append(num((drawn.size() - 1) * ROW + 2 * pad)).append("\" rx=\"14\"/>\n");
        }
        for (int row = 0; row < drawn.size(); row++) {
            int u = drawn.get(row);
            double cx = x(layer);
            double cy = y(layer, row);
            if (u >= 0) {
                Node node = Node.activation(layer, u);
                boolean one = graph.units(layer) == 1;
                String label = node.unicode(one);
                node(nodeOnPath(layer, u), layer == 0 ? "input" : "neuron", node.symbol(), label,
                        layer == 0 ? label : unitTitle(layer, u), cx, cy);
            } else {
                int hidden = -1 - u;
                int firstHidden = drawn.get(row - 1) + 1;
                boolean on = nodeOnPath(layer, firstHidden);
                out.append("<g class=\"elided").append(on ? " on-path" : "").append("\" data-layer=\"").append(layer)
                        .append("\" data-hidden=\"").append(hidden).append("\"><text x=\"").append(num(cx))
                        .append("\" y=\"").append(num(cy + 5)).append("\">⋮ ").append(hidden)
                        .append(" more</text></g>\n");
            }
        }
    }

    /**
     * A unit's tooltip, in the text's names: {@code o₂ = φ(z₂), z₂ = w₂·o₁ + b₂} in a width-1 chain,
     * {@code o₂,₁ = φ(z₂,₁), z₂,₁ = Σₖ w⁽²⁾₁ₖ·o₁,ₖ + b⁽²⁾₁} otherwise (a width-1 layer drops the unit index).
     */
    private String unitTitle(int layer, int unit) {
        boolean one = graph.units(layer) == 1;
        String z = Node.preActivation(layer, unit).unicode(one);
        String title = Node.activation(layer, unit).unicode(one) + " = φ(" + z + "), " + z + " = ";
        if (scalarChain) {
            String in = layer == 1 ? "x₁" : Node.activation(layer - 1, 0).unicode(true);
            return title + "w" + Notation.subscript(layer) + "·" + in + " + b" + Notation.subscript(layer);
        }
        String in = layer == 1 ? "xₖ" : "o" + Notation.subscript(layer - 1) + ",ₖ";
        String row = ParameterId.bias(layer, unit).unicode();
        String weight = "w⁽" + Notation.superscript(layer) + "⁾" + Notation.subscript(unit + 1) + "ₖ";
        return title + "Σₖ " + weight + "·" + in + " + " + row;
    }

    private void node(boolean onPath, String role, String symbol, String label, String title, double cx, double cy) {
        out.append("<g class=\"node").append(onPath ? " on-path" : "").append("\" data-role=\"").append(role)
                .append("\" data-node=\"").append(escape(symbol)).append("\"><title>").append(escape(title))
                .append("</title><circle cx=\"").append(num(cx))
                .append("\" cy=\"").append(num(cy)).append("\" r=\"").append(num(RADIUS)).append("\"/>");
        text(label.length() > 4 ? "small" : null, cx, cy + 4.5, label);
        out.append("</g>\n");
    }

    private void lossAndTargets() {
        String label = "L (" + graph.spec().loss().specName() + ")";
        double w = 16 + 7.5 * label.length();
        double cx = x(layers + 1);
        double cy = lossY();
        out.append("<g class=\"node on-path\" data-role=\"loss\" data-node=\"L\"><rect x=\"").append(num(cx - w / 2))
                .append("\" y=\"").append(num(cy - RADIUS)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(2 * RADIUS)).append("\" rx=\"8\"/>");
        text(null, cx, cy + 4.5, label);
        out.append("</g>\n");
        for (int row = 0; row < rows.get(layers).size(); row++) {
            int u = rows.get(layers).get(row);
            if (u >= 0) {
                Node target = Node.target(layers + 1, u);
                String name = target.unicode(graph.units(layers) == 1);
                node(false, "target", target.symbol(), name, name, x(layers + 2), y(layers, row));
            } else {
                out.append("<g class=\"elided\" data-layer=\"targets\" data-hidden=\"").append(-1 - u)
                        .append("\"><text x=\"").append(num(x(layers + 2))).append("\" y=\"")
                        .append(num(y(layers, row) + 5)).append("\">⋮ ").append(-1 - u).append(" more</text></g>\n");
            }
        }
    }

    private void captions() {
        double cy = TOP + maxRows * ROW + 22;
        text("caption", x(0), cy, "inputs");
        for (int l = 1; l <= layers; l++) {
            text("caption", x(l), cy, "layer " + l + " · " + graph.layer(l).activation().specName());
        }
        text("caption", x(layers + 1), cy, "loss");
        text("caption", x(layers + 2), cy, "targets");
    }

    private void parameterLabel() {
        String name = parameterName();
        if (theta.kind() == ParameterId.Kind.WEIGHT) {
            int l = theta.layer();
            double mx = (x(l - 1) + x(l)) / 2;
            double my = (unitY(l - 1, theta.column()) + unitY(l, theta.row())) / 2;
            text("parameter-label", mx, my - 7, name);
        } else {
            double[] stub = biasStub();
            text("parameter-label", stub[0] - 4, stub[1] - 5, name);
        }
    }

    private void text(String cssClass, double tx, double ty, String content) {
        out.append("<text");
        if (cssClass != null) {
            out.append(" class=\"").append(cssClass).append('"');
        }
        out.append(" x=\"").append(num(tx)).append("\" y=\"").append(num(ty)).append("\">").append(escape(content))
                .append("</text>");
        if (cssClass != null) {
            out.append('\n');
        }
    }
}
