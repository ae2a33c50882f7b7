package io.chainproof.ops;

import io.chainproof.number.DoubleNumber;
import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.ArrayList;
import java.util.List;

/** Runs the ops' generic rules on plain double arrays. */
final class Ops {

    private Ops() {
    }

    /** A backward rule over {@link Real}: a variant of an op's own rule (a fault) written once like the rule. */
    interface Backward {
        <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                          List<T[]> inputGradients, LocalRules rules);
    }

    /**
     * A fault's rule in double precision from a variant of the op's backward rule.
     *
     * @param op       the op whose forward rule the variant belongs to
     * @param variant  the variant backward rule
     * @return the rule on plain arrays
     */
    static OpFault.Rule inDouble(Op op, Backward variant) {
        Op view = new Op() {
            @Override
            public String kind() {
                return op.kind();
            }

            @Override
            public int outputSize() {
                return op.outputSize();
            }

            @Override
            public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
                return op.forward(field, inputs);
            }

            @Override
            public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                                                     T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                variant.backward(field, inputs, output, outputGradient, inputGradients, rules);
            }
        };
        return (inputs, output, g, grads, rules) -> backwardInDouble(view, inputs, output, g, grads, rules);
    }

    /** {@link Op#forward(List)}: the generic rule over {@link DoubleNumber}. */
    static double[] forwardInDouble(Op op, List<double[]> inputs) {
        List<DoubleNumber[]> in = new ArrayList<>(inputs.size());
        for (double[] v : inputs) {
            in.add(DoubleNumber.FIELD.constants(v));
        }
        DoubleNumber[] out = op.forward(DoubleNumber.FIELD, in);
        double[] values = new double[out.length];
        for (int j = 0; j < out.length; j++) {
            values[j] = out[j].value();
        }
        return values;
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
