package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.Node;
import io.chainproof.graph.Notation;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network spec seen as expressions over named symbols, for one sample: the node definitions
 * {@code z_{l,j} = Σ_k w_{jk}·o_{l−1,k} + b_j} and {@code o_{l,j} = φ_l(z_{l,j})} (softmax:
 * {@code e^{z_j}/Σ_k e^{z_k}}), the per-sample loss, display names for every symbol, and a numeric
 * forward pass. Symbols are those of {@link Node} and {@link ParameterId#symbol()}.
 */
final class NetworkModel {

    final NetworkSpec spec;
    final int layers;
    final boolean scalarChain;
    private final double[][][] weights;
    private final double[][] biases;
    private final Map<String, String> text = new HashMap<>();
    private final Map<String, String> latex = new HashMap<>();

    NetworkModel(NetworkSpec spec) {
        this.spec = spec;
        this.layers = spec.layerCount();
        boolean chain = spec.inputs() == 1;
        weights = new double[layers + 1][][];
        biases = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            weights[l] = spec.parameters().weight(l);
            biases[l] = spec.parameters().bias(l);
            chain &= units(l) == 1;
        }
        this.scalarChain = chain;
        nameSymbols();
    }

    int units(int layer) {
        return spec.units(layer);
    }

    Activation activation(int layer) {
        return spec.layers().get(layer - 1).activation();
    }

    /**
     * Whether the output layer and loss are a canonical pair whose ∂L/∂z_L is written and evaluated fused:
     * softmax with cross-entropy (∂ℓ/∂z_i = o_i·Σ_k y_k − y_i) and sigmoid with binary cross-entropy
     * (∂ℓ/∂z = o − y). The unfused ∂ℓ/∂o·∂o/∂z is ∞·0 = NaN once an output rounds to 0.
     */
    boolean fusedOutput() {
        Activation out = activation(layers);
        return (out == Activation.SOFTMAX && spec.loss() == io.chainproof.spec.Loss.CROSS_ENTROPY)
                || (out == Activation.SIGMOID && spec.loss() == io.chainproof.spec.Loss.BCE);
    }

    /** Whether the backward pass names ∂L/∂z of the output layer (softmax, or a fused output). */
    boolean outputByPreActivation() {
        return softmaxOutput() || fusedOutput();
    }

    boolean softmaxOutput() {
        return activation(layers) == Activation.SOFTMAX;
    }

    /** Every parameter in flat order: W1 row-major, b1, W2, b2, …. */
    List<ParameterId> parameters() {
        List<ParameterId> ids = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            for (int j = 0; j < units(l); j++) {
                for (int k = 0; k < units(l - 1); k++) {
                    ids.add(ParameterId.weight(l, j, k));
                }
            }
            for (int j = 0; j < units(l); j++) {
                ids.add(ParameterId.bias(l, j));
            }
        }
        return ids;
    }

    void requireParameter(ParameterId id) {
        boolean fits = id.layer() <= layers && id.row() < units(id.layer())
                && (id.kind() == ParameterId.Kind.BIAS || id.column() < units(id.layer() - 1));
        if (!fits) {
            throw new ChainproofException("Parameter <" + id.name() + "> is not in network <"
                    + spec.name() + ">; it has " + layers + " layers of " + unitList() + " units after "
                    + spec.inputs() + " inputs — name a parameter such as W1[0][0] or b" + layers + "[0]");
        }
    }

    private String unitList() {
        List<Integer> u = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            u.add(units(l));
        }
        return u.toString();
    }

    static Expr z(int l, int j) {
        return Expr.sym(Node.preActivation(l, j).symbol());
    }

    static Expr o(int l, int j) {
        return Expr.sym(Node.activation(l, j).symbol());
    }

    static Expr y(int j) {
        return Expr.sym("y_" + j);
    }

    static Expr w(int l, int j, int k) {
        return Expr.sym(ParameterId.weight(l, j, k).symbol());
    }

    static Expr b(int l, int j) {
        return Expr.sym(ParameterId.bias(l, j).symbol());
    }

    static Expr parameter(ParameterId id) {
        return Expr.sym(id.symbol());
    }

    /** {@code z_{l,j} = Σ_k W_l[j][k]·o_{l−1,k} + b_l[j]}. */
    Expr preActivationDefinition(int l, int j) {
        List<Expr> terms = new ArrayList<>();
        for (int k = 0; k < units(l - 1); k++) {
            terms.add(ExprAlgebra.product(w(l, j, k), o(l - 1, k)));
        }
        terms.add(b(l, j));
        return ExprAlgebra.sum(terms);
    }

    /** {@code o_{l,j} = φ_l(z_{l,j})}, or {@code e^{z_j}·(Σ_k e^{z_k})^{−1}} for softmax. */
    Expr activationDefinition(int l, int j) {
        if (activation(l) != Activation.SOFTMAX) {
            return LocalDerivatives.activation(activation(l)).valueAt(z(l, j));
        }
        List<Expr> exps = new ArrayList<>();
        for (int k = 0; k < units(l); k++) {
            exps.add(Expr.call(Expr.Fn.EXP, z(l, k)));
        }
        return ExprAlgebra.product(exps.get(j), ExprAlgebra.reciprocal(ExprAlgebra.sum(exps)));
    }

    /** The per-sample loss in node symbols, with the plain (unlowered) loss term. */
    Expr lossDefinition() {
        LossDerivative loss = LocalDerivatives.loss(spec.loss());
        int m = units(layers);
        List<Expr> terms = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            terms.add(ExprAlgebra.substitute(loss.plainTerm(),
                    Map.of(LossDerivative.OUTPUT, o(layers, j), LossDerivative.TARGET, y(j))));
        }
        return ExprAlgebra.product(Expr.num(loss.reduction().factor(m)), ExprAlgebra.sum(terms));
    }

    /**
     * Values of every node (x, z, o, y) of sample {@code s} and of every parameter, by a double-precision
     * forward pass (softmax max-shifted).
     */
    Map<String, Double> forward(int s) {
        Map<String, Double> v = new HashMap<>();
        double[] x = spec.data().x()[s];
        double[] t = spec.data().y()[s];
        for (int k = 0; k < x.length; k++) {
            v.put(Node.input(k).symbol(), x[k]);
        }
        for (int j = 0; j < t.length; j++) {
            v.put("y_" + j, t[j]);
        }
        for (ParameterId id : parameters()) {
            v.put(id.symbol(), id.kind() == ParameterId.Kind.WEIGHT ? weights[id.layer()][id.row()][id.column()]
                    : biases[id.layer()][id.row()]);
        }
        forwardLayers(v);
        return v;
    }

    /** Fills z and o of every layer into {@code v}, which holds the inputs and parameters. */
    void forwardLayers(Map<String, Double> v) {
        for (int l = 1; l <= layers; l++) {
            double[] z = new double[units(l)];
            for (int j = 0; j < z.length; j++) {
                z[j] = ExprEvaluator.evaluate(preActivationDefinition(l, j), v);
                v.put(Node.preActivation(l, j).symbol(), z[j]);
            }
            double[] o = activation(l) == Activation.SOFTMAX ? softmax(z) : null;
            for (int j = 0; j < z.length; j++) {
                double value = o != null ? o[j]
                        : ExprEvaluator.evaluate(LocalDerivatives.activation(activation(l)).value(),
                        Map.of(ActivationDerivative.ARGUMENT, z[j]));
                v.put(Node.activation(l, j).symbol(), value);
            }
        }
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double zi : z) {
            max = Math.max(max, zi);
        }
        double[] e = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /**
     * Stable values of the loss lowering's symbols for output j: for a sigmoid output
     * {@code 1 − a = σ(−z)}, {@code log a = −softplus(−z)}, {@code log(1 − a) = −softplus(z)}; for softmax
     * {@code 1 − a = Σ_{k≠j} o_k}; otherwise the plain forms.
     */
    Map<String, Double> lossBindings(Map<String, Double> v, int j) {
        double a = v.get(Node.activation(layers, j).symbol());
        double z = v.get(Node.preActivation(layers, j).symbol());
        double oneMinusA = 1 - a;
        double logA = Math.log(a);
        double log1mA = Math.log(oneMinusA);
        if (activation(layers) == Activation.SIGMOID) {
            oneMinusA = StableFunctions.sigmoid(-z);
            logA = -StableFunctions.softplus(-z);
            log1mA = -StableFunctions.softplus(z);
        } else if (activation(layers) == Activation.SOFTMAX) {
            oneMinusA = 0;
            for (int k = 0; k < units(layers); k++) {
                oneMinusA += k == j ? 0 : v.get(Node.activation(layers, k).symbol());
            }
            log1mA = Math.log(oneMinusA);
        }
        return Map.of(LossDerivative.OUTPUT, a, LossDerivative.TARGET, v.get("y_" + j),
                LossDerivative.ONE_MINUS_OUTPUT, oneMinusA, LossDerivative.LOG_OUTPUT, logA,
                LossDerivative.LOG_ONE_MINUS_OUTPUT, log1mA);
    }

    /** Display name of a symbol in Unicode ({@code o₃}, {@code w₁}, {@code w⁽²⁾₁₂}, {@code ∂L/∂o₃}). */
    String text(String symbol) {
        return text.getOrDefault(symbol, symbol);
    }

    /** Display name of a symbol in LaTeX. */
    String latex(String symbol) {
        return latex.getOrDefault(symbol, symbol);
    }

    /** Registers a display name (used for factor symbols). */
    void name(String symbol, String textName, String latexName) {
        text.put(symbol, textName);
        latex.put(symbol, latexName);
    }

    /** Unicode name of parameter {@code id}: {@code w₁}/{@code b₁} in a scalar chain, else {@code w⁽¹⁾₁₂}. */
    String parameterText(ParameterId id) {
        return scalarChain ? (id.kind() == ParameterId.Kind.WEIGHT ? "w" : "b") + Notation.subscript(id.layer())
                : id.unicode();
    }

    /** LaTeX name of parameter {@code id}: {@code w_{1}} in a scalar chain, else {@code w^{(1)}_{12}}. */
    String parameterLatex(ParameterId id) {
        return scalarChain ? (id.kind() == ParameterId.Kind.WEIGHT ? "w" : "b") + "_{" + id.layer() + "}" : id.latex();
    }

    private void nameSymbols() {
        for (int k = 0; k < spec.inputs(); k++) {
            nameNode(Node.input(k), spec.inputs() == 1);
        }
        for (int l = 1; l <= layers; l++) {
            boolean one = units(l) == 1;
            for (int j = 0; j < units(l); j++) {
                nameNode(Node.preActivation(l, j), one);
                nameNode(Node.activation(l, j), one);
            }
        }
        for (int j = 0; j < units(layers); j++) {
            nameNode(Node.target(layers + 1, j), units(layers) == 1);
        }
        for (ParameterId id : parameters()) {
            name(id.symbol(), parameterText(id), parameterLatex(id));
        }
    }

    private void nameNode(Node node, boolean widthOne) {
        name(node.symbol(), node.unicode(widthOne), node.latex(widthOne));
    }
}
