package io.chainproof.check.planted;

import io.chainproof.check.planted.Mutant.Kind;
import io.chainproof.check.planted.PlantedBugSuite.Outcome;
import io.chainproof.check.planted.PlantedBugSuite.Status;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The planted-bug results as fixed-width text: one row per fault (how many planted, equivalent, detected,
 * missed, localised right and wrong), the true gradient's false alarms, a per-family summary, and the
 * outcomes that broke a requirement, grouped by what broke, with example networks and what the verifier
 * said.
 *
 * <p>The suite cannot pass vacuously: a fault that cannot leave a nonzero gradient unchanged and yet is graded
 * equivalent breaks a requirement ({@link Mutant.Kind#canBeEquivalent}), and every family of networks needs at least
 * {@value #MIN_TESTED_PER_NETWORK} non-equivalent faults per network — ∂L/∂a_L halved, the six entry faults (each on
 * an entry that is not 0) and the weight gradient's sign flipped in at least one layer, none of which can equal a
 * nonzero true gradient.
 */
final class DetectionTable {

    /** Non-equivalent faults required per network of a family (derived above). */
    static final int MIN_TESTED_PER_NETWORK = 8;

    private static final int EXAMPLES = 3;
    private static final String ROW = "%-46s %7s %6s %7s %8s %6s %6s %6s %6s %6s%n";

    private final List<Outcome> outcomes;

    DetectionTable(List<Outcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    /** Outcomes that broke a requirement: false alarms, misses, wrong localisations. */
    List<Outcome> problems() {
        return outcomes.stream().filter(o -> !o.requirementMet()).toList();
    }

    /** Families with fewer non-equivalent faults than {@value #MIN_TESTED_PER_NETWORK} per network, said why. */
    List<String> shortfalls() {
        Set<String> families = new LinkedHashSet<>();
        outcomes.forEach(o -> families.add(o.network().family()));
        return families.stream().map(family -> {
            Predicate<Outcome> in = o -> o.network().family().equals(family);
            long networks = count(in.and(o -> o.mutant().is(Kind.NONE)));
            long tested = count(in.and(o -> !o.mutant().is(Kind.NONE) && o.status() != Status.EQUIVALENT));
            return tested >= MIN_TESTED_PER_NETWORK * networks ? null
                    : PlantedCoverage.shortfall("family <" + family + ">", tested, " on " + networks + " networks",
                    MIN_TESTED_PER_NETWORK * networks, " (" + MIN_TESTED_PER_NETWORK + " per network)");
        }).filter(java.util.Objects::nonNull).toList();
    }

    /** Whether every requirement held, and enough faults were planted for them to mean something. */
    boolean allMet() {
        return problems().isEmpty() && shortfalls().isEmpty();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        long networks = count(o -> o.mutant().is(Kind.NONE));
        out.append(String.format("Planted-bug suite: %d networks, %d claimed gradients verified%n%n", networks,
                count(o -> o.status() != Status.EQUIVALENT)));
        out.append(String.format(ROW, "fault", "planted", "equiv", "tested", "detected", "strict", "missed", "loc ok",
                "layer", "loc ✗"));
        out.append("-".repeat(114)).append('\n');
        for (Kind kind : Kind.values()) {
            if (kind == Kind.NONE) {
                continue;
            }
            List<Outcome> rows = outcomes.stream().filter(o -> o.mutant().is(kind)).toList();
            long detected = rows.stream().filter(DetectionTable::detected).count();
            long right = rows.stream().filter(o -> detected(o) && o.localised()).count();
            long layerOnly = rows.stream().filter(o -> detected(o) && o.layerOnly()).count();
            out.append(String.format(ROW, kind.description(), rows.size(),
                    rows.stream().filter(o -> o.status() == Status.EQUIVALENT).count(),
                    rows.stream().filter(o -> o.status() != Status.EQUIVALENT).count(), detected,
                    rows.stream().filter(o -> o.status() == Status.STRICT).count(),
                    rows.stream().filter(o -> o.status() == Status.MISSED).count(), right,
                    kind.scope() == Mutant.Scope.ENTRY ? "-" : layerOnly, detected - right - layerOnly));
        }
        out.append("-".repeat(114)).append('\n');
        out.append(String.format("%-46s %7d %6s %7d %8s %6s   false alarms: %d%n", "true gradient (must pass)", networks,
                "-", networks, "-", "-", count(o -> o.status() == Status.FALSE_ALARM)));
        out.append("\nequiv: gradient equal to the true one (≤ 1e-15 relative), not required to be detected.\n")
                .append("strict: of those detected, how many only by --strict: the default rule passed them, marking every\n")
                .append("        entry they change as one a correct float64 backward pass computes without relative accuracy.\n")
                .append("loc ok: localisation names the right (layer, fault) — global faults at the last layer — or one that\n")
                .append("        gives the same gradient; one-entry faults: the failure list is exactly the planted parameter.\n")
                .append("layer:  right layer, wrong fault (counts as wrong).   loc ✗: wrong layer or no localisation.\n\n");
        out.append(families());
        Map<String, List<Outcome>> groups = problems().stream().collect(Collectors.groupingBy(
                o -> problemLabel(o) + " " + o.mutant().kind() + " (" + o.network().family() + ")",
                LinkedHashMap::new, Collectors.toList()));
        List<String> shortfalls = shortfalls();
        if (!shortfalls.isEmpty()) {
            out.append(String.format("%nToo few faults planted (%d families):%n", shortfalls.size()));
            shortfalls.forEach(f -> out.append("  ").append(f).append('\n'));
        }
        if (!groups.isEmpty()) {
            out.append(String.format("%nRequirements broken (%d), grouped, with up to %d examples each:%n",
                    problems().size(), EXAMPLES));
        }
        groups.forEach((group, members) -> {
            out.append(String.format("  %s: %d%n", group, members.size()));
            members.stream().limit(EXAMPLES).forEach(o -> out.append(String.format("    %s %s [%s]%n      verifier: %s%n",
                    o.network().label(), o.mutant().is(Kind.NONE) ? "true gradient" : o.mutant().label(o.network().spec()),
                    o.network().describe(), o.said())));
        });
        return out.toString();
    }

    private String families() {
        Set<String> families = new LinkedHashSet<>();
        outcomes.forEach(o -> families.add(o.network().family()));
        String row = "%-10s %8s %7s %8s %6s %12s %12s%n";
        StringBuilder out = new StringBuilder(String.format(row, "family", "networks", "tested", "detected", "missed",
                "mislocalised", "false alarms"));
        for (String family : families) {
            Predicate<Outcome> in = o -> o.network().family().equals(family);
            out.append(String.format(row, family, count(in.and(o -> o.mutant().is(Kind.NONE))),
                    count(in.and(o -> !o.mutant().is(Kind.NONE) && o.status() != Status.EQUIVALENT)),
                    count(in.and(DetectionTable::detected)), count(in.and(o -> o.status() == Status.MISSED)),
                    count(in.and(o -> detected(o) && !o.localised())),
                    count(in.and(o -> o.status() == Status.FALSE_ALARM))));
        }
        return out.toString();
    }

    private static String problemLabel(Outcome o) {
        return switch (o.status()) {
            case FALSE_ALARM -> "FALSE ALARM";
            case MISSED -> "MISSED";
            case EQUIVALENT -> "PLANTS NOTHING";
            default -> "MISLOCALISED";
        };
    }

    private static boolean detected(Outcome o) {
        return o.status() == Status.DETECTED || o.status() == Status.STRICT;
    }

    private long count(Predicate<Outcome> which) {
        return outcomes.stream().filter(which).count();
    }
}
