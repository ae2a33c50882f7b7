package io.chainproof.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every parameter's verdict for one network, the overall verdict (the network passes when every
 * parameter passes) and, when it does not, where the fault most likely is. Instances are immutable.
 *
 * @param network      the spec's name
 * @param source       where the spec came from
 * @param loss         the loss at the spec's point
 * @param checks       one entry per checked parameter, in flat parameter order
 * @param localisation the likely culprit when some check failed
 * @param directional  fast mode's random-direction checks per layer (empty for an exhaustive check); a
 *                     layer failing them is then checked exhaustively, and those parameters are in
 *                     {@code checks}
 * @param rule         the rule the entries were judged by
 */
public record VerificationReport(String network, String source, double loss, List<ParameterCheck> checks,
                                 Optional<Localisation> localisation, List<DirectionalCheck> directional,
                                 AgreementRule rule) {

    /**
     * Validates the components.
     *
     * @param network the spec's name
     * @param source where the spec came from
     * @param loss the loss at the spec's point
     * @param checks one entry per checked parameter, in flat parameter order
     * @param localisation the likely culprit when some check failed
     * @param directional fast mode's random-direction checks per layer (empty for an exhaustive check); a layer
     *     failing them is then checked exhaustively, and those parameters are in {@code checks}
     * @param rule the rule the entries were judged by
     */
    public VerificationReport {
        // a table of checks is immutable already, and a copy of a million checks would hold them all as objects
        checks = checks instanceof CheckTable ? checks : List.copyOf(checks);
        Objects.requireNonNull(localisation, "localisation");
        directional = List.copyOf(directional);
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * A report judged by the blanket rule under {@link Tolerance#DEFAULT}.
     *
     * @param network the spec's name
     * @param source where the spec came from
     * @param loss the loss at the spec's point
     * @param checks one entry per checked parameter, in flat parameter order
     * @param localisation the likely culprit when some check failed
     * @param directional fast mode's random-direction checks
     */
    public VerificationReport(String network, String source, double loss, List<ParameterCheck> checks,
                              Optional<Localisation> localisation, List<DirectionalCheck> directional) {
        this(network, source, loss, checks, localisation, directional, AgreementRule.blanket(Tolerance.DEFAULT));
    }

    /**
     * An exhaustive report (no directional checks).
     *
     * @param network the spec's name
     * @param source where the spec came from
     * @param loss the loss at the spec's point
     * @param checks one entry per checked parameter, in flat parameter order
     * @param localisation the likely culprit when some check failed
     */
    public VerificationReport(String network, String source, double loss, List<ParameterCheck> checks,
                              Optional<Localisation> localisation) {
        this(network, source, loss, checks, localisation, List.of());
    }

    /**
     * Whether this was a fast (random-direction) check rather than an exhaustive one.
     *
     * @return true if {@code directional} is not empty
     */
    public boolean fast() {
        return !directional.isEmpty();
    }

    /**
     * Whether every parameter passes.
     *
     * @return true if no check failed
     */
    public boolean passed() {
        if (checks instanceof CheckTable table) {
            return table.failures() == 0;
        }
        return checks.stream().allMatch(c -> c.verdict().passed());
    }

    /**
     * The checks that did not pass.
     *
     * @return the failed checks; empty when the report passed
     */
    public List<ParameterCheck> failures() {
        if (checks instanceof CheckTable table && table.failures() == 0) {
            return List.of();
        }
        return checks.stream().filter(c -> !c.verdict().passed()).toList();
    }

    /**
     * The checks at kinks (passed, but with no derivative to compare).
     *
     * @return the checks at kinks; possibly empty
     */
    public List<ParameterCheck> kinks() {
        return checks.stream().filter(c -> c.verdict() instanceof Verdict.NotDifferentiableHere).toList();
    }
}
