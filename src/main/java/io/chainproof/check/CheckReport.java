package io.chainproof.check;

import java.util.List;

/**
 * Every parameter's check for one network, and the overall verdict: the network passes when every
 * parameter's verdict passes. Instances are immutable.
 *
 * @param network the spec's name
 * @param source  where the spec came from
 * @param loss    the loss at the spec's point
 * @param checks  one entry per parameter, in flat parameter order
 */
public record CheckReport(String network, String source, double loss, List<ParameterCheck> checks) {

    public CheckReport {
        checks = List.copyOf(checks);
    }

    /** Whether every parameter agrees. */
    public boolean passed() {
        return checks.stream().allMatch(c -> c.verdict().passed());
    }

    /** The checks that did not pass. */
    public List<ParameterCheck> failures() {
        return checks.stream().filter(c -> !c.verdict().passed()).toList();
    }
}
