package io.chainproof.check;

/**
 * One parameter's claimed derivative next to an oracle's estimate, and the verdict.
 *
 * @param parameter the parameter's name as the spec writes it: {@code W1[0][1]}, {@code Wh[0][1]}, {@code v[1]}
 * @param claimed   the derivative under test (chainproof's own compiled symbolic gradient, or a user's)
 * @param oracle    the deciding oracle's estimate with its error bound
 * @param decidedBy which oracle that was
 * @param verdict   the outcome
 * @param bound     the entry's rounding bound under the rounding rule ({@link AgreementRule}): the largest error a
 *                  correct backward pass in the claims' arithmetic may make; NaN under the blanket rule
 */
public record ParameterCheck(String parameter, double claimed, Estimate oracle, Oracle decidedBy, Verdict verdict,
                             double bound) {

    /**
     * A check judged by the blanket rule (no rounding bound).
     *
     * @param parameter the parameter's name
     * @param claimed   the derivative under test
     * @param oracle    the deciding oracle's estimate
     * @param decidedBy which oracle that was
     * @param verdict   the outcome
     */
    public ParameterCheck(String parameter, double claimed, Estimate oracle, Oracle decidedBy, Verdict verdict) {
        this(parameter, claimed, oracle, decidedBy, verdict, Double.NaN);
    }

    /**
     * Whether the entry agrees only because a correct backward pass keeps no relative accuracy there: judged by the
     * rounding rule, it passed, differs from the exact value, and its rounding bound reaches the larger of the two
     * values (σ·(1 − σ) at σ ≈ 1 loses every digit of a 1e−20 gradient).
     *
     * @return whether the agreement rests on lost relative accuracy
     */
    public boolean lostRelativeAccuracy() {
        return verdict instanceof Verdict.Agrees && !Double.isNaN(bound) && claimed != oracle.value()
                && bound >= Math.max(Math.abs(claimed), Math.abs(oracle.value()));
    }

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
