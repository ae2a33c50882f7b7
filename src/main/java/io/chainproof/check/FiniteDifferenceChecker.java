package io.chainproof.check;

import io.chainproof.graph.ParameterId;
import io.chainproof.numeric.CompiledNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a claimed gradient against central finite differences of the compiled loss, one parameter at
 * a time, with {@link CentralDifference} error estimates and a {@link Tolerance}.
 */
public final class FiniteDifferenceChecker {

    private final Tolerance tolerance;

    public FiniteDifferenceChecker(Tolerance tolerance) {
        this.tolerance = tolerance;
    }

    /** A checker with {@link Tolerance#DEFAULT}. */
    public FiniteDifferenceChecker() {
        this(Tolerance.DEFAULT);
    }

    /** Checks chainproof's own compiled gradient at the spec's parameters. */
    public CheckReport check(CompiledNetwork network) {
        double[] point = network.graph().parameterValues();
        CompiledNetwork.Evaluation e = network.evaluate(point);
        return check(network, point, e.gradient());
    }

    /** Checks {@code claimed} (flat layout) as the gradient of {@code network}'s loss at {@code point}. */
    public CheckReport check(CompiledNetwork network, double[] point, double[] claimed) {
        List<ParameterId> ids = network.graph().parameters();
        if (claimed.length != ids.size() || point.length != ids.size()) {
            throw new IllegalArgumentException("Gradient of length <" + claimed.length + "> and point of length <"
                    + point.length + "> do not match the <" + ids.size() + "> parameters");
        }
        double[] p = point.clone();
        List<ParameterCheck> checks = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            final int index = i;
            final double original = point[i];
            Estimate fd = CentralDifference.derivative(theta -> {
                p[index] = theta;
                double loss = network.loss(p);
                p[index] = original;
                return loss;
            }, original);
            checks.add(new ParameterCheck(ids.get(i), claimed[i], fd, Verdict.judge(claimed[i], fd, tolerance)));
        }
        var spec = network.graph().spec();
        return new CheckReport(spec.name(), spec.source(), network.loss(point), checks);
    }
}
