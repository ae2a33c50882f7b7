package io.chainproof.rnn;

import io.chainproof.expr.StableFunctions;
import io.chainproof.spec.Activation;
import io.chainproof.spec.Loss;

/**
 * The output layer and loss of one step, o = ψ(u), ℓ(o, y), with ∂ℓ/∂u. Logarithms of the outputs are taken
 * stably from u (log σ(u) = −softplus(−u), log(1 − σ(u)) = −softplus(u), log-softmax u − max − log Σ e^{u − max}),
 * and the canonical pairs softmax + cross_entropy and sigmoid + bce use the fused error
 * {@code ∂ℓ/∂u_j = o_j·Σ_k y_k − y_j} and {@code (o_j − y_j)/m}, as the MLP kernels do.
 */
final class RnnOutput {

    private final Activation psi;
    private final Loss loss;

    RnnOutput(Activation psi, Loss loss) {
        this.psi = psi;
        this.loss = loss;
    }

    /**
     * @param u     the output pre-activation W_y·h + b_y
     * @param y     the target
     * @param delta if not null, receives ∂ℓ/∂u (overwritten)
     * @return ℓ(ψ(u), y)
     */
    double lossAndError(double[] u, double[] y, double[] delta) {
        int m = u.length;
        double[] o = new double[m];
        double[] logO = new double[m];
        double[] log1mO = new double[m];
        if (psi == Activation.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : u) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : u) {
                sum += Math.exp(v - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < m; j++) {
                logO[j] = u[j] - max - logSum;
                o[j] = Math.exp(logO[j]);
                log1mO[j] = Math.log1p(-o[j]);
            }
        } else {
            for (int j = 0; j < m; j++) {
                o[j] = RnnActivations.value(psi, u[j]);
                if (psi == Activation.SIGMOID) {
                    logO[j] = -StableFunctions.softplus(-u[j]);
                    log1mO[j] = -StableFunctions.softplus(u[j]);
                } else {
                    logO[j] = Math.log(o[j]);
                    log1mO[j] = Math.log1p(-o[j]);
                }
            }
        }
        double l = 0;
        double[] dO = new double[m];
        for (int j = 0; j < m; j++) {
            double e = o[j] - y[j];
            switch (loss) {
                case MSE -> { l += e * e / m; dO[j] = 2 * e / m; }
                case SSE -> { l += e * e; dO[j] = 2 * e; }
                case HALF_SSE -> { l += 0.5 * e * e; dO[j] = e; }
                case BCE -> {
                    l -= (y[j] * logO[j] + (1 - y[j]) * log1mO[j]) / m;
                    dO[j] = (-y[j] / o[j] + (1 - y[j]) / (1 - o[j])) / m;
                }
                case CROSS_ENTROPY -> {
                    l -= y[j] == 0 ? 0 : y[j] * logO[j];
                    dO[j] = y[j] == 0 ? 0 : -y[j] / o[j];
                }
                default -> throw new IllegalStateException("unknown loss " + loss);
            }
        }
        if (delta != null) {
            error(u, o, y, dO, delta);
        }
        return l;
    }

    private void error(double[] u, double[] o, double[] y, double[] dO, double[] delta) {
        int m = u.length;
        if (psi == Activation.SOFTMAX && loss == Loss.CROSS_ENTROPY) {
            double ySum = 0;
            for (double v : y) {
                ySum += v;
            }
            for (int j = 0; j < m; j++) {
                delta[j] = o[j] * ySum - y[j];
            }
        } else if (psi == Activation.SIGMOID && loss == Loss.BCE) {
            for (int j = 0; j < m; j++) {
                delta[j] = (o[j] - y[j]) / m;
            }
        } else if (psi == Activation.SOFTMAX) {
            double dot = 0;
            for (int k = 0; k < m; k++) {
                dot += dO[k] * o[k];
            }
            for (int j = 0; j < m; j++) {
                delta[j] = o[j] * (dO[j] - dot);
            }
        } else {
            for (int j = 0; j < m; j++) {
                delta[j] = dO[j] * RnnActivations.derivative(psi, u[j]);
            }
        }
    }
}
