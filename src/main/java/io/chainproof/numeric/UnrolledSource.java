package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.AffineDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.SoftmaxDerivative;

import java.util.Map;

/**
 * Generated straight-line code for small networks: every z, o and ∂L/∂z is a local variable
 * ({@code z2_0}, {@code o2_0}, {@code dz2_0}), every loop unrolled — the code one would write by hand
 * for the lecture chain, and as fast.
 */
final class UnrolledSource extends GeneratedSource {

    /** Networks up to this many parameters are unrolled (keeps the method well under the JVM's 64 KiB). */
    static final int MAX_PARAMETERS = 256;

    UnrolledSource(ComputationGraph graph, String className) {
        super(graph, className);
    }

    UnrolledSource(ComputationGraph graph, String className, Dialect dialect) {
        super(graph, className, dialect);
    }

    /** Whether {@code graph} is small enough to unroll. */
    static boolean suits(ComputationGraph graph) {
        return graph.parameters().size() <= MAX_PARAMETERS;
    }

    @Override
    String write() {
        int layers = g.layerCount();
        classHeader();
        s.append(methodHeader());
        for (int l = 1; l <= layers; l++) {
            forward(l);
        }
        loss(layers);
        s.append("        if (g == null) {\n            return loss;\n        }\n");
        s.append("        " + lang.constant() + "scale = weight").append(reductionFactor()).append(";\n");
        for (int j = 0; j < g.units(layers); j++) {
            String v = emitter("        ").emit(loss.derivative(), bindings(layers, j));
            s.append("        " + lang.constant() + "do").append(layers).append('_').append(j).append(" = scale * ")
                    .append(lossDerivative(v, "y[" + j + "]")).append(";\n");
        }
        for (int l = layers; l >= 1; l--) {
            backward(l);
        }
        s.append(classFooter());
        return s.toString();
    }

    private static String o(int l, int k) {
        return l == 0 ? "o0[" + k + "]" : "o" + l + "_" + k;
    }

    private static String z(int l, int j) {
        return "z" + l + "_" + j;
    }

    private String w(int l, int j, int k) {
        return "p[" + (g.weightOffset(l) + j * g.units(l - 1) + k) + "]";
    }

    private void forward(int l) {
        int n = g.units(l);
        int in = g.units(l - 1);
        Activation act = g.layer(l).activation();
        s.append("        // layer ").append(l).append(": z = W·o + b, o = ").append(act.specName()).append("(z)\n");
        for (int j = 0; j < n; j++) {
            s.append("        " + lang.constant()).append(z(l, j)).append(" = p[").append(g.biasOffset(l) + j).append("]");
            for (int k = 0; k < in; k++) {
                s.append(" + ").append(w(l, j, k)).append(" * ").append(o(l - 1, k));
            }
            s.append(";\n");
        }
        if (act == Activation.SOFTMAX) {
            softmaxForward(l, n);
            return;
        }
        ActivationDerivative d = LocalDerivatives.activation(act);
        for (int j = 0; j < n; j++) {
            String v = emitter("        ").emit(d.value(), Map.of(ActivationDerivative.ARGUMENT, z(l, j)));
            s.append("        " + lang.constant()).append(o(l, j)).append(" = ").append(v).append(";\n");
        }
    }

    private void softmaxForward(int l, int n) {
        s.append("        " + lang.variable() + "max").append(l).append(" = ").append(z(l, 0)).append(";\n");
        for (int j = 1; j < n; j++) {
            s.append("        max").append(l).append(" = Math.max(max").append(l).append(", ").append(z(l, j)).append(");\n");
        }
        StringBuilder sum = new StringBuilder();
        for (int j = 0; j < n; j++) {
            s.append("        " + lang.constant() + "e").append(l).append('_').append(j).append(" = Math.exp(").append(z(l, j))
                    .append(" - max").append(l).append(");\n");
            sum.append(j == 0 ? "" : " + ").append('e').append(l).append('_').append(j);
        }
        s.append("        " + lang.constant() + "sum").append(l).append(" = ").append(sum).append(";\n");
        s.append("        " + lang.constant() + "logSum").append(l).append(" = Math.log(sum").append(l).append(");\n");
        for (int j = 0; j < n; j++) {
            s.append("        " + lang.constant()).append(o(l, j)).append(" = e").append(l).append('_').append(j)
                    .append(" / sum").append(l).append(";\n");
        }
    }

    private Map<String, String> bindings(int layers, int j) {
        String logSoftmax = "(" + z(layers, j) + " - max" + layers + " - logSum" + layers + ")";
        return lossBindings(o(layers, j), z(layers, j), "y[" + j + "]", logSoftmax);
    }

    private void loss(int layers) {
        s.append("        // loss: ").append(g.spec().loss().specName()).append("\n");
        StringBuilder sum = new StringBuilder();
        for (int j = 0; j < g.units(layers); j++) {
            String t = emitter("        ").emit(loss.term(), bindings(layers, j));
            sum.append(j == 0 ? "" : " + ").append(t);
        }
        s.append("        " + lang.constant() + "loss = (").append(sum).append(")").append(reductionFactor()).append(";\n");
    }

    private void backward(int l) {
        int n = g.units(l);
        int in = g.units(l - 1);
        Activation act = g.layer(l).activation();
        s.append("        // layer ").append(l).append(" backwards: ∂L/∂z = ∂L/∂o · ∂o/∂z\n");
        if (l == g.layerCount() && fusedOutput()) {
            StringBuilder ySum = new StringBuilder();
            for (int j = 0; j < n; j++) {
                ySum.append(j == 0 ? "" : " + ").append("y[").append(j).append(']');
            }
            s.append("        " + lang.constant() + "ySum = ").append(ySum).append(";\n");
            for (int j = 0; j < n; j++) {
                s.append("        " + lang.constant() + "dz").append(l).append('_').append(j).append(" = scale * ")
                        .append(fusedOutputDerivative(o(l, j), "y[" + j + "]", "ySum")).append(";\n");
            }
        } else if (act == Activation.SOFTMAX) {
            SoftmaxDerivative d = LocalDerivatives.softmax();
            for (int j = 0; j < n; j++) {
                StringBuilder acc = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    String jac = i == j
                            ? emitter("        ").emit(d.diagonal(), Map.of(SoftmaxDerivative.OUTPUT_I, o(l, i)))
                            : emitter("        ").emit(d.offDiagonal(),
                                    Map.of(SoftmaxDerivative.OUTPUT_I, o(l, i), SoftmaxDerivative.OUTPUT_J, o(l, j)));
                    acc.append(i == 0 ? "" : " + ").append("do").append(l).append('_').append(i).append(" * ").append(jac);
                }
                s.append("        " + lang.constant() + "dz").append(l).append('_').append(j).append(" = ").append(acc).append(";\n");
            }
        } else {
            ActivationDerivative d = LocalDerivatives.activation(act);
            for (int j = 0; j < n; j++) {
                String v = emitter("        ").emit(d.derivative(), Map.of(ActivationDerivative.ARGUMENT, z(l, j)));
                s.append("        " + lang.constant() + "dz").append(l).append('_').append(j).append(" = do").append(l).append('_').append(j)
                        .append(" * ").append(v).append(";\n");
            }
        }
        String db = emitter("        ").emit(affine.dzdb(), Map.of());
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < in; k++) {
                String dw = emitter("        ").emit(affine.dzdw(), Map.of(AffineDerivative.INPUT, o(l - 1, k)));
                s.append("        g[").append(g.weightOffset(l) + j * in + k).append("] += dz").append(l).append('_').append(j)
                        .append(" * ").append(dw).append(";\n");
            }
            s.append("        g[").append(g.biasOffset(l) + j).append("] += dz").append(l).append('_').append(j).append(" * ")
                    .append(db).append(";\n");
        }
        if (l > 1) {
            for (int k = 0; k < in; k++) {
                StringBuilder acc = new StringBuilder();
                for (int j = 0; j < n; j++) {
                    String dOut = emitter("        ").emit(affine.dzdo(), Map.of(AffineDerivative.WEIGHT, w(l, j, k)));
                    acc.append(j == 0 ? "" : " + ").append("dz").append(l).append('_').append(j).append(" * ").append(dOut);
                }
                s.append("        " + lang.constant() + "do").append(l - 1).append('_').append(k).append(" = ").append(acc).append(";\n");
            }
        }
    }
}
