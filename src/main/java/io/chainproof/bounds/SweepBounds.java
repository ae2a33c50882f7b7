package io.chainproof.bounds;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.numeric.CompiledNetwork;
import io.chainproof.numeric.NetworkCompiler;
import io.chainproof.spec.Activation;
import io.chainproof.spec.NetworkSpec;
import io.chainproof.symbolic.DerivativeBounds;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.ArrayList;
import java.util.List;

/**
 * The layer bounds of {@link GrowthBounds#of} for many parameter values of one architecture, compiling the
 * network's gradient once instead of once per call (compiling is about two thirds of a {@link GrowthBounds#of}
 * call on a 64-64-32-1 MLP). The formulas are those of {@link GrowthBounds}; {@code SweepTests} checks that
 * every point equals {@link GrowthBounds#of} of the scaled spec exactly.
 */
final class SweepBounds {

    private final CompiledNetwork network;
    private final double[] gamma;

    SweepBounds(NetworkSpec spec) {
        this.network = NetworkCompiler.compile(ComputationGraph.of(spec));
        int layers = spec.layerCount();
        this.gamma = new double[layers + 1];
        for (int l = 1; l <= layers; l++) {
            Activation act = spec.layers().get(l - 1).activation();
            gamma[l] = act == Activation.SOFTMAX ? GrowthBounds.SOFTMAX_GAMMA : DerivativeBounds.of(act).gamma();
        }
    }

    /**
     * @param spec the spec compiled, with other parameter values
     * @return every layer's bounds, as {@link GrowthBounds#of}{@code (spec).layers()}
     */
    List<LayerBound> layers(NetworkSpec spec) {
        ComputationGraph graph = network.graph();
        double[] gradient = network.evaluate(ComputationGraph.of(spec).parameterValues()).gradient();
        int layers = spec.layerCount();
        double[] norm = new double[layers + 1];
        for (int l = 1; l <= layers; l++) {
            norm[l] = new SingularValueDecomposition(MatrixUtils.createRealMatrix(spec.parameters().weight(l))).getNorm();
        }
        double[][] x = spec.data().x();
        double[][] y = spec.data().y();
        int samples = x.length;
        double[] gammaBound = new double[layers + 1];
        double[] dataBound = new double[layers + 1];
        double[] dataFactor = new double[layers + 1];
        for (int s = 0; s < samples; s++) {
            ForwardPass pass = ForwardPass.of(spec, x[s], y[s]);
            double gammaProduct = 1;
            double dataProduct = 1;
            for (int l = layers; l >= 1; l--) {
                gammaProduct *= gamma[l];
                dataProduct *= pass.localDerivative(l);
                double outer = pass.outputGradientNorm() * pass.activationNorm(l - 1);
                gammaBound[l] += outer * gammaProduct / samples;
                dataBound[l] += outer * dataProduct / samples;
                dataFactor[l] += dataProduct / samples;
                gammaProduct *= norm[l];
                dataProduct *= norm[l];
            }
        }
        List<LayerBound> bounds = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            double gammaFactor = gamma[l];
            boolean allBelow = true;
            boolean someAbove = false;
            for (int k = l + 1; k <= layers; k++) {
                gammaFactor *= gamma[k] * norm[k];
                allBelow &= norm[k] < 1 / gamma[k];
                someAbove |= norm[k] > 1 / gamma[k];
            }
            double actual = frobenius(gradient, graph.weightOffset(l), spec.units(l) * spec.units(l - 1));
            bounds.add(new LayerBound(l, actual, gammaBound[l], dataBound[l], gammaFactor, dataFactor[l], norm[l],
                    allBelow, someAbove, Regime.classify(dataFactor[l], gammaFactor)));
        }
        return bounds;
    }

    private static double frobenius(double[] values, int from, int count) {
        double s = 0;
        for (int i = from; i < from + count; i++) {
            s += values[i] * values[i];
        }
        return Math.sqrt(s);
    }
}
