package io.chainproof.rnn;

import io.chainproof.bounds.MatrixNorms;
import io.chainproof.ops.Activation;
import io.chainproof.spec.Loss;
import io.chainproof.spec.RnnSpec;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pascanu's bound ‖∂h_T/∂h_k‖₂ ≤ (γ‖W_h‖₂)^{T−k} on random recurrent networks, and the two regimes it
 * separates: ‖W_h‖₂ &lt; 1/γ makes the Jacobians vanish geometrically for every input, and growth is only
 * possible with ‖W_h‖₂ &gt; 1/γ — shown by W_h = s·Q (Q orthogonal, s &gt; 1) with pre-activations near 0, where
 * tanh is nearly linear and ‖∂h_T/∂h_k‖₂ ≈ s^{T−k}.
 */
class RnnBoundsProperties {

    /** Slack for rounding in products of a few dozen matrices (relative). */
    static final double ROUNDING_MARGIN = 1e-10;

    /** A random W_h with spectral norm exactly {@code norm}. */
    static double[][] scaledTo(double[][] w, double norm) {
        double current = MatrixNorms.spectralNorm(w);
        double[][] s = new double[w.length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                s[i][j] = w[i][j] * norm / current;
            }
        }
        return s;
    }

    static double[][] gaussian(Random r, int rows, int columns, double scale) {
        double[][] m = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                m[i][j] = scale * r.nextGaussian();
            }
        }
        return m;
    }

    /** A random orthogonal matrix: Q of the QR decomposition of a Gaussian matrix. */
    static double[][] orthogonal(Random r, int n) {
        RealMatrix q = new QRDecomposition(MatrixUtils.createRealMatrix(gaussian(r, n, n, 1))).getQ();
        return q.getData();
    }

    /** An RNN with one sample of T steps, mse at the last step, and the given W_h; inputs scaled by inputScale. */
    static RnnSpec rnn(long seed, Activation phi, int hidden, int steps, double[][] wh, double inputScale,
                       double biasScale) {
        Random r = new Random(seed);
        int inputs = 2;
        double[][] x = gaussian(r, steps, inputs, inputScale);
        return new RnnSpec("random", "<test>", inputs, hidden, phi, 1, Activation.IDENTITY, Loss.MSE,
                RnnSpec.LossAt.LAST, wh, gaussian(r, hidden, inputs, 1), gaussian(r, 1, hidden, biasScale)[0],
                gaussian(r, 1, hidden, 1), new double[] {0.1}, gaussian(r, 1, hidden, inputScale)[0],
                new double[][][] {x}, new double[][][] {{{1.0}}});
    }

    @Group
    class TheBound {

        @Property(tries = 200)
        @Tag("proof:pascanu-rnn-condition")
        void holds_for_every_lag_whatever_the_norm(@ForAll long seed, @ForAll("hidden") Activation phi,
                                                    @ForAll @IntRange(min = 1, max = 4) int hidden,
                                                    @ForAll @IntRange(min = 1, max = 12) int steps,
                                                    @ForAll @DoubleRange(min = 0.05, max = 12) double norm) {
            double[][] wh = scaledTo(gaussian(new Random(seed), hidden, hidden, 1), norm);
            RnnBoundReport report = RnnBounds.of(rnn(seed, phi, hidden, steps, wh, 1, 1));
            assertEquals(steps + 1, report.lags().size());
            for (RnnBoundReport.LagBound lag : report.lags()) {
                assertTrue(lag.actual() <= lag.bound() * (1 + ROUNDING_MARGIN),
                        "lag " + lag.lag() + ": ‖∂h_T/∂h_k‖₂ = " + lag.actual() + " > (γ‖W_h‖₂)^{T−k} = " + lag.bound());
            }
            assertTrue(report.boundHolds());
        }

        @Property(tries = 200)
        void the_steps_data_factor_bounds_the_whole_jacobian_and_is_within_the_gamma_factor(
                @ForAll long seed, @ForAll("hidden") Activation phi, @ForAll @IntRange(min = 1, max = 4) int hidden,
                @ForAll @IntRange(min = 1, max = 12) int steps, @ForAll @DoubleRange(min = 0.05, max = 12) double norm) {
            double[][] wh = scaledTo(gaussian(new Random(seed), hidden, hidden, 1), norm);
            RnnBoundReport report = RnnBounds.of(rnn(seed, phi, hidden, steps, wh, 1, 1));
            double whole = report.lags().get(report.lags().size() - 1).actual();
            assertTrue(whole <= report.dataFactor() * (1 + ROUNDING_MARGIN),
                    "‖∂h_T/∂h_0‖₂ = " + whole + " > ∏ m_t·‖W_h‖₂ = " + report.dataFactor());
            assertTrue(report.dataFactor() <= report.gammaFactor() * (1 + ROUNDING_MARGIN),
                    "data factor " + report.dataFactor() + " > γ factor " + report.gammaFactor());
            assertEquals(io.chainproof.bounds.Regime.classify(report.dataFactor(), report.gammaFactor()), report.chainRegime());
        }

        @Property(tries = 200)
        @Tag("proof:pascanu-rnn-condition")
        void growth_beyond_one_needs_the_norm_above_one_over_gamma(
                @ForAll long seed, @ForAll("hidden") Activation phi, @ForAll @IntRange(min = 1, max = 4) int hidden,
                @ForAll @IntRange(min = 2, max = 10) int steps, @ForAll @DoubleRange(min = 0.05, max = 12) double norm) {
            double[][] wh = scaledTo(gaussian(new Random(seed), hidden, hidden, 1), norm);
            RnnBoundReport report = RnnBounds.of(rnn(seed, phi, hidden, steps, wh, 0.01, 0.01));
            boolean grew = report.lags().stream().anyMatch(l -> l.lag() > 0 && l.actual() > 1 + ROUNDING_MARGIN);
            Statistics.label("grew").collect(grew);
            Statistics.label("grew").coverage(c -> c.check(true).percentage(p -> p > 10));
            if (grew) {
                assertTrue(report.whNorm() > 1 / report.gamma(), "grew with ‖W_h‖₂ = " + report.whNorm()
                        + " ≤ 1/γ = " + 1 / report.gamma());
                assertEquals(RnnBoundReport.Regime.EXPLODING_POSSIBLE, report.regime());
            }
        }

        @net.jqwik.api.Provide
        net.jqwik.api.Arbitrary<Activation> hidden() {
            return net.jqwik.api.Arbitraries.of(Activation.TANH, Activation.SIGMOID, Activation.RELU);
        }
    }

    @Group
    class Vanishing {

        @Property(tries = 100)
        @Tag("proof:pascanu-rnn-condition")
        void a_tanh_rnn_with_norm_below_one_vanishes_geometrically(
                @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int hidden,
                @ForAll @DoubleRange(min = 0.1, max = 0.95) double norm) {
            int steps = 25;
            double[][] wh = scaledTo(gaussian(new Random(seed), hidden, hidden, 1), norm);
            RnnBoundReport report = RnnBounds.of(rnn(seed, Activation.TANH, hidden, steps, wh, 1, 1));
            assertEquals(RnnBoundReport.Regime.VANISHING, report.regime());
            List<RnnBoundReport.LagBound> lags = report.lags();
            for (int lag = 1; lag < lags.size(); lag++) {
                double previous = lags.get(lag - 1).actual();
                double current = lags.get(lag).actual();
                assertTrue(current <= previous * norm * (1 + ROUNDING_MARGIN),
                        "lag " + lag + ": " + current + " > " + norm + " · " + previous + " (no geometric decay)");
            }
            assertTrue(lags.get(steps).actual() <= Math.pow(norm, steps) * (1 + ROUNDING_MARGIN));
        }

        @Property(tries = 100)
        void a_sigmoid_rnn_with_norm_below_four_vanishes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int hidden,
                                                         @ForAll @DoubleRange(min = 0.5, max = 3.9) double norm) {
            int steps = 30;
            double[][] wh = scaledTo(gaussian(new Random(seed), hidden, hidden, 1), norm);
            RnnBoundReport report = RnnBounds.of(rnn(seed, Activation.SIGMOID, hidden, steps, wh, 1, 1));
            assertEquals(RnnBoundReport.Regime.VANISHING, report.regime());
            assertTrue(report.lags().get(steps).actual() <= Math.pow(norm / 4, steps) * (1 + ROUNDING_MARGIN));
        }
    }

    @Group
    class Exploding {

        @Property(tries = 100)
        @Tag("proof:pascanu-rnn-condition")
        void a_scaled_orthogonal_recurrence_in_the_linear_regime_grows_like_s_to_the_lag(
                @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int hidden,
                @ForAll @DoubleRange(min = 1.2, max = 2.5) double s) {
            int steps = 8;
            double[][] q = orthogonal(new Random(seed), hidden);
            double[][] wh = scaledTo(q, s);
            // inputs, bias and h0 of order 1e-9 keep every pre-activation near 0, where tanh' ≈ 1
            RnnBoundReport report = RnnBounds.of(rnn(seed, Activation.TANH, hidden, steps, wh, 1e-9, 1e-9));
            assertEquals(RnnBoundReport.Regime.EXPLODING_POSSIBLE, report.regime());
            for (RnnBoundReport.LagBound lag : report.lags()) {
                assertTrue(lag.actual() >= 0.999 * Math.pow(s, lag.lag()),
                        "lag " + lag.lag() + ": " + lag.actual() + " < 0.999 · s^lag = " + 0.999 * Math.pow(s, lag.lag()));
            }
            assertTrue(report.lags().get(steps).actual() > Math.pow(1.2, steps) * 0.999);
        }

        @Property(tries = 50)
        void clipping_caps_the_gradient_norm_and_keeps_smaller_ones(
                @ForAll long seed, @ForAll @DoubleRange(min = 1.2, max = 2.5) double s,
                @ForAll @DoubleRange(min = 0.01, max = 10) double maxNorm) {
            double[][] wh = scaledTo(orthogonal(new Random(seed), 3), s);
            RnnBoundReport report = RnnBounds.of(rnn(seed, Activation.TANH, 3, 8, wh, 1e-3, 1e-3), maxNorm);
            assertEquals(Math.min(report.gradientNorm(), maxNorm), report.clippedNorm(),
                    1e-12 * Math.max(1, report.gradientNorm()));
            assertTrue(report.gradientWhFrobenius() <= report.gradientNorm() * (1 + ROUNDING_MARGIN));
        }
    }

    @Group
    class Sweeps {

        @Example
        void sweeping_the_norm_across_one_over_gamma_switches_the_regime_and_raises_the_bound() {
            RnnSpec spec = rnn(7, Activation.TANH, 3, 10, orthogonal(new Random(7), 3), 1e-6, 1e-6);
            List<RnnBoundReport> reports = RnnBounds.sweep(spec, new double[] {0.5, 1.0, 2.0}, 1.0);
            assertEquals(List.of(RnnBoundReport.Regime.VANISHING, RnnBoundReport.Regime.BOUNDED,
                    RnnBoundReport.Regime.EXPLODING_POSSIBLE), reports.stream().map(RnnBoundReport::regime).toList());
            assertEquals(0.5, reports.get(0).whNorm(), 1e-12);
            double farthest0 = reports.get(0).lags().get(10).actual();
            double farthest2 = reports.get(2).lags().get(10).actual();
            assertTrue(farthest0 < 1e-3, "‖∂h_10/∂h_0‖₂ at ‖W_h‖₂ = 0.5: " + farthest0);
            assertTrue(farthest2 > 1e2, "‖∂h_10/∂h_0‖₂ at ‖W_h‖₂ = 2: " + farthest2);
            assertTrue(reports.get(2).clippedNorm() <= 1.0 + 1e-12);
        }

        @Example
        void a_non_normal_recurrence_with_small_radius_can_grow_before_it_vanishes() {
            double[][] wh = {{0.5, 3.0}, {0.0, 0.5}};
            RnnSpec spec = rnn(3, Activation.TANH, 2, 30, wh, 1e-9, 1e-9);
            RnnBoundReport r = RnnBounds.sweepSpectralRadius(spec, new double[] {0.5}, Double.POSITIVE_INFINITY).get(0);
            assertEquals(0.5, r.whRadius(), 1e-12);
            assertTrue(r.whNorm() > 1, "‖W_h‖₂ = " + r.whNorm());
            assertEquals(RnnBoundReport.Regime.EXPLODING_POSSIBLE, r.regime());
            assertTrue(r.lags().get(2).actual() > 1, "‖∂h_T/∂h_{T−2}‖₂ = " + r.lags().get(2).actual());
            assertTrue(r.lags().get(30).actual() < 1e-6, "‖∂h_T/∂h_0‖₂ = " + r.lags().get(30).actual());
            assertTrue(r.boundHolds());
        }
    }
}
