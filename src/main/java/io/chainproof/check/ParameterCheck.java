package io.chainproof.check;

/**
 * One parameter's claimed derivative next to an oracle's estimate, and the verdict.
 *
 * @param parameter the parameter's name as the spec writes it: {@code W1[0][1]}, {@code Wh[0][1]}, {@code v[1]}
 * @param claimed   the derivative under test (chainproof's own compiled symbolic gradient, or a user's)
 * @param oracle    the deciding oracle's estimate with its error bound
 * @param decidedBy which oracle that was
 * @param verdict   the outcome
 */
public record ParameterCheck(String parameter, double claimed, Estimate oracle, Oracle decidedBy, Verdict verdict) {

    /**
     * |claimed − oracle|.
     *
     * @return |claimed − oracle|
     */
    public double absoluteError() {
        return Math.abs(claimed - oracle.value());
    }

    /**
     * Whether the oracle could tell this derivative from zero: false when both the claim and the oracle
     * lie within the allowed error (e.g. a saturated sigmoid's 1e−135 against finite differences, whose
     * resolution is ~1e−10). Such an agreement is vacuous, and reports say so. An exact oracle (complex
     * step, forward-mode AD) that returns exactly the claimed value — a dead relu's 0 — does resolve it.
     *
     * @return whether the derivative is distinguishable from zero
     */
    public boolean resolved() {
        if (claimed == oracle.value() && decidedBy != Oracle.CENTRAL_DIFFERENCE) {
            return true;
        }
        double allowed;
        if (verdict instanceof Verdict.Agrees a) {
            allowed = a.allowed();
        } else if (verdict instanceof Verdict.Disagrees d) {
            allowed = d.allowed();
        } else {
            return true;
        }
        return Math.max(Math.abs(claimed), Math.abs(oracle.value())) > allowed;
    }

    /**
     * |claimed − oracle| / |oracle|; infinite when the oracle is 0 and the claim is not.
     *
     * @return the relative error; ≥ 0, possibly infinite
     */
    public double relativeError() {
        double scale = Math.abs(oracle.value());
        return scale == 0 ? (claimed == 0 ? 0 : Double.POSITIVE_INFINITY) : absoluteError() / scale;
    }
}
