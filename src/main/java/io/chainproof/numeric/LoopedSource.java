package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.ops.Activation;
import io.chainproof.symbolic.ActivationDerivative;
import io.chainproof.symbolic.LocalDerivatives;
import io.chainproof.symbolic.AffineDerivative;
import io.chainproof.symbolic.SoftmaxDerivative;

import java.util.Map;

/**
 * Generated code with one loop per layer over scratch arrays: for networks of any size (the method's
 * bytecode does not grow with the width).
 */
final class LoopedSource extends GeneratedSource {

    LoopedSource(ComputationGraph graph, String className) {
        super(graph, className);
    }

    LoopedSource(ComputationGraph graph, String className, Dialect dialect) {
        super(graph, className, dialect);
    }

    /**
     * The source. In Java each layer's forward and backward loops are methods of their own, called in order by
     * {@code lossAndGradient}: the same statements in the same order, but a method's bytecode no longer grows with the
     * depth, which the JVM limits to 64 KB (a 250-layer MLP's single method did not compile) and the JIT compiles only
     * below 8,000 bytes. JavaScript keeps one function.
     */
    @Override
    String write() {
        int layers = g.layerCount();
        boolean split = lang == Dialect.JAVA;
        classHeader();
        for (int l = 1; l <= layers; l++) {
            for (String array : new String[] {"z", "o", "dz", "do"}) {
                s.append(lang.array(array + l, g.units(l)));
            }
        }
        s.append(lang.array("logA", g.units(layers))).append("\n");
        s.append(methodHeader());
        for (int l = 1; l <= layers; l++) {
            if (split) {
                s.append("        forward").append(l).append("(p, o0);\n");
            } else {
                forward(l);
            }
        }
        loss(layers);
        s.append("        if (g == null) {\n            return loss;\n        }\n");
        outputGradient(layers);
        for (int l = layers; l >= 1; l--) {
            if (split) {
                s.append("        backward").append(l).append("(p, o0, y, scale, g);\n");
            } else {
                backward(l);
            }
        }
        if (!split) {
            s.append(classFooter());
            return s.toString();
        }
        s.append("        return loss;\n    }\n");
        for (int l = 1; l <= layers; l++) {
            s.append("\n    private void forward").append(l).append("(double[] p, double[] o0) {\n");
            forward(l);
            s.append("    }\n");
        }
        for (int l = layers; l >= 1; l--) {
            s.append("\n    private void backward").append(l)
                    .append("(double[] p, double[] o0, double[] y, double scale, double[] g) {\n");
            backward(l);
            s.append("    }\n");
        }
        s.append("}\n");
        return s.toString();
    }

    /**
     * JavaScript only: {@code function forward(p, o0, y)}, one sample's forward pass as the kernel computes it (the same
     * statements), returning every layer's {@code z}, {@code o} (from {@code o0}), φ'(z) ({@code dphi}; null for
     * softmax), the sample's loss and ∂ℓ/∂o_L ({@code dLdo}): what an interactive page shows beside the gradient.
     *
     * @return the function's source
     */
    String writeForwardFunction() {
        if (lang != Dialect.JAVASCRIPT) {
            throw new IllegalStateException("The forward function is written for JavaScript pages only");
        }
        int layers = g.layerCount();
        s.append("function forward(p, o0, y) {\n    const weight = 1.0;\n");
        StringBuilder zs = new StringBuilder();
        StringBuilder os = new StringBuilder("o0");
        StringBuilder ds = new StringBuilder();
        for (int l = 1; l <= layers; l++) {
            for (String array : new String[] {"z", "o", "do", "dphi"}) {
                s.append(lang.array(array + l, g.units(l)));
            }
            zs.append(l > 1 ? ", " : "").append("z").append(l);
            os.append(", o").append(l);
            ds.append(l > 1 ? ", " : "").append(g.layer(l).activation() == Activation.SOFTMAX ? "null" : "dphi" + l);
        }
        s.append(lang.array("logA", g.units(layers)));
        for (int l = 1; l <= layers; l++) {
            forward(l);
            Activation act = g.layer(l).activation();
            if (act != Activation.SOFTMAX) {
                ActivationDerivative d = LocalDerivatives.activation(act);
                s.append("        for (").append(lang.index()).append("j = 0; j < ").append(g.units(l)).append("; j++) {\n");
                String v = emitter("            ").emit(d.derivative(), Map.of(ActivationDerivative.ARGUMENT, "z" + l + "[j]"));
                s.append("            dphi").append(l).append("[j] = ").append(v).append(";\n        }\n");
            }
        }
        loss(layers);
        outputGradient(layers);
        s.append("        return {z: [").append(zs).append("], o: [").append(os).append("], dphi: [").append(ds)
                .append("], loss, dLdo: do").append(layers).append("};\n}\n");
        return s.toString();
    }

    private void forward(int l) {
        int n = g.units(l);
        int in = g.units(l - 1);
        Activation act = g.layer(l).activation();
        s.append("        // layer ").append(l).append(": z = W·o + b, o = ").append(act.specName()).append("(z)\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n");
        s.append("            " + lang.variable() + "acc = p[").append(g.biasOffset(l)).append(" + j];\n");
        s.append("            for (" + lang.index() + "k = 0; k < ").append(in).append("; k++) {\n");
        s.append("                acc += p[").append(g.weightOffset(l)).append(" + j * ").append(in)
                .append(" + k] * o").append(l - 1).append("[k];\n");
        s.append("            }\n            z").append(l).append("[j] = acc;\n");
        if (act == Activation.SOFTMAX) {
            s.append("        }\n");
            softmaxForward(l, n);
            return;
        }
        ActivationDerivative d = LocalDerivatives.activation(act);
        String v = emitter("            ").emit(d.value(), Map.of(ActivationDerivative.ARGUMENT, "acc"));
        s.append("            o").append(l).append("[j] = ").append(v).append(";\n        }\n");
    }

    private void softmaxForward(int l, int n) {
        s.append("        " + lang.variable() + "max = " + lang.negativeInfinity() + ";\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n            max = Math.max(max, z").append(l).append("[j]);\n        }\n");
        s.append("        " + lang.variable() + "sum = 0.0;\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n            o").append(l).append("[j] = Math.exp(z")
                .append(l).append("[j] - max);\n            sum += o").append(l).append("[j];\n        }\n");
        s.append("        " + lang.constant() + "logSum = Math.log(sum);\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n            o").append(l).append("[j] /= sum;\n");
        if (l == g.layerCount()) {
            s.append("            logA[j] = z").append(l).append("[j] - max - logSum;\n");
        }
        s.append("        }\n");
    }

    private void loss(int layers) {
        s.append("        // loss: ").append(g.spec().loss().specName()).append("\n");
        s.append("        " + lang.variable() + "loss = 0.0;\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(g.units(layers)).append("; j++) {\n");
        String t = emitter("            ").emit(loss.term(), bindings(layers));
        s.append("            loss += ").append(t).append(";\n        }\n");
        s.append("        loss = loss").append(reductionFactor()).append(";\n");
    }

    private Map<String, String> bindings(int layers) {
        return lossBindings("o" + layers + "[j]", "z" + layers + "[j]", "y[j]", "logA[j]");
    }

    private void outputGradient(int layers) {
        s.append("        // ∂L/∂o_L\n        " + lang.constant() + "scale = weight").append(reductionFactor()).append(";\n");
        s.append("        for (" + lang.index() + "j = 0; j < ").append(g.units(layers)).append("; j++) {\n");
        String v = emitter("            ").emit(loss.derivative(), bindings(layers));
        s.append("            do").append(layers).append("[j] = scale * ").append(lossDerivative(v, "y[j]")).append(";\n        }\n");
    }

    private void backward(int l) {
        int n = g.units(l);
        int in = g.units(l - 1);
        Activation act = g.layer(l).activation();
        s.append("        // layer ").append(l).append(" backwards: ∂L/∂z = ∂L/∂o · ∂o/∂z\n");
        if (l == g.layerCount() && fusedOutput()) {
            s.append("        " + lang.variable() + "ySum = 0.0;\n        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n")
                    .append("            ySum += y[j];\n        }\n");
            s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n            dz").append(l)
                    .append("[j] = scale * ").append(fusedOutputDerivative("o" + l + "[j]", "y[j]", "ySum")).append(";\n        }\n");
        } else if (act == Activation.SOFTMAX) {
            SoftmaxDerivative d = LocalDerivatives.softmax();
            s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n            " + lang.variable() + "acc = 0.0;\n");
            s.append("            for (" + lang.index() + "i = 0; i < ").append(n).append("; i++) {\n");
            s.append("                if (i == j) {\n");
            String diag = emitter("                    ").emit(d.diagonal(), Map.of(SoftmaxDerivative.OUTPUT_I, "o" + l + "[i]"));
            s.append("                    acc += do").append(l).append("[i] * ").append(diag).append(";\n");
            s.append("                } else {\n");
            String off = emitter("                    ").emit(d.offDiagonal(),
                    Map.of(SoftmaxDerivative.OUTPUT_I, "o" + l + "[i]", SoftmaxDerivative.OUTPUT_J, "o" + l + "[j]"));
            s.append("                    acc += do").append(l).append("[i] * ").append(off).append(";\n");
            s.append("                }\n            }\n            dz").append(l).append("[j] = acc;\n        }\n");
        } else {
            ActivationDerivative d = LocalDerivatives.activation(act);
            s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n");
            String v = emitter("            ").emit(d.derivative(), Map.of(ActivationDerivative.ARGUMENT, "z" + l + "[j]"));
            s.append("            dz").append(l).append("[j] = do").append(l).append("[j] * ").append(v).append(";\n        }\n");
        }
        s.append("        for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n");
        s.append("            " + lang.constant() + "dzj = dz").append(l).append("[j];\n");
        s.append("            for (" + lang.index() + "k = 0; k < ").append(in).append("; k++) {\n");
        String dw = emitter("                ").emit(affine.dzdw(), Map.of(AffineDerivative.INPUT, "o" + (l - 1) + "[k]"));
        s.append("                g[").append(g.weightOffset(l)).append(" + j * ").append(in).append(" + k] += dzj * ").append(dw).append(";\n");
        s.append("            }\n");
        String db = emitter("            ").emit(affine.dzdb(), Map.of());
        s.append("            g[").append(g.biasOffset(l)).append(" + j] += dzj * ").append(db).append(";\n        }\n");
        if (l > 1) {
            s.append("        for (" + lang.index() + "k = 0; k < ").append(in).append("; k++) {\n            " + lang.variable() + "acc = 0.0;\n");
            s.append("            for (" + lang.index() + "j = 0; j < ").append(n).append("; j++) {\n");
            String dOut = emitter("                ").emit(affine.dzdo(),
                    Map.of(AffineDerivative.WEIGHT, "p[" + g.weightOffset(l) + " + j * " + in + " + k]"));
            s.append("                acc += dz").append(l).append("[j] * ").append(dOut).append(";\n");
            s.append("            }\n            do").append(l - 1).append("[k] = acc;\n        }\n");
        }
    }
}
