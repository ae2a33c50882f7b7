package io.chainproof.numeric;

import io.chainproof.graph.ComputationGraph;
import io.chainproof.symbolic.ActivationDerivative;

import java.util.Map;

/**
 * Writes the imaginary propagation of a {@link ComplexSampleKernel} through the hidden layers, from the
 * real pass cached by {@link ComplexSource}: per layer {@code Im z_l = W_l·Im o_{l−1} + Im W_l·o_{l−1} + Im b_l}
 * (the imaginary part of the complex product, exact), then {@code Im o_l} by the complex kernels
 * ({@code imaginaryLoss}) or as {@code s_l ⊙ Im z_l} with the cached slopes ({@code unitTangent}).
 * Alongside runs the magnitude: the same recursion on {@code |W|} and the cancellation-free bounds of
 * the slopes and sensitivities ({@code sa ≥ |s|}, {@code ca ≥ |c|}).
 */
final class ComplexTangentSource {

    private final ComplexSource src;
    private final ComputationGraph g;
    private final StringBuilder s;
    private final int layers;

    ComplexTangentSource(ComplexSource source) {
        this.src = source;
        this.g = source.g;
        this.s = source.s;
        this.layers = source.layers;
    }

    void write() {
        imaginaryLoss();
        unitTangent();
        if (layers > 1) {
            propagate();
        }
    }

    /** The literal complex step: every unit from {@code first} on through the complex kernels. */
    private void imaginaryLoss() {
        s.append("\n    public double imaginaryLoss(double[] p, double[] pi, int first, double[] out) {\n");
        s.append("        boolean kink = false;\n");
        for (int l = 1; l <= layers; l++) {
            s.append("        if (first <= ").append(l).append(") {\n");
            s.append("            kink |= imaginary").append(l).append("(p, pi, first);\n        }\n");
        }
        int n = g.units(layers);
        String zi = "zi" + layers;
        if (src.softmaxOutput()) {
            s.append("        final double v = softmaxIm(").append(zi).append(");\n");
        } else {
            s.append("        double v = 0.0;\n        for (int j = 0; j < ").append(n).append("; j++) {\n");
            s.append("            if (").append(zi).append("[j] != 0.0) {\n                v += termIm(j, ").append(zi)
                    .append("[j]);\n            }\n        }\n");
        }
        finish("za" + layers);
        for (int l = 1; l <= layers; l++) {
            imaginaryLayer(l);
        }
    }

    /**
     * Layer l's part of {@code imaginaryLoss}, a method of its own so that no method grows with the depth (the JVM
     * limits one to 64 KB of bytecode); returns whether a kink was met.
     */
    private void imaginaryLayer(int l) {
        s.append("\n    private boolean imaginary").append(l).append("(double[] p, double[] pi, int first) {\n");
        s.append("        boolean kink = false;\n");
        {
            int n = g.units(l);
            int in = g.units(l - 1);
            String prev = l == 1 ? "x" : "o" + (l - 1);
            s.append("        if (first <= ").append(l).append(") {\n");
            s.append("            for (int j = 0; j < ").append(n).append("; j++) {\n");
            s.append("                double a = pi[").append(g.biasOffset(l)).append(" + j];\n");
            s.append("                double b = Math.abs(a);\n");
            s.append("                final int row = ").append(g.weightOffset(l)).append(" + j * ").append(in).append(";\n");
            s.append("                for (int k = 0; k < ").append(in).append("; k++) {\n");
            s.append("                    final double t = pi[row + k] * ").append(prev).append("[k];\n");
            s.append("                    a += t;\n                    b += Math.abs(t);\n                }\n");
            if (l > 1) {
                s.append("                if (first < ").append(l).append(") {\n");
                s.append("                    for (int k = 0; k < ").append(in).append("; k++) {\n");
                s.append("                        final double w = p[row + k];\n");
                s.append("                        a += w * oi").append(l - 1).append("[k];\n");
                s.append("                        b += Math.abs(w) * oa").append(l - 1).append("[k];\n");
                s.append("                    }\n                }\n");
            }
            s.append("                zi").append(l).append("[j] = a;\n                za").append(l).append("[j] = b;\n");
            if (src.piecewise(l)) {
                s.append("                if (a != 0.0 && k").append(l).append("[j]) {\n                    kink = true;\n                }\n");
            }
            if (l < layers) {
                s.append("                if (a == 0.0) {\n                    oi").append(l).append("[j] = 0.0;\n                } else {\n");
                ComplexEmitter em = src.emitter("                    ");
                ComplexEmitter.Value v = em.emit(src.value(l), Map.of(ActivationDerivative.ARGUMENT,
                        new ComplexEmitter.Value("z" + l + "[j]", "a")));
                s.append("                    oi").append(l).append("[j] = ").append(v.imOrZero()).append(";\n                }\n");
                s.append("                oa").append(l).append("[j] = sa").append(l).append("[j] * b;\n");
            }
            s.append("            }\n        }\n");
        }
        s.append("        return kink;\n    }\n");
    }

    /** Seed 1 at z_layer[unit], then linear propagation with the cached slopes. */
    private void unitTangent() {
        s.append("\n    public double unitTangent(double[] p, int layer, int unit, double[] out) {\n");
        s.append("        switch (layer) {\n");
        for (int l = 1; l < layers; l++) {
            int next = g.units(l + 1);
            s.append("            case ").append(l).append(": {\n");
            s.append("                final double u = s").append(l).append("[unit];\n");
            s.append("                final double ua = sa").append(l).append("[unit];\n");
            s.append("                for (int i = 0; i < ").append(next).append("; i++) {\n");
            s.append("                    final double w = p[").append(g.weightOffset(l + 1)).append(" + i * ").append(g.units(l))
                    .append(" + unit];\n");
            s.append("                    zi").append(l + 1).append("[i] = w * u;\n");
            s.append("                    za").append(l + 1).append("[i] = Math.abs(w) * ua;\n                }\n");
            s.append("                return propagate(").append(l + 1).append(", p, k").append(l).append("[unit], out);\n");
            s.append("            }\n");
        }
        s.append("            case ").append(layers).append(":\n");
        s.append("                out[0] = ca[unit];\n");
        s.append("                out[1] = k").append(layers).append("[unit] ? 1.0 : 0.0;\n");
        s.append("                return c[unit];\n");
        s.append("            default:\n                throw new IllegalArgumentException(\"Layer <\" + layer + \"> is not a layer of this network: 1 to ")
                .append(layers).append("\");\n        }\n    }\n");
    }

    /**
     * From Im z_from (already set) to the output, with the cached slopes; {@code kink} carries the seed's
     * flag. One case per layer, falling through, each a call of the layer's own method, so that the method's code
     * grows by a call per layer.
     */
    private void propagate() {
        s.append("\n    private double propagate(int from, double[] p, boolean kink, double[] out) {\n");
        s.append("        switch (from) {\n");
        for (int l = 2; l < layers; l++) {
            s.append("            case ").append(l).append(":\n");
            s.append("                kink |= propagate").append(l).append("(p);\n");
        }
        s.append("            default:\n                break;\n        }\n");
        int n = g.units(layers);
        s.append("        double v = 0.0;\n");
        s.append("        for (int j = 0; j < ").append(n).append("; j++) {\n");
        if (src.piecewise(layers)) {
            s.append("            if (zi").append(layers).append("[j] != 0.0 && k").append(layers).append("[j]) {\n")
                    .append("                kink = true;\n            }\n");
        }
        s.append("            v += c[j] * zi").append(layers).append("[j];\n        }\n");
        finish("za" + layers);
        for (int l = 2; l < layers; l++) {
            propagateLayer(l);
        }
    }

    /** From Im z_l to Im z_{l+1}, a method of its own (as {@link #imaginaryLayer}); returns whether a kink was met. */
    private void propagateLayer(int l) {
        s.append("\n    private boolean propagate").append(l).append("(double[] p) {\n");
        s.append("        boolean kink = false;\n");
        {
            int n = g.units(l);
            s.append("                for (int k = 0; k < ").append(n).append("; k++) {\n");
            s.append("                    final double t = zi").append(l).append("[k];\n");
            if (src.piecewise(l)) {
                s.append("                    if (t != 0.0 && k").append(l).append("[k]) {\n                        kink = true;\n                    }\n");
            }
            s.append("                    oi").append(l).append("[k] = s").append(l).append("[k] * t;\n");
            s.append("                    oa").append(l).append("[k] = sa").append(l).append("[k] * za").append(l).append("[k];\n");
            s.append("                }\n");
            s.append("                for (int i = 0; i < ").append(g.units(l + 1)).append("; i++) {\n");
            s.append("                    double a = 0.0;\n                    double b = 0.0;\n");
            s.append("                    final int row = ").append(g.weightOffset(l + 1)).append(" + i * ").append(n).append(";\n");
            s.append("                    for (int k = 0; k < ").append(n).append("; k++) {\n");
            s.append("                        final double w = p[row + k];\n");
            s.append("                        a += w * oi").append(l).append("[k];\n");
            s.append("                        b += Math.abs(w) * oa").append(l).append("[k];\n                    }\n");
            s.append("                    zi").append(l + 1).append("[i] = a;\n                    za").append(l + 1).append("[i] = b;\n");
            s.append("                }\n");
        }
        s.append("        return kink;\n    }\n");
    }

    /** Magnitude Σ_j |c_j|·za_L[j] and the kink flag into {@code out}; returns v. */
    private void finish(String za) {
        s.append("        double mag = 0.0;\n");
        s.append("        for (int j = 0; j < ").append(g.units(layers)).append("; j++) {\n");
        s.append("            mag += ca[j] * ").append(za).append("[j];\n        }\n");
        s.append("        out[0] = mag;\n        out[1] = kink ? 1.0 : 0.0;\n        return v;\n    }\n");
    }
}
