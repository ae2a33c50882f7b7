package io.chainproof.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A user's plain Java function {@code f: ℝⁿ → ℝ} as a {@link LossFunction}, so that {@link GradientChecker} runs
 * through the same {@link GradientVerifier} as every model. Its arithmetic cannot be changed, so it serves only
 * finite differences; its kinks, unknown in advance, are found from one-sided differences
 * ({@link JacobianDifference}); it has no structure to localise a fault in. Every call of f gets a fresh copy of
 * the point, and f is called from the verifying thread only, one call at a time ({@link #threadSafe()}).
 */
final class PlainFunction implements LossFunction {

    private final ToDoubleFunction<double[]> f;
    private final double[] x;
    private final double[] claimed;
    private final List<String> names;

    /**
     * @param f       the function
     * @param x       the point; copied
     * @param claimed the gradient under test at x; copied
     * @param names   the coordinates' names
     */
    PlainFunction(ToDoubleFunction<double[]> f, double[] x, double[] claimed, List<String> names) {
        this.f = f;
        this.x = x.clone();
        this.claimed = claimed.clone();
        this.names = List.copyOf(names);
    }

    @Override
    public String name() {
        return "f";
    }

    @Override
    public String source() {
        return "a Java function";
    }

    /** The user's code may keep state (a reused buffer): it is never called from two threads at once. */
    @Override
    public boolean threadSafe() {
        return false;
    }

    @Override
    public String valueName() {
        return "f(x)";
    }

    @Override
    public boolean supports(Oracle oracle) {
        return oracle == Oracle.CENTRAL_DIFFERENCE || oracle == Oracle.DIRECTIONAL;
    }

    @Override
    public List<String> parameterNames() {
        return names;
    }

    @Override
    public double[] point() {
        return x.clone();
    }

    @Override
    public double loss(double[] theta) {
        return f.applyAsDouble(theta.clone());
    }

    /** @return the gradient under test: a plain function has no gradient of chainproof's own */
    @Override
    public double[] gradient(double[] theta) {
        return claimed.clone();
    }

    @Override
    public Map<String, Object> tensors(double[] flat) {
        return Map.of("x", flat.clone());
    }

    @Override
    public List<Block> tensorBlocks() {
        return List.of();
    }

    @Override
    public List<Block> directionBlocks() {
        return List.of(new Block("x", 0, x.length));
    }

    @Override
    public JacobianEstimate difference(double[] point, int index, double safety) {
        double[] fx = {f.applyAsDouble(point.clone())};
        return JacobianDifference.column(p -> new double[] {f.applyAsDouble(p)}, point, index, fx, safety).get(0);
    }

    @Override
    public ComplexStep.Result[] complexStep(double[] point) {
        throw unavailable(Oracle.COMPLEX_STEP);
    }

    @Override
    public ComplexStep.Result complexStep(double[] point, double[] direction) {
        throw unavailable(Oracle.COMPLEX_STEP);
    }

    @Override
    public ComplexStep.Result forwardAD(double[] point, int index) {
        throw unavailable(Oracle.FORWARD_AD);
    }

    private static IllegalStateException unavailable(Oracle oracle) {
        return new IllegalStateException("A plain Java function cannot be evaluated by " + oracle.description()
                + "; GradientVerifier asks supports() first");
    }

    @Override
    public Optional<String> kink(double[] point, int index, double step) {
        return Optional.empty();
    }

    @Override
    public Optional<Localisation> localise(double[] point, double[] claimed, List<Integer> failing) {
        return Optional.empty();
    }
}
