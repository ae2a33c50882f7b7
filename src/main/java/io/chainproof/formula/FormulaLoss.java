package io.chainproof.formula;

import io.chainproof.check.DifferentiableLoss;
import io.chainproof.spec.FormulaSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's formula as a {@link DifferentiableLoss}: its value and Symja's derivatives, for the commands. */
public final class FormulaLoss implements DifferentiableLoss {

    private final FormulaModel model;

    /** @param model the parsed, sandboxed and differentiated formula */
    public FormulaLoss(FormulaModel model) {
        this.model = model;
    }

    /** @return the formula model */
    public FormulaModel model() {
        return model;
    }

    @Override
    public String name() {
        return model.spec().name();
    }

    @Override
    public String source() {
        return model.spec().source();
    }

    @Override
    public List<String> parameterNames() {
        return model.parameterNames();
    }

    @Override
    public double[] point() {
        return model.point();
    }

    @Override
    public double loss(double[] theta) {
        return model.loss(theta);
    }

    @Override
    public double[] gradient(double[] theta) {
        return model.gradient(theta);
    }

    /** Scalars as numbers and vector parameters as arrays, in the spec's order. */
    @Override
    public Map<String, Object> tensors(double[] flat) {
        Map<String, Object> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, FormulaSpec.Value> e : model.spec().parameters().entrySet()) {
            if (e.getValue().vector()) {
                double[] v = new double[e.getValue().size()];
                System.arraycopy(flat, i, v, 0, v.length);
                out.put(e.getKey(), v);
                i += v.length;
            } else {
                out.put(e.getKey(), flat[i++]);
            }
        }
        return out;
    }
}
