package example.mlp;

import java.util.ArrayList;
import java.util.List;

/**
 * A small multilayer perceptron with hand-written backpropagation, in plain Java: the kind of code whose
 * gradients a library author wants checked. Layer l computes {@code z = W·a + b}, {@code a = act(z)}; the loss
 * is the mean over samples of the mean over outputs of {@code (a − y)²} (mse).
 */
public class TinyMlp {

    /** The activations this network supports. */
    public enum Act {
        IDENTITY, SIGMOID, TANH;

        double apply(double z) {
            return switch (this) {
                case IDENTITY -> z;
                case SIGMOID -> 1 / (1 + Math.exp(-z));
                case TANH -> Math.tanh(z);
            };
        }

        /**
         * The derivative act'(z), in forms that keep their relative accuracy when the unit saturates.
         * (The textbook a·(1 − a) and 1 − a² from the value a lose it: at a = 1 − 1e−9 the difference keeps
         * about 7 digits, and chainproof's property test below flags the gradients 1e−8 off.)
         */
        double derivative(double z) {
            return switch (this) {
                case IDENTITY -> 1;
                case SIGMOID -> {
                    double e = Math.exp(-Math.abs(z));
                    yield e / ((1 + e) * (1 + e));
                }
                case TANH -> {
                    double e = Math.exp(-2 * Math.abs(z));
                    yield 4 * e / ((1 + e) * (1 + e));
                }
            };
        }
    }

    /** Gradients shaped like the parameters: {@code weights.get(l)[j][k]}, {@code biases.get(l)[j]}. */
    public record Gradients(List<double[][]> weights, List<double[]> biases) {
    }

    private final List<double[][]> weights;
    private final List<double[]> biases;
    protected final List<Act> acts;

    /**
     * @param weights W_l as [units_l][units_{l−1}], first layer first
     * @param biases  b_l as [units_l]
     * @param acts    each layer's activation
     */
    public TinyMlp(List<double[][]> weights, List<double[]> biases, List<Act> acts) {
        if (weights.size() != biases.size() || weights.size() != acts.size()) {
            throw new IllegalArgumentException("need one weight matrix, bias and activation per layer");
        }
        this.weights = weights;
        this.biases = biases;
        this.acts = acts;
    }

    /** The loss over samples {@code x[s]} with targets {@code y[s]}. */
    public double loss(double[][] x, double[][] y) {
        double total = 0;
        for (int s = 0; s < x.length; s++) {
            double[] a = forward(x[s]).get(acts.size());
            double sum = 0;
            for (int j = 0; j < a.length; j++) {
                sum += (a[j] - y[s][j]) * (a[j] - y[s][j]);
            }
            total += sum / a.length;
        }
        return total / x.length;
    }

    /** The activations of every layer for one input, layer 0 being the input itself. */
    List<double[]> forward(double[] x) {
        return forward(x, new ArrayList<>());
    }

    /** As {@link #forward(double[])}, collecting each layer's pre-activations {@code z} in {@code zs}. */
    private List<double[]> forward(double[] x, List<double[]> zs) {
        List<double[]> a = new ArrayList<>(List.of(x));
        for (int l = 0; l < acts.size(); l++) {
            double[] z = preActivation(l, a.get(l));
            double[] out = new double[z.length];
            for (int j = 0; j < z.length; j++) {
                out[j] = acts.get(l).apply(z[j]);
            }
            zs.add(z);
            a.add(out);
        }
        return a;
    }

    /** One layer's pre-activation: {@code W·a + b}. */
    double[] preActivation(int l, double[] in) {
        double[][] w = weights.get(l);
        double[] out = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            double z = biases.get(l)[j];
            for (int k = 0; k < in.length; k++) {
                z += w[j][k] * in[k];
            }
            out[j] = z;
        }
        return out;
    }

    /** ∂loss/∂W_l and ∂loss/∂b_l by backpropagation. */
    public Gradients gradients(double[][] x, double[][] y) {
        List<double[][]> gw = new ArrayList<>();
        List<double[]> gb = new ArrayList<>();
        for (int l = 0; l < acts.size(); l++) {
            gw.add(new double[weights.get(l).length][weights.get(l)[0].length]);
            gb.add(new double[biases.get(l).length]);
        }
        for (int s = 0; s < x.length; s++) {
            List<double[]> zs = new ArrayList<>();
            List<double[]> a = forward(x[s], zs);
            double[] out = a.get(acts.size());
            double[] delta = new double[out.length];
            for (int j = 0; j < out.length; j++) {
                delta[j] = 2 * (out[j] - y[s][j]) / out.length / x.length;
            }
            for (int l = acts.size() - 1; l >= 0; l--) {
                delta = throughActivation(l, zs.get(l), delta);
                double[] in = a.get(l);
                for (int j = 0; j < delta.length; j++) {
                    gb.get(l)[j] += delta[j];
                    for (int k = 0; k < in.length; k++) {
                        gw.get(l)[j][k] += delta[j] * in[k];
                    }
                }
                delta = transposeTimes(weights.get(l), delta);
            }
        }
        return new Gradients(gw, gb);
    }

    /** ∂loss/∂z_l from ∂loss/∂a_l: multiplies by act'(z_l). (The tests override it to plant a bug.) */
    protected double[] throughActivation(int l, double[] z, double[] dA) {
        double[] dz = new double[dA.length];
        for (int j = 0; j < dA.length; j++) {
            dz[j] = dA[j] * acts.get(l).derivative(z[j]);
        }
        return dz;
    }

    private static double[] transposeTimes(double[][] w, double[] delta) {
        double[] out = new double[w[0].length];
        for (int j = 0; j < w.length; j++) {
            for (int k = 0; k < out.length; k++) {
                out[k] += w[j][k] * delta[j];
            }
        }
        return out;
    }
}
