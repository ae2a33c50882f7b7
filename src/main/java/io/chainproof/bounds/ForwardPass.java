package io.chainproof.bounds;

import io.chainproof.expr.ExprEvaluator;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.LossDerivative;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.Map;

/**
 * The forward values of one sample: {@code z_l = W_l·a_{l−1} + b_l}, {@code a_l = φ_l(z_l)}, the local
 * derivative size {@code m_l} (max_j |φ'(z_{l,j})|, or the spectral norm of the softmax Jacobian
 * {@code diag(o) − ooᵀ}) and {@code ‖∇_{a_L}ℓ‖₂} — or, for softmax with cross-entropy and sigmoid with bce, the
 * exact output error {@code ‖∇_{z_L}ℓ‖₂} with {@code m_L = 1}. Activation values and derivatives are the Symja-derived
 * expressions of {@link LocalDerivatives}.
 */
final class ForwardPass {

    private final double[][] z;
    private final double[][] a;
    private final double[] localDerivative;
    private final double outputGradientNorm;

    private ForwardPass(double[][] z, double[][] a, double[] localDerivative, double outputGradientNorm) {
        this.z = z;
        this.a = a;
        this.localDerivative = localDerivative;
        this.outputGradientNorm = outputGradientNorm;
    }

    static ForwardPass of(NetworkSpec spec, double[] x, double[] y) {
        int layers = spec.layerCount();
        double[][] z = new double[layers + 1][];
        double[][] a = new double[layers + 1][];
        double[] m = new double[layers + 1];
        a[0] = x.clone();
        for (int l = 1; l <= layers; l++) {
            double[][] w = spec.parameters().weight(l);
            double[] b = spec.parameters().bias(l);
            z[l] = new double[b.length];
            for (int j = 0; j < b.length; j++) {
                double s = b[j];
                for (int i = 0; i < a[l - 1].length; i++) {
                    s += w[j][i] * a[l - 1][i];
                }
                z[l][j] = s;
            }
            Activation act = spec.layers().get(l - 1).activation();
            if (act == Activation.SOFTMAX) {
                a[l] = softmax(z[l]);
                m[l] = softmaxJacobianNorm(a[l]);
            } else {
                ActivationDerivative d = LocalDerivatives.activation(act);
                a[l] = new double[b.length];
                for (int j = 0; j < b.length; j++) {
                    Map<String, Double> at = Map.of(ActivationDerivative.ARGUMENT, z[l][j]);
                    a[l][j] = ExprEvaluator.evaluate(d.value(), at);
                    m[l] = Math.max(m[l], Math.abs(ExprEvaluator.evaluate(d.derivative(), at)));
                }
            }
        }
        LossDerivative loss = LocalDerivatives.loss(spec.loss());
        double factor = loss.reduction().factor(y.length);
        if (fusedOutput(spec)) {
            // ∇_z ℓ = r·(o·Σy − y) (softmax with cross-entropy) or r·(o − y) (sigmoid with bce), exact and finite
            boolean softmax = spec.layers().get(layers - 1).activation() == Activation.SOFTMAX;
            double targetSum = 0;
            for (double t : y) {
                targetSum += t;
            }
            double sum = 0;
            for (int j = 0; j < y.length; j++) {
                double g = factor * ((softmax ? a[layers][j] * targetSum : a[layers][j]) - y[j]);
                sum += g * g;
            }
            m[layers] = 1.0;
            return new ForwardPass(z, a, m, Math.sqrt(sum));
        }
        double sum = 0;
        boolean crossEntropy = spec.loss() == io.chainproof.spec.Loss.CROSS_ENTROPY;
        for (int j = 0; j < y.length; j++) {
            // −y·log a is identically 0 for y = 0: its derivative is 0 even where a has underflowed to 0
            double g = crossEntropy && y[j] == 0.0 ? 0.0 : factor * ExprEvaluator.evaluate(loss.plainDerivative(),
                    Map.of(LossDerivative.OUTPUT, a[layers][j], LossDerivative.TARGET, y[j]));
            sum += g * g;
        }
        return new ForwardPass(z, a, m, Math.sqrt(sum));
    }

    /** Whether the output and loss are softmax with cross-entropy or sigmoid with bce (their error is fused). */
    static boolean fusedOutput(NetworkSpec spec) {
        Activation out = spec.layers().get(spec.layerCount() - 1).activation();
        return (out == Activation.SOFTMAX && spec.loss() == io.chainproof.spec.Loss.CROSS_ENTROPY)
                || (out == Activation.SIGMOID && spec.loss() == io.chainproof.spec.Loss.BCE);
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double[] o = new double[z.length];
        double sum = 0;
        for (int j = 0; j < z.length; j++) {
            o[j] = Math.exp(z[j] - max);
            sum += o[j];
        }
        for (int j = 0; j < z.length; j++) {
            o[j] /= sum;
        }
        return o;
    }

    private static double softmaxJacobianNorm(double[] o) {
        double[][] j = new double[o.length][o.length];
        for (int r = 0; r < o.length; r++) {
            for (int c = 0; c < o.length; c++) {
                j[r][c] = (r == c ? o[r] : 0) - o[r] * o[c];
            }
        }
        return new SingularValueDecomposition(MatrixUtils.createRealMatrix(j)).getNorm();
    }

    /** {@code z_l}, a copy. */
    double[] preActivation(int layer) {
        return z[layer].clone();
    }

    /** {@code ‖a_l‖₂}, with {@code a_0 = x}. */
    double activationNorm(int layer) {
        double s = 0;
        for (double v : a[layer]) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** {@code m_l}: max_j |φ'(z_{l,j})|, or ‖diag(o) − ooᵀ‖₂ for softmax. */
    double localDerivative(int layer) {
        return localDerivative[layer];
    }

    /** {@code ‖∇_{a_L}ℓ‖₂} of this sample's loss. */
    double outputGradientNorm() {
        return outputGradientNorm;
    }
}
