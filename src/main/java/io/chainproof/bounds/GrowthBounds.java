package io.chainproof.bounds;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.ops.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.DerivativeBounds;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certified bounds on every layer's weight gradient of a spec, at its parameters and data.
 *
 * <p>For one sample with loss ℓ, backpropagation gives {@code ∂ℓ/∂W_l = δ_l·a_{l−1}ᵀ} with
 * {@code δ_L = J_Lᵀ·∇_{a_L}ℓ} and {@code δ_l = diag(φ_l'(z_l))·W_{l+1}ᵀ·δ_{l+1}}, so (Frobenius norm of a rank-one
 * matrix, submultiplicativity of the spectral norm):
 * <pre>
 *   ‖∂ℓ/∂W_l‖_F = ‖δ_l‖₂·‖a_{l−1}‖₂ ≤ ‖∇_{a_L}ℓ‖₂ · ‖a_{l−1}‖₂ · ∏_{k=l}^{L} γ_k · ∏_{k=l+1}^{L} ‖W_k‖₂
 * </pre>
 * with {@code γ_k = sup|φ_k'|} and {@code ‖W_k‖₂} the ops' own certified Jacobian bounds
 * ({@link io.chainproof.ops.Op#jacobianBound}; γ from {@link DerivativeBounds}: sigmoid 1/4, tanh 1, relu 1, silu ≈ 1.0998,
 * gelu ≈ 1.1289). A softmax last layer has no γ; its Jacobian {@code diag(o) − ooᵀ} has spectral norm ≤ 1/2
 * (it is symmetric, so by Gershgorin its spectral norm is at most the largest absolute row sum
 * {@code o_i(1 − o_i) + o_i·Σ_{j≠i} o_j = 2·o_i(1 − o_i) ≤ 1/2}), so γ = 1/2 is used there. The loss of a
 * spec is the mean over samples, so by the triangle inequality {@code ‖∂L/∂W_l‖_F ≤ (1/N)·Σ_s ‖∂ℓ_s/∂W_l‖_F}:
 * each bound reported is the mean of the per-sample bounds. A canonical output/loss pair (softmax with
 * cross-entropy, sigmoid with bce) starts from the exact output error {@code ‖∇_{z_L}ℓ‖₂ = ‖o·Σy − y‖₂}
 * ({@code ‖o − y‖₂}, times the loss's 1/m) instead of {@code ‖∇_{a_L}ℓ‖₂·γ_L}, which is never smaller and is
 * infinite once an output rounds to 0; γ_L is then 1. The <em>data</em> bound replaces γ_k by
 * {@code m_k = max_j |φ_k'(z_{k,j})|} of the sample (the spectral norm of the softmax Jacobian), which is
 * never larger; for the sigmoid {@code σ'(z) ≤ min(1/4, e^{−|z|})}, so a saturated layer makes it tiny.
 * Regimes follow the rule of {@link Regime} (Pascanu, Mikolov, Bengio 2013, "On the difficulty of training
 * recurrent neural networks", §3.1).
 */
public final class GrowthBounds {

    /** The norms used. */
    public static final String NORM = "spectral norm ‖W‖₂, Frobenius norm of the gradient";

    private GrowthBounds() {
    }

    /**
     * @param spec a network with its parameters and data
     * @return the bounds of every layer, and the scalar-chain bound when every width is 1
     */
    public static BoundReport of(NetworkSpec spec) {
        return of(spec, NetworkCompiler.compile(ComputationGraph.of(spec)));
    }

    /**
     * The bounds of {@code spec} with its gradient evaluated by {@code network}, a compilation of the same
     * architecture (its data and parameters may differ: those of {@code spec} are used) — so that a sweep
     * over many parameter values compiles once.
     */
    static BoundReport of(NetworkSpec spec, CompiledNetwork network) {
        ComputationGraph graph = ComputationGraph.of(spec);
        double[] gradient = network.evaluate(graph.parameterValues()).gradient();
        int layers = spec.layerCount();
        double[][] x = spec.data().x();
        double[][] y = spec.data().y();
        // γ_l and ‖W_l‖₂ are certified for every input: any sample's pass gives them
        ForwardPass first = ForwardPass.of(spec, x[0], y[0]);
        double[] gamma = new double[layers + 1];
        double[] norm = new double[layers + 1];
        List<String> notes = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            Activation act = spec.layers().get(l - 1).activation();
            gamma[l] = first.gamma(l);
            norm[l] = first.weightNorm(l);
            if (l == layers && first.fusedOutput()) {
                notes.add("layer " + l + " " + act.specName() + " with " + spec.loss().specName() + ": the output error "
                        + "‖∇_z ℓ‖₂ (" + (act == Activation.SOFTMAX ? "o·Σy − y" : "o − y") + ", exact) replaces "
                        + "‖∇_a ℓ‖₂·γ_" + l + ", so γ_" + l + " = 1 in the products");
            } else if (act == Activation.SOFTMAX) {
                notes.add("layer " + l + " softmax: γ = 1/2 bounds the Jacobian's spectral norm ‖diag(o) − ooᵀ‖₂");
            }
        }
        int samples = x.length;
        double[] gammaBound = new double[layers + 1];
        double[] dataBound = new double[layers + 1];
        double[] dataFactor = new double[layers + 1];
        boolean zero = true;
        for (int s = 0; s < samples; s++) {
            ForwardPass pass = s == 0 ? first : ForwardPass.of(spec, x[s], y[s]);
            double gammaProduct = 1;
            double dataProduct = 1;
            for (int l = layers; l >= 1; l--) {
                gammaProduct = upper(gammaProduct, gamma[l]);
                dataProduct = upper(dataProduct, pass.localDerivative(l));
                double outer = upper(pass.outputGradientNorm(), pass.activationNorm(l - 1));
                gammaBound[l] += upper(outer, gammaProduct) / samples;
                dataBound[l] += upper(outer, dataProduct) / samples;
                dataFactor[l] += dataProduct / samples;
                gammaProduct = upper(gammaProduct, norm[l]);
                dataProduct = upper(dataProduct, norm[l]);
                for (double v : pass.preActivation(l)) {
                    zero &= v == 0;
                }
            }
        }
        List<LayerBound> bounds = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            double gammaFactor = gamma[l];
            boolean allBelow = true;
            boolean someAbove = false;
            for (int k = l + 1; k <= layers; k++) {
                gammaFactor = upper(gammaFactor, upper(gamma[k], norm[k]));
                allBelow &= norm[k] < 1 / gamma[k];
                someAbove |= norm[k] > 1 / gamma[k];
            }
            double actual = frobenius(gradient, graph.weightOffset(l), spec.units(l) * spec.units(l - 1));
            bounds.add(new LayerBound(l, actual, gammaBound[l], dataBound[l], gammaFactor, dataFactor[l], norm[l],
                    allBelow, someAbove, Regime.classify(dataFactor[l], gammaFactor)));
        }
        Optional<ScalarChainBound> chain = graph.isScalarChain()
                ? Optional.of(new ScalarChainBound(Math.abs(gradient[graph.weightOffset(1)]), gammaBound[1], zero))
                : Optional.empty();
        return new BoundReport(spec.name(), NORM, bounds, chain, notes);
    }

    private static double frobenius(double[] values, int from, int count) {
        double s = 0;
        for (int i = from; i < from + count; i++) {
            s += values[i] * values[i];
        }
        return Math.sqrt(s);
    }

    /**
     * a·b for bounds a, b ≥ 0, where 0·∞ is +∞: with weights near the largest double a product of norms overflows while
     * a factor rounds to 0 (a saturated σ'), and NaN is no bound; +∞ is one, though it says nothing.
     */
    static double upper(double a, double b) {
        double product = a * b;
        return Double.isNaN(product) && !Double.isNaN(a) && !Double.isNaN(b) ? Double.POSITIVE_INFINITY : product;
    }
}
