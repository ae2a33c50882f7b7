package io.chainproof.check;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Checks the gradient (or Jacobian) of any function a library author hands over — no spec needed — and
 * returns the same kind of report as for specs: per coordinate the claimed value, the central-difference
 * estimate with its error, and a sealed {@link Verdict}.
 *
 * <pre>{@code
 * FunctionCheckReport r = GradientChecker.check(f, grad, x);
 * FunctionCheckReport j = GradientChecker.withTolerance(t).withNames(List.of("r", "theta"))
 *         .checkJacobian(toCartesian, jacobian, new double[] {2, 0.7});
 * assertTrue(r.passed(), r.text());
 * }</pre>
 *
 * <p>For each coordinate j the oracle is the Richardson central difference D_j of
 * {@link CentralDifference} (error O(h⁴), with GSL's truncation + rounding estimate e_j), and the claim
 * g_j is judged by the {@link Tolerance} rule
 * <pre>
 *   |g_j − D_j| ≤ safety · e_j + relative · max(|g_j|, |D_j|) + absolute.
 * </pre>
 * At a kink (|x| at 0, relu at 0) the one-sided derivatives D₊ ≠ D₋ are detected from the same samples
 * and a claim between them is {@link Verdict.NotDifferentiableHere}, never a false failure; NaN or
 * infinite claims, f(x) or estimates are {@link Verdict.NonFinite} and never pass. A Jacobian
 * f: ℝⁿ → ℝᵐ costs 1 + 4n evaluations of f, at most 1 + 12n: each perturbation of x_j yields the whole
 * column ∂f/∂x_j.
 *
 * <table>
 *   <caption>Planted errors in ∂f/∂x₁ of Rosenbrock f = Σ 100(x_{k+1} − x_k²)² + (1 − x_k)² at
 *   x = (−1.2, 1, 0.8, 1.5), where ∂f/∂x₁ = −8 and D₁ = −8.0000000022 ± 4.0e−8, under the default
 *   tolerance (relative 1e−8, safety 10)</caption>
 *   <tr><th>claim</th><th>|claim − D₁|</th><th>allowed</th><th>verdict</th></tr>
 *   <tr><td>correct</td><td>2.2e−9</td><td>4.8e−7</td><td>ok</td></tr>
 *   <tr><td>× (1 + 1e−4)</td><td>8.0e−4</td><td>4.8e−7</td><td>WRONG</td></tr>
 *   <tr><td>× (1 + 1e−6)</td><td>8.0e−6</td><td>4.8e−7</td><td>WRONG</td></tr>
 *   <tr><td>× (1 + 1e−8)</td><td>7.8e−8</td><td>4.8e−7</td><td>ok (below what differences resolve)</td></tr>
 * </table>
 *
 * <p>This class is the entry point; {@link #withTolerance} and {@link #withNames} return an immutable
 * {@link FunctionChecker} whose {@code check} and {@code checkJacobian} take the same arguments.
 */
public final class GradientChecker {

    private GradientChecker() {
    }

    /**
     * Checks {@code gradient} as ∇f at {@code x} under {@link Tolerance#DEFAULT}, coordinates named
     * {@code x[0]}, {@code x[1]}, …
     *
     * @param f        the scalar function; called with fresh copies of points near x
     * @param gradient the gradient under test; must return an array as long as x
     * @param x        the point; finite, at least one coordinate; not modified
     * @return one check per coordinate, with the overall verdict
     * @throws IllegalArgumentException on bad input, with a message naming the input and its value
     */
    public static FunctionCheckReport check(ToDoubleFunction<double[]> f, Function<double[], double[]> gradient,
                                            double[] x) {
        return FunctionChecker.DEFAULT.check(f, gradient, x);
    }

    /**
     * Checks {@code jacobian} as ∂f/∂x at {@code x} under {@link Tolerance#DEFAULT}, entries named
     * {@code J[i][j]} (output i, input j).
     *
     * @param f        the vector function ℝⁿ → ℝᵐ; called with fresh copies of points near x
     * @param jacobian the Jacobian under test; must return m rows of length n
     * @param x        the point; finite, at least one coordinate; not modified
     * @return one check per entry J[i][j], row by row, with the overall verdict
     * @throws IllegalArgumentException on bad input, with a message naming the input and its value
     */
    public static FunctionCheckReport checkJacobian(Function<double[], double[]> f,
                                                    Function<double[], double[][]> jacobian, double[] x) {
        return FunctionChecker.DEFAULT.checkJacobian(f, jacobian, x);
    }

    /**
     * A checker that holds claims to {@code tolerance}.
     *
     * @param tolerance the tolerance claims are held to
     * @return a checker with default names
     */
    public static FunctionChecker withTolerance(Tolerance tolerance) {
        return FunctionChecker.DEFAULT.withTolerance(tolerance);
    }

    /**
     * A checker that calls the coordinates {@code names} in reports (e.g. {@code w3}, {@code theta}).
     *
     * @param names one name per coordinate, distinct and non-null
     * @return a checker under {@link Tolerance#DEFAULT}
     */
    public static FunctionChecker withNames(List<String> names) {
        return FunctionChecker.DEFAULT.withNames(names);
    }
    /**
     * Checks a claimed Hessian-vector product {@code H·v} of a spec's loss at its point — what a double backward
     * (PyTorch's {@code autograd.grad(g·v, θ)}, JAX's {@code jvp} of {@code grad}) returns — against the complex step
     * through the reverse walk ({@link HessianVectorVerifier}).
     *
     * @param spec    the model, its parameters and data
     * @param vector  v, flat in the model's parameter layout
     * @param claimed the claimed {@code H·v}, flat in that layout
     * @return one check per entry
     * @throws IllegalArgumentException if a length does not fit the model
     */
    public static VerificationReport checkHessianVector(io.chainproof.spec.Spec spec, double[] vector, double[] claimed) {
        return new HessianVectorVerifier().verify(io.chainproof.model.Models.of(spec), vector, claimed);
    }
}
