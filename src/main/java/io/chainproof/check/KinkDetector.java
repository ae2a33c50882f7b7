package io.chainproof.check;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.graph.Notation;
import io.chainproof.ops.Activations;
import io.chainproof.ops.Activation;

import java.util.Optional;

/**
 * Finds kinks: a relu or leaky-relu pre-activation that changes sign between θ − h and θ + h, the ends
 * of a difference stencil, or sits exactly at 0 and moves with θ. There the loss has different one-sided
 * derivatives in θ, and no value is "the" derivative.
 */
final class KinkDetector {

    private final ComputationGraph graph;
    private final boolean hasKinks;
    private final BackpropTrace base;

    KinkDetector(ComputationGraph graph, double[] point) {
        this.graph = graph;
        boolean kinks = false;
        for (int l = 1; l <= graph.layerCount(); l++) {
            Activation a = graph.layer(l).activation();
            kinks |= Activations.piecewise(a);
        }
        this.hasKinks = kinks;
        this.base = kinks ? BackpropTrace.forward(graph, point) : null;
    }

    /** A description of the kink met when parameter {@code index} moves by ±{@code step}, if any. */
    Optional<String> kink(double[] point, int index, double step) {
        if (!hasKinks) {
            return Optional.empty();
        }
        double[] p = point.clone();
        p[index] = point[index] + step;
        BackpropTrace up = BackpropTrace.forward(graph, p);
        p[index] = point[index] - step;
        BackpropTrace down = BackpropTrace.forward(graph, p);
        for (int s = 0; s < base.z.length; s++) {
            for (int l = 1; l <= graph.layerCount(); l++) {
                Activation a = graph.layer(l).activation();
                if (!Activations.piecewise(a)) {
                    continue;
                }
                for (int j = 0; j < graph.units(l); j++) {
                    double z = base.z[s][l][j];
                    double zUp = up.z[s][l][j];
                    double zDown = down.z[s][l][j];
                    boolean crosses = Math.signum(zUp) != Math.signum(zDown) || (z == 0 && zUp != zDown);
                    if (crosses) {
                        return Optional.of(a.specName() + " pre-activation z" + Notation.subscript(l) + "," + Notation.subscript(j + 1)
                                + " of sample " + (s + 1) + " is " + z + " and crosses 0 when " + graph.parameters().get(index).name()
                                + " moves by ±" + String.format(java.util.Locale.ROOT, "%.2g", step));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
