package io.chainproof.check.planted;

import io.chainproof.check.planted.Mutant.Kind;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.NetworkSpec;

/**
 * An independent, hand-written backprop for chainproof's MLP specs — plain loops and {@link Math}, no
 * chainproof numeric or symbolic code — with switches to plant {@link Mutant realistic faults}.
 *
 * <p>Per sample: forward {@code z_l = W_l·a_{l−1} + b_l}, {@code a_l = φ_l(z_l)}, {@code a_0 = x};
 * backward {@code δ_L = ∂ℓ/∂z_L / n} (fused and stable for sigmoid + bce, sigmoid + cross_entropy,
 * softmax + cross_entropy; otherwise {@code ∂ℓ/∂a_L ⊙ φ'(z_L)}, or the softmax Jacobian
 * {@code a ⊙ (g − ⟨a, g⟩)}), then {@code δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ φ'(z_l)},
 * {@code ∂L/∂W_l += δ_l a_{l−1}ᵀ}, {@code ∂L/∂b_l += δ_l}. The 1/n of the mean over samples is folded
 * into δ_L, as in the usual {@code dZ = (A − Y)/m} code, so "bias from one sample" yields δ of sample 0
 * including its 1/n.
 *
 * <p>Checked against PyTorch autograd (float64) to 1e-9 on every reference spec by
 * {@link ManualBackpropTests}.
 */
final class ManualBackprop {

    private ManualBackprop() {
    }

    /** The true gradient in the flat layout ({@link FlatLayout}). */
    static double[] gradient(NetworkSpec spec) {
        return gradient(spec, Mutant.NONE);
    }

    /** The gradient as computed by backprop code that contains {@code mutant}. */
    static double[] gradient(NetworkSpec spec, Mutant mutant) {
        int layers = spec.layerCount();
        double[][][] w = weights(spec);
        double[][][] gw = new double[layers + 1][][];
        double[][] gb = new double[layers + 1][];
        for (int l = 1; l <= layers; l++) {
            gw[l] = new double[spec.units(l)][spec.units(l - 1)];
            gb[l] = new double[spec.units(l)];
        }
        double[][] xs = spec.data().x();
        double[][] ys = spec.data().y();
        int n = xs.length;
        double seed = (mutant.is(Kind.MEAN_OVER_SAMPLES_MISSING) ? 1.0 : 1.0 / n)
                * (mutant.is(Kind.LOSS_GRADIENT_HALVED) ? 0.5 : 1.0);
        for (int s = 0; s < n; s++) {
            Pass pass = forward(spec, xs[s]);
            double[] delta = scaled(outputDelta(spec, pass, ys[s], mutant), seed);
            for (int l = layers; l >= 1; l--) {
                if (l < layers) {
                    delta = backThrough(activation(spec, l), pass.z[l], pass.a[l], transposeTimes(w[l + 1], delta),
                            faultAt(mutant, l));
                }
                double[] in = mutant.is(Kind.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION, l) ? pass.z[l - 1] : pass.a[l - 1];
                for (int j = 0; j < delta.length; j++) {
                    for (int k = 0; k < in.length; k++) {
                        gw[l][j][k] += delta[j] * in[k];
                    }
                    if (s == 0 || !mutant.is(Kind.BIAS_FROM_ONE_SAMPLE, l)) {
                        gb[l][j] += delta[j];
                    }
                }
            }
        }
        double[] flat = flatten(spec, gw, gb, mutant);
        if (mutant.kind().scope() == Mutant.Scope.ENTRY) {
            flat[mutant.entry()] *= 1.0 + mutant.kind().relativeError();
        }
        return flat;
    }

    /** The loss: the per-sample loss averaged over the samples. */
    static double loss(NetworkSpec spec) {
        double[][] xs = spec.data().x();
        double[][] ys = spec.data().y();
        double total = 0;
        for (int s = 0; s < xs.length; s++) {
            total += sampleLoss(spec, forward(spec, xs[s]), ys[s]);
        }
        return total / xs.length;
    }

    /** The pre-activations of every layer for one input, in the order the forward pass computes them. */
    static double[][] preActivations(NetworkSpec spec, double[] x) {
        return forward(spec, x).z;
    }

    /** z[l], a[l] for l = 0..L; z[0] = a[0] = x (so "z instead of a" in layer 1 changes nothing). */
    private record Pass(double[][] z, double[][] a) {
    }

    private static Pass forward(NetworkSpec spec, double[] x) {
        int layers = spec.layerCount();
        double[][][] w = weights(spec);
        double[][] z = new double[layers + 1][];
        double[][] a = new double[layers + 1][];
        z[0] = x;
        a[0] = x;
        for (int l = 1; l <= layers; l++) {
            z[l] = new double[w[l].length];
            double[] b = spec.parameters().bias(l);
            for (int j = 0; j < w[l].length; j++) {
                double sum = 0;
                for (int k = 0; k < a[l - 1].length; k++) {
                    sum += w[l][j][k] * a[l - 1][k];
                }
                z[l][j] = sum + b[j];
            }
            a[l] = activate(activation(spec, l), z[l]);
        }
        return new Pass(z, a);
    }

    private static double[] activate(Activation activation, double[] z) {
        double[] a = new double[z.length];
        if (activation == Activation.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                a[j] = Math.exp(z[j] - max);
                sum += a[j];
            }
            for (int j = 0; j < z.length; j++) {
                a[j] /= sum;
            }
            return a;
        }
        for (int j = 0; j < z.length; j++) {
            a[j] = ActivationMath.value(activation, z[j]);
        }
        return a;
    }

    /** ∂ℓ/∂z_L of one sample (no 1/n), or the faulty version of it when the fault sits in layer L. */
    private static double[] outputDelta(NetworkSpec spec, Pass pass, double[] y, Mutant mutant) {
        int last = spec.layerCount();
        Activation activation = activation(spec, last);
        double[] z = pass.z[last];
        double[] a = pass.a[last];
        Kind fault = faultAt(mutant, last);
        if (fault == Kind.NONE) {
            double[] fused = fusedOutputDelta(activation, spec.loss(), z, a, y);
            if (fused != null) {
                return fused;
            }
        }
        return backThrough(activation, z, a, lossGradient(spec.loss(), a, y), fault);
    }

    /** Stable closed forms of ∂ℓ/∂z_L where φ and the loss cancel; null where there is none. */
    private static double[] fusedOutputDelta(Activation activation, Loss loss, double[] z, double[] a, double[] y) {
        int m = a.length;
        double[] delta = new double[m];
        if (activation == Activation.SIGMOID && loss == Loss.BCE) {
            for (int j = 0; j < m; j++) {
                delta[j] = (a[j] - y[j]) / m;
            }
        } else if (activation == Activation.SIGMOID && loss == Loss.CROSS_ENTROPY) {
            for (int j = 0; j < m; j++) {
                delta[j] = -y[j] * ActivationMath.sigmoid(-z[j]);
            }
        } else if (activation == Activation.SOFTMAX && loss == Loss.CROSS_ENTROPY) {
            double total = 0;
            for (double t : y) {
                total += t;
            }
            for (int j = 0; j < m; j++) {
                delta[j] = a[j] * total - y[j];
            }
        } else {
            return null;
        }
        return delta;
    }

    /** ∂ℓ/∂a_L of one sample. */
    private static double[] lossGradient(Loss loss, double[] a, double[] y) {
        int m = a.length;
        double[] g = new double[m];
        for (int j = 0; j < m; j++) {
            double r = a[j] - y[j];
            g[j] = switch (loss) {
                case MSE -> 2.0 * r / m;
                case SSE -> 2.0 * r;
                case HALF_SSE -> r;
                case BCE -> r / (a[j] * (1.0 - a[j]) * m);
                case CROSS_ENTROPY -> -y[j] / a[j];
            };
        }
        return g;
    }

    private static double sampleLoss(NetworkSpec spec, Pass pass, double[] y) {
        int last = spec.layerCount();
        double[] z = pass.z[last];
        double[] a = pass.a[last];
        boolean sigmoid = activation(spec, last) == Activation.SIGMOID;
        boolean softmax = activation(spec, last) == Activation.SOFTMAX;
        double logSumExp = softmax ? logSumExp(z) : 0;
        int m = a.length;
        double sum = 0;
        for (int j = 0; j < m; j++) {
            double r = a[j] - y[j];
            double logA = sigmoid ? -ActivationMath.softplus(-z[j]) : softmax ? z[j] - logSumExp : Math.log(a[j]);
            double log1mA = sigmoid ? -ActivationMath.softplus(z[j]) : Math.log1p(-a[j]);
            sum += switch (spec.loss()) {
                case MSE -> r * r / m;
                case SSE -> r * r;
                case HALF_SSE -> 0.5 * r * r;
                case BCE -> -(y[j] * logA + (1.0 - y[j]) * log1mA) / m;
                case CROSS_ENTROPY -> y[j] == 0 ? 0.0 : -y[j] * logA;
            };
        }
        return sum;
    }

    private static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /**
     * δ = g ⊙ φ'(z) (softmax: its Jacobian, a ⊙ (g − ⟨a, g⟩)), or with the faulty factor: 1 (missing
     * derivative), φ(z) (activation instead of derivative), φ'(a) (derivative at the output).
     */
    private static double[] backThrough(Activation activation, double[] z, double[] a, double[] g, Kind fault) {
        if (fault == Kind.MISSING_ACTIVATION_DERIVATIVE) {
            return g.clone();
        }
        double[] delta = new double[g.length];
        if (activation == Activation.SOFTMAX) {
            if (fault != Kind.NONE) {
                throw new IllegalArgumentException("Fault <" + fault + "> cannot be planted in a softmax layer");
            }
            double dot = 0;
            for (int j = 0; j < g.length; j++) {
                dot += a[j] * g[j];
            }
            for (int j = 0; j < g.length; j++) {
                delta[j] = a[j] * (g[j] - dot);
            }
            return delta;
        }
        for (int j = 0; j < g.length; j++) {
            double factor = switch (fault) {
                case ACTIVATION_INSTEAD_OF_DERIVATIVE -> ActivationMath.value(activation, z[j]);
                case DERIVATIVE_AT_OUTPUT -> ActivationMath.derivative(activation, a[j]);
                default -> ActivationMath.derivative(activation, z[j]);
            };
            delta[j] = g[j] * factor;
        }
        return delta;
    }

    /** The activation-backward fault planted in layer {@code l}, or NONE. */
    private static Kind faultAt(Mutant mutant, int l) {
        return mutant.layer() == l && mutant.kind().rewritesActivationBackward() ? mutant.kind() : Kind.NONE;
    }

    private static double[] transposeTimes(double[][] w, double[] delta) {
        double[] g = new double[w[0].length];
        for (int j = 0; j < w.length; j++) {
            for (int k = 0; k < g.length; k++) {
                g[k] += w[j][k] * delta[j];
            }
        }
        return g;
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] * factor;
        }
        return out;
    }

    private static double[] flatten(NetworkSpec spec, double[][][] gw, double[][] gb, Mutant mutant) {
        FlatLayout layout = FlatLayout.of(spec);
        double[] flat = new double[layout.size()];
        for (int l = 1; l <= spec.layerCount(); l++) {
            double sign = mutant.is(Kind.WEIGHT_GRADIENT_SIGN_FLIPPED, l) ? -1.0 : 1.0;
            for (int j = 0; j < gw[l].length; j++) {
                for (int k = 0; k < gw[l][j].length; k++) {
                    flat[layout.weight(l, j, k)] = sign * gw[l][j][k];
                }
                flat[layout.bias(l, j)] = gb[l][j];
            }
        }
        return flat;
    }

    /** W_l at index l (index 0 unused). */
    private static double[][][] weights(NetworkSpec spec) {
        double[][][] w = new double[spec.layerCount() + 1][][];
        for (int l = 1; l <= spec.layerCount(); l++) {
            w[l] = spec.parameters().weight(l);
        }
        return w;
    }

    private static Activation activation(NetworkSpec spec, int l) {
        return spec.layers().get(l - 1).activation();
    }
}
