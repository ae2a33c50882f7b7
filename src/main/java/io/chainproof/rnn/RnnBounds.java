package io.chainproof.rnn;

import io.chainproof.bounds.GradientClipping;
import io.chainproof.bounds.MatrixNorms;
import io.chainproof.bounds.Regime;
import io.chainproof.model.Model;
import io.chainproof.model.Models;
import io.chainproof.model.Node;
import io.chainproof.model.Parameter;
import io.chainproof.numeric.ModelEvaluator;
import io.chainproof.ops.JacobianBound;
import io.chainproof.spec.RnnSpec;
import io.chainproof.symbolic.DerivativeBounds;
import io.chainproof.symbolic.SymbolicRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Pascanu's bound ‖∂h_t/∂h_k‖₂ ≤ (γ‖W_h‖₂)^{t−k} (Pascanu, Mikolov, Bengio 2013, eq. (7) and §3.1; proof in
 * {@code proofs/pascanu-rnn-condition.md}) evaluated for a spec, and sweeps over ‖W_h‖₂. γ comes from
 * {@link DerivativeBounds#of} and ‖W_h‖₂ as the recurrence's ops' own Jacobian bounds
 * ({@link io.chainproof.ops.Op#jacobianBound}); the Jacobians ∂h_T/∂h_k by reverse walks of the network's op graph
 * ({@link ModelEvaluator#jacobian}); spectral norms from {@link MatrixNorms}; clipping from
 * {@link GradientClipping#clipByGlobalNorm}.
 */
public final class RnnBounds {

    private RnnBounds() {
    }

    /**
     * The bound report without clipping.
     *
     * @param spec the RNN
     * @return the report for the spec's first sample
     */
    public static RnnBoundReport of(RnnSpec spec) {
        return of(spec, Double.POSITIVE_INFINITY);
    }

    /**
     * The bound report, with the gradient clipped by global norm.
     *
     * @param spec    the RNN
     * @param maxNorm the clipping threshold, positive (+∞ for none)
     * @return the report for the spec's first sample
     */
    public static RnnBoundReport of(RnnSpec spec, double maxNorm) {
        Model model = Models.rnn(spec);
        double[] theta = model.point();
        double[][] values = ModelEvaluator.values(model, theta);
        // one step of the recurrence is the product of its ops' certified Jacobian bounds: φ's γ times W_h's ‖W_h‖₂
        double gamma = bound(model, values, "h[1][1]").certified();
        double whNorm = bound(model, values, "Wh·h[1][1]").certified();
        int steps = spec.steps(0);
        int last = model.tensorIndex(state(steps));
        double dataFactor = 1;
        for (int t = 1; t <= steps; t++) {
            dataFactor *= bound(model, values, state(t)).here() * whNorm;
        }
        double gammaFactor = Math.pow(gamma * whNorm, steps);
        List<RnnBoundReport.LagBound> lags = new ArrayList<>();
        for (int k = steps; k >= 0; k--) {
            double actual = k == steps ? 1.0
                    : MatrixNorms.spectralNorm(ModelEvaluator.jacobian(model, theta, model.tensorIndex(state(k)), last));
            lags.add(new RnnBoundReport.LagBound(k, steps - k, actual, Math.pow(gamma * whNorm, steps - k)));
        }
        double[] g = ModelEvaluator.gradient(model, theta);
        Parameter wh = model.parameters().stream().filter(p -> p.name().equals("Wh")).findFirst().orElseThrow();
        double whSquares = 0;
        for (int i = wh.offset(); i < wh.offset() + wh.size(); i++) {
            whSquares += g[i] * g[i];
        }
        double norm = GradientClipping.globalNorm(g);
        double clipped = Double.isFinite(norm) ? GradientClipping.globalNorm(GradientClipping.clipByGlobalNorm(g, maxNorm))
                : maxNorm;
        return new RnnBoundReport(spec.name(), spec.activation(), gamma, whNorm, spectralRadius(spec.wh()), steps, lags,
                RnnBoundReport.Regime.of(gamma, whNorm), dataFactor, gammaFactor, Regime.classify(dataFactor, gammaFactor),
                Math.sqrt(whSquares), norm, maxNorm, clipped);
    }

    /** The Jacobian bounds, with respect to its signal input, of the op that writes {@code tensor}. */
    private static JacobianBound bound(Model model, double[][] values, String tensor) {
        int t = model.tensorIndex(tensor);
        Node node = model.nodes().stream().filter(n -> n.output() == t).findFirst().orElseThrow();
        List<double[]> inputs = new ArrayList<>();
        for (int i = 0; i < node.inputCount(); i++) {
            inputs.add(values[node.input(i)]);
        }
        return node.op().jacobianBound(0, inputs, values[t], SymbolicRules.instance()).orElseThrow();
    }

    /** The graph's tensor of the first sequence's state h_k ({@code h0}, shared by the sequences, for k = 0). */
    private static String state(int k) {
        return k == 0 ? "h0" : "h[1][" + k + "]";
    }

    /**
     * Rescales W_h to each spectral norm c (W_h·c/‖W_h‖₂, keeping its direction) and reports each.
     *
     * @param spec    the RNN; its W_h must not be zero
     * @param norms   the spectral norms c ≥ 0 to sweep
     * @param maxNorm the clipping threshold, positive (+∞ for none)
     * @return one report per norm, in the order given
     * @throws IllegalArgumentException if W_h is zero or a norm is negative or not finite
     */
    public static List<RnnBoundReport> sweep(RnnSpec spec, double[] norms, double maxNorm) {
        return rescaled(spec, MatrixNorms.spectralNorm(spec.wh()), norms, maxNorm, "W_h norm");
    }

    /**
     * Rescales W_h to each spectral radius r (W_h·r/ρ(W_h)) and reports each. For a non-normal W_h the radius
     * can be below 1/γ while ‖W_h‖₂ is above it: the Jacobians may then grow over short lags before they vanish.
     *
     * @param spec    the RNN; ρ(W_h) must not be zero (a nilpotent W_h cannot be rescaled to a radius)
     * @param radii   the spectral radii r ≥ 0 to sweep
     * @param maxNorm the clipping threshold, positive (+∞ for none)
     * @return one report per radius, in the order given
     * @throws IllegalArgumentException if ρ(W_h) is zero or a radius is negative or not finite
     */
    public static List<RnnBoundReport> sweepSpectralRadius(RnnSpec spec, double[] radii, double maxNorm) {
        return rescaled(spec, spectralRadius(spec.wh()), radii, maxNorm, "W_h spectral radius");
    }

    /**
     * @param matrix a square, non-empty matrix
     * @return ρ(A) = max |λ_i| over the (complex) eigenvalues, by Commons Math's eigendecomposition
     */
    public static double spectralRadius(double[][] matrix) {
        return MatrixNorms.spectralRadius(matrix);
    }

    private static List<RnnBoundReport> rescaled(RnnSpec spec, double current, double[] targets, double maxNorm,
                                                 String what) {
        if (!(current > 0)) {
            throw new IllegalArgumentException(what + " <" + current + "> must be positive to be rescaled");
        }
        double[][] wh = spec.wh();
        List<RnnBoundReport> reports = new ArrayList<>();
        for (double c : targets) {
            if (!(c >= 0) || !Double.isFinite(c)) {
                throw new IllegalArgumentException("Target " + what + " <" + c + "> must be finite and ≥ 0");
            }
            double[][] scaled = new double[wh.length][];
            for (int i = 0; i < wh.length; i++) {
                scaled[i] = new double[wh[i].length];
                for (int j = 0; j < wh[i].length; j++) {
                    scaled[i][j] = wh[i][j] * (c / current);
                }
            }
            reports.add(of(spec.withWh(scaled), maxNorm));
        }
        return reports;
    }
}
