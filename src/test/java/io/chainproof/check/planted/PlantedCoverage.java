package io.chainproof.check.planted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Whether a planted-fault suite plants something: the guard of {@link DetectionTable} for the suites whose wrong
 * gradients are files (PyTorch with a fault, checked in beside the correct gradient). A planted fault counts when its
 * gradient differs from the correct one somewhere by more than {@value PlantedBugSuite#EQUIVALENT} relative
 * ({@link PlantedBugSuite#same}); a suite needs at least its stated number of such faults in every network class,
 * and a fault that cannot leave the correct gradient unchanged (its case expects it flagged) but does is a fault
 * that plants nothing. Run with every fault a no-op (each claim replaced by the correct gradient), both break.
 * Instances are immutable.
 */
public final class PlantedCoverage {

    /**
     * One planted fault.
     *
     * @param networkClass    the class of network it is planted in (e.g. {@code lstm}, {@code conv1d})
     * @param label           the case, for messages
     * @param claimed         the faulty gradient, flat
     * @param truth           the correct gradient, flat, from outside chainproof
     * @param canBeEquivalent whether the fault may leave the gradient unchanged (a case that expects acceptance)
     */
    public record Planted(String networkClass, String label, double[] claimed, double[] truth, boolean canBeEquivalent) {
        public Planted {
            if (claimed.length != truth.length) {
                throw new IllegalArgumentException("Planted fault <" + label + "> has " + claimed.length
                        + " claimed entries but " + truth.length + " correct ones");
            }
            claimed = claimed.clone();
            truth = truth.clone();
        }

        /** Whether the claim equals the truth entry by entry to {@value PlantedBugSuite#EQUIVALENT} relative. */
        public boolean equivalent() {
            return PlantedBugSuite.same(claimed, truth, PlantedBugSuite.EQUIVALENT);
        }

        /** The same fault turned into a no-op: the claim is the correct gradient. */
        public Planted noOp() {
            return new Planted(networkClass, label, truth, truth, canBeEquivalent);
        }
    }

    private final Map<String, Integer> minimum;

    /** @param minimum non-equivalent faults required per network class; a class without faults counts 0 */
    public PlantedCoverage(Map<String, Integer> minimum) {
        this.minimum = Map.copyOf(minimum);
    }

    /** Classes with fewer non-equivalent faults than required, each said why, sorted by class. */
    public List<String> shortfalls(List<Planted> planted) {
        List<String> out = new ArrayList<>();
        new java.util.TreeMap<>(minimum).forEach((cls, min) -> {
            long tested = planted.stream().filter(p -> p.networkClass().equals(cls) && !p.equivalent()).count();
            if (tested < min) {
                out.add(shortfall("class <" + cls + ">", tested, "", min, ""));
            }
        });
        return out;
    }

    /** Faults expected to change the gradient that leave it unchanged, as {@code PLANTS NOTHING <label>}. */
    public static List<String> plantingNothing(List<Planted> planted) {
        return planted.stream().filter(p -> !p.canBeEquivalent() && p.equivalent())
                .map(p -> "PLANTS NOTHING " + p.label()).toList();
    }

    /** Shortfalls and faults that plant nothing; empty when the suite cannot be passing vacuously. */
    public List<String> problems(List<Planted> planted) {
        List<String> out = new ArrayList<>(shortfalls(planted));
        out.addAll(plantingNothing(planted));
        return out;
    }

    /** Non-equivalent faults per class, for the log. */
    public static Map<String, Long> counts(List<Planted> planted) {
        Map<String, Long> out = new LinkedHashMap<>();
        planted.stream().filter(p -> !p.equivalent()).forEach(p -> out.merge(p.networkClass(), 1L, Long::sum));
        return out;
    }

    /**
     * The shortfall message of every planted suite, e.g. {@code class <lstm>: 3 non-equivalent planted faults, at least
     * 14 required; the fault switches change too little}; {@code on} and {@code per} say more where a suite counts per
     * network ({@code " on 6 networks"}, {@code " (8 per network)"}).
     */
    static String shortfall(String what, long tested, String on, long required, String per) {
        return what + ": " + tested + " non-equivalent planted faults" + on + ", at least " + required + " required"
                + per + "; the fault switches change too little";
    }

    /** A uniformly random index whose correct gradient is not 0 (any index if all are 0). */
    public static int randomNonzeroEntry(double[] truth, Random random) {
        int[] nonzero = IntStream.range(0, truth.length).filter(i -> truth[i] != 0).toArray();
        return nonzero.length == 0 ? random.nextInt(truth.length) : nonzero[random.nextInt(nonzero.length)];
    }
}
