package io.chainproof.bounds;

import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Node;
import io.chainproof.number.DoubleNumber;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.JacobianBound;
import io.chainproof.ops.Op;
import io.chainproof.ops.OutputLoss;
import io.chainproof.spec.Data;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.SymbolicRules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One sample's pass through an MLP's op graph, with what the growth bounds take from each op: the pre-activations
 * {@code z_l} and activations {@code a_l}, the activation's Jacobian bound here {@code m_l} (max_j |φ'(z_{l,j})|,
 * or ‖diag(o) − ooᵀ‖₂ for softmax) and certified γ_l (sup|φ'|, 1/2 for softmax), each dense op's ‖W_l‖₂, and the
 * error the loss sends back: {@code ‖∇_{a_L}ℓ‖₂}, or for softmax with cross-entropy and sigmoid with bce the exact
 * fused {@code ‖∇_{z_L}ℓ‖₂} with {@code m_L = γ_L = 1}. Every number comes from an op ({@link Op#jacobianBound}).
 */
final class ForwardPass {

    private final double[][] z;
    private final double[][] a;
    private final double[] localDerivative;
    private final double[] gamma;
    private final double[] weightNorm;
    private final double outputGradientNorm;
    private final boolean fused;

    private ForwardPass(double[][] z, double[][] a, double[] localDerivative, double[] gamma, double[] weightNorm,
                        double outputGradientNorm, boolean fused) {
        this.z = z;
        this.a = a;
        this.localDerivative = localDerivative;
        this.gamma = gamma;
        this.weightNorm = weightNorm;
        this.outputGradientNorm = outputGradientNorm;
        this.fused = fused;
    }

    static ForwardPass of(NetworkSpec spec, double[] x, double[] y) {
        NetworkSpec one = new NetworkSpec(spec.name(), spec.source(), spec.inputs(), spec.layers(), spec.loss(),
                spec.parameters(), new Data(new double[][] {x}, new double[][] {y}));
        Model model = Models.mlp(one);
        double[][] values = ModelEvaluator.values(model, model.point());
        int layers = spec.layerCount();
        double[][] z = new double[layers + 1][];
        double[][] a = new double[layers + 1][];
        double[] m = new double[layers + 1];
        double[] g = new double[layers + 1];
        double[] w = new double[layers + 1];
        a[0] = x.clone();
        SymbolicRules rules = SymbolicRules.instance();
        double outputNorm = 0;
        boolean fused = false;
        for (Node node : model.nodes()) {
            List<double[]> inputs = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) {
                inputs.add(values[node.input(i)]);
            }
            int l = Integer.parseInt(node.label().substring("layer ".length()));
            double[] out = values[node.output()];
            if (node.op() instanceof OutputLoss loss) {
                fused = loss.fused();
                Op act = loss.activationOp();
                double[] activation = plain(act, z[l]);
                a[l] = activation;
                JacobianBound b = act.jacobianBound(0, List.of(z[l]), activation, rules).orElseThrow();
                m[l] = fused ? 1.0 : b.here();
                g[l] = fused ? 1.0 : b.certified();
                outputNorm = norm(loss.rowError(z[l], y, rules));
            } else if (node.output() == model.tensorIndex("z" + l)) {
                z[l] = out.clone();
                w[l] = node.op().jacobianBound(0, inputs, out, rules).orElseThrow().certified();
            } else {
                a[l] = out.clone();
                JacobianBound b = node.op().jacobianBound(0, inputs, out, rules).orElseThrow();
                m[l] = b.here();
                g[l] = b.certified();
            }
        }
        return new ForwardPass(z, a, m, g, w, outputNorm, fused);
    }

    /** The activation's values at {@code z}, in double precision. */
    private static double[] plain(Op act, double[] z) {
        DoubleNumber[] v = act.forward(DoubleNumber.FIELD, Collections.singletonList(DoubleNumber.FIELD.constants(z)));
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j].value();
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** Whether the output and loss are softmax with cross-entropy or sigmoid with bce (their error is fused). */
    boolean fusedOutput() {
        return fused;
    }

    /** {@code z_l}, a copy. */
    double[] preActivation(int layer) {
        return z[layer].clone();
    }

    /** {@code ‖a_l‖₂}, with {@code a_0 = x}. */
    double activationNorm(int layer) {
        return norm(a[layer]);
    }

    /** {@code m_l}: max_j |φ'(z_{l,j})|, or ‖diag(o) − ooᵀ‖₂ for softmax; 1 for a fused output. */
    double localDerivative(int layer) {
        return localDerivative[layer];
    }

    /** {@code γ_l}: the activation op's certified Jacobian bound (sup|φ'|, or 1/2 for softmax); 1 for a fused output. */
    double gamma(int layer) {
        return gamma[layer];
    }

    /** {@code ‖W_l‖₂}: the dense op's Jacobian bound. */
    double weightNorm(int layer) {
        return weightNorm[layer];
    }

    /** {@code ‖∇_{a_L}ℓ‖₂} of this sample's loss, or the fused {@code ‖∇_{z_L}ℓ‖₂}. */
    double outputGradientNorm() {
        return outputGradientNorm;
    }
}
