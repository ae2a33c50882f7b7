package io.chainproof.ops;

import io.chainproof.number.Real;
import io.chainproof.number.RealField;

import java.util.List;

/**
 * A table lookup, PyTorch's {@code Embedding}: row {@code id} of E ({@code [vocabulary][dim]}) for every id of the
 * input, which is data (whole numbers fixed by the spec), so the op's one input is E. Backward: each row of E
 * gathers the gradients of every position that looked it up — a repeated id accumulates. Instances are immutable.
 */
public final class Embedding implements Op {

    private final int[] ids;
    private final int vocabulary;
    private final int dim;

    /**
     * @param ids        the ids looked up, in order; each in {@code [0, vocabulary)}
     * @param vocabulary the number of rows of E; ≥ 1
     * @param dim        the length of a row; ≥ 1
     */
    public Embedding(int[] ids, int vocabulary, int dim) {
        if (ids.length < 1 || vocabulary < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding of <" + ids.length + "> ids into a <" + vocabulary + "×" + dim
                    + "> table; each must be ≥ 1");
        }
        for (int id : ids) {
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("Embedding id <" + id + "> is outside [0, " + vocabulary + ")");
            }
        }
        this.ids = ids.clone();
        this.vocabulary = vocabulary;
        this.dim = dim;
    }

    @Override
    public String kind() {
        return "embedding";
    }

    @Override
    public int outputSize() {
        return ids.length * dim;
    }

    @Override
    public <T extends Real<T>> T[] forward(RealField<T> field, List<T[]> inputs) {
        T[] e = inputs.get(0);
        T[] out = field.array(outputSize());
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(e, ids[t] * dim, out, t * dim, dim);
        }
        return out;
    }

    @Override
    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output, T[] outputGradient,
                                             List<T[]> inputGradients, LocalRules rules) {
        T[] ge = inputGradients.get(0);
        if (ge == null) {
            return;
        }
        for (int t = 0; t < ids.length; t++) {
            for (int j = 0; j < dim; j++) {
                int at = ids[t] * dim + j;
                ge[at] = ge[at].add(outputGradient[t * dim + j]);
            }
        }
    }

    /**
     * An embedding's classic backward mistake: the rows of repeated ids assigned instead of accumulated, so only
     * the last occurrence of each id counts.
     */
    @Override
    public List<OpFault> faults() {
        if (java.util.Arrays.stream(ids).distinct().count() == ids.length) {
            return List.of();
        }
        return List.of(new OpFault("EMBEDDING_NOT_ACCUMULATED", "%s: the embedding's gradient keeps only the last "
                + "occurrence of a repeated id (assigned instead of accumulated)", Ops.inDouble(this,
                new Ops.Backward() {
                    @Override
                    public <T extends Real<T>> void backward(RealField<T> field, List<T[]> inputs, T[] output,
                            T[] outputGradient, List<T[]> inputGradients, LocalRules rules) {
                        T[] ge = inputGradients.get(0);
                        if (ge == null) {
                            return;
                        }
                        java.util.Map<Integer, Integer> last = new java.util.HashMap<>();
                        for (int t = 0; t < ids.length; t++) {
                            last.put(ids[t], t);
                        }
                        for (java.util.Map.Entry<Integer, Integer> e : last.entrySet()) {
                            for (int j = 0; j < dim; j++) {
                                int at = e.getKey() * dim + j;
                                ge[at] = ge[at].add(outputGradient[e.getValue() * dim + j]);
                            }
                        }
                    }
                })));
    }

    @Override
    public String toString() {
        return "embedding[" + ids.length + " ids, " + vocabulary + "×" + dim + "]";
    }
}
