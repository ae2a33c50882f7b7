package io.chainproof.ops;

import io.chainproof.number.DoubleNumber;

import java.util.ArrayList;
import java.util.List;

/** Runs the ops' generic rules on plain double arrays. */
final class Ops {

    private Ops() {
    }

    /** {@link Op#backward(List, double[], double[], List, LocalRules)}: the generic rule over {@link DoubleNumber}. */
    static void backwardInDouble(Op op, List<double[]> inputs, double[] output, double[] outputGradient,
                                 List<double[]> inputGradients, LocalRules rules) {
        List<DoubleNumber[]> in = new ArrayList<>(inputs.size());
        for (double[] v : inputs) {
            in.add(v == null ? null : DoubleNumber.FIELD.constants(v));
        }
        List<DoubleNumber[]> grads = new ArrayList<>(inputGradients.size());
        for (double[] g : inputGradients) {
            grads.add(g == null ? null : DoubleNumber.FIELD.constants(g));
        }
        op.backward(DoubleNumber.FIELD, in, DoubleNumber.FIELD.constants(output),
                DoubleNumber.FIELD.constants(outputGradient), grads, rules);
        for (int i = 0; i < grads.size(); i++) {
            DoubleNumber[] g = grads.get(i);
            if (g != null) {
                double[] target = inputGradients.get(i);
                for (int j = 0; j < g.length; j++) {
                    target[j] = g[j].value();
                }
            }
        }
    }
}
