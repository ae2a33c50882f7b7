package io.chainproof.rnn;

import io.chainproof.spec.Activation;
import io.chainproof.spec.RnnSpec;

import java.util.Optional;

/**
 * Where a relu recurrence is not differentiable: a pre-activation z_t[j] within {@link #BAND} (relative to the
 * sizes of the inputs and states that feed it) of 0, where relu' jumps from 0 to 1. There the loss has no
 * derivative with respect to W_h, W_x or b — a finite difference straddles the kink and a library's
 * convention (PyTorch: relu'(0) = 0) is one of several defensible answers — so checks report those
 * parameters as not differentiable here instead of judging them, as the MLP verifier does.
 */
public final class RnnKinks {

    /** A pre-activation closer to 0 than this, times (1 + the largest |input| or |state| of its step), is a kink. */
    public static final double BAND = 1e-7;

    private RnnKinks() {
    }

    /**
     * @param network the network
     * @param theta   parameters in the flat layout
     * @return the first kink, described (sequence, step, unit and value), if the hidden activation is relu and
     *         some pre-activation is within the band of 0
     */
    public static Optional<String> find(RnnNetwork network, double[] theta) {
        RnnSpec spec = network.spec();
        if (spec.activation() != Activation.RELU) {
            return Optional.empty();
        }
        for (int s = 0; s < spec.samples(); s++) {
            double[][] z = network.preActivations(theta, s);
            double[][] h = network.hiddenStates(theta, s);
            double[][][] x = spec.x();
            for (int t = 1; t < z.length; t++) {
                double scale = 1;
                for (double v : h[t - 1]) {
                    scale = Math.max(scale, 1 + Math.abs(v));
                }
                for (double v : x[s][t - 1]) {
                    scale = Math.max(scale, 1 + Math.abs(v));
                }
                for (int j = 0; j < z[t].length; j++) {
                    if (Math.abs(z[t][j]) <= BAND * scale) {
                        return Optional.of("relu pre-activation z_" + t + "[" + j + "] of sequence " + (s + 1) + " is "
                                + z[t][j] + ", at relu's kink");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
