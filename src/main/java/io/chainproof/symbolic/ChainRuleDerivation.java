package io.chainproof.symbolic;

import io.chainproof.ChainproofException;
import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.graph.ParameterId;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The chain-rule derivation of ∂L/∂θ for every parameter θ of a network spec, as the lecture writes it:
 *
 * <pre>
 *   ∂L/∂w^{(l)}_{jk} = ∂L/∂o_{l,j} · ∂o_{l,j}/∂z_{l,j} · ∂z_{l,j}/∂w^{(l)}_{jk}
 *   ∂L/∂o_{l,j}      = Σ_i ∂L/∂o_{l+1,i} · ∂o_{l+1,i}/∂z_{l+1,i} · ∂z_{l+1,i}/∂o_{l,j}      (l &lt; L)
 *   ∂L/∂o_{L,j}      = r · ∂ℓ/∂a (o_{L,j}, y_j)                 (r = 1, or 1/m for a mean over m outputs)
 *   ∂L/∂z_{L,i}      = Σ_k ∂L/∂o_{L,k} · ∂o_{L,k}/∂z_{L,i}         (softmax output layer)
 *   ∂L/∂θ            = (1/N) · Σ_s ∂L_s/∂θ                      (N samples)
 * </pre>
 *
 * with every local derivative (φ', ∂ℓ/∂a, the softmax Jacobian, ∂z/∂w = o, ∂z/∂b = 1, ∂z/∂o = w) taken
 * from {@link LocalDerivatives} and instantiated by substitution on our own {@link Expr}: once the kinds
 * of a network are cached, deriving reaches no Symja at all, and the named intermediates grow linearly
 * with depth. For a width-1 chain the factors are unrolled into the lecture's form
 * {@code ∂L/∂w₁ = ∂L/∂o₃ · ∂o₃/∂o₂ · ∂o₂/∂o₁ · ∂o₁/∂w₁}, {@code ∂o_k/∂o_{k−1} = σ'(z_k)·w_k}.
 *
 * <p>Values come from a double-precision forward pass at the spec's parameters, with the stable kernels
 * (σ'(250) ≈ 2.67e−109, not 0). Instances are immutable and thread-safe.
 */
public final class ChainRuleDerivation {

    private final NetworkModel model;
    private final List<Integer> samples;
    private final List<Map<String, Double>> values;
    private final Map<String, ChainFactor> backward = new LinkedHashMap<>();

    private ChainRuleDerivation(NetworkSpec spec, List<Integer> samples) {
        this.model = new NetworkModel(spec);
        this.samples = List.copyOf(samples);
        this.values = new ArrayList<>();
        for (int s : samples) {
            values.add(model.forward(s));
        }
        deriveBackward();
    }

    /**
     * The derivation over all samples of the spec's data.
     *
     * @param spec the network, with its parameters and data
     * @return the derivation, with the forward pass of every sample
     */
    public static ChainRuleDerivation of(NetworkSpec spec) {
        return new ChainRuleDerivation(spec, IntStream.range(0, spec.data().samples()).boxed().toList());
    }

    /**
     * The derivation for one sample.
     *
     * @param spec the network, with its parameters and data
     * @param sample the row of the data, 0-based
     * @return the derivation, with that sample's forward pass
     * @throws ChainproofException if {@code sample} is not a row of the data
     */
    public static ChainRuleDerivation of(NetworkSpec spec, int sample) {
        if (sample < 0 || sample >= spec.data().samples()) {
            throw new ChainproofException("Sample <" + sample + "> is not in the data of network <" + spec.name()
                    + ">; it has samples 0 to " + (spec.data().samples() - 1));
        }
        return new ChainRuleDerivation(spec, List.of(sample));
    }

    /**
     * The network derived.
     *
     * @return the spec this derivation was made of
     */
    public NetworkSpec spec() {
        return model.spec;
    }

    /**
     * The sample indices this derivation covers.
     *
     * @return the sample indices, 0-based, ascending
     */
    public List<Integer> samples() {
        return samples;
    }

    /**
     * Every parameter in flat order: W1 row-major, b1, W2, b2, ….
     *
     * @return the parameters; unmodifiable
     */
    public List<ParameterId> parameters() {
        return model.parameters();
    }

    /**
     * The derivations of all parameters, in flat order.
     *
     * @return one derivation per parameter
     */
    public List<ParameterDerivation> deriveAll() {
        return parameters().stream().map(this::derive).toList();
    }

    /**
     * The factorisation of ∂L/∂θ.
     *
     * @param parameter θ, a parameter of the network
     * @return the chain of local derivatives, with their values
     * @throws ChainproofException if θ is not a parameter of the network
     */
    public ParameterDerivation derive(ParameterId parameter) {
        model.requireParameter(parameter);
        int l = parameter.layer();
        int j = parameter.row();
        List<ChainFactor> factors = new ArrayList<>();
        List<ChainFactor> intermediates = new ArrayList<>();
        if (model.scalarChain && model.fusedOutput()) {
            int last = model.layers;
            factors.add(backward.get(dLdz(last, 0)));
            if (l == last) {
                factors.add(factor("dz" + l + "_0_d" + parameter.symbol(), "∂" + model.text(sym(z(l, 0))) + "/∂"
                                + model.parameterText(parameter),
                        partial(model.latex(sym(z(l, 0))), model.parameterLatex(parameter)), dzdTheta(parameter)));
            } else {
                factors.add(factor("dz" + last + "_do" + (last - 1), "∂" + model.text(sym(z(last, 0))) + "/∂"
                                + model.text(sym(o(last - 1, 0))), partial(model.latex(sym(z(last, 0))), model.latex(sym(o(last - 1, 0)))),
                        AffineDerivative.at(LocalDerivatives.affine().dzdo(), NetworkModel.w(last, 0, 0), o(last - 1, 0),
                                NetworkModel.b(last, 0))));
                for (int k = last - 1; k > l; k--) {
                    factors.add(chainLink(k));
                }
                factors.add(ownFactor(parameter));
            }
        } else if (model.scalarChain) {
            factors.add(backward.get(dLdo(model.layers, 0)));
            for (int k = model.layers; k > l; k--) {
                factors.add(chainLink(k));
            }
            factors.add(ownFactor(parameter));
        } else {
            String first = model.outputByPreActivation() && l == model.layers ? dLdz(l, j) : dLdo(l, j);
            factors.add(backward.get(first));
            if (!first.equals(dLdz(l, j))) {
                factors.add(factor("do_dz" + l + "_" + j, "∂" + model.text(sym(o(l, j))) + "/∂" + model.text(sym(z(l, j))),
                        partial(model.latex(sym(o(l, j))), model.latex(sym(z(l, j)))), phiPrime(l, j)));
            }
            factors.add(factor("dz" + l + "_" + j + "_d" + parameter.symbol(), "∂" + model.text(sym(z(l, j))) + "/∂"
                            + model.parameterText(parameter),
                    partial(model.latex(sym(z(l, j))), model.parameterLatex(parameter)), dzdTheta(parameter)));
            intermediates.addAll(dependencies(first));
        }
        List<Double> sampleValues = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            double product = 1;
            for (ChainFactor f : factors) {
                product *= f.value(i);
            }
            sampleValues.add(product);
        }
        double mean = sampleValues.stream().mapToDouble(Double::doubleValue).sum() / samples.size();
        return new ParameterDerivation(parameter, "∂L/∂" + model.parameterText(parameter),
                "\\frac{\\partial L}{\\partial " + model.parameterLatex(parameter) + "}", factors, intermediates,
                samples, sampleValues, mean);
    }

    /**
     * The paths from θ to the loss and each one's contribution (the product of the local derivatives
     * along it, averaged over the samples); when every path is listed their contributions sum to ∂L/∂θ.
     *
     * @param parameter θ, a parameter of the network
     * @param limit the most paths to list, at least 1
     * @return the listed paths and whether the list is complete
     * @throws ChainproofException if θ is not a parameter of the network
     */
    public ChainPaths paths(ParameterId parameter, int limit) {
        model.requireParameter(parameter);
        if (limit < 1) {
            throw new IllegalArgumentException("Path limit <" + limit + "> must be at least 1");
        }
        return PathEnumeration.of(model, values, parameter, limit);
    }

    /**
     * The forward value of a node (x, z, o or y) for the i-th sample of this derivation.
     *
     * @param i the index into {@link #samples()}, 0-based
     * @param node an input, pre-activation, activation or target of the network
     * @return the node's value for that sample
     * @throws ChainproofException if the node is the loss or not in the network
     */
    public double value(int i, io.chainproof.graph.Node node) {
        Double v = values.get(i).get(node.symbol());
        if (v == null) {
            throw new ChainproofException("Node <" + node.symbol() + "> has no forward value in network <"
                    + model.spec.name() + ">");
        }
        return v;
    }

    /** The definitions of the backward quantities (∂L/∂o, ∂L/∂z), latest layer first; package use. */
    Map<String, ChainFactor> backward() {
        return backward;
    }

    NetworkModel model() {
        return model;
    }

    /** The named backward quantities, computed once per derivation from the output layer down. */
    private void deriveBackward() {
        int outputs = model.units(model.layers);
        LossDerivative loss = LocalDerivatives.loss(model.spec.loss());
        double reduction = loss.reduction().factor(outputs);
        for (int j = 0; j < outputs; j++) {
            Expr plain = ExprAlgebra.product(Expr.num(reduction), ExprAlgebra.substitute(loss.plainDerivative(),
                    Map.of(LossDerivative.OUTPUT, o(model.layers, j), LossDerivative.TARGET, NetworkModel.y(j))));
            List<Double> v = new ArrayList<>();
            for (Map<String, Double> sampleValues : values) {
                v.add(reduction * ExprEvaluator.evaluate(loss.derivative(), model.lossBindings(sampleValues, j)));
            }
            putBackward(dLdo(model.layers, j), sym(o(model.layers, j)), plain, v);
        }
        if (model.fusedOutput()) {
            boolean softmax = model.softmaxOutput();
            List<Expr> targets = new ArrayList<>();
            for (int k = 0; k < outputs; k++) {
                targets.add(NetworkModel.y(k));
            }
            for (int i = 0; i < outputs; i++) {
                Expr output = o(model.layers, i);
                Expr fused = ExprAlgebra.product(Expr.num(reduction), ExprAlgebra.sum(List.of(
                        softmax ? ExprAlgebra.product(output, ExprAlgebra.sum(targets)) : output,
                        ExprAlgebra.product(Expr.num(-1), NetworkModel.y(i)))));
                putBackward(dLdz(model.layers, i), sym(z(model.layers, i)), fused, null);
            }
        } else if (model.softmaxOutput()) {
            SoftmaxDerivative softmax = LocalDerivatives.softmax();
            for (int i = 0; i < outputs; i++) {
                List<Expr> terms = new ArrayList<>();
                for (int k = 0; k < outputs; k++) {
                    terms.add(ExprAlgebra.product(Expr.sym(dLdo(model.layers, k)),
                            softmax.jacobianAt(k == i, o(model.layers, k), o(model.layers, i))));
                }
                putBackward(dLdz(model.layers, i), sym(z(model.layers, i)), ExprAlgebra.sum(terms), null);
            }
        }
        AffineDerivative affine = LocalDerivatives.affine();
        for (int l = model.layers - 1; l >= 1; l--) {
            boolean byPreActivation = l + 1 == model.layers && model.outputByPreActivation();
            for (int j = 0; j < model.units(l); j++) {
                List<Expr> terms = new ArrayList<>();
                for (int i = 0; i < model.units(l + 1); i++) {
                    Expr dzdo = AffineDerivative.at(affine.dzdo(), NetworkModel.w(l + 1, i, j), o(l, j), NetworkModel.b(l + 1, i));
                    terms.add(byPreActivation ? ExprAlgebra.product(Expr.sym(dLdz(l + 1, i)), dzdo)
                            : ExprAlgebra.product(Expr.sym(dLdo(l + 1, i)), phiPrime(l + 1, i), dzdo));
                }
                putBackward(dLdo(l, j), sym(o(l, j)), ExprAlgebra.sum(terms), null);
            }
        }
    }

    /** Registers ∂L/∂node; values computed from the definition unless given. */
    private void putBackward(String symbol, String node, Expr definition, List<Double> given) {
        model.name(symbol, "∂L/∂" + model.text(node), partial("L", model.latex(node)));
        ChainFactor f = factor(symbol, model.text(symbol), model.latex(symbol), definition, given);
        backward.put(symbol, f);
        for (int i = 0; i < values.size(); i++) {
            values.get(i).put(symbol, f.value(i));
        }
    }

    /** {@code ∂o_k/∂o_{k−1} = φ'_k(z_k)·∂z_k/∂o_{k−1}} in a width-1 chain. */
    private ChainFactor chainLink(int k) {
        Expr dzdo = AffineDerivative.at(LocalDerivatives.affine().dzdo(), NetworkModel.w(k, 0, 0), o(k - 1, 0),
                NetworkModel.b(k, 0));
        return factor("do" + k + "_do" + (k - 1), "∂" + model.text(sym(o(k, 0))) + "/∂" + model.text(sym(o(k - 1, 0))),
                partial(model.latex(sym(o(k, 0))), model.latex(sym(o(k - 1, 0)))),
                ExprAlgebra.product(phiPrime(k, 0), dzdo));
    }

    private ChainFactor factor(String symbol, String name, String latexName, Expr definition) {
        return factor(symbol, name, latexName, definition, null);
    }

    private ChainFactor factor(String symbol, String name, String latexName, Expr definition, List<Double> given) {
        List<Double> v = given;
        if (v == null) {
            v = new ArrayList<>();
            for (Map<String, Double> sampleValues : values) {
                v.add(ExprEvaluator.evaluate(definition, sampleValues));
            }
        }
        return new ChainFactor(symbol, name, latexName, definition, MathNotation.text(definition, model::text),
                MathNotation.latex(definition, model::latex), v);
    }

    /** φ'_l(z_{l,j}). */
    private Expr phiPrime(int l, int j) {
        return LocalDerivatives.activation(model.activation(l)).derivativeAt(z(l, j));
    }

    /** ∂z_{l,j}/∂θ: o_{l−1,k} for a weight, 1 for a bias (from the affine map's Symja derivatives). */
    private Expr dzdTheta(ParameterId p) {
        AffineDerivative affine = LocalDerivatives.affine();
        boolean weight = p.kind() == ParameterId.Kind.WEIGHT;
        Expr input = weight ? o(p.layer() - 1, p.column()) : ExprAlgebra.ZERO;
        return AffineDerivative.at(weight ? affine.dzdw() : affine.dzdb(), NetworkModel.parameter(p), input,
                NetworkModel.b(p.layer(), p.row()));
    }

    /**
     * The backward quantities the definition of {@code symbol} refers to, directly or through others,
     * latest layer first (the order of {@link #backward}).
     */
    private List<ChainFactor> dependencies(String symbol) {
        java.util.Set<String> needed = new java.util.HashSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(symbol));
        while (!todo.isEmpty()) {
            for (String used : ExprAlgebra.symbols(backward.get(todo.pop()).definition())) {
                if (backward.containsKey(used) && needed.add(used)) {
                    todo.push(used);
                }
            }
        }
        List<ChainFactor> out = new ArrayList<>();
        backward.values().forEach(f -> {
            if (needed.contains(f.symbol())) {
                out.add(f);
            }
        });
        return out;
    }

    /** {@code ∂o_l/∂θ = φ_l'(z_l)·∂z_l/∂θ} in a width-1 chain. */
    private ChainFactor ownFactor(ParameterId parameter) {
        int l = parameter.layer();
        Expr local = ExprAlgebra.product(phiPrime(l, 0), dzdTheta(parameter));
        return factor("do" + l + "_d" + parameter.symbol(), "∂" + model.text(sym(o(l, 0))) + "/∂"
                + model.parameterText(parameter), partial(model.latex(sym(o(l, 0))), model.parameterLatex(parameter)), local);
    }

    static String dLdo(int l, int j) {
        return "dL_do" + l + "_" + j;
    }

    static String dLdz(int l, int j) {
        return "dL_dz" + l + "_" + j;
    }

    private static Expr o(int l, int j) {
        return NetworkModel.o(l, j);
    }

    private static Expr z(int l, int j) {
        return NetworkModel.z(l, j);
    }

    private static String sym(Expr e) {
        return ((Expr.Sym) e).name();
    }

    private static String partial(String of, String by) {
        return "\\frac{\\partial " + of + "}{\\partial " + by + "}";
    }

    @Override
    public String toString() {
        return "ChainRuleDerivation[" + model.spec.name() + ", samples " + samples + "]";
    }
}
