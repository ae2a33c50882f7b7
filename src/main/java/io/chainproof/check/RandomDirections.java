package io.chainproof.check;

import java.util.SplittableRandom;

/**
 * Fast mode's directional checks (after PyTorch's fast gradcheck and JAX's {@code check_grads}): a seeded random
 * unit direction v on one block of parameters, and the directional derivative {@code D_v L} — by one complex step,
 * or by central differences along v — against {@code ⟨claimed, v⟩}. One check costs a few loss evaluations
 * whatever the block's size.
 */
final class RandomDirections {

    private RandomDirections() {
    }

    /**
     * Checks {@code claimed} along {@code v}, a unit direction on {@code block}.
     *
     * @param function  the model's loss
     * @param point     the parameters
     * @param claimed   the claimed gradient
     * @param block     the block v lives on
     * @param d         which of the block's directions (0-based)
     * @param v         the direction, as long as the block
     * @param oracle    central differences, or else the complex step
     * @param tolerance the tolerance
     * @return the check
     */
    static DirectionalCheck check(LossFunction function, double[] point, double[] claimed, LossFunction.Block block,
                                  int d, double[] v, Oracle oracle, Tolerance tolerance) {
        int from = block.from();
        double dot = 0;
        double magnitude = 0;
        for (int k = 0; k < v.length; k++) {
            dot += claimed[from + k] * v[k];
            magnitude += Math.abs(claimed[from + k] * v[k]);
        }
        // ⟨claimed, v⟩ is itself a sum: allow its rounding, n·ε·Σ|claimed_k·v_k|
        double sumRounding = v.length * Math.ulp(1.0) * magnitude;
        Estimate estimate;
        if (oracle != Oracle.CENTRAL_DIFFERENCE) {
            estimate = function.complexStep(point, block, v, sumRounding).estimate();
        } else {
            double[] p = point.clone();
            estimate = CentralDifference.derivative(t -> {
                for (int k = 0; k < v.length; k++) {
                    p[from + k] = point[from + k] + t * v[k];
                }
                return function.loss(p);
            }, 0.0);
        }
        return new DirectionalCheck(block.name(), d, dot, estimate, Verdict.judge(dot, estimate, tolerance, sumRounding));
    }

    /**
     * A seeded random unit vector, reproducible for the generator's seed: entries uniform in [−1, 1), normalised.
     * Any continuous distribution serves a directional check: a fixed non-zero error e of the claim is orthogonal
     * to v with probability 0. Uniform draws cost a fraction of normal ones (a million entries: 12 ms against
     * 190 ms by Box–Muller), which fast mode on large models is made of.
     *
     * @param random the generator
     * @param n      the length
     * @return a unit vector
     */
    static double[] unit(SplittableRandom random, int n) {
        double[] v = new double[n];
        double norm = 0;
        for (int k = 0; k < n; k++) {
            v[k] = 2 * random.nextDouble() - 1;
            norm += v[k] * v[k];
        }
        if (norm == 0) {
            v[0] = 1;
            return v;
        }
        double scale = 1 / Math.sqrt(norm);
        for (int k = 0; k < n; k++) {
            v[k] *= scale;
        }
        return v;
    }
}
