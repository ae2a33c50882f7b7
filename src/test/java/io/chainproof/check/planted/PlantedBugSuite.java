package io.chainproof.check.planted;

import io.chainproof.check.GradientVerifier;
import io.chainproof.check.Localisation;
import io.chainproof.check.Localisation.Fault;
import io.chainproof.check.ParameterCheck;
import io.chainproof.check.VerificationReport;
import io.chainproof.check.planted.Mutant.Kind;
import io.chainproof.spec.NetworkSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs the verifier on the true gradient and on every planted fault of every {@link NetworkZoo} network,
 * and grades each answer as an {@link Outcome}.
 *
 * <p>A mutant is <em>equivalent</em> on a network when its gradient equals the true one entry by entry to
 * {@value #EQUIVALENT} relative (e.g. a missing derivative on an identity layer, a missing mean with one
 * sample, z instead of a after an identity layer or in layer 1); equivalent mutants are not required to be
 * detected. A localisation is <em>right</em> when its (layer, fault) is the expected one of some mutant
 * whose gradient equals this mutant's to {@value #SAME_GRADIENT} relative: when two faults produce the
 * same numbers, naming either is right. For entry faults, "right" means the failure list is exactly the
 * planted parameter.
 */
final class PlantedBugSuite {

    /** Per-entry relative difference below which a mutant counts as equivalent to the true gradient. */
    static final double EQUIVALENT = 1e-15;
    /** Per-entry relative difference below which two mutants count as producing the same gradient. */
    static final double SAME_GRADIENT = 1e-12;

    /**
     * How the verifier answered one claimed gradient. {@code STRICT}: the default rule let it pass, having marked
     * every entry the fault changes as one that a correct float64 backward pass with the textbook formulas computes
     * without relative accuracy (the saturated networks), and the strict rule detected it.
     */
    enum Status { PASSED, FALSE_ALARM, EQUIVALENT, DETECTED, STRICT, MISSED }

    /**
     * One verdict on one claimed gradient.
     *
     * @param network   the network
     * @param mutant    the planted fault ({@link Mutant#NONE} for the true gradient)
     * @param status    how the verifier answered
     * @param localised whether the localisation is right (always true where nothing is expected)
     * @param layerOnly whether a wrong localisation still names a right layer (with the wrong fault)
     * @param said      what the verifier said: localisation and failing parameters, for the failure list
     */
    record Outcome(NetworkZoo.Network network, Mutant mutant, Status status, boolean localised, boolean layerOnly,
                   String said) {

        boolean requirementMet() {
            return switch (status) {
                case PASSED -> true;
                case EQUIVALENT -> mutant.kind().canBeEquivalent();
                case FALSE_ALARM, MISSED -> false;
                case DETECTED, STRICT -> localised;
            };
        }
    }

    /** Where the claimed gradients come from: the backprop code with a fault planted. */
    @FunctionalInterface
    interface Faults {
        /**
         * @param spec   the network
         * @param mutant the fault to plant
         * @return the gradient the faulty code computes
         */
        double[] gradient(NetworkSpec spec, Mutant mutant);
    }

    private final GradientVerifier verifier;
    private final Faults faults;

    /** The suite on {@link ManualBackprop}'s planted faults. */
    PlantedBugSuite(GradientVerifier verifier) {
        this(verifier, ManualBackprop::gradient);
    }

    /** The suite on the faults of {@code faults} (the true gradient always comes from {@link ManualBackprop}). */
    PlantedBugSuite(GradientVerifier verifier, Faults faults) {
        this.verifier = verifier;
        this.faults = faults;
    }

    /** Every outcome, network by network (networks run in parallel), each network's true gradient first. */
    List<Outcome> run(List<NetworkZoo.Network> networks) {
        return IntStream.range(0, networks.size()).parallel()
                .mapToObj(i -> run(networks.get(i), i))
                .flatMap(List::stream)
                .toList();
    }

    private List<Outcome> run(NetworkZoo.Network network, int index) {
        NetworkSpec spec = network.spec();
        double[] truth = ManualBackprop.gradient(spec);
        List<Outcome> outcomes = new ArrayList<>();
        VerificationReport correct = verifier.verify(spec, truth);
        outcomes.add(new Outcome(network, Mutant.NONE, correct.passed() ? Status.PASSED : Status.FALSE_ALARM, true,
                false, said(spec, correct)));
        Map<Mutant, double[]> gradients = new LinkedHashMap<>();
        for (Mutant m : Mutant.catalogue(spec, truth, new Random(1_000_003L * index + 17))) {
            gradients.put(m, faults.gradient(spec, m));
        }
        for (Map.Entry<Mutant, double[]> e : gradients.entrySet()) {
            Mutant m = e.getKey();
            if (same(e.getValue(), truth, EQUIVALENT)) {
                outcomes.add(new Outcome(network, m, Status.EQUIVALENT, true, false, "-"));
                continue;
            }
            VerificationReport report = verifier.verify(spec, e.getValue());
            Status status = report.passed() ? Status.MISSED : Status.DETECTED;
            if (report.passed()) {
                VerificationReport strict = verifier.strict().verify(spec, e.getValue());
                Set<String> withinRounding = report.checks().stream().filter(ParameterCheck::lostRelativeAccuracy)
                        .map(ParameterCheck::parameter).collect(java.util.stream.Collectors.toSet());
                if (!strict.passed() && withinRounding.containsAll(failing(strict))) {
                    status = Status.STRICT;
                    report = strict;
                }
            }
            Set<String> right = acceptable(spec, e.getValue(), truth, gradients);
            Optional<Localisation> loc = report.localisation();
            boolean localised = m.kind().scope() == Mutant.Scope.ENTRY
                    ? failing(report).equals(Set.of(FlatLayout.of(spec).name(m.entry())))
                    : loc.filter(l -> right.contains(key(l))).isPresent();
            boolean layerOnly = !localised && m.kind().scope() != Mutant.Scope.ENTRY
                    && loc.filter(l -> right.stream().anyMatch(k -> k.startsWith(l.layer() + ":"))).isPresent();
            outcomes.add(new Outcome(network, m, status, localised, layerOnly, said(spec, report)));
        }
        return outcomes;
    }

    /** The fault the verifier should name for a mutant of this kind. */
    static Fault expectedFault(Kind kind) {
        return switch (kind) {
            case MISSING_ACTIVATION_DERIVATIVE -> Fault.MISSING_ACTIVATION_DERIVATIVE;
            case ACTIVATION_INSTEAD_OF_DERIVATIVE -> Fault.ACTIVATION_INSTEAD_OF_DERIVATIVE;
            case DERIVATIVE_AT_OUTPUT -> Fault.DERIVATIVE_AT_OUTPUT;
            case WEIGHT_GRADIENT_SIGN_FLIPPED -> Fault.SIGN_FLIPPED;
            case BIAS_FROM_ONE_SAMPLE -> Fault.BIAS_FROM_ONE_SAMPLE;
            case PRE_ACTIVATION_INSTEAD_OF_ACTIVATION -> Fault.PRE_ACTIVATION_INSTEAD_OF_ACTIVATION;
            case MEAN_OVER_SAMPLES_MISSING -> Fault.MEAN_OVER_SAMPLES_MISSING;
            case LOSS_GRADIENT_HALVED -> Fault.SCALED;
            case ENTRY_OFF_1E2, ENTRY_OFF_1E4, ENTRY_OFF_1E6, RANDOM_ENTRY_OFF_1E2, RANDOM_ENTRY_OFF_1E4,
                 RANDOM_ENTRY_OFF_1E6 -> Fault.ISOLATED_ENTRIES;
            case NONE -> throw new IllegalArgumentException("The true gradient has no fault to localise");
        };
    }

    /**
     * The (layer, fault) answers that are right for {@code gradient}: the expected answer of every catalogue
     * mutant with the same gradient, and — when the gradient is c times the true one for one constant c
     * (e.g. a missing φ' in a one-unit output layer with one sample) — SCALED at the last layer, or
     * MEAN_OVER_SAMPLES_MISSING there when c is the sample count.
     */
    static Set<String> acceptable(NetworkSpec spec, double[] gradient, double[] truth, Map<Mutant, double[]> all) {
        Set<String> right = all.entrySet().stream()
                .filter(e -> e.getKey().kind().scope() != Mutant.Scope.ENTRY && same(e.getValue(), gradient, SAME_GRADIENT))
                .map(e -> e.getKey().layer() + ":" + expectedFault(e.getKey().kind()))
                .collect(Collectors.toCollection(HashSet::new));
        double c = commonFactor(gradient, truth);
        int samples = spec.data().samples();
        if (!Double.isNaN(c)) {
            boolean mean = samples > 1 && Math.abs(c - samples) <= SAME_GRADIENT * samples;
            right.add(spec.layerCount() + ":" + (mean ? Fault.MEAN_OVER_SAMPLES_MISSING : Fault.SCALED));
        }
        return right;
    }

    /** c with gradient = c·truth entry by entry to {@value #SAME_GRADIENT} relative, or NaN if there is none. */
    static double commonFactor(double[] gradient, double[] truth) {
        int largest = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Math.abs(truth[i]) > Math.abs(truth[largest])) {
                largest = i;
            }
        }
        if (truth[largest] == 0) {
            return Double.NaN;
        }
        double c = gradient[largest] / truth[largest];
        double[] scaled = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            scaled[i] = c * truth[i];
        }
        return same(gradient, scaled, SAME_GRADIENT) ? c : Double.NaN;
    }

    private static String key(Localisation loc) {
        return loc.layer() + ":" + loc.fault();
    }

    private static Set<String> failing(VerificationReport report) {
        return report.failures().stream().map(c -> c.parameter()).collect(Collectors.toSet());
    }

    /** e.g. {@code SIGN_FLIPPED@2; failing: W2[0][0], W2[0][1]} (first six failures). */
    private static String said(NetworkSpec spec, VerificationReport report) {
        Optional<Localisation> loc = report.localisation();
        List<ParameterCheck> failures = report.failures();
        String names = failures.stream().limit(6).map(c -> c.parameter() + " " + c.verdict().label())
                .collect(Collectors.joining(", "));
        return loc.map(l -> l.fault() + "@" + l.layer()).orElse("no localisation")
                + "; " + failures.size() + " of " + spec.parameterCount() + " failing"
                + (failures.isEmpty() ? "" : ": " + names + (failures.size() > 6 ? ", …" : ""));
    }

    /** Entry by entry, |a − b| ≤ relative·max(|a|, |b|) (so equal zeros and bitwise-equal entries match). */
    static boolean same(double[] a, double[] b, double relative) {
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] == b[i] || Math.abs(a[i] - b[i]) <= relative * Math.max(Math.abs(a[i]), Math.abs(b[i])))) {
                return false;
            }
        }
        return true;
    }
}
