package io.chainproof.check;

import io.chainproof.check.CentralDifference.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One column ∂f/∂x_j of the Jacobian of a vector function f: ℝⁿ → ℝᵐ by {@link CentralDifference}'s
 * scheme applied to all m outputs at once: perturbing x_j and differencing the output vectors gives the
 * whole column, so a Jacobian costs 4 evaluations of f per input (8 when the step is re-chosen,
 * 2 more per step at a suspected kink), never per entry.
 *
 * <p><b>Central difference.</b> For each output i, with {@code r₃ = (f_i(x+h) − f_i(x−h))/2h} and
 * {@code r₅ = (4·(f_i(x+h/2) − f_i(x−h/2))/h − r₃)/3} (error O(h⁴)), the estimate and its truncation +
 * rounding error are exactly those of {@link CentralDifference#derivative} (GSL {@code deriv_central}).
 * The step starts at {@code h = ε^{1/3}·max(1, |x_j|)}, made exactly representable; when some outputs'
 * rounding and truncation errors are unbalanced, the column is sampled once more at the step that
 * balances them for the output with the largest error, and each output keeps whichever of the two steps
 * gives it the smaller, consistent error. With m = 1 this is {@link CentralDifference#derivative} bit for
 * bit.
 *
 * <p><b>Kinks.</b> The same samples and f(x) give the one-sided differences
 * {@code d₊(h) = (f(x+h) − f(x))/h}, {@code d₋(h) = (f(x) − f(x−h))/h}, extrapolated to
 * {@code D₊ = 2·d₊(h/2) − d₊(h)} and {@code D₋ = 2·d₋(h/2) − d₋(h)} (O(h²) from f'(x±)). Their gap
 * {@code K(h) = D₊ − D₋} is the derivative jump Δ at a kink — for any piecewise-quadratic f, however
 * curved — but {@code −h³f⁗/16 + O(h⁵)} for smooth f. Five samples always fit a quartic, so they cannot
 * tell the two apart alone; an entry is therefore <i>suspect</i> when
 * <pre>
 *   |K(h)| &gt; safety · 20εM/h   and   min(D₊, D₋) − s ≤ central ≤ max(D₊, D₋) + s
 * </pre>
 * (M the largest |f| sampled, 20εM/h the rounding of K, s = safety · the central error estimate), and a
 * suspect is a <i>kink</i> when two more samples, f(x ± h/4), give a gap that does not shrink with the
 * step: {@code |K(h/2) − K(h)| ≤ |K(h)|/2} (a smooth gap shrinks 8-fold).
 *
 * <table>
 *   <caption>Measured at x = 0 with the default safety 10</caption>
 *   <tr><th>f</th><th>D₊</th><th>D₋</th><th>K(h)</th><th>K(h/2)</th><th>decided</th></tr>
 *   <tr><td>|x|</td><td>1.0</td><td>−1.0</td><td>2.0</td><td>2.0</td><td>kink</td></tr>
 *   <tr><td>max(0, x)</td><td>1.0</td><td>0.0</td><td>1.0</td><td>1.0</td><td>kink</td></tr>
 *   <tr><td>|x| + 10⁶x²</td><td>1.0</td><td>−1.0</td><td>2.0</td><td>2.0</td><td>kink (curvature does not hide it)</td></tr>
 *   <tr><td>10⁻⁸·|x|</td><td>1e−8</td><td>−1e−8</td><td>2e−8</td><td>2e−8</td><td>kink (scale does not hide it)</td></tr>
 *   <tr><td>|x − 10⁻⁷|</td><td>0.90</td><td>−1.0</td><td>1.9</td><td>1.8</td><td>kink inside the stencil (central
 *       −0.039 ± 0.022 would have failed the true −1)</td></tr>
 *   <tr><td>x⁴</td><td>−1.7e−16</td><td>1.7e−16</td><td>−3.3e−16</td><td>−4.2e−17</td><td>smooth: the gap shrinks 8-fold</td></tr>
 *   <tr><td>e^{40x}</td><td>40</td><td>40</td><td>2.8e−10</td><td>—</td><td>smooth: gap below the rounding bound 1.1e−7</td></tr>
 *   <tr><td>1 + 10⁻⁹·|x|</td><td>1.1e−9</td><td>−1.1e−9</td><td>2.1e−9</td><td>—</td><td>unresolved: gap below the
 *       rounding bound 7.3e−9</td></tr>
 * </table>
 */
final class JacobianDifference {

    private static final double EPS = Math.ulp(1.0);

    private JacobianDifference() {
    }

    /**
     * The estimates of ∂f_i/∂x_j for every output i.
     *
     * @param f      the function; must return vectors of length {@code fx.length} that it does not keep
     *               or change afterwards, and is given a fresh copy of the point at every call
     * @param x      the point (not modified)
     * @param j      the input to perturb
     * @param fx     f(x)
     * @param safety the multiple of rounding bounds a kink's gap must exceed
     */
    static List<JacobianEstimate> column(Function<double[], double[]> f, double[] x, int j, double[] fx, double safety) {
        double xj = x[j];
        double h = representable(xj, Math.cbrt(EPS) * Math.max(1.0, Math.abs(xj)));
        Stencil first = Stencil.sample(f, x, j, h);
        double retryStep = 0;
        double worst = -1;
        for (int i = 0; i < fx.length; i++) {
            Rule r = first.rule(i, xj);
            if (r.round() < r.trunc() && r.round() > 0 && r.trunc() > 0 && r.error() > worst) {
                worst = r.error();
                retryStep = representable(xj, h * Math.pow(r.round() / (2.0 * r.trunc()), 1.0 / 3.0));
            }
        }
        Stencil second = retryStep > 0 ? Stencil.sample(f, x, j, retryStep) : null;
        List<JacobianEstimate> column = new ArrayList<>(fx.length);
        for (int i = 0; i < fx.length; i++) {
            Rule a = first.rule(i, xj);
            Stencil used = first;
            Rule chosen = a;
            if (second != null) {
                Rule b = second.rule(i, xj);
                if (b.error() < a.error() && Math.abs(b.value() - a.value()) < 4.0 * a.error()) {
                    used = second;
                    chosen = b;
                }
            }
            column.add(used.estimate(i, chosen, fx[i], f, x, j, safety));
        }
        return column;
    }

    /** The nearest step to {@code h} such that {@code x + h} and {@code x − h} are exact. */
    private static double representable(double x, double h) {
        double up = (x + h) - x;
        return up > 0 ? up : h;
    }

    private static double[] at(Function<double[], double[]> f, double[] x, int j, double xj) {
        double[] p = x.clone();
        p[j] = xj;
        return f.apply(p);
    }

    /** f at x − h, x + h, x − h/2, x + h/2 along coordinate j; f at x ± h/4 once a kink is suspected. */
    private static final class Stencil {
        private final double h;
        private final double[] minus;
        private final double[] plus;
        private final double[] minusHalf;
        private final double[] plusHalf;
        private double[] minusQuarter;
        private double[] plusQuarter;

        private Stencil(double h, double[] minus, double[] plus, double[] minusHalf, double[] plusHalf) {
            this.h = h;
            this.minus = minus;
            this.plus = plus;
            this.minusHalf = minusHalf;
            this.plusHalf = plusHalf;
        }

        static Stencil sample(Function<double[], double[]> f, double[] x, int j, double h) {
            return new Stencil(h, at(f, x, j, x[j] - h), at(f, x, j, x[j] + h),
                    at(f, x, j, x[j] - h / 2), at(f, x, j, x[j] + h / 2));
        }

        /** {@link CentralDifference}'s rule for output i, in the same floating-point order. */
        Rule rule(int i, double x) {
            return CentralDifference.rule(minus[i], plus[i], minusHalf[i], plusHalf[i], x, h);
        }

        JacobianEstimate estimate(int i, Rule rule, double f0, Function<double[], double[]> f, double[] x, int j,
                                  double safety) {
            double forward = 2.0 * ((plusHalf[i] - f0) / (h / 2)) - (plus[i] - f0) / h;
            double backward = 2.0 * ((f0 - minusHalf[i]) / (h / 2)) - (f0 - minus[i]) / h;
            double largest = Math.max(Math.abs(f0), Math.max(Math.max(Math.abs(plus[i]), Math.abs(minus[i])),
                    Math.max(Math.abs(plusHalf[i]), Math.abs(minusHalf[i]))));
            double sidedError = 10.0 * EPS * largest / h;
            double gap = forward - backward;
            double slack = safety * (Double.isFinite(rule.error()) ? rule.error() : 0.0);
            boolean suspect = Math.abs(gap) > safety * 2.0 * sidedError
                    && rule.value() >= Math.min(forward, backward) - slack
                    && rule.value() <= Math.max(forward, backward) + slack;
            boolean kink = suspect && Math.abs(halfStepGap(i, f0, f, x, j) - gap) <= Math.abs(gap) / 2;
            return new JacobianEstimate(new Estimate(rule.value(), rule.error(), h), forward, backward, sidedError, kink);
        }

        /** K(h/2) = 2·J(h/4) − J(h/2), with J(t) = (f(x+t) − 2f(x) + f(x−t))/t; samples x ± h/4 once. */
        private double halfStepGap(int i, double f0, Function<double[], double[]> f, double[] x, int j) {
            if (plusQuarter == null) {
                minusQuarter = at(f, x, j, x[j] - h / 4);
                plusQuarter = at(f, x, j, x[j] + h / 4);
            }
            double quarter = (plusQuarter[i] - f0) / (h / 4) - (f0 - minusQuarter[i]) / (h / 4);
            double half = (plusHalf[i] - f0) / (h / 2) - (f0 - minusHalf[i]) / (h / 2);
            return 2.0 * quarter - half;
        }
    }
}
