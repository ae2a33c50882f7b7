package io.chainproof.check;

import io.chainproof.expr.Expr;
import io.chainproof.expr.ExprEvaluator;
import io.chainproof.expr.StableFunctions;
import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.LossDerivative;
import io.chainproof.symbolic.SoftmaxDerivative;

import java.util.Map;

/**
 * Every intermediate of backpropagation for every sample — z_l, o_l, ∂L/∂o_l and ∂L/∂z_l — evaluated
 * directly from the Symja-derived local derivatives (tree-walking, no compilation): the quantities the
 * {@link Localiser} compares a wrong gradient against. Slow but plain; used only after a failure, and by
 * the kink detector on relu networks.
 *
 * <p>Indices: {@code [sample][layer][unit]}, layer 0 is the input (o only). ∂L/∂o and ∂L/∂z include the
 * 1/N of the mean over samples, so that Σ_s of a per-sample gradient is the gradient.
 */
final class BackpropTrace {

    final ComputationGraph graph;
    final double[][][] z;
    final double[][][] o;
    final double[][][] dLdo;
    final double[][][] dLdz;

    private BackpropTrace(ComputationGraph graph, int samples) {
        this.graph = graph;
        int layers = graph.layerCount();
        z = new double[samples][layers + 1][];
        o = new double[samples][layers + 1][];
        dLdo = new double[samples][layers + 1][];
        dLdz = new double[samples][layers + 1][];
    }

    /** The forward pass only (z and o), for kink detection. */
    static BackpropTrace forward(ComputationGraph graph, double[] parameters) {
        double[][] x = graph.spec().data().x();
        BackpropTrace t = new BackpropTrace(graph, x.length);
        for (int s = 0; s < x.length; s++) {
            t.forward(s, parameters, x[s]);
        }
        return t;
    }

    /** Forward and backward passes. */
    static BackpropTrace of(ComputationGraph graph, double[] parameters) {
        BackpropTrace t = forward(graph, parameters);
        double[][] y = graph.spec().data().y();
        for (int s = 0; s < y.length; s++) {
            t.backward(s, parameters, y[s], 1.0 / y.length);
        }
        return t;
    }

    private void forward(int s, double[] p, double[] input) {
        int layers = graph.layerCount();
        o[s][0] = input.clone();
        for (int l = 1; l <= layers; l++) {
            int n = graph.units(l);
            int in = graph.units(l - 1);
            z[s][l] = new double[n];
            o[s][l] = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = p[graph.biasOffset(l) + j];
                for (int k = 0; k < in; k++) {
                    acc += p[graph.weightOffset(l) + j * in + k] * o[s][l - 1][k];
                }
                z[s][l][j] = acc;
            }
            Activation act = graph.layer(l).activation();
            if (act == Activation.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z[s][l]) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    o[s][l][j] = Math.exp(z[s][l][j] - max);
                    sum += o[s][l][j];
                }
                for (int j = 0; j < n; j++) {
                    o[s][l][j] /= sum;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    o[s][l][j] = activationValue(act, z[s][l][j]);
                }
            }
        }
    }

    private void backward(int s, double[] p, double[] target, double weight) {
        int layers = graph.layerCount();
        LossDerivative loss = LocalDerivatives.loss(graph.spec().loss());
        int outputs = graph.units(layers);
        double scale = weight * loss.reduction().factor(outputs);
        dLdo[s][layers] = new double[outputs];
        boolean crossEntropy = graph.spec().loss() == io.chainproof.spec.Loss.CROSS_ENTROPY;
        for (int j = 0; j < outputs; j++) {
            // −y·log a is identically 0 for y = 0, so is its derivative (even when a has underflowed to 0)
            dLdo[s][layers][j] = crossEntropy && target[j] == 0.0 ? 0.0
                    : scale * ExprEvaluator.evaluate(loss.derivative(), lossBindings(s, j, target[j]));
        }
        for (int l = layers; l >= 1; l--) {
            int n = graph.units(l);
            dLdz[s][l] = new double[n];
            Activation act = graph.layer(l).activation();
            if (act == Activation.SOFTMAX) {
                SoftmaxDerivative d = LocalDerivatives.softmax();
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int i = 0; i < n; i++) {
                        double jac = i == j
                                ? ExprEvaluator.evaluate(d.diagonal(), Map.of(SoftmaxDerivative.OUTPUT_I, o[s][l][i]))
                                : ExprEvaluator.evaluate(d.offDiagonal(),
                                        Map.of(SoftmaxDerivative.OUTPUT_I, o[s][l][i], SoftmaxDerivative.OUTPUT_J, o[s][l][j]));
                        acc += dLdo[s][l][i] * jac;
                    }
                    dLdz[s][l][j] = acc;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    dLdz[s][l][j] = dLdo[s][l][j] * activationDerivative(act, z[s][l][j]);
                }
            }
            int in = graph.units(l - 1);
            dLdo[s][l - 1] = new double[in];
            for (int k = 0; k < in; k++) {
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += dLdz[s][l][j] * p[graph.weightOffset(l) + j * in + k];
                }
                dLdo[s][l - 1][k] = acc;
            }
        }
    }

    private Map<String, Double> lossBindings(int s, int j, double y) {
        int layers = graph.layerCount();
        double a = o[s][layers][j];
        double zj = z[s][layers][j];
        Activation out = graph.layer(layers).activation();
        double logA;
        double oneMinusA;
        double log1mA;
        if (out == Activation.SIGMOID) {
            logA = -StableFunctions.softplus(-zj);
            oneMinusA = StableFunctions.sigmoid(-zj);
            log1mA = -StableFunctions.softplus(zj);
        } else {
            logA = Math.log(a);
            oneMinusA = 1.0 - a;
            log1mA = Math.log1p(-a);
        }
        return Map.of(LossDerivative.OUTPUT, a, LossDerivative.TARGET, y, LossDerivative.LOG_OUTPUT, logA,
                LossDerivative.ONE_MINUS_OUTPUT, oneMinusA, LossDerivative.LOG_ONE_MINUS_OUTPUT, log1mA);
    }

    /** φ(v) from the Symja-derived definition. */
    static double activationValue(Activation act, double v) {
        return evaluate(LocalDerivatives.activation(act).value(), v);
    }

    /** φ'(v) from the Symja-derived derivative. */
    static double activationDerivative(Activation act, double v) {
        return evaluate(LocalDerivatives.activation(act).derivative(), v);
    }

    private static double evaluate(Expr e, double v) {
        return ExprEvaluator.evaluate(e, Map.of(ActivationDerivative.ARGUMENT, v));
    }
}
