package io.chainproof.symbolic;

import java.util.List;

/**
 * The paths from a parameter to the loss: how many there are and the first {@code listed} of them in
 * order (units by increasing index, layer by layer). A weight of layer l in a dense network has
 * {@code ∏_{k>l} n_k} paths (times n_L when θ is in a softmax output layer, which couples its units,
 * unless the loss is cross-entropy, whose paths end at z_L), so only a prefix is listed for wide networks. Instances are immutable.
 *
 * @param count  the number of paths (saturates at {@link Long#MAX_VALUE})
 * @param listed the first paths, at most as many as were asked for
 */
public record ChainPaths(long count, List<ChainPath> listed) {

    /**
     * Validates the components.
     *
     * @param count the number of paths (saturates at {@link Long#MAX_VALUE})
     * @param listed the first paths, at most as many as were asked for
     */
    public ChainPaths {
        listed = List.copyOf(listed);
        if (count < listed.size()) {
            throw new IllegalArgumentException("Path count <" + count + "> is below the " + listed.size() + " listed");
        }
    }

    /**
     * Whether every path is listed.
     *
     * @return true if no path was left out by the limit
     */
    public boolean complete() {
        return listed.size() == count;
    }

    /**
     * The sum of the listed paths' contributions; ∂L/∂θ itself when {@link #complete()}.
     *
     * @return the sum of the listed contributions
     */
    public double listedSum() {
        double s = 0;
        for (ChainPath p : listed) {
            s += p.value();
        }
        return s;
    }
}
