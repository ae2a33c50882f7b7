package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * Normalisation with an affine map, PyTorch's {@code LayerNorm} (over the last axis of every row) and
 * {@code BatchNorm1d/2d} in training mode (per channel, over every sample and position: batch statistics, biased
 * variance): within each group of m entries {@code μ = Σx/m}, {@code σ² = Σ(x − μ)²/m},
 * {@code x̂ = (x − μ)/√(σ² + ε)}, {@code y = γ·x̂ + β} with γ, β indexed by feature (layer norm) or channel (batch
 * norm). Inputs: x, γ, β. The backward rule keeps the terms through μ and σ²:
 * {@code ḡ_x = (ḡ_x̂ − mean(ḡ_x̂) − x̂·mean(ḡ_x̂·x̂)) / √(σ² + ε)} with {@code ḡ_x̂ = γ·ḡ_y}; a batch norm couples
 * the samples. Instances are immutable.
 */
public final class Normalization implements Op {

    /** Default ε, as PyTorch's. */
    public static final double DEFAULT_EPS = 1e-5;

    private final String kind;
    private final int size;
    private final int[][] groups;
    private final int[] feature;
    private final double eps;

    private Normalization(String kind, int size, int[][] groups, int[] feature, double eps) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("Normalisation ε <" + eps + "> must be finite and > 0");
        }
        this.kind = kind;
        this.size = size;
        this.groups = groups;
        this.feature = feature;
        this.eps = eps;
    }

    /**
     * Layer norm over the last axis.
     *
     * @param rows  the number of rows (samples × leading positions); ≥ 1
     * @param width the length of the last axis; ≥ 1
     * @param eps   ε; > 0
     * @return the op, with γ and β of {@code width} entries
     */
    public static Normalization layerNorm(int rows, int width, double eps) {
        int[][] groups = new int[rows][width];
        int[] feature = new int[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                groups[r][j] = r * width + j;
                feature[r * width + j] = j;
            }
        }
        return new Normalization("layer_norm", rows * width, groups, feature, eps);
    }

    /**
     * Batch norm in training mode over a {@code [N][C][positions]} tensor.
     *
     * @param samples   N; ≥ 1 (statistics over one sample of one position are degenerate: x̂ = 0)
     * @param channels  C; ≥ 1
     * @param positions the number of positions per channel (1 for a vector of features); ≥ 1
     * @param eps       ε; > 0
     * @return the op, with γ and β of {@code channels} entries
     */
    public static Normalization batchNorm(int samples, int channels, int positions, double eps) {
        int[][] groups = new int[channels][samples * positions];
        int[] feature = new int[samples * channels * positions];
        for (int n = 0; n < samples; n++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < positions; p++) {
                    int at = (n * channels + c) * positions + p;
                    groups[c][n * positions + p] = at;
                    feature[at] = c;
                }
            }
        }
        return new Normalization("batch_norm", samples * channels * positions, groups, feature, eps);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int outputSize() {
        return size;
    }

    /** @return ε */
    public double eps() {
        return eps;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] x = inputs.get(0);
        T[] gamma = inputs.get(1);
        T[] beta = inputs.get(2);
        T[] y = field.array(size);
        for (int[] group : groups) {
            T[] hat = normalised(field, x, group);
            for (int i = 0; i < group.length; i++) {
                int f = feature[group[i]];
                y[group[i]] = gamma[f].multiply(hat[i]).add(beta[f]);
            }
        }
        return y;
    }

    /** x̂ over one group, with 1/√(σ² + ε) as its last entry. */
    private <T extends Real<T>> T[] normalised(RealField<T> field, T[] x, int[] group) {
        int m = group.length;
        T sum = x[group[0]];
        for (int i = 1; i < m; i++) {
            sum = sum.add(x[group[i]]);
        }
        T mean = sum.divide(field.constant(m));
        T[] d = field.array(m + 1);
        T squares = null;
        for (int i = 0; i < m; i++) {
            d[i] = x[group[i]].subtract(mean);
            squares = squares == null ? d[i].square() : squares.add(d[i].square());
        }
        T inv = field.constant(1).divide(squares.divide(field.constant(m)).add(eps).sqrt());
        for (int i = 0; i < m; i++) {
            d[i] = d[i].multiply(inv);
        }
        d[m] = inv;
        return d;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        backward(field, inputs, outputGradient, inputGradients, true, true);
    }

    /** The backward rule, with or without the terms through the mean and through the variance. */
    private <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] outputGradient,
                                              List<T[]> inputGradients, boolean throughMean, boolean throughVariance) {
        T[] x = inputs.get(0);
        T[] gamma = inputs.get(1);
        T[] gx = inputGradients.get(0);
        T[] gGamma = inputGradients.get(1);
        T[] gBeta = inputGradients.get(2);
        for (int[] group : groups) {
            int m = group.length;
            T[] hat = normalised(field, x, group);
            T inv = hat[m];
            T[] gHat = field.array(m);
            T meanG = null;
            T meanGHat = null;
            for (int i = 0; i < m; i++) {
                int at = group[i];
                int f = feature[at];
                T g = outputGradient[at];
                if (gGamma != null) {
                    gGamma[f] = gGamma[f].add(g.multiply(hat[i]));
                }
                if (gBeta != null) {
                    gBeta[f] = gBeta[f].add(g);
                }
                gHat[i] = g.multiply(gamma[f]);
                meanG = meanG == null ? gHat[i] : meanG.add(gHat[i]);
                T product = gHat[i].multiply(hat[i]);
                meanGHat = meanGHat == null ? product : meanGHat.add(product);
            }
            if (gx == null) {
                continue;
            }
            meanG = meanG.divide(field.constant(m));
            meanGHat = meanGHat.divide(field.constant(m));
            for (int i = 0; i < m; i++) {
                int at = group[i];
                T centred = gHat[i];
                if (throughMean) {
                    centred = centred.subtract(meanG);
                }
                if (throughVariance) {
                    centred = centred.subtract(hat[i].multiply(meanGHat));
                }
                gx[at] = gx[at].add(centred.multiply(inv));
            }
        }
    }

    /**
     * With respect to its input: within a group, {@code J = diag(γ)/σ · (I − 11ᵀ/m − x̂x̂ᵀ/m)}, and the bracket is an
     * orthogonal projection (1/√m and x̂/√m are orthonormal), so {@code ‖J‖₂ ≤ max|γ|/σ}; groups are independent
     * blocks. Here: the largest {@code max|γ|/σ} over the groups; certified for every input: σ ≥ √ε, so
     * {@code max|γ|/√ε} — the dependence on 1/σ that makes a norm of nearly constant inputs a large amplifier.
     */
    @Override
    public java.util.Optional<JacobianBound> jacobianBound(int input, List<double[]> inputs, double[] output,
                                                           LocalRules rules) {
        if (input != 0) {
            return java.util.Optional.empty();
        }
        double[] x = inputs.get(0);
        double[] gamma = inputs.get(1);
        double here = 0;
        double certified = 0;
        for (int[] group : groups) {
            double mean = 0;
            for (int at : group) {
                mean += x[at];
            }
            mean /= group.length;
            double var = 0;
            double g = 0;
            for (int at : group) {
                var += (x[at] - mean) * (x[at] - mean);
                g = Math.max(g, Math.abs(gamma[feature[at]]));
            }
            var /= group.length;
            here = Math.max(here, g / Math.sqrt(var + eps));
            certified = Math.max(certified, g / Math.sqrt(eps));
        }
        return java.util.Optional.of(new JacobianBound(certified, here));
    }

    /**
     * A normalisation's classic backward mistakes: the statistics treated as constants (no terms through μ and
     * σ²: {@code ḡ_x = ḡ_x̂/σ}), and the term through σ² left out.
     */
    @Override
    public List<OpFault> faults() {
        String what = kind.replace('_', ' ');
        return List.of(
                new OpFault("NORM_STATISTICS_AS_CONSTANTS", "%s: the " + what + "'s backward pass treats the "
                        + (kind.equals("batch_norm") ? "batch " : "") + "mean and variance as constants: the terms "
                        + "through μ and σ² are missing", variant(false, false)),
                new OpFault("NORM_VARIANCE_TERM_MISSING", "%s: the " + what + "'s backward pass leaves out the term "
                        + "through the variance σ² (the one through the mean is there)", variant(true, false)));
    }

    private OpFault.Rule variant(boolean throughMean, boolean throughVariance) {
        return Ops.inDouble(this, new Ops.Backward() {
            @Override
            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                                     T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                Normalization.this.backward(field, inputs, outputGradient, inputGradients, throughMean,
                        throughVariance);
            }
        });
    }

    @Override
    public String toString() {
        return kind + "[" + groups.length + " groups of " + (groups.length == 0 ? 0 : groups[0].length) + "]";
    }
}
