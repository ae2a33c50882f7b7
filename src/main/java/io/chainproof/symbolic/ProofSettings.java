package io.chainproof.symbolic;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AgreementProof} decides: the time Symja gets for each symbolic attempt, the size limit
 * for closed forms, and the numeric fallback's points, range, tolerance and seed — the one place these
 * numbers live. Immutable; {@link #DEFAULTS} plus {@code with…} copies.
 *
 * @param points            random points of the numeric check (the defaults use 20)
 * @param relativeTolerance agreement bound on {@code |c − d| / max(1, |d|)} per point
 * @param symbolicTimeLimit Symja's {@code TimeConstrained} limit for each symbolic attempt
 * @param seed              seed of the random points, so a check is reproducible
 * @param range             parameters and inputs are drawn uniformly from [−range, range]; targets of
 *                          bce and cross_entropy from [0, 1]
 * @param maxLeafCount      largest written-out loss or closed form (in leaves) given to Symja
 * @param kinkMargin        a point is redrawn if a relu or leaky_relu pre-activation is this close to 0
 * @param symjaOnly         skip the proof by composition (the op rules composed: linear in the network) and
 *                          prove with Symja's {@code D} of the whole written-out loss (small networks only)
 */
public record ProofSettings(int points, double relativeTolerance, Duration symbolicTimeLimit, long seed, double range,
                            long maxLeafCount, double kinkMargin, boolean symjaOnly) {

    /**
     * 20 points, 1e−12 relative, 3 s per symbolic attempt, seed 1994 (Bengio, Simard &amp; Frasconi), range 2,
     * at most 5000 leaves, kink margin 1e−6. With 5000 leaves a direct {@code D[L, θ]} takes well under a
     * second; a 2-3-2-1 sigmoid MLP's loss has about 150 leaves, a 12-layer width-1 chain's about 40.
     */
    public static final ProofSettings DEFAULTS = new ProofSettings(20, 1e-12, Duration.ofSeconds(3), 1994L, 2.0,
            5000, 1e-6, false);

    /**
     * Validates the components.
     *
     * @param points random points of the numeric check (the defaults use 20)
     * @param relativeTolerance agreement bound on {@code |c − d| / max(1, |d|)} per point
     * @param symbolicTimeLimit Symja's {@code TimeConstrained} limit for each symbolic attempt
     * @param seed seed of the random points, so a check is reproducible
     * @param range parameters and inputs are drawn uniformly from [−range, range]; targets of bce and
     *     cross_entropy from [0, 1]
     * @param maxLeafCount largest written-out loss or closed form (in leaves) given to Symja
     * @param kinkMargin a point is redrawn if a relu or leaky_relu pre-activation is this close to 0
     * @param symjaOnly skip the proof by composition and prove with Symja's {@code D} of the whole loss
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ProofSettings {
        Objects.requireNonNull(symbolicTimeLimit, "symbolicTimeLimit");
        if (points < 1) {
            throw new IllegalArgumentException("Points <" + points + "> is below 1; a numeric check needs a point");
        }
        if (!(relativeTolerance > 0)) {
            throw new IllegalArgumentException("Relative tolerance <" + relativeTolerance + "> is not positive");
        }
        if (symbolicTimeLimit.isNegative()) {
            throw new IllegalArgumentException("Symbolic time limit <" + symbolicTimeLimit + "> is negative");
        }
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("Range <" + range + "> is not a positive finite number");
        }
        if (maxLeafCount < 1) {
            throw new IllegalArgumentException("Max leaf count <" + maxLeafCount + "> is below 1");
        }
        if (!(kinkMargin >= 0)) {
            throw new IllegalArgumentException("Kink margin <" + kinkMargin + "> is negative");
        }
    }

    /**
     * A copy with another number of random points.
     *
     * @param newPoints random points of the numeric check
     * @return a new settings; these are unchanged
     */
    public ProofSettings withPoints(int newPoints) {
        return new ProofSettings(newPoints, relativeTolerance, symbolicTimeLimit, seed, range, maxLeafCount, kinkMargin, symjaOnly);
    }

    /**
     * A copy with another seed.
     *
     * @param newSeed seed of the random points
     * @return a new settings; these are unchanged
     */
    public ProofSettings withSeed(long newSeed) {
        return new ProofSettings(points, relativeTolerance, symbolicTimeLimit, newSeed, range, maxLeafCount, kinkMargin, symjaOnly);
    }

    /**
     * A copy with another time limit per symbolic attempt.
     *
     * @param limit Symja's {@code TimeConstrained} limit for each symbolic attempt
     * @return a new settings; these are unchanged
     */
    public ProofSettings withSymbolicTimeLimit(Duration limit) {
        return new ProofSettings(points, relativeTolerance, limit, seed, range, maxLeafCount, kinkMargin, symjaOnly);
    }

    /**
     * A copy with another size limit for Symja.
     *
     * @param limit largest written-out loss or closed form (in leaves) given to Symja
     * @return a new settings; these are unchanged
     */
    public ProofSettings withMaxLeafCount(long limit) {
        return new ProofSettings(points, relativeTolerance, symbolicTimeLimit, seed, range, limit, kinkMargin, symjaOnly);
    }

    /**
     * A copy with another agreement bound.
     *
     * @param tolerance agreement bound on {@code |c − d| / max(1, |d|)} per point
     * @return a new settings; these are unchanged
     */
    public ProofSettings withRelativeTolerance(double tolerance) {
        return new ProofSettings(points, tolerance, symbolicTimeLimit, seed, range, maxLeafCount, kinkMargin, symjaOnly);
    }

    /**
     * A copy that proves with Symja's {@code D} of the whole written-out loss only, or with the composition
     * of the local rules first.
     *
     * @param only true for Symja alone (slow beyond small networks), false for the default
     * @return the copy
     */
    public ProofSettings withSymjaOnly(boolean only) {
        return new ProofSettings(points, relativeTolerance, symbolicTimeLimit, seed, range, maxLeafCount, kinkMargin, only);
    }
}
