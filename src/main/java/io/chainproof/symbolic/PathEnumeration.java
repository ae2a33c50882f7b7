package io.chainproof.symbolic;

import io.chainproof.expr.ExprEvaluator;
import io.chainproof.graph.Node;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists the paths θ → o_{l,·} → o_{l+1,·} → … → o_{L,·} → L of a parameter and their products of local
 * derivatives, from the forward values of a {@link ChainRuleDerivation}. With a fused output (softmax with
 * cross-entropy, sigmoid with bce) the paths end … → o_{L−1,·} → z_{L,·} → L instead, through
 * {@code ∂z_{L,i}/∂o_{L−1,j} = w^{(L)}_{ij}} and the fused {@code ∂L/∂z_{L,i}}, which stays finite where an output
 * has rounded to 0. Otherwise:
 * {@code ∂o_{l,i}/∂θ = ∂o_{l,i}/∂z_{l,j}·∂z_{l,j}/∂θ}, {@code ∂o_{k,i}/∂o_{k−1,j} = Σ_m ∂o_{k,i}/∂z_{k,m}·w^{(k)}_{mj}}
 * (a single term φ'(z_{k,i})·w^{(k)}_{ij} for an elementwise activation) and {@code ∂L/∂o_{L,i}}.
 */
final class PathEnumeration {

    private final NetworkModel model;
    private final List<Map<String, Double>> values;
    private final ParameterId parameter;
    private final int limit;
    private final List<ChainPath> listed = new ArrayList<>();

    private PathEnumeration(NetworkModel model, List<Map<String, Double>> values, ParameterId parameter, int limit) {
        this.model = model;
        this.values = values;
        this.parameter = parameter;
        this.limit = limit;
    }

    static ChainPaths of(NetworkModel model, List<Map<String, Double>> values, ParameterId parameter, int limit) {
        PathEnumeration e = new PathEnumeration(model, values, parameter, limit);
        int l = parameter.layer();
        if (model.fusedOutput() && l == model.layers) {
            double[] product = new double[values.size()];
            for (int s = 0; s < product.length; s++) {
                product[s] = e.dzdTheta(s);
            }
            List<String> text = new ArrayList<>(List.of(model.parameterText(parameter)));
            List<String> latex = new ArrayList<>(List.of(model.parameterLatex(parameter)));
            e.end(Node.preActivation(l, parameter.row()), ChainRuleDerivation.dLdz(l, parameter.row()), text, latex, product);
            return new ChainPaths(1, e.listed);
        }
        List<Integer> first = model.activation(l) == Activation.SOFTMAX ? range(model.units(l)) : List.of(parameter.row());
        long count = first.size();
        for (int k = l + 1; k <= model.layers; k++) {
            count = multiplySaturating(count, model.units(k));
        }
        List<String> text = new ArrayList<>(List.of(model.parameterText(parameter)));
        List<String> latex = new ArrayList<>(List.of(model.parameterLatex(parameter)));
        for (int i : first) {
            if (e.listed.size() >= limit) {
                break;
            }
            double[] product = new double[values.size()];
            for (int s = 0; s < product.length; s++) {
                product[s] = e.firstEdge(s, i);
            }
            e.walk(l, i, text, latex, product);
        }
        return new ChainPaths(count, e.listed);
    }

    private void walk(int layer, int unit, List<String> text, List<String> latex, double[] product) {
        if (listed.size() >= limit) {
            return;
        }
        Node node = Node.activation(layer, unit);
        text.add(model.text(node.symbol()));
        latex.add(model.latex(node.symbol()));
        if (layer == model.layers) {
            finish(ChainRuleDerivation.dLdo(layer, unit), text, latex, product);
        } else if (layer + 1 == model.layers && model.fusedOutput()) {
            for (int i = 0; i < model.units(model.layers) && listed.size() < limit; i++) {
                double[] next = new double[product.length];
                for (int s = 0; s < product.length; s++) {
                    next[s] = product[s] * values.get(s).get(ParameterId.weight(model.layers, i, unit).symbol());
                }
                end(Node.preActivation(model.layers, i), ChainRuleDerivation.dLdz(model.layers, i), text, latex, next);
            }
        } else {
            for (int i = 0; i < model.units(layer + 1) && listed.size() < limit; i++) {
                double[] next = new double[product.length];
                for (int s = 0; s < product.length; s++) {
                    next[s] = product[s] * edge(s, layer + 1, i, unit);
                }
                walk(layer + 1, i, text, latex, next);
            }
        }
        text.remove(text.size() - 1);
        latex.remove(latex.size() - 1);
    }

    /** Appends {@code node → L} to the path, with ∂L/∂node named {@code backward}, and records it. */
    private void end(Node node, String backward, List<String> text, List<String> latex, double[] product) {
        text.add(model.text(node.symbol()));
        latex.add(model.latex(node.symbol()));
        finish(backward, text, latex, product);
        text.remove(text.size() - 1);
        latex.remove(latex.size() - 1);
    }

    /** Records the path so far followed by L, its contribution the product times ∂L/∂(last node). */
    private void finish(String backward, List<String> text, List<String> latex, double[] product) {
        List<Double> sampleValues = new ArrayList<>();
        double sum = 0;
        for (int s = 0; s < product.length; s++) {
            double v = product[s] * values.get(s).get(backward);
            sampleValues.add(v);
            sum += v;
        }
        List<String> t = new ArrayList<>(text);
        List<String> x = new ArrayList<>(latex);
        t.add("L");
        x.add("L");
        listed.add(new ChainPath(t, x, sampleValues, sum / product.length));
    }

    /** ∂z_{l,j}/∂θ for sample s: o_{l−1,k} for a weight, 1 for a bias. */
    private double dzdTheta(int s) {
        return parameter.kind() == ParameterId.Kind.WEIGHT
                ? values.get(s).get(Node.activation(parameter.layer() - 1, parameter.column()).symbol()) : 1.0;
    }

    /** ∂o_{l,i}/∂θ for sample s. */
    private double firstEdge(int s, int i) {
        int l = parameter.layer();
        int j = parameter.row();
        return dodz(values.get(s), l, i, j) * dzdTheta(s);
    }

    /** ∂o_{k,i}/∂o_{k−1,j} for sample s. */
    private double edge(int s, int k, int i, int j) {
        Map<String, Double> v = values.get(s);
        if (model.activation(k) != Activation.SOFTMAX) {
            return dodz(v, k, i, i) * v.get(ParameterId.weight(k, i, j).symbol());
        }
        double sum = 0;
        for (int m = 0; m < model.units(k); m++) {
            sum += dodz(v, k, i, m) * v.get(ParameterId.weight(k, m, j).symbol());
        }
        return sum;
    }

    /** ∂o_{k,i}/∂z_{k,m}: φ'(z_{k,i}) on the diagonal of an elementwise layer, the softmax Jacobian otherwise. */
    private double dodz(Map<String, Double> v, int k, int i, int m) {
        if (model.activation(k) != Activation.SOFTMAX) {
            return i != m ? 0.0 : ExprEvaluator.evaluate(
                    LocalDerivatives.activation(model.activation(k)).derivativeAt(NetworkModel.z(k, i)), v);
        }
        return ExprEvaluator.evaluate(LocalDerivatives.softmax().jacobianAt(i == m, NetworkModel.o(k, i),
                NetworkModel.o(k, m)), v);
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    private static long multiplySaturating(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
